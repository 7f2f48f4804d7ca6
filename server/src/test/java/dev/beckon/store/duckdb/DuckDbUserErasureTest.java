package dev.beckon.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.store.StoreException;
import dev.beckon.store.Subject;
import dev.beckon.store.UserErasure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting a user's data in the DuckDB store: the audit table, cohorts and links. */
class DuckDbUserErasureTest {

    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void everyDeletionRequestLeavesAnAuditRowWithTheHashedUserIdAndCounts() throws Exception {
        try (var database = DuckDbDatabase.open(dataDir);
                var store = new DuckDbEventStore(database)) {
            store.append(List.of(event("e-anon-0001", null, 0), event("e-user-0001", "zoe", 1)));

            UserErasure first = store.deleteUser("demo", "zoe", "ops key", T0.plusSeconds(60));
            UserErasure second = store.deleteUser("demo", "zoe", "ops key", T0.plusSeconds(120));

            assertThat(first).isEqualTo(new UserErasure(2, 1, 1, 0));
            assertThat(second).isEqualTo(new UserErasure(0, 0, 0, 0));
            assertThat(rows(
                            database,
                            "SELECT site_id, user_id_sha256, requested_by,"
                                    + " strftime(requested_at, '%Y-%m-%d %H:%M:%S'), events, devices"
                                    + " FROM user_deletions ORDER BY requested_at"))
                    .containsExactly(
                            "demo|" + UserErasure.userIdHash("demo", "zoe") + "|ops key|2026-11-01 10:01:00|2|1",
                            "demo|" + UserErasure.userIdHash("demo", "zoe") + "|ops key|2026-11-01 10:02:00|0|0");
        }
    }

    @Test
    void deletionRemovesTheUsersCohortMembershipsAndLinksOnly() throws Exception {
        try (var database = DuckDbDatabase.open(dataDir);
                var store = new DuckDbEventStore(database)) {
            store.append(List.of(event("e-zoe-0001", "zoe", 0), event("e-ada-0001", "ada", 1)));
            execute(
                    database,
                    "INSERT INTO cohort_members VALUES ('demo', 'vip', 'zoe'), ('demo', 'beta', 'zoe'),"
                            + " ('demo', 'vip', 'ada')");
            List<String> cohortsBefore = store.cohorts("demo", "zoe");

            UserErasure erasure = store.deleteUser("demo", "zoe", "ops key", T0);

            assertThat(cohortsBefore).containsExactly("beta", "vip");
            assertThat(erasure.cohortMemberships()).isEqualTo(2);
            assertThat(store.cohorts("demo", "zoe")).isEmpty();
            assertThat(rows(database, "SELECT user_id FROM cohort_members")).containsExactly("ada");
            assertThat(rows(database, "SELECT user_id FROM device_users")).containsExactly("ada");
            assertThat(store.activity("demo", new Subject.User("ada"))).isPresent();
        }
    }

    @Test
    void deletionKeepsOtherSitesData() throws Exception {
        try (var database = DuckDbDatabase.open(dataDir);
                var store = new DuckDbEventStore(database)) {
            store.append(List.of(event("e-zoe-0001", "zoe", 0), eventOf("other", "e-zoe-0002", "zoe", 0)));

            store.deleteUser("demo", "zoe", "ops key", T0);

            assertThat(store.activity("demo", new Subject.User("zoe"))).isEmpty();
            assertThat(store.activity("other", new Subject.User("zoe"))).isPresent();
            assertThat(store.sessions("other", Optional.empty(), 10)).hasSize(1);
        }
    }

    @Test
    void deletionThatFailsPartWayDeletesNothingAndTheStoreWritesOn() throws Exception {
        try (var database = DuckDbDatabase.open(dataDir);
                var store = new DuckDbEventStore(database)) {
            store.append(List.of(event("e-zoe-0001", "zoe", 0)));
            execute(database, "DROP TABLE user_deletions"); // the audit row, written last, cannot be written

            assertThatThrownBy(() -> store.deleteUser("demo", "zoe", "ops key", T0))
                    .isInstanceOf(StoreException.class);

            assertThat(store.activity("demo", new Subject.User("zoe"))
                            .orElseThrow()
                            .eventCount())
                    .isEqualTo(1);
            assertThat(store.links("demo", new Subject.User("zoe"))).hasSize(1);
            assertThat(store.append(List.of(event("e-zoe-0002", "zoe", 1)))).hasSize(1);
        }
    }

    private static Event event(String id, String userId, int second) {
        return eventOf("demo", id, userId, second);
    }

    private static Event eventOf(String siteId, String id, String userId, int second) {
        Instant time = T0.plusSeconds(second);
        return new Event(
                siteId, id, "VIEW", "d-1", userId, "s-1", Json.mapper().createObjectNode(), "1", time, time, time);
    }

    private static void execute(DuckDbDatabase database, String sql) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> rows(DuckDbDatabase database, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                var row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : "|").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
