package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbEventStore;
import dev.beckon.store.duckdb.DuckDbSegmentEvaluator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live membership on a real DuckDB file: identified devices held in memory, taken at each refresh. */
class LiveMembershipIdentitiesTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final String SITE = "demo";

    @TempDir
    Path dataDir;

    private final AtomicInteger ids = new AtomicInteger();
    private DuckDbDatabase database;
    private DuckDbEventStore store;
    private SegmentRepository segments;
    private LiveMembership live;

    @BeforeEach
    void open() throws Exception {
        database = DuckDbDatabase.open(dataDir);
        store = new DuckDbEventStore(database);
        segments = new SegmentRepository(database);
        live = new LiveMembership(
                segments,
                new DuckDbSegmentEvaluator(database),
                site -> ZoneOffset.UTC,
                Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofHours(1));
        save("viewers", "{\"did\":{\"event\":\"PRODUCT_VIEWED\"}}");
        save("buyers", "{\"did\":{\"event\":\"CHECKOUT\"}}");
    }

    @AfterEach
    void close() {
        live.close();
        database.close();
    }

    @Test
    void aDeviceIsCheckedAgainstEverySegmentAtOnce() {
        store.append(List.of(event("d-1", null, "PRODUCT_VIEWED"), event("d-1", null, "CHECKOUT")));
        store.append(List.of(event("d-2", null, "PRODUCT_VIEWED")));

        refreshAll();

        assertThat(live.segmentsContainingDevice(SITE, List.of("viewers", "buyers"), "d-1"))
                .containsExactlyInAnyOrder("viewers", "buyers");
        assertThat(live.segmentsContainingDevice(SITE, List.of("viewers", "buyers"), "d-2"))
                .containsExactly("viewers");
        assertThat(live.segmentsContainingDevice(SITE, List.of("viewers", "buyers"), "d-unknown"))
                .isEmpty();
        assertThat(live.containsDevice(SITE, "buyers", "d-1")).isTrue();
    }

    @Test
    void aDeviceCountsAsTheUserItWasIdentifiedAs() {
        store.append(List.of(event("d-phone", "ann", "CHECKOUT")));
        store.append(List.of(event("d-laptop", "ann", "PRODUCT_VIEWED")));

        refreshAll();

        assertThat(live.segmentsContainingDevice(SITE, List.of("viewers", "buyers"), "d-phone"))
                .containsExactlyInAnyOrder("viewers", "buyers");
    }

    @Test
    void aDeviceIdentifiedSinceTheLastRefreshCountsAsItselfUntilTheNext() {
        store.append(List.of(event("d-new", null, "PRODUCT_VIEWED")));
        store.append(List.of(event("d-other", "bob", "CHECKOUT")));
        refreshAll();

        store.append(List.of(event("d-new", "bob", "SEARCH")));

        assertThat(live.segmentsContainingDevice(SITE, List.of("buyers"), "d-new"))
                .isEmpty();
        refreshAll();
        assertThat(live.segmentsContainingDevice(SITE, List.of("buyers"), "d-new"))
                .containsExactly("buyers");
    }

    @Test
    void aSiteWhoseIdentitiesWereNeverTakenAsksTheStore() {
        store.append(List.of(event("d-phone", "ann", "CHECKOUT")));
        store.append(List.of(event("d-laptop", "ann", "SEARCH")));
        segments.all(SITE).forEach(live::refresh);

        assertThat(live.containsDevice(SITE, "buyers", "d-laptop")).isTrue();
    }

    private void refreshAll() {
        live.refreshIdentities(SITE);
        segments.all(SITE).forEach(live::refresh);
    }

    private void save(String id, String condition) throws Exception {
        segments.save(new Segment(SITE, id, id, Json.mapper().readTree(condition), NOW, NOW));
    }

    private Event event(String deviceId, String userId, String name) {
        ObjectNode properties = Json.mapper().createObjectNode();
        Instant time = NOW.minusSeconds(3600 - ids.incrementAndGet());
        return new Event(
                SITE, "e-" + ids.get() + "-0000", name, deviceId, userId, "s-1", properties, "1.0.0", time, time, time);
    }
}
