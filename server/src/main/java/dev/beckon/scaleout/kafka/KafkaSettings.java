package dev.beckon.scaleout.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the ingestion log is.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}: {@code host:port} pairs, comma
 *     separated
 * @param topic the topic that holds the accepted events
 * @param deliveryTimeout how long publishing a batch may take at most, retries included, before it
 *     fails; ingestion waits this long for Kafka's acknowledgement
 */
public record KafkaSettings(String bootstrapServers, String topic, Duration deliveryTimeout) {

    /** The producer's retries happen within this; Kafka wants it at least as long as one request. */
    static final Duration MIN_DELIVERY_TIMEOUT = Duration.ofSeconds(1);

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers: must name at least one host:port");
        }
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException(
                    "topic: '" + topic + "' must be 1 to 249 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        if (deliveryTimeout.compareTo(MIN_DELIVERY_TIMEOUT) < 0) {
            throw new IllegalArgumentException("deliveryTimeout: must be at least " + MIN_DELIVERY_TIMEOUT.toSeconds()
                    + " s, not " + deliveryTimeout);
        }
    }
}
