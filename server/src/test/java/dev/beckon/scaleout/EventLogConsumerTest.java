package dev.beckon.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.event.Event;
import dev.beckon.scaleout.clickhouse.ClickHouseEventWriter;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseSchema;
import dev.beckon.scaleout.kafka.EventLogConsumer;
import dev.beckon.scaleout.kafka.EventLogProducer;
import dev.beckon.scaleout.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ScaleOutEngines.class)
class EventLogConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void publishedEventsAreStoredInClickHouseAndTheirOffsetsCommitted() throws Exception {
        String topic = ScaleOutFixtures.topic(4, Map.of());
        String group = ScaleOutEngines.uniqueName("group");
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        List<Event> events = ScaleOutFixtures.events("shop", 25, 20);
        publish(topic, events);

        try (var consumer = start(topic, group, clickHouse, 100)) {
            awaitCommittedToTheEnd(topic, group);

            assertThat(consumer.eventsStored()).isEqualTo(events.size());
            assertThat(consumer.committedBatches()).isGreaterThanOrEqualTo(events.size() / 100);
        }
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void eventsStoredByAConsumerThatDiedBeforeItsCommitAreStoredOnce() throws Exception {
        String topic = ScaleOutFixtures.topic(4, Map.of());
        String group = ScaleOutEngines.uniqueName("group");
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        List<Event> events = ScaleOutFixtures.events("shop", 10, 30);
        publish(topic, events);
        // What a consumer that died leaves: all of one batch stored, half of the next, nothing committed.
        new ClickHouseEventWriter(clickHouse).write(events.subList(0, 100));
        new ClickHouseEventWriter(clickHouse)
                .write(events.subList(100, 300).stream()
                        .filter(e -> e.id().hashCode() % 2 == 0)
                        .toList());
        long before = ScaleOutFixtures.rowCount(clickHouse);

        try (var consumer = start(topic, group, clickHouse, 50)) {
            awaitCommittedToTheEnd(topic, group);

            assertThat(consumer.eventsStored()).isEqualTo(events.size() - before);
        }
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void aBatchThatAClientSentTwiceIsStoredOnceWithItsFirstCopy() throws Exception {
        String topic = ScaleOutFixtures.topic(2, Map.of());
        String group = ScaleOutEngines.uniqueName("group");
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        List<Event> first = ScaleOutFixtures.events("shop", 5, 4);
        List<Event> retry = first.stream()
                .map(e -> new Event(
                        e.siteId(),
                        e.id(),
                        e.name(),
                        e.deviceId(),
                        e.userId(),
                        e.sessionId(),
                        e.properties(),
                        e.version(),
                        e.clientTime(),
                        e.serverTime().plusSeconds(5),
                        e.time()))
                .toList();
        publish(topic, first);
        publish(topic, retry);

        try (var consumer = start(topic, group, clickHouse, 7)) {
            awaitCommittedToTheEnd(topic, group);
        }
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(first);
    }

    @Test
    void offsetsStayUncommittedUntilClickHouseHasTheEvents() throws Exception {
        String topic = ScaleOutFixtures.topic(2, Map.of());
        String group = ScaleOutEngines.uniqueName("group");
        // A database without the events table: every write fails until the schema is there.
        ClickHouseHttp clickHouse = ScaleOutFixtures.clickHouse(ScaleOutEngines.uniqueName("beckon"));
        clickHouse.executeOnServer("CREATE DATABASE " + clickHouse.settings().database());
        List<Event> events = ScaleOutFixtures.events("shop", 8, 10);
        publish(topic, events);

        try (var consumer = start(topic, group, clickHouse, 30)) {
            ScaleOutFixtures.await(WAIT, "a failed write", () -> consumer.failedWrites() >= 2);
            assertThat(committed(topic, group)).isEmpty();

            ClickHouseSchema.migrate(clickHouse, ScaleOutFixtures.CLOCK);
            awaitCommittedToTheEnd(topic, group);

            assertThat(consumer.eventsStored()).isEqualTo(events.size());
        }
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void aMessageThatHoldsNoEventIsSkippedAndTheEventsAroundItStored() throws Exception {
        String topic = ScaleOutFixtures.topic(1, Map.of());
        String group = ScaleOutEngines.uniqueName("group");
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        List<Event> events = ScaleOutFixtures.events("shop", 3, 4);
        publish(topic, events.subList(0, 6));
        Map<String, Object> raw = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ScaleOutEngines.kafka().bootstrapServers());
        try (var producer = new KafkaProducer<>(raw, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>(topic, "{\"siteId\":\"shop\"}".getBytes(StandardCharsets.UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>(topic, null)).get();
        }
        publish(topic, events.subList(6, 12));

        try (var consumer = start(topic, group, clickHouse, 100)) {
            awaitCommittedToTheEnd(topic, group);

            assertThat(consumer.malformedMessages()).isEqualTo(3);
        }
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void twoConsumersOfOneGroupShareThePartitionsAndStoreEachEventOnce() throws Exception {
        String topic = ScaleOutFixtures.topic(4, Map.of());
        String group = ScaleOutEngines.uniqueName("group");
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        List<Event> events = ScaleOutFixtures.events("shop", 40, 60);
        publish(topic, events.subList(0, 800));

        try (var first = start(topic, group, clickHouse, 100)) {
            ScaleOutFixtures.await(WAIT, "the first consumer's first batch", () -> first.eventsStored() > 0);
            try (var second = start(topic, group, clickHouse, 100)) {
                // Publish in small steps until the group has given the second consumer partitions.
                int published = 800;
                while (published < events.size() && second.eventsStored() == 0) {
                    publish(topic, events.subList(published, published + 80));
                    published += 80;
                }
                publish(topic, events.subList(published, events.size()));
                awaitCommittedToTheEnd(topic, group);

                assertThat(second.eventsStored())
                        .as("events the second consumer stored")
                        .isPositive();
                assertThat(first.eventsStored() + second.eventsStored()).isEqualTo(events.size());
            }
        }
        assertThat(ScaleOutFixtures.rowCount(clickHouse)).isEqualTo(events.size());
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void aConsumerKilledMidBatchAndAnotherStartedStoreEveryEventOnce(@TempDir Path folder) throws Exception {
        String topic = ScaleOutFixtures.topic(4, Map.of());
        String group = ScaleOutEngines.uniqueName("group");
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        List<Event> events = ScaleOutFixtures.events("shop", 60, 60);
        publish(topic, events);

        // A consumer in a JVM of its own, killed with kill -9 once its first batches are in ClickHouse.
        Path log = folder.resolve("consumer.log");
        Process child = EngineProcess.start(
                EngineProcess.java(
                        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                        ConsumerProcess.class.getName(),
                        ScaleOutEngines.kafka().bootstrapServers(),
                        topic,
                        group,
                        ScaleOutEngines.clickHouse().url().toString(),
                        clickHouse.settings().database(),
                        "150"),
                log);
        try {
            ScaleOutFixtures.await(WAIT, "the child's first stored events\n" + EngineProcess.tail(log), () -> {
                assertThat(child.isAlive())
                        .as("the consumer process is running")
                        .isTrue();
                return ScaleOutFixtures.rowCount(clickHouse) > 0;
            });
        } finally {
            EngineProcess.kill(child);
        }
        long storedAtKill = ScaleOutFixtures.rowCount(clickHouse);
        long committedAtKill = committed(topic, group).values().stream()
                .mapToLong(OffsetAndMetadata::offset)
                .sum();

        try (var consumer = start(topic, group, clickHouse, 150)) {
            awaitCommittedToTheEnd(topic, group);
        }

        assertThat(storedAtKill)
                .as("events stored when the consumer was killed")
                .isLessThan(events.size());
        assertThat(committedAtKill).as("offsets committed when it was killed").isLessThanOrEqualTo(storedAtKill);
        assertThat(ScaleOutFixtures.rowCount(clickHouse)).isEqualTo(events.size());
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(events);
    }

    // Helpers

    private static void publish(String topic, List<Event> events) throws Exception {
        try (var producer = new EventLogProducer(ScaleOutFixtures.kafka(topic))) {
            producer.publish(events).get(30, TimeUnit.SECONDS);
        }
    }

    /** A consumer running on a thread of its own; closing it stops the thread. */
    private static EventLogConsumer start(String topic, String group, ClickHouseHttp clickHouse, int batch) {
        KafkaSettings kafka = ScaleOutFixtures.kafka(topic);
        var consumer = new EventLogConsumer(
                kafka, ScaleOutFixtures.consumerSettings(group, batch), new ClickHouseEventWriter(clickHouse));
        Thread.ofPlatform().name("test-consumer-" + group).daemon().start(consumer);
        return consumer;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(String topic, String group) throws Exception {
        try (Admin admin = ScaleOutEngines.kafka().admin()) {
            return admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS)
                    .entrySet()
                    .stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }
    }

    /** Waits until the group's committed offsets are the topic's end offsets: every message consumed. */
    private static void awaitCommittedToTheEnd(String topic, String group) throws Exception {
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        try (Admin admin = ScaleOutEngines.kafka().admin()) {
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            var latest = admin.listOffsets(
                            partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            latest.forEach((partition, info) -> ends.put(partition, info.offset()));
        }
        ScaleOutFixtures.await(WAIT, "offsets committed up to " + ends, () -> {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = committed(topic, group);
                return ends.entrySet().stream()
                        .allMatch(end -> end.getValue() == 0
                                || committed.containsKey(end.getKey())
                                        && committed.get(end.getKey()).offset() == end.getValue());
            } catch (Exception e) {
                return false;
            }
        });
    }
}
