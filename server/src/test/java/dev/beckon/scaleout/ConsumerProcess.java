package dev.beckon.scaleout;

import dev.beckon.scaleout.clickhouse.ClickHouseEventWriter;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseSettings;
import dev.beckon.scaleout.kafka.EventLogConsumer;
import dev.beckon.scaleout.kafka.KafkaSettings;
import java.net.URI;
import java.time.Duration;

/**
 * An event log consumer in a JVM of its own, for the test that kills it with {@code kill -9}.
 * Arguments: bootstrap servers, topic, consumer group, ClickHouse URL, database, events per batch.
 */
public final class ConsumerProcess {

    private ConsumerProcess() {}

    public static void main(String[] args) {
        var kafka = new KafkaSettings(args[0], args[1], Duration.ofSeconds(20));
        var clickHouse = new ClickHouseHttp(ClickHouseSettings.of(URI.create(args[3]), args[4]));
        var settings = new EventLogConsumer.Settings(
                args[2], Integer.parseInt(args[5]), Duration.ofMillis(200), ScaleOutFixtures.SESSION_TIMEOUT);
        new EventLogConsumer(kafka, settings, new ClickHouseEventWriter(clickHouse)).run();
    }
}
