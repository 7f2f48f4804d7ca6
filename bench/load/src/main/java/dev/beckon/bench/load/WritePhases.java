package dev.beckon.bench.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.ingest.BatchReader;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbEventStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Where the time of one group commit goes, without HTTP: the same groups of SDK-like events written
 * by the former path, step by step (empty a staging table, append to it, upsert the identity links
 * grouped from it, copy it into {@code events}, commit), and by the store's own {@code append}, in
 * alternating rounds on two fresh databases of the current schema, so that a machine shared with
 * other work slows both alike.
 */
final class WritePhases {

    private static final String FORMER_LINKS = """
            INSERT INTO device_users
            SELECT site_id, device_id, user_id, min(time), max(time) FROM incoming
            WHERE user_id IS NOT NULL GROUP BY site_id, device_id, user_id
            ON CONFLICT DO UPDATE SET first_time = least(first_time, excluded.first_time),
                                      last_time = greatest(last_time, excluded.last_time)""";

    private static final String[] STEPS = {"empty staging", "append staging", "upsert links", "copy", "commit"};

    private WritePhases() {}

    static void run(Path dataDir, int groupEvents, int rounds, int devices, java.util.function.Consumer<String> say)
            throws Exception {
        var reader = new BatchReader();
        var traffic = new SdkTraffic(7, devices);
        long[] formerNanos = new long[STEPS.length];
        long currentNanos = 0;
        long events = 0;
        try (var former = DuckDbDatabase.open(dataDir.resolve("former"));
                var current = DuckDbDatabase.open(dataDir.resolve("current"));
                var store = new DuckDbEventStore(current);
                var connection = (DuckDBConnection) former.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMP TABLE incoming AS SELECT * FROM events LIMIT 0");
            }
            connection.setAutoCommit(false);
            for (int round = 0; round < rounds; round++) {
                List<Event> group = new ArrayList<>();
                while (group.size() < groupEvents) {
                    var request = traffic.next();
                    group.addAll(reader.read("demo", request.body().getBytes(StandardCharsets.UTF_8), Instant.now())
                            .valid());
                }
                events += group.size();
                writeFormerly(connection, group, formerNanos);
                long start = System.nanoTime();
                store.append(group);
                currentNanos += System.nanoTime() - start;
            }
        }
        long formerTotal = 0;
        var steps = new StringBuilder();
        for (int i = 0; i < STEPS.length; i++) {
            formerTotal += formerNanos[i];
            steps.append(String.format(java.util.Locale.ROOT, "%s %.2f ms, ", STEPS[i], formerNanos[i] / 1e6 / rounds));
        }
        say.accept(String.format(
                java.util.Locale.ROOT,
                "%d commits of %.0f events on average; former path: %stotal %.2f ms (%.0f events/s);"
                        + " current append: %.2f ms (%.0f events/s); current/former = %.2f",
                rounds,
                (double) events / rounds,
                steps,
                formerTotal / 1e6 / rounds,
                events / (formerTotal / 1e9),
                currentNanos / 1e6 / rounds,
                events / (currentNanos / 1e9),
                (double) formerTotal / currentNanos));
    }

    private static void writeFormerly(DuckDBConnection connection, List<Event> group, long[] nanos)
            throws SQLException, JsonProcessingException {
        long t0 = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM incoming");
        }
        long t1 = System.nanoTime();
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "incoming")) {
            for (Event event : group) {
                appender.beginRow()
                        .append(event.siteId())
                        .append(event.id())
                        .append(event.name())
                        .append(event.deviceId());
                if (event.userId() == null) {
                    appender.appendNull();
                } else {
                    appender.append(event.userId());
                }
                appender.append(event.sessionId())
                        .append(Json.mapper().writeValueAsString(event.properties()))
                        .append(event.version())
                        .append(utc(event.clientTime()))
                        .append(utc(event.serverTime()))
                        .append(utc(event.time()))
                        .endRow();
            }
            appender.flush();
        }
        long t2 = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute(FORMER_LINKS);
        }
        long t3 = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO events SELECT * FROM incoming");
        }
        long t4 = System.nanoTime();
        connection.commit();
        long t5 = System.nanoTime();
        nanos[0] += t1 - t0;
        nanos[1] += t2 - t1;
        nanos[2] += t3 - t2;
        nanos[3] += t4 - t3;
        nanos[4] += t5 - t4;
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
