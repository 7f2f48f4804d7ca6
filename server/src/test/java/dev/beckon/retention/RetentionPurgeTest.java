package dev.beckon.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.robustness.LogCapture;
import dev.beckon.robustness.MutableClock;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.DeviceLink;
import dev.beckon.store.EventQuery;
import dev.beckon.store.Subject;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention purge on a real DuckDB file: what it deletes, what it keeps, and whose. */
class RetentionPurgeTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dataDir;

    MutableClock clock = new MutableClock(NOW);
    DuckDbDatabase database;
    DuckDbEventStore store;
    SiteRegistry sites;
    RetentionPurge purge;

    @BeforeEach
    void open() {
        database = DuckDbDatabase.open(dataDir);
        store = new DuckDbEventStore(database);
        sites = new SiteRegistry(database, clock);
        sites.create("shop", "Shop", List.of(), ZoneOffset.UTC);
        sites.create("blog", "Blog", List.of(), ZoneOffset.UTC);
        sites.setRetentionDays("shop", 30);
        purge = new RetentionPurge(sites, store, clock, 3, Duration.ZERO);
    }

    @AfterEach
    void close() {
        purge.close();
        store.close();
        database.close();
    }

    @Test
    void newSitesKeepEventsFor395Days() {
        assertThat(sites.require("blog").retentionDays()).isEqualTo(395);
    }

    @Test
    void eventsReceivedBeforeTheRetentionPeriodAreDeletedAndNewerOnesStay() {
        store.append(List.of(
                received("shop", "e-old-1", "d-1", null, days(-31)),
                received("shop", "e-old-2", "d-1", null, days(-30).minusSeconds(1)),
                received("shop", "e-edge", "d-1", null, days(-30)),
                received("shop", "e-new", "d-1", null, days(-1))));

        Map<String, Long> deleted = purge.purgeAll();

        assertThat(deleted).containsEntry("shop", 2L);
        assertThat(ids("shop")).containsExactlyInAnyOrder("e-edge", "e-new");
    }

    @Test
    void onePurgeNeverTouchesAnotherSitesEvents() {
        store.append(List.of(
                received("shop", "e-1", "d-1", null, days(-100)),
                received("blog", "e-1", "d-1", null, days(-100)),
                received("blog", "e-2", "d-1", null, days(-394))));

        Map<String, Long> deleted = purge.purgeAll();

        assertThat(deleted).containsEntry("shop", 1L).containsEntry("blog", 0L);
        assertThat(ids("shop")).isEmpty();
        assertThat(ids("blog")).containsExactlyInAnyOrder("e-1", "e-2");
    }

    @Test
    void aBacklogLargerThanABatchIsDeletedWhole() {
        for (int i = 0; i < 10; i++) {
            store.append(List.of(received("shop", "e-old-" + i, "d-1", null, days(-40 - i))));
        }

        Map<String, Long> deleted = purge.purgeAll();

        assertThat(deleted).containsEntry("shop", 10L);
        assertThat(ids("shop")).isEmpty();
    }

    @Test
    void purgingAgainDeletesNothing() {
        store.append(List.of(
                received("shop", "e-old", "d-1", "ann", days(-31)), received("shop", "e-new", "d-1", "ann", days(-1))));
        purge.purgeAll();

        Map<String, Long> again = purge.purgeAll();

        assertThat(again).containsEntry("shop", 0L).containsEntry("blog", 0L);
        assertThat(ids("shop")).containsExactly("e-new");
        assertThat(store.links("shop", new Subject.User("ann"))).hasSize(1);
    }

    @Test
    void theServersClockDecidesNotTheClients() {
        Instant longAgo = Instant.parse("1990-01-01T00:00:00Z");
        Instant farAhead = Instant.parse("2090-01-01T00:00:00Z");
        store.append(List.of(
                received("shop", "e-late-batch", "d-1", null, days(-1), longAgo),
                received("shop", "e-clock-ahead", "d-1", null, days(-31), farAhead)));

        purge.purgeAll();

        assertThat(ids("shop")).containsExactly("e-late-batch");
    }

    @Test
    void identityLinksGoWithTheirLastEventAndRemainingOnesNarrow() {
        store.append(List.of(
                received("shop", "e-bob", "d-bob", "bob", days(-60)),
                received("shop", "e-ann-old", "d-ann", "ann", days(-60)),
                received("shop", "e-ann-new", "d-ann", "ann", days(-2))));

        purge.purgeAll();

        assertThat(store.links("shop", new Subject.User("bob"))).isEmpty();
        assertThat(store.links("shop", new Subject.User("ann")))
                .containsExactly(new DeviceLink("d-ann", "ann", days(-2), days(-2)));
    }

    @Test
    void aLongerRetentionSetLaterKeepsWhatIsStillThere() {
        store.append(List.of(received("shop", "e-40", "d-1", null, days(-40))));
        sites.setRetentionDays("shop", 60);

        purge.purgeAll();
        clock.advance(Duration.ofDays(21));
        purge.purgeAll();

        assertThat(ids("shop")).isEmpty();
    }

    @Test
    void aStoreThatFailsIsLoggedAndNothingIsThrown() {
        store.close();
        database.close();

        try (var logs = new LogCapture()) {
            Map<String, Long> deleted = purge.purgeAll();

            assertThat(deleted).isEmpty();
            assertThat(logs.lines())
                    .anyMatch(line -> line.startsWith("WARN Site shop: the retention purge failed"))
                    .anyMatch(line -> line.startsWith("WARN Site blog: the retention purge failed"));
        }
    }

    @Test
    void eachSitesDeletionsAreLogged() {
        store.append(List.of(received("shop", "e-old", "d-1", null, days(-31))));

        try (var logs = new LogCapture()) {
            purge.purgeAll();

            assertThat(logs.lines())
                    .contains("INFO Site shop: deleted 1 events received before 2026-11-01T12:00:00Z, the start of its"
                            + " 30-day retention period");
        }
    }

    private List<String> ids(String siteId) {
        return store.find(EventQuery.newest(siteId, 1000)).stream()
                .map(Event::id)
                .toList();
    }

    private static Instant days(int days) {
        return NOW.plus(Duration.ofDays(days));
    }

    private static Event received(String siteId, String id, String deviceId, String userId, Instant serverTime) {
        return received(siteId, id, deviceId, userId, serverTime, serverTime);
    }

    private static Event received(
            String siteId, String id, String deviceId, String userId, Instant serverTime, Instant time) {
        return new Event(
                siteId,
                id,
                "VIEW",
                deviceId,
                userId,
                "s-1",
                Json.mapper().createObjectNode(),
                "1",
                time,
                serverTime,
                time);
    }
}
