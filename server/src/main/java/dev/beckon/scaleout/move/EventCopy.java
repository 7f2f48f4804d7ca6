package dev.beckon.scaleout.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.scaleout.clickhouse.ClickHouseEventWriter;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies the embedded store's events into ClickHouse's {@code events} table, a site at a time and a
 * batch at a time, through {@link ClickHouseEventWriter}, which stores each event once however
 * often it is written.
 *
 * <p>Memory stays the same whatever the number of events: the store streams the site's events in
 * the order of device and event id (so that a batch names few devices, which is what the writer's
 * check reads), and one batch of {@link #EVENTS_PER_BATCH} is held at a time.
 *
 * <p>Resuming: a site whose events ClickHouse holds all of (as many as the store) is skipped; the
 * others are written whole again, and the writer skips what an interrupted run stored. A site of
 * which ClickHouse holds more events than the store, or a site the store does not have, is another
 * installation's data, and refused before anything is written.
 *
 * <p>Times go to ClickHouse in whole milliseconds, which is what its columns hold; the store may
 * hold a server time to the microsecond.
 */
final class EventCopy {

    static final int EVENTS_PER_BATCH = 10_000;

    private static final String SELECT = "SELECT site_id, id, name, device_id, user_id, session_id, properties,"
            + " version, client_time, server_time, time FROM events WHERE site_id = ? ORDER BY device_id, id";

    /** Told of each batch once ClickHouse has it. */
    @FunctionalInterface
    interface Progress {
        void written(String siteId, long eventsCopied, long eventsTotal);
    }

    private final EmbeddedSource source;
    private final ClickHouseHttp clickHouse;
    private final ClickHouseEventWriter writer;

    EventCopy(EmbeddedSource source, ClickHouseHttp clickHouse) {
        this.source = source;
        this.clickHouse = clickHouse;
        this.writer = new ClickHouseEventWriter(clickHouse);
    }

    /** How many events the store holds, by site, in site order. */
    Map<String, Long> sourceCounts() {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = source.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT site_id, count(*) FROM events GROUP BY site_id")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            throw new MoveException("counting the embedded store's events failed: " + e.getMessage(), e);
        }
        return counts;
    }

    /** How many rows ClickHouse's events table holds, by site; a row stored twice counts twice. */
    Map<String, Long> targetCounts() {
        Map<String, Long> counts = new TreeMap<>();
        String answer = clickHouse.query(
                "SELECT site_id, toString(count()) AS events FROM events GROUP BY site_id FORMAT JSONEachRow");
        for (String line : answer.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode row = Json.mapper().readTree(line);
                counts.put(
                        row.get("site_id").asText(),
                        Long.parseLong(row.get("events").asText()));
            } catch (IOException | RuntimeException e) {
                throw new MoveException("ClickHouse answered a count that cannot be read: " + line, e);
            }
        }
        return counts;
    }

    /**
     * Refuses a ClickHouse database that holds events the store does not have.
     *
     * @throws MoveException naming the site and both counts
     */
    void requireNoOtherData(Map<String, Long> here, Map<String, Long> there) {
        there.forEach((site, count) -> {
            long mine = here.getOrDefault(site, 0L);
            if (count > mine) {
                throw new MoveException("ClickHouse's database "
                        + clickHouse.settings().database() + " already holds"
                        + " other data: " + count + " events of site '" + site + "', and the embedded store has "
                        + mine + ". The move writes into an empty database, or into one that an earlier move of"
                        + " this same store filled; give BECKON_CLICKHOUSE_DATABASE a new name");
            }
        });
    }

    /**
     * Writes every site's events that ClickHouse does not hold all of.
     *
     * @return how many events ClickHouse did not hold before
     */
    long copy(Map<String, Long> here, Map<String, Long> there, Progress progress) {
        long total = here.values().stream().mapToLong(Long::longValue).sum();
        long copied = 0;
        long added = 0;
        for (var site : here.entrySet()) {
            if (there.getOrDefault(site.getKey(), 0L).equals(site.getValue())) {
                copied += site.getValue();
                progress.written(site.getKey(), copied, total);
                continue;
            }
            long[] counts = copySite(site.getKey(), copied, total, progress);
            copied += counts[0];
            added += counts[1];
        }
        return added;
    }

    /** Returns the site's events read, and those that were new to ClickHouse. */
    private long[] copySite(String siteId, long copiedBefore, long total, Progress progress) {
        long read = 0;
        long added = 0;
        List<Event> batch = new ArrayList<>(EVENTS_PER_BATCH);
        try (Connection connection = source.connect();
                PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, siteId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    batch.add(event(rows));
                    if (batch.size() == EVENTS_PER_BATCH) {
                        added += writer.write(batch);
                        read += batch.size();
                        batch.clear();
                        progress.written(siteId, copiedBefore + read, total);
                    }
                }
            }
        } catch (SQLException e) {
            throw new MoveException("reading the events of site '" + siteId + "' failed: " + e.getMessage(), e);
        }
        if (!batch.isEmpty()) {
            added += writer.write(batch);
            read += batch.size();
            progress.written(siteId, copiedBefore + read, total);
        }
        return new long[] {read, added};
    }

    private static Event event(ResultSet rows) throws SQLException {
        String properties = rows.getString(7);
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(properties);
        } catch (IOException e) {
            throw new MoveException(
                    "the properties of event '" + rows.getString(2) + "' of site '" + rows.getString(1)
                            + "' are not JSON: " + e.getMessage(),
                    e);
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw new MoveException("the properties of event '" + rows.getString(2) + "' of site '" + rows.getString(1)
                    + "' are not a JSON object");
        }
        return new Event(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                rows.getString(4),
                rows.getString(5),
                rows.getString(6),
                object,
                rows.getString(8),
                instant(rows.getObject(9, LocalDateTime.class)),
                instant(rows.getObject(10, LocalDateTime.class)),
                instant(rows.getObject(11, LocalDateTime.class)));
    }

    private static Instant instant(LocalDateTime utc) {
        return utc.toInstant(ZoneOffset.UTC);
    }
}
