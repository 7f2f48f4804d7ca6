package dev.beckon.scaleout.kafka;

import static java.util.Map.entry;

import dev.beckon.event.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes accepted events to the ingestion log, so that ingestion can answer a batch once Kafka
 * holds it.
 *
 * <p>Each event is one message, keyed by site and device ({@link EventMessages#key}): Kafka's
 * partitioner puts one key in one partition, and an idempotent producer keeps the messages of one
 * partition in the order they were sent, retries included. So one device's events stay in order.
 *
 * <p>Failure semantics: {@link #publish} completes only when the partition leader has written
 * every event of the batch and every in-sync replica has it ({@code acks=all}). It fails when any
 * event could not be delivered within {@link KafkaSettings#deliveryTimeout()}; the others of the
 * batch may be in the log all the same, so the caller must treat the batch as not accepted and
 * the client retries it: the consumer stores an event once however often the log holds it. How
 * many replicas that is depends on the topic: with {@code min.insync.replicas=2} and three
 * replicas, an acknowledged event survives the loss of one broker (docs/scale-out.md). The
 * producer holds unsent events in memory only; a node that dies before the acknowledgement has
 * not answered, and the client still has the batch.
 *
 * <p>Thread-safe: one producer serves every ingestion request of a node.
 */
public final class EventLogProducer implements AutoCloseable {

    /** Long enough to gather the events of concurrent requests into one produce request. */
    private static final Duration LINGER = Duration.ofMillis(5);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration closeTimeout;

    public EventLogProducer(KafkaSettings settings) {
        this.topic = settings.topic();
        this.closeTimeout = settings.deliveryTimeout();
        this.producer = new KafkaProducer<>(properties(settings), new StringSerializer(), new ByteArraySerializer());
    }

    static Map<String, Object> properties(KafkaSettings settings) {
        long deliveryMs = settings.deliveryTimeout().toMillis();
        long requestMs = Math.min(Duration.ofSeconds(15).toMillis(), deliveryMs - LINGER.toMillis());
        return Map.ofEntries(
                entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()),
                entry(ProducerConfig.CLIENT_ID_CONFIG, "beckon-ingest"),
                entry(ProducerConfig.ACKS_CONFIG, "all"),
                entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                // At most 5 requests in flight: what an idempotent producer needs to keep order on retries.
                entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                entry(ProducerConfig.LINGER_MS_CONFIG, (int) LINGER.toMillis()),
                entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMs),
                entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestMs),
                // send() waits for the topic's metadata; that wait counts against the same budget.
                entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryMs));
    }

    /**
     * Publishes {@code events} in their order.
     *
     * @return a future that completes when Kafka has acknowledged every event, and completes
     *     exceptionally, with one of the failures as its cause, when any event was not
     *     acknowledged
     */
    public CompletableFuture<Void> publish(List<Event> events) {
        CompletableFuture<?>[] sent = new CompletableFuture<?>[events.size()];
        RuntimeException refused = null;
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            var acknowledged = new CompletableFuture<Void>();
            sent[i] = acknowledged;
            if (refused != null) {
                // The rest of the batch is not sent, so that no later event of a device goes ahead of it.
                acknowledged.completeExceptionally(refused);
                continue;
            }
            try {
                // The callback completes the future that the caller holds; send's own is not needed.
                Future<RecordMetadata> unused = producer.send(
                        new ProducerRecord<>(topic, EventMessages.key(event), EventMessages.value(event)),
                        (metadata, failure) -> {
                            if (failure == null) {
                                acknowledged.complete(null);
                            } else {
                                acknowledged.completeExceptionally(failure);
                            }
                        });
            } catch (RuntimeException e) {
                // A full buffer, metadata that did not come in time, or a closed producer.
                refused = e;
                acknowledged.completeExceptionally(e);
            }
        }
        return CompletableFuture.allOf(sent);
    }

    /** Sends what is buffered, waits for it up to the delivery timeout, and releases the producer. */
    @Override
    public void close() {
        producer.close(closeTimeout);
    }
}
