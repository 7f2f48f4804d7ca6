package dev.beckon.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.store.SeenSubject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's list of recent users counts each user's events by the identity rules. */
class DuckDbRecentUsersTest {

    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void recentUsersCountTheirAnonymousHistoryAndNotTheNextUsers() {
        try (var database = DuckDbDatabase.open(dataDir);
                var store = new DuckDbEventStore(database)) {
            store.append(List.of(
                    event("e-anon-0001", "d-shared", null, 0),
                    event("e-anon-0002", "d-shared", null, 1),
                    event("e-ann-00001", "d-shared", "ann", 2),
                    event("e-gap-00001", "d-shared", null, 3),
                    event("e-bob-00001", "d-shared", "bob", 4),
                    event("e-ann-00002", "d-phone", "ann", 10),
                    event("e-none-0001", "d-other", null, 20)));

            List<SeenSubject> users = store.recentUsers("demo", 10);

            assertThat(users)
                    .extracting(SeenSubject::id, SeenSubject::otherId, SeenSubject::eventCount)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("ann", "d-phone", 4L),
                            org.assertj.core.groups.Tuple.tuple("bob", "d-shared", 2L));
            assertThat(users.get(0).firstSeen()).isEqualTo(T0);
            assertThat(users.get(0).lastSeen()).isEqualTo(T0.plusSeconds(10));
            assertThat(store.recentUsers("demo", 1)).extracting(SeenSubject::id).containsExactly("ann");
        }
    }

    private static Event event(String id, String deviceId, String userId, int second) {
        Instant time = T0.plusSeconds(second);
        return new Event(
                "demo", id, "VIEW", deviceId, userId, "s-1", Json.mapper().createObjectNode(), "1", time, time, time);
    }
}
