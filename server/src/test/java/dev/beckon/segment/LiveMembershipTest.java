package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.robustness.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live membership on a real store: members as of the last evaluation, looked up by device through
 * the person the device belongs to, refreshed by a save or by the background refresh, and
 * forgotten with the segment.
 */
class LiveMembershipTest {

    static final String SITE = "live";
    static final Instant NOW = Instant.parse("2026-03-29T12:00:00Z");

    @TempDir
    Path dataDir;

    SegmentStore store;
    SegmentRepository repository;
    LiveMembership live;
    MutableClock clock = new MutableClock(NOW);

    @BeforeEach
    void open() {
        store = new SegmentStore(dataDir);
        repository = new SegmentRepository(store.database());
        live = new LiveMembership(repository, store.evaluator(), site -> ZoneOffset.UTC, clock, Duration.ofHours(1));
    }

    @AfterEach
    void close() {
        live.close();
        store.close();
    }

    @Test
    void aSegmentNeverEvaluatedHasNoMembers() {
        new History(store, SITE).did("ann", "BUY", "2026-03-29T11:00:00Z");

        assertThat(live.containsDevice(SITE, "buyers", "dev-ann")).isFalse();
        assertThat(live.evaluatedAt(SITE, "buyers")).isNull();
    }

    @Test
    void aRefreshedSegmentAnswersForEveryDeviceOfAMember() {
        new History(store, SITE)
                .did("ann@phone", "BUY", "2026-03-29T11:00:00Z")
                .did("ann@laptop", "HOME", "2026-03-29T11:05:00Z")
                .did("bob", "HOME", "2026-03-29T11:00:00Z");

        live.refresh(segment("buyers", "{'did': {'event': 'BUY'}}"));

        assertThat(live.containsDevice(SITE, "buyers", "phone")).isTrue();
        assertThat(live.containsDevice(SITE, "buyers", "laptop")).isTrue();
        assertThat(live.containsDevice(SITE, "buyers", "dev-bob")).isFalse();
        assertThat(live.containsDevice(SITE, "buyers", "never-seen")).isFalse();
        assertThat(live.evaluatedAt(SITE, "buyers")).isEqualTo(NOW);
    }

    @Test
    void membersAreThoseOfTheLastRefreshUntilTheNext() {
        History history = new History(store, SITE).did("bob", "HOME", "2026-03-29T11:00:00Z");
        Segment buyers = segment("buyers", "{'did': {'event': 'BUY'}}");
        live.refresh(buyers);

        history.did("bob", "BUY", "2026-03-29T12:00:00Z");
        boolean beforeRefresh = live.containsDevice(SITE, "buyers", "dev-bob");
        clock.advance(Duration.ofSeconds(30));
        live.refresh(buyers);

        assertThat(beforeRefresh).isFalse();
        assertThat(live.containsDevice(SITE, "buyers", "dev-bob")).isTrue();
        assertThat(live.evaluatedAt(SITE, "buyers")).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void windowsMoveWithTheClockAtEachRefresh() {
        new History(store, SITE).did("ann", "BUY", "2026-03-29T11:30:00Z");
        Segment recent = segment("recent", "{'did': {'event': 'BUY', 'window': {'last': 1, 'unit': 'hours'}}}");
        live.refresh(recent);
        boolean within = live.containsDevice(SITE, "recent", "dev-ann");

        clock.advance(Duration.ofMinutes(31));
        live.refresh(recent);

        assertThat(within).isTrue();
        assertThat(live.containsDevice(SITE, "recent", "dev-ann")).isFalse();
    }

    @Test
    void aForgottenSegmentHasNoMembers() {
        new History(store, SITE).did("ann", "BUY", "2026-03-29T11:00:00Z");
        live.refresh(segment("buyers", "{'did': {'event': 'BUY'}}"));

        live.forget(SITE, "buyers");

        assertThat(live.containsDevice(SITE, "buyers", "dev-ann")).isFalse();
    }

    @Test
    void theBackgroundRefreshEvaluatesEverySavedSegment() throws InterruptedException {
        new History(store, SITE).did("ann", "BUY", "2026-03-29T11:00:00Z");
        repository.save(segment("buyers", "{'did': {'event': 'BUY'}}"));
        live.close();

        try (var refreshing = new LiveMembership(
                repository, store.evaluator(), site -> ZoneOffset.UTC, clock, Duration.ofMillis(50))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (refreshing.evaluatedAt(SITE, "buyers") == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(refreshing.containsDevice(SITE, "buyers", "dev-ann")).isTrue();
        }
    }

    private static Segment segment(String id, String condition) {
        return new Segment(SITE, id, id, ConditionParserTest.json(condition), NOW, NOW);
    }
}
