package dev.beckon.scaleout.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The client settings that the ingestion path's guarantees rest on, and the settings' own checks. */
class EventLogClientSettingsTest {

    private static final KafkaSettings KAFKA = new KafkaSettings("127.0.0.1:9092", "events", Duration.ofSeconds(30));

    @Test
    void theProducerWaitsForEveryInSyncReplicaAndKeepsOrderOnRetries() {
        Map<String, Object> producer = EventLogProducer.properties(KAFKA);

        assertThat(producer)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        assertThat((int) producer.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION))
                .isBetween(1, 5);
    }

    @Test
    void theConsumerCommitsOnlyWhatItStored() {
        Map<String, Object> consumer = EventLogConsumer.properties(KAFKA, EventLogConsumer.Settings.of("beckon"));

        assertThat(consumer)
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000)
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    }

    @Test
    void settingsNameTheFieldThatIsWrong() {
        assertThatThrownBy(() -> new KafkaSettings(" ", "events", Duration.ofSeconds(5)))
                .hasMessageStartingWith("bootstrapServers: ");
        assertThatThrownBy(() -> new KafkaSettings("h:1", "events; rm -rf", Duration.ofSeconds(5)))
                .hasMessageStartingWith("topic: ");
        assertThatThrownBy(() -> new KafkaSettings("h:1", "", Duration.ofSeconds(5)))
                .hasMessageStartingWith("topic: ");
        assertThatThrownBy(() -> new KafkaSettings("h:1", "events", Duration.ofMillis(10)))
                .hasMessageStartingWith("deliveryTimeout: ");
        assertThatThrownBy(() -> new EventLogConsumer.Settings("", 10, Duration.ZERO, Duration.ofSeconds(10)))
                .hasMessageStartingWith("groupId: ");
        assertThatThrownBy(() -> new EventLogConsumer.Settings("g", 0, Duration.ZERO, Duration.ofSeconds(10)))
                .hasMessageStartingWith("maxEventsPerBatch: ");
        assertThatThrownBy(() -> new EventLogConsumer.Settings("g", 10, Duration.ofSeconds(-1), Duration.ofSeconds(10)))
                .hasMessageStartingWith("retryBackoff: ");
        assertThatThrownBy(() -> new EventLogConsumer.Settings("g", 10, Duration.ZERO, Duration.ofMillis(10)))
                .hasMessageStartingWith("sessionTimeout: ");
    }
}
