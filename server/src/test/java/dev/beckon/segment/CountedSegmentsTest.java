package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import dev.beckon.robustness.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counted segments (docs/segments.md, "Live membership") over a random history that grows between
 * refreshes while the clock moves: views and page views of a few devices, some of them logging in
 * as one of a few users, some events sent late with old times. After every refresh, each segment's
 * live members must be the engine's fresh answer, for everyone and for every key ever a member.
 */
class CountedSegmentsTest {

    private static final String SITE = "counted";
    private static final Instant T0 = Instant.parse("2026-03-29T09:00:00Z");

    /** Counted segments of every shape: rolling, calendar, between and ever windows, counts and trees. */
    private static final Map<String, String> SEGMENTS = Map.of(
            "shoes-twice-last-hour",
            "{'did': {'event': 'VIEW', 'where': [{'property': 'category', 'op': 'eq', 'value': 'shoes'}],"
                    + " 'count': {'atLeast': 2}, 'window': {'last': 1, 'unit': 'hours'}}}",
            "exactly-three-views-last-90-minutes",
            "{'did': {'event': 'VIEW', 'count': {'exactly': 3}, 'window': {'last': 90, 'unit': 'minutes'}}}",
            "cart-page-this-hour",
            "{'visited': {'path': '/cart*', 'window': {'last': 1, 'unit': 'hours', 'calendar': true}}}",
            "views-on-the-29th",
            "{'did': {'event': 'VIEW', 'count': {'atLeast': 2}, 'window': {'from': '2026-03-29', 'to': '2026-03-29'}}}",
            "ever-bags-or-cart",
            "{'any': [{'did': {'event': 'VIEW', 'where': [{'property': 'category', 'op': 'eq', 'value': 'bags'}]}},"
                    + " {'visited': {'path': '/cart'}}]}",
            "views-and-a-page-last-2-hours",
            "{'all': [{'did': {'event': 'VIEW', 'count': {'atLeast': 2}, 'window': {'last': 2, 'unit': 'hours'}}},"
                    + " {'visited': {'path': '/p*', 'window': {'last': 2, 'unit': 'hours'}}}]}");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(T0);
    private SegmentStore store;
    private SegmentRepository repository;
    private LiveMembership live;

    @BeforeEach
    void open() {
        store = new SegmentStore(dataDir);
        repository = new SegmentRepository(store.database());
        live = new LiveMembership(repository, store.evaluator(), site -> ZoneOffset.UTC, clock);
        SEGMENTS.forEach((id, condition) -> {
            JsonNode json = ConditionParserTest.json(condition);
            ConditionParser.parse(json);
            repository.save(new Segment(SITE, id, id, json, T0, T0));
        });
    }

    @AfterEach
    void close() {
        live.close();
        store.close();
    }

    @Test
    void membersAfterEveryRefreshAreTheFreshAnswerWhileEventsArriveAndTheClockMoves() {
        var random = new SplittableRandom(4);
        var everMember = new TreeSet<String>();
        int countedRefreshes = 0;
        for (int round = 0; round < 24; round++) {
            for (int i = random.nextInt(12); i > 0; i--) {
                appendRandomEvent(random);
            }
            clock.advance(Duration.ofMinutes(random.nextInt(1, 25)));

            live.refreshAll();

            var report = live.lastReport();
            assertThat(report.failed()).isZero();
            if (round > 0 && report.allInFullBecause().isEmpty()) {
                assertThat(report.counted()).isEqualTo(SEGMENTS.size());
                assertThat(report.full()).isZero();
                countedRefreshes++;
            }
            assertLiveIsFresh(everMember, round);
        }
        assertThat(countedRefreshes).isEqualTo(23);
    }

    private void appendRandomEvent(SplittableRandom random) {
        String device = "d-" + random.nextInt(8);
        String user = random.nextInt(4) == 0 ? "u-" + random.nextInt(3) : null;
        // Most events are recent; some come late, from up to three hours back.
        long secondsBack = random.nextInt(5) == 0 ? random.nextInt(3 * 3600) : random.nextInt(600);
        Instant time = clock.instant().minusSeconds(secondsBack);
        var properties = Json.mapper().createObjectNode();
        String name;
        if (random.nextBoolean()) {
            name = "VIEW";
            properties.put("category", random.nextBoolean() ? "shoes" : "bags");
        } else {
            name = "$page_view";
            properties.put("path", List.of("/cart", "/cart/2", "/p1", "/home").get(random.nextInt(4)));
        }
        store.append(SITE, name, time, user, device, properties);
    }

    private void assertLiveIsFresh(TreeSet<String> everMember, int round) {
        Instant now = clock.instant();
        var keys = new TreeSet<>(store.members(
                SITE,
                Json.mapper().createObjectNode().set("all", Json.mapper().createArrayNode()),
                now,
                ZoneOffset.UTC));
        Map<String, List<String>> fresh = new TreeMap<>();
        for (String id : SEGMENTS.keySet()) {
            JsonNode condition = repository.find(SITE, id).orElseThrow().condition();
            List<String> members = store.members(SITE, condition, now, ZoneOffset.UTC);
            fresh.put(id, members);
            everMember.addAll(members);
        }
        keys.addAll(everMember);
        Map<String, List<String>> actual = new TreeMap<>();
        for (String id : SEGMENTS.keySet()) {
            List<String> members = new ArrayList<>();
            for (String key : keys) {
                if (live.contains(SITE, id, Person.ofKey(key))) {
                    members.add(key);
                }
            }
            actual.put(id, members);
        }
        assertThat(actual).as("live members after round %d", round).isEqualTo(fresh);
    }
}
