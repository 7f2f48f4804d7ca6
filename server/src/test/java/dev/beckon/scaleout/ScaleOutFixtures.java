package dev.beckon.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseSchema;
import dev.beckon.scaleout.clickhouse.ClickHouseSettings;
import dev.beckon.scaleout.kafka.EventLogConsumer;
import dev.beckon.scaleout.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Events, topics, databases and reads for the scale-out tests. */
final class ScaleOutFixtures {

    static final Instant T0 = Instant.parse("2026-11-30T23:59:58.250Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T09:00:00Z"), ZoneOffset.UTC);

    /** Short, so that a killed consumer's partitions move soon; the test broker allows it. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

    private ScaleOutFixtures() {}

    /** Event {@code n} of a device: a second after its previous one, with its number in a property. */
    static Event event(String siteId, String deviceId, int n) {
        ObjectNode properties = Json.mapper().createObjectNode().put("n", n).put("page", "/p/" + n);
        Instant time = T0.plusSeconds(n);
        return new Event(
                siteId,
                "ev-" + deviceId + "-" + n,
                "product_viewed",
                deviceId,
                n % 3 == 0 ? null : "user-" + deviceId,
                "session-" + deviceId,
                properties,
                "1.0.0",
                time.minusMillis(7),
                time.plusMillis(40),
                time);
    }

    /** {@code perDevice} events of each of {@code devices} devices, the devices taking turns. */
    static List<Event> events(String siteId, int devices, int perDevice) {
        List<Event> events = new ArrayList<>(devices * perDevice);
        for (int n = 0; n < perDevice; n++) {
            for (int d = 0; d < devices; d++) {
                events.add(event(siteId, "device-" + d, n));
            }
        }
        return events;
    }

    static KafkaSettings kafka(String topic) {
        return new KafkaSettings(ScaleOutEngines.kafka().bootstrapServers(), topic, Duration.ofSeconds(20));
    }

    static EventLogConsumer.Settings consumerSettings(String group, int maxEventsPerBatch) {
        return new EventLogConsumer.Settings(group, maxEventsPerBatch, Duration.ofMillis(200), SESSION_TIMEOUT);
    }

    /**
     * A new topic of the ingestion log, with these partitions, once every partition's leader
     * serves it: a producer whose first batches meet a partition still being created can be stuck
     * retrying them with OUT_OF_ORDER_SEQUENCE_NUMBER until they expire (seen with Kafka 4.4.0).
     */
    static String topic(int partitions, Map<String, String> configs) {
        String topic = ScaleOutEngines.uniqueName("events");
        try (Admin admin = ScaleOutEngines.kafka().admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            await(Duration.ofSeconds(20), "the leaders of " + topic, () -> {
                try {
                    admin.listOffsets(ends).all().get(5, TimeUnit.SECONDS);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("creating topic " + topic + " failed", e);
        }
        return topic;
    }

    static ClickHouseHttp clickHouse(String database) {
        return new ClickHouseHttp(
                ClickHouseSettings.of(ScaleOutEngines.clickHouse().url(), database));
    }

    /** A new database at the newest schema version. */
    static ClickHouseHttp migratedDatabase() {
        ClickHouseHttp clickHouse = clickHouse(ScaleOutEngines.uniqueName("beckon"));
        ClickHouseSchema.migrate(clickHouse, CLOCK);
        return clickHouse;
    }

    /** Every row of the events table, read back as events. */
    static List<Event> stored(ClickHouseHttp clickHouse) {
        String rows = clickHouse.query("SELECT site_id, id, name, device_id, user_id, session_id, properties, version,"
                + " client_time_ms, server_time_ms, time_ms FROM events ORDER BY site_id, device_id, time_ms, id"
                + " FORMAT JSONEachRow");
        List<Event> events = new ArrayList<>();
        for (String line : rows.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode row = Json.mapper().readTree(line);
                events.add(new Event(
                        row.get("site_id").asText(),
                        row.get("id").asText(),
                        row.get("name").asText(),
                        row.get("device_id").asText(),
                        row.get("user_id").isNull() ? null : row.get("user_id").asText(),
                        row.get("session_id").asText(),
                        (ObjectNode)
                                Json.mapper().readTree(row.get("properties").asText()),
                        row.get("version").asText(),
                        Instant.ofEpochMilli(row.get("client_time_ms").asLong()),
                        Instant.ofEpochMilli(row.get("server_time_ms").asLong()),
                        Instant.ofEpochMilli(row.get("time_ms").asLong())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    /** How many rows the events table holds. */
    static long rowCount(ClickHouseHttp clickHouse) {
        return Long.parseLong(clickHouse
                .query("SELECT count() FROM events FORMAT TabSeparated")
                .strip());
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            EngineProcess.sleep(50);
        }
    }
}
