package dev.beckon.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.Json;
import dev.beckon.event.Event;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two write paths of the embedded store: new events appended straight into the table, and a
 * call holding a repeated event id, which skips the repeat. Either way the identity links follow
 * in the same transaction.
 */
class DuckDbEventWritesTest {

    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void newEventsAreStoredWithOneLinkPerDeviceAndUser() throws SQLException {
        try (var database = DuckDbDatabase.open(dataDir);
                var store = new DuckDbEventStore(database)) {
            var inserted = store.append(List.of(
                    event("e-1", "d-1", "ann", 5),
                    event("e-2", "d-1", "ann", 1),
                    event("e-3", "d-1", null, 9),
                    event("e-4", "d-2", "bob", 3)));

            assertThat(inserted).containsExactlyInAnyOrder("demo\ne-1", "demo\ne-2", "demo\ne-3", "demo\ne-4");
            assertThat(rows(database, "SELECT id FROM events ORDER BY id")).containsExactly("e-1", "e-2", "e-3", "e-4");
            assertThat(links(database)).containsExactly("d-1 ann 1..5", "d-2 bob 3..3");
        }
    }

    @Test
    void callWithARepeatedIdStoresOnlyTheNewEventsAndExtendsTheLinks() throws SQLException {
        try (var database = DuckDbDatabase.open(dataDir);
                var store = new DuckDbEventStore(database)) {
            store.append(List.of(event("e-1", "d-1", "ann", 5), event("e-2", "d-2", "bob", 5)));

            var inserted = store.append(List.of(
                    event("e-2", "d-2", "bob", 5), event("e-3", "d-1", "ann", 8), event("e-4", "d-3", "cy", 2)));

            assertThat(inserted).containsExactlyInAnyOrder("demo\ne-3", "demo\ne-4");
            assertThat(rows(database, "SELECT id || ' ' || count(*) FROM events GROUP BY id ORDER BY id"))
                    .containsExactly("e-1 1", "e-2 1", "e-3 1", "e-4 1");
            assertThat(links(database)).containsExactly("d-1 ann 5..8", "d-2 bob 5..5", "d-3 cy 2..2");
        }
    }

    @Test
    void repeatsAloneStoreNothingNew() throws SQLException {
        try (var database = DuckDbDatabase.open(dataDir);
                var store = new DuckDbEventStore(database)) {
            store.append(List.of(event("e-1", "d-1", "ann", 5)));

            assertThat(store.append(List.of(event("e-1", "d-1", "ann", 5)))).isEmpty();
            assertThat(rows(database, "SELECT count(*) FROM events")).containsExactly("1");
        }
    }

    private static List<String> links(DuckDbDatabase database) throws SQLException {
        return rows(
                database,
                "SELECT device_id || ' ' || user_id || ' ' || second(first_time) || '..' || second(last_time)"
                        + " FROM device_users ORDER BY device_id");
    }

    private static List<String> rows(DuckDbDatabase database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    private static Event event(String id, String deviceId, String userId, int second) {
        Instant time = T0.plusSeconds(second);
        return new Event(
                "demo", id, "VIEW", deviceId, userId, "s-1", Json.mapper().createObjectNode(), "1", time, time, time);
    }
}
