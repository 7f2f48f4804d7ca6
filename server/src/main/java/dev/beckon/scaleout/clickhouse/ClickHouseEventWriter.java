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
 * the batch's events it holds already, and then inserts the others in one {@code INSERT ... FORMAT
 * JSONEachRow}. The check names the batch's devices and events as escaped string literals, so that
 * ClickHouse reads only the devices' part of the primary key's index, in chunks that keep each
 * check's text below {@code max_query_size}; the rows go as JSON. The first copy of an event wins,
 * as in the embedded store.
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
 * next write's check skips those. Threads may share a writer, but two must not write events of the
 * same device at once: the check and the insert are two statements.
 */
public final class ClickHouseEventWriter {

    private static final String INSERT = "INSERT INTO events (site_id, id, name, device_id, user_id, session_id,"
            + " properties, version, client_time_ms, server_time_ms, time_ms) FORMAT JSONEachRow";
    /**
     * The largest text of one check, in UTF-8 bytes: below ClickHouse's default max_query_size of
     * 256 KiB, with room for the device and the event that pass it and for the rest of the statement.
     */
    static final int MAX_CHECK_BYTES = 200_000;

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
        Map<List<String>, List<EventKey>> byDevice = new LinkedHashMap<>();
        for (EventKey key : keys) {
            byDevice.computeIfAbsent(List.of(key.siteId(), key.deviceId()), d -> new ArrayList<>())
                    .add(key);
        }

        // Checks of at most MAX_CHECK_BYTES each, so that none passes max_query_size; a chunk lists
        // the devices of its events.
        Set<EventKey> stored = new HashSet<>();
        var devices = new StringBuilder();
        var events = new StringBuilder();
        long bytes = 0;
        for (var device : byDevice.entrySet()) {
            String deviceTuple = tuple(device.getKey().get(0), device.getKey().get(1));
            boolean listed = false;
            for (EventKey key : device.getValue()) {
                if (!listed) {
                    bytes += append(devices, deviceTuple);
                    listed = true;
                }
                bytes += append(events, tuple(key.siteId(), key.deviceId(), key.id()));
                if (bytes >= MAX_CHECK_BYTES) {
                    stored.addAll(storedOf(devices, events));
                    devices.setLength(0);
                    events.setLength(0);
                    bytes = 0;
                    listed = false;
                }
            }
        }
        if (!events.isEmpty()) {
            stored.addAll(storedOf(devices, events));
        }
        return stored;
    }

    /**
     * The stored events among those that {@code events} lists, of the devices that {@code devices}
     * lists. Both are lists of literals: ClickHouse 18.16 reads the primary key's index for a list
     * of constants, not for a subquery, and the devices are the key's prefix after the site.
     */
    private Set<EventKey> storedOf(CharSequence devices, CharSequence events) {
        String query = "SELECT site_id, device_id, id FROM events WHERE (site_id, device_id) IN (" + devices + ")"
                + " AND (site_id, device_id, id) IN (" + events + ") FORMAT JSONEachRow";
        Set<EventKey> stored = new HashSet<>();
        for (String line : clickHouse.query(query).lines().toList()) {
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

    /** A tuple of string literals. */
    private static String tuple(String... texts) {
        var tuple = new StringBuilder("(");
        for (String text : texts) {
            tuple.append(tuple.length() > 1 ? "," : "").append(literal(text));
        }
        return tuple.append(')').toString();
    }

    /** Appends a tuple to a comma-separated list, and returns how many UTF-8 bytes that added. */
    private static long append(StringBuilder list, String tuple) {
        if (!list.isEmpty()) {
            list.append(',');
        }
        list.append(tuple);
        return utf8Length(tuple) + 1;
    }

    /** The text's length in UTF-8, which is what max_query_size counts. */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // A surrogate is half of a four-byte character.
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /**
     * A ClickHouse string literal of any text: the backslash escapes that every release reads, so
     * that no quote, backslash or control character can end the literal or reach the parser.
     */
    static String literal(String text) {
        var out = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('\'').toString();
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
