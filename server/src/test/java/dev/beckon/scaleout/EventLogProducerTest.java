package dev.beckon.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.event.Event;
import dev.beckon.scaleout.kafka.EventLogProducer;
import dev.beckon.scaleout.kafka.EventMessages;
import dev.beckon.scaleout.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ScaleOutEngines.class)
class EventLogProducerTest {

    @Test
    void publishCompletesWhenTheBrokerHoldsEveryEvent() throws Exception {
        String topic = ScaleOutFixtures.topic(3, Map.of());
        List<Event> events = ScaleOutFixtures.events("shop", 20, 15);

        try (var producer = new EventLogProducer(ScaleOutFixtures.kafka(topic))) {
            producer.publish(events).get(30, TimeUnit.SECONDS);
        }

        // Read by a consumer of its own, after the producer is gone: what the broker holds.
        List<ConsumerRecord<String, byte[]>> log = readAll(topic, events.size());
        assertThat(log).extracting(r -> EventMessages.event(r.value())).containsExactlyInAnyOrderElementsOf(events);
        assertThat(log)
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(EventMessages.key(EventMessages.event(r.value()))));
    }

    @Test
    void oneDevicesEventsStayInOrderInOnePartition() throws Exception {
        String topic = ScaleOutFixtures.topic(6, Map.of());
        List<Event> events = ScaleOutFixtures.events("shop", 40, 50);

        // Ten batches in flight at once, from one producer, as concurrent requests would send them.
        try (var producer = new EventLogProducer(ScaleOutFixtures.kafka(topic))) {
            List<CompletableFuture<Void>> published = new ArrayList<>();
            for (int from = 0; from < events.size(); from += 200) {
                published.add(producer.publish(events.subList(from, from + 200)));
            }
            CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        Map<String, Set<Integer>> partitionsOfDevice = new HashMap<>();
        Map<String, List<String>> idsOfDevice = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : readAll(topic, events.size())) {
            Event event = EventMessages.event(record.value());
            partitionsOfDevice
                    .computeIfAbsent(event.deviceId(), d -> new HashSet<>())
                    .add(record.partition());
            idsOfDevice
                    .computeIfAbsent(event.deviceId(), d -> new ArrayList<>())
                    .add(event.id());
        }
        assertThat(partitionsOfDevice)
                .hasSize(40)
                .allSatisfy((device, partitions) -> assertThat(partitions).hasSize(1));
        assertThat(partitionsOfDevice.values().stream()
                        .flatMap(Set::stream)
                        .distinct()
                        .count())
                .as("partitions used")
                .isGreaterThan(3);
        idsOfDevice.forEach((device, ids) -> assertThat(ids)
                .as(device)
                .containsExactlyElementsOf(events.stream()
                        .filter(e -> e.deviceId().equals(device))
                        .map(Event::id)
                        .toList()));
    }

    @Test
    void publishDoesNotCompleteWhileTheBrokerCannotAnswer() throws Exception {
        String topic = ScaleOutFixtures.topic(2, Map.of());
        List<Event> events = ScaleOutFixtures.events("shop", 4, 5);
        KafkaBroker broker = ScaleOutEngines.kafka();

        try (var producer = new EventLogProducer(ScaleOutFixtures.kafka(topic))) {
            producer.publish(events.subList(0, 4)).get(30, TimeUnit.SECONDS);
            CompletableFuture<Void> published;
            broker.pause();
            try {
                published = producer.publish(events.subList(4, events.size()));
                Thread.sleep(1_500);

                assertThat(published).as("acknowledged by a frozen broker").isNotDone();
            } finally {
                broker.resume();
            }
            published.get(30, TimeUnit.SECONDS);
        }

        assertThat(readAll(topic, events.size()))
                .extracting(r -> EventMessages.event(r.value()))
                .containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void publishFailsWhenNoBrokerAnswers() throws Exception {
        String nobody = "127.0.0.1:" + EngineProcess.freePort();
        var settings = new KafkaSettings(nobody, "events", Duration.ofSeconds(1));

        try (var producer = new EventLogProducer(settings)) {
            CompletableFuture<Void> published = producer.publish(ScaleOutFixtures.events("shop", 1, 3));

            assertThatThrownBy(() -> published.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    /** Every message of the topic, once {@code expected} have been read or 10 s have passed. */
    static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Map<String, Object> properties = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ScaleOutEngines.kafka().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (expected > 0 && records.size() >= expected) {
                    break;
                }
                if (expected == 0
                        && consumer.endOffsets(partitions).values().stream().allMatch(o -> o == 0)) {
                    break;
                }
            }
        }
        return records;
    }
}
