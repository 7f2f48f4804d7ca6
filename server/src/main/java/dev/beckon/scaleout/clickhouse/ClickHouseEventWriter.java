package dev.beckon.scaleout.clickhouse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores events in ClickHouse's {@code events} table once each, however often they are written.
 *
 * <p>An event is known by its site, device and event id. A write first asks ClickHouse which of
 * the batch's events it holds already, sending the batch's keys as external data (no SQL is made
 * of them), and then inserts the others in one {@code INSERT ... FORMAT JSONEachRow}. The first
 * copy of an event wins, as in the embedded store.
 *
 * <p>Why a check before the insert rather than duplicates collapsed at read time: ClickHouse 18.16
 * has no insert deduplication for tables that are not replicated, and a ReplacingMergeTree only
 * collapses rows when it merges, at a time of its choosing; every query would have to read with
 * {@code FINAL} or group the rows by id. Checking first keeps every plain query exact. It is safe
 * because of how the ingestion log is partitioned: one device's events are in one partition, which
 * one consumer reads at a time, so no other writer can store one of this batch's events between
 * the check and the insert (docs/scale-out.md, "Idempotency").
 *
 * <p>Failure semantics: when the check or the insert fails, the call throws and the caller must
 * write the same events again; an insert that failed half way may have kept some of them, and the
 * next write's check skips those. Not thread-safe for writes of the same devices from two threads.
 */
public final class ClickHouseEventWriter {

    private static final String INSERT = "INSERT INTO events (site_id, id, name, device_id, user_id, session_id,"
            + " properties, version, client_time_ms, server_time_ms, time_ms) FORMAT JSONEachRow";
    private static final String STORED = "SELECT site_id, device_id, id FROM events"
            + " WHERE (site_id, device_id) IN (SELECT site_id, device_id FROM batch)"
            + " AND (site_id, device_id, id) IN (SELECT site_id, device_id, id FROM batch)"
            + " FORMAT JSONEachRow";

    private final ClickHouseHttp clickHouse;

    public ClickHouseEventWriter(ClickHouseHttp clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** What makes an event the same event. */
    record EventKey(String siteId, String deviceId, String id) {

        static EventKey of(Event event) {
            return new EventKey(event.siteId(), event.deviceId(), event.id());
        }
    }

    /**
     * Stores those of {@code events} that the table does not hold yet.
     *
     * @return how many events were new; 0 when every one was stored before
     * @throws ClickHouseException when ClickHouse failed; write the same events again
     */
    public int write(List<Event> events) {
        Map<EventKey, Event> unique = new LinkedHashMap<>();
        for (Event event : events) {
            unique.putIfAbsent(EventKey.of(event), event);
        }
        if (unique.isEmpty()) {
            return 0;
        }

        Set<EventKey> stored = stored(unique.keySet());
        List<Event> fresh = new ArrayList<>(unique.size());
        unique.forEach((key, event) -> {
            if (!stored.contains(key)) {
                fresh.add(event);
            }
        });
        if (!fresh.isEmpty()) {
            clickHouse.insert(INSERT, rows(fresh));
        }
        return fresh.size();
    }

    /** The keys among {@code keys} whose events the table holds. */
    private Set<EventKey> stored(Set<EventKey> keys) {
        var out = new ByteArrayOutputStream(keys.size() * 64);
        try (JsonGenerator json = Json.mapper().createGenerator(out)) {
            json.setRootValueSeparator(null);
            for (EventKey key : keys) {
                json.writeStartObject();
                json.writeStringField("site_id", key.siteId());
                json.writeStringField("device_id", key.deviceId());
                json.writeStringField("id", key.id());
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var batch = new ClickHouseHttp.ExternalTable(
                "batch", "site_id String, device_id String, id String", "JSONEachRow", out.toByteArray());

        Set<EventKey> stored = new HashSet<>();
        for (String line : clickHouse.queryWith(STORED, batch).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode row = Json.mapper().readTree(line);
                stored.add(new EventKey(
                        row.get("site_id").asText(),
                        row.get("device_id").asText(),
                        row.get("id").asText()));
            } catch (IOException | RuntimeException e) {
                throw new ClickHouseException("ClickHouse answered a row that is not the one asked for: " + line, e);
            }
        }
        return stored;
    }

    /** The events as rows of JSONEachRow, the properties as the JSON text of an object. */
    static byte[] rows(List<Event> events) {
        var out = new ByteArrayOutputStream(events.size() * 512);
        try (JsonGenerator json = Json.mapper().createGenerator(out)) {
            json.setRootValueSeparator(null);
            for (Event event : events) {
                json.writeStartObject();
                json.writeStringField("site_id", event.siteId());
                json.writeStringField("id", event.id());
                json.writeStringField("name", event.name());
                json.writeStringField("device_id", event.deviceId());
                json.writeStringField("user_id", event.userId());
                json.writeStringField("session_id", event.sessionId());
                json.writeStringField("properties", Json.mapper().writeValueAsString(event.properties()));
                json.writeStringField("version", event.version());
                json.writeNumberField("client_time_ms", event.clientTime().toEpochMilli());
                json.writeNumberField("server_time_ms", event.serverTime().toEpochMilli());
                json.writeNumberField("time_ms", event.time().toEpochMilli());
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
