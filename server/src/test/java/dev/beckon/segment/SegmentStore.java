package dev.beckon.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbEventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A real store of events with the segment engine on it, for tests of segments: a DuckDB file, or
 * ClickHouse ({@link SegmentEngine}). Events go in the way ingestion writes them ({@link
 * DuckDbEventStore#append}, which keeps the identity links as in production, or the ClickHouse event
 * writer); the imported cohorts are in the DuckDB file either way.
 */
final class SegmentStore implements AutoCloseable {

    private final DuckDbDatabase database;
    private final SegmentEvaluator evaluator;
    private final Consumer<List<Event>> writer;
    private final Runnable closeEvents;
    private final AtomicLong eventIds = new AtomicLong();

    /** The DuckDB file in {@code dataDir}, with the events in it. */
    SegmentStore(Path dataDir) {
        this(SegmentEngine.DUCKDB.open(dataDir));
    }

    private SegmentStore(SegmentStore other) {
        this(other.database, other.evaluator, other.writer, other.closeEvents);
    }

    /**
     * @param database the metadata (cohorts, segments), and for DuckDB the events too
     * @param writer stores a batch of events
     * @param closeEvents releases the events' store, before the database is closed
     */
    SegmentStore(
            DuckDbDatabase database, SegmentEvaluator evaluator, Consumer<List<Event>> writer, Runnable closeEvents) {
        this.database = database;
        this.evaluator = evaluator;
        this.writer = writer;
        this.closeEvents = closeEvents;
    }

    DuckDbDatabase database() {
        return database;
    }

    SegmentEvaluator evaluator() {
        return evaluator;
    }

    /**
     * Stores events given in the vectors' JSON form: {@code name}, {@code time} (ISO-8601), and
     * optional {@code userId}, {@code deviceId} (default {@code d-test}), {@code sessionId} (default
     * {@code s-<deviceId>}), {@code properties} and {@code receivedAt} (the server time, default the
     * event time).
     */
    void append(String siteId, JsonNode eventsJson) {
        List<Event> batch = new ArrayList<>();
        for (JsonNode json : eventsJson) {
            batch.add(event(siteId, json));
        }
        writer.accept(batch);
    }

    /** Stores one event of {@code deviceId}, anonymous when {@code userId} is null. */
    void append(String siteId, String name, Instant time, String userId, String deviceId, ObjectNode properties) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("name", name).put("time", time.toString()).put("deviceId", deviceId);
        json.put("userId", userId).set("properties", properties);
        writer.accept(List.of(event(siteId, json)));
    }

    /** Adds custom user ids to an imported cohort of the site. */
    void addToCohort(String siteId, String cohort, List<String> userIds) {
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO cohort_members VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (String userId : userIds) {
                insert.setString(1, siteId);
                insert.setString(2, cohort);
                insert.setString(3, userId);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys of the people the condition holds for, in key order. */
    List<String> members(String siteId, JsonNode condition, Instant now, ZoneId zone) {
        return evaluator.members(siteId, ConditionParser.parse(condition), now, zone, 10_000, 0).stream()
                .map(Person::key)
                .toList();
    }

    private Event event(String siteId, JsonNode json) {
        Instant time = Instant.parse(json.get("time").asText());
        Instant receivedAt =
                json.has("receivedAt") ? Instant.parse(json.get("receivedAt").asText()) : time;
        String deviceId = json.path("deviceId").asText("d-test");
        JsonNode userId = json.get("userId");
        ObjectNode properties = json.has("properties")
                ? (ObjectNode) json.get("properties")
                : Json.mapper().createObjectNode();
        return new Event(
                siteId,
                "e%09d".formatted(eventIds.incrementAndGet()),
                json.get("name").asText(),
                deviceId,
                userId == null || userId.isNull() ? null : userId.asText(),
                json.path("sessionId").asText("s-" + deviceId),
                properties,
                "1.0.0",
                time,
                receivedAt,
                time);
    }

    @Override
    public void close() {
        try {
            closeEvents.run();
        } finally {
            database.close();
        }
    }
}
