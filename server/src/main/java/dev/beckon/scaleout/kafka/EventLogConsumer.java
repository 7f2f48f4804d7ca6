package dev.beckon.scaleout.kafka;

import static java.util.Map.entry;

import dev.beckon.event.Event;
import dev.beckon.scaleout.clickhouse.ClickHouseEventWriter;
import dev.beckon.scaleout.clickhouse.ClickHouseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ingestion log in batches and stores its events in ClickHouse, one consumer of a
 * consumer group; the group's consumers share the topic's partitions.
 *
 * <p>Failure semantics: a batch's offsets are committed only after ClickHouse has stored all of
 * its events. When the write fails, nothing is committed, the consumer goes back to the batch's
 * first offsets and reads it again after {@link Settings#retryBackoff()}, for as long as it takes.
 * A consumer that dies at any point (its process killed, its write or commit cut off) leaves its
 * partitions' committed offsets at or before the events it wrote; the consumer that takes the
 * partitions over reads those events again and {@link ClickHouseEventWriter} skips the ones that
 * are stored. So no event is lost and none is stored twice. A message that holds no event is
 * skipped with an error in the log, and its offset is committed with the batch: it would fail
 * again. A commit that Kafka refuses because the partitions moved to another consumer is logged;
 * the new owner reads the batch again and skips it.
 *
 * <p>{@link #run()} is the loop, on a thread of the caller's; {@link #close()}, from any thread,
 * lets the batch in hand finish and commit, then stops it.
 */
public final class EventLogConsumer implements Runnable, AutoCloseable {

    /** How long a poll waits for messages; also how soon the loop sees {@link #close()}. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    /** A fetch waits for this many bytes of messages, or {@link #FETCH_MAX_WAIT_MS}: bigger batches. */
    private static final int FETCH_MIN_BYTES = 64 * 1024;

    private static final int FETCH_MAX_WAIT_MS = 200;
    private static final Duration KAFKA_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(EventLogConsumer.class);

    /**
     * How a consumer reads.
     *
     * @param groupId the consumer group; every consumer of one deployment's ClickHouse shares it
     * @param maxEventsPerBatch at most this many messages are written to ClickHouse at once
     * @param retryBackoff how long to wait before reading a batch again whose write failed
     * @param sessionTimeout how long the group waits for a consumer that stopped answering before
     *     it gives its partitions to the others; until then, their events wait
     */
    public record Settings(String groupId, int maxEventsPerBatch, Duration retryBackoff, Duration sessionTimeout) {

        public Settings {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            Objects.requireNonNull(sessionTimeout, "sessionTimeout");
            if (groupId.isBlank()) {
                throw new IllegalArgumentException("groupId: must not be blank");
            }
            if (maxEventsPerBatch < 1 || maxEventsPerBatch > 100_000) {
                throw new IllegalArgumentException("maxEventsPerBatch: must be 1 to 100000, not " + maxEventsPerBatch);
            }
            if (retryBackoff.isNegative()) {
                throw new IllegalArgumentException("retryBackoff: must not be negative, not " + retryBackoff);
            }
            if (sessionTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("sessionTimeout: must be at least 1 s, not " + sessionTimeout);
            }
        }

        /**
         * Batches of at most 5,000 events, a second between retries, and a ten-second session: a
         * dead consumer's partitions move to the others within about ten seconds.
         */
        public static Settings of(String groupId) {
            return new Settings(groupId, 5_000, Duration.ofSeconds(1), Duration.ofSeconds(10));
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Settings settings;
    private final ClickHouseEventWriter writer;
    private final CountDownLatch closeRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong eventsStored = new AtomicLong();
    private final AtomicLong malformedMessages = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicLong committedBatches = new AtomicLong();

    public EventLogConsumer(KafkaSettings kafka, Settings settings, ClickHouseEventWriter writer) {
        this.topic = kafka.topic();
        this.settings = settings;
        this.writer = writer;
        this.consumer = new KafkaConsumer<>(
                properties(kafka, settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Map<String, Object> properties(KafkaSettings kafka, Settings settings) {
        int sessionMs = (int) settings.sessionTimeout().toMillis();
        return Map.ofEntries(
                entry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                entry(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId()),
                entry(ConsumerConfig.CLIENT_ID_CONFIG, "beckon-events-consumer"),
                entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxEventsPerBatch()),
                entry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES),
                entry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS),
                entry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionMs),
                // Kafka wants heartbeats at a third of the session timeout or more often.
                entry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, sessionMs / 3));
    }

    /**
     * Reads and stores batches until {@link #close()}.
     *
     * @throws KafkaException when Kafka fails in a way that retrying cannot mend, such as a group
     *     that this consumer may not join; its uncommitted batch is read again by the next owner
     */
    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (closeRequested.getCount() > 0) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    store(records);
                }
            }
        } catch (RuntimeException e) {
            log.error(
                    "The consumer of topic {} in group {} stopped; its uncommitted batch will be read again",
                    topic,
                    settings.groupId(),
                    e);
            throw e;
        } finally {
            // Without auto commit, closing commits nothing.
            consumer.close(CloseOptions.timeout(KAFKA_CLOSE_TIMEOUT));
            stopped.countDown();
        }
    }

    private void store(ConsumerRecords<byte[], byte[]> records) {
        List<Event> events = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                events.add(EventMessages.event(record.value()));
            } catch (EventMessages.MalformedMessageException e) {
                malformedMessages.incrementAndGet();
                log.error(
                        "Skipped the message at offset {} of partition {}-{}, which is not stored: {}",
                        record.offset(),
                        record.topic(),
                        record.partition(),
                        e.getMessage());
            }
        }

        int stored;
        try {
            stored = writer.write(events);
        } catch (ClickHouseException e) {
            failedWrites.incrementAndGet();
            log.warn(
                    "Storing a batch of {} events in ClickHouse failed; its offsets stay uncommitted and it is"
                            + " read again in {} ms",
                    events.size(),
                    settings.retryBackoff().toMillis(),
                    e);
            rewind(records);
            awaitBackoff();
            return;
        }
        eventsStored.addAndGet(stored);
        commit(records);
        log.debug(
                "Stored {} new events of a batch of {} messages from partitions {}",
                stored,
                records.count(),
                records.partitions());
    }

    private void commit(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            next.put(partition, new OffsetAndMetadata(inPartition.getLast().offset() + 1));
        }
        try {
            consumer.commitSync(next);
            committedBatches.incrementAndGet();
        } catch (KafkaException e) {
            // CommitFailedException and RebalanceInProgressException among others: the batch is stored.
            log.warn(
                    "Kafka refused the commit of a stored batch from partitions {}; whoever reads them next skips"
                            + " its events",
                    next.keySet(),
                    e);
        }
    }

    /** Goes back to the batch's first offsets, so that the next poll reads it again. */
    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).getFirst().offset());
        }
    }

    private void awaitBackoff() {
        try {
            closeRequested.await(settings.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeRequested.countDown();
        }
    }

    /** Events that this consumer stored and that were not stored before. */
    public long eventsStored() {
        return eventsStored.get();
    }

    /** Messages skipped because they held no event. */
    public long malformedMessages() {
        return malformedMessages.get();
    }

    /** Batches whose write to ClickHouse failed and that were read again. */
    public long failedWrites() {
        return failedWrites.get();
    }

    /** Batches whose offsets were committed. */
    public long committedBatches() {
        return committedBatches.get();
    }

    /**
     * Lets the batch in hand finish, stops the loop and leaves the group. Waits for that at most
     * {@code timeout}.
     *
     * @return whether the loop stopped within {@code timeout}
     */
    public boolean close(Duration timeout) {
        closeRequested.countDown();
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link #close(Duration)} with 30 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
