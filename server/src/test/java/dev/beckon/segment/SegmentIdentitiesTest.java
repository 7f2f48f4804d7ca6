package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity rules of docs/identity.md through segments, on a real DuckDB file: each case is
 * asked of the engine fresh, and of live membership both after a refresh in full and after an
 * incremental one that found the change among the events written since. Event names say whose the
 * event should be, and each saved segment, "did that event", finds its owner.
 */
class SegmentIdentitiesTest {

    private static final String SITE = "demo";
    private static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");

    @TempDir
    Path dataDir;

    private final MovingClock clock = new MovingClock(T0.plus(Duration.ofHours(3)));
    private SegmentStore store;
    private SegmentRepository segments;
    private LiveMembership live;

    @BeforeEach
    void open() {
        store = new SegmentStore(dataDir);
        segments = new SegmentRepository(store.database());
        live = new LiveMembership(segments, store.evaluator(), site -> ZoneOffset.UTC, clock);
    }

    @AfterEach
    void close() {
        live.close();
        store.close();
    }

    @Test
    void anonymousHistoryBeforeSetUserIdIsTheUsers() {
        saveDidSegments("ANN_BEFORE_LOGIN", "ANN_LOGGED_IN");
        append("ANN_BEFORE_LOGIN", 0, null, "d-link");
        live.refreshAll();
        assertMembers(Map.of("ANN_BEFORE_LOGIN", List.of("d:d-link")));

        append("ANN_LOGGED_IN", 1, "ann", "d-link");

        assertEveryWay(Map.of("ANN_BEFORE_LOGIN", List.of("u:ann"), "ANN_LOGGED_IN", List.of("u:ann")));
    }

    @Test
    void aLoginThatArrivesFirstStillClaimsTheEarlierAnonymousEvents() {
        saveDidSegments("BEA_BEFORE_LOGIN");
        append("BEA_LOGGED_IN", 10, "bea", "d-late");
        live.refreshAll();

        append("BEA_BEFORE_LOGIN", 5, null, "d-late");

        assertEveryWay(Map.of("BEA_BEFORE_LOGIN", List.of("u:bea")));
    }

    @Test
    void oneUserIsOnePersonOverAllTheirDevices() {
        saveSegment("three-views", "{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"count\":{\"atLeast\":3}}}");
        append("PRODUCT_VIEWED", 0, null, "d-phone");
        append("PRODUCT_VIEWED", 1, "cal", "d-phone");
        live.refreshAll();
        assertMembers(Map.of("three-views", List.of()));

        append("PRODUCT_VIEWED", 100, null, "d-laptop");
        append("CAL_LAPTOP", 101, "cal", "d-laptop");

        assertEveryWay(Map.of("three-views", List.of("u:cal")));
    }

    @Test
    void onASharedDeviceTheGapAfterALogoutIsTheNextUsers() {
        saveDidSegments("DAN_BEFORE_LOGIN", "DAN_LAST", "GAP_AFTER_DAN_LOGGED_OUT", "EVE_LAST");
        append("DAN_BEFORE_LOGIN", 0, null, "d-shared");
        append("DAN_LOGGED_IN", 1, "dan", "d-shared");
        append("DAN_LAST", 2, "dan", "d-shared");
        append("GAP_AFTER_DAN_LOGGED_OUT", 3, null, "d-shared");
        live.refreshAll();
        assertMembers(Map.of("GAP_AFTER_DAN_LOGGED_OUT", List.of("d:d-shared")));

        append("EVE_LOGGED_IN", 4, "eve", "d-shared");
        append("EVE_LAST", 5, "eve", "d-shared");

        assertEveryWay(Map.of(
                "DAN_BEFORE_LOGIN", List.of("u:dan"),
                "DAN_LAST", List.of("u:dan"),
                "GAP_AFTER_DAN_LOGGED_OUT", List.of("u:eve"),
                "EVE_LAST", List.of("u:eve")));
    }

    @Test
    void aUserWhoComesBackToASharedDeviceGetsOnlyTheirOwnStretches() {
        saveDidSegments("FAY_1_ANONYMOUS", "GUS_3_ANONYMOUS", "FAY_5_ANONYMOUS", "NOBODY_7_ANONYMOUS");
        saveSegment("two-views", "{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"count\":{\"atLeast\":2}}}");
        append("FAY_1_ANONYMOUS", 0, null, "d-return");
        append("PRODUCT_VIEWED", 0, null, "d-return");
        append("FAY_2", 1, "fay", "d-return");
        append("GUS_3_ANONYMOUS", 2, null, "d-return");
        append("PRODUCT_VIEWED", 2, null, "d-return");
        append("GUS_4", 3, "gus", "d-return");
        live.refreshAll();

        // Fay comes back: her link now spans Gus's stretch, yet each stretch keeps its owner.
        append("FAY_5_ANONYMOUS", 4, null, "d-return");
        append("PRODUCT_VIEWED", 4, null, "d-return");
        append("FAY_6", 5, "fay", "d-return");
        append("NOBODY_7_ANONYMOUS", 6, null, "d-return");

        assertEveryWay(Map.of(
                "FAY_1_ANONYMOUS", List.of("u:fay"),
                "GUS_3_ANONYMOUS", List.of("u:gus"),
                "FAY_5_ANONYMOUS", List.of("u:fay"),
                "NOBODY_7_ANONYMOUS", List.of("d:d-return"),
                "two-views", List.of("u:fay")));
    }

    @Test
    void anonymousEventsAfterTheLastLogoutStayWithTheDevice() {
        saveDidSegments("HAL_LOGGED_IN", "NOBODY_AFTER_LOGOUT");
        saveSegment("not-hal", "{\"not\":{\"did\":{\"event\":\"HAL_LOGGED_IN\"}}}");
        append("HAL_LOGGED_IN", 0, "hal", "d-logout");
        live.refreshAll();
        assertMembers(Map.of("not-hal", List.of()));

        append("NOBODY_AFTER_LOGOUT", 1, null, "d-logout");

        assertEveryWay(Map.of(
                "HAL_LOGGED_IN", List.of("u:hal"),
                "NOBODY_AFTER_LOGOUT", List.of("d:d-logout"),
                "not-hal", List.of("d:d-logout")));
    }

    @Test
    void userPropertiesTakeTheLatestByEventTimeWhateverOrderTheyArrive() {
        saveSegment("pro", "{\"userProperty\":{\"property\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}}");
        appendProperties(30, "ivy", "d-props", "pro");
        live.refreshAll();
        appendProperties(20, "ivy", "d-props", "free");
        appendProperties(10, null, "d-props", "team");
        assertEveryWay(Map.of("pro", List.of("u:ivy")));

        // An anonymous setting later than every other is the device's, until Ivy logs in after it.
        appendProperties(40, null, "d-props", "free");
        assertEveryWay(Map.of("pro", List.of("u:ivy")));
        append("IVY_BACK", 45, "ivy", "d-props");

        assertEveryWay(Map.of("pro", List.of()));
    }

    @Test
    void usersOfASharedDeviceKeepTheirOwnUserProperties() {
        saveSegment("pro", "{\"userProperty\":{\"property\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}}");
        appendProperties(0, "jo", "d-family", "pro");
        live.refreshAll();

        appendProperties(5, "kim", "d-family", "free");

        assertEveryWay(Map.of("pro", List.of("u:jo")));
    }

    @Test
    void anEventThatLeavesTheWindowLeavesTheSegmentAtTheNextRefresh() {
        saveSegment(
                "viewed-last-hour",
                "{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"window\":{\"last\":1,\"unit\":\"hours\"}}}");
        saveSegment(
                "not-viewed-last-hour",
                "{\"not\":{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"window\":{\"last\":1,\"unit\":\"hours\"}}}}");
        clock.set(T0.plus(Duration.ofMinutes(30)));
        append("PRODUCT_VIEWED", 0, null, "d-early");
        append("PRODUCT_VIEWED", 20 * 60, "lee", "d-later");
        live.refreshAll();
        assertMembers(Map.of("viewed-last-hour", List.of("d:d-early", "u:lee"), "not-viewed-last-hour", List.of()));

        clock.set(T0.plus(Duration.ofMinutes(70)));

        var report = assertEveryWay(
                Map.of("viewed-last-hour", List.of("u:lee"), "not-viewed-last-hour", List.of("d:d-early")));
        assertThat(report.full()).isZero();
        assertThat(report.incremental()).isEqualTo(2);
    }

    @Test
    void aDeletedUserLeavesEverySegmentAtTheNextRefresh() throws Exception {
        saveDidSegments("PRODUCT_VIEWED");
        append("PRODUCT_VIEWED", 0, null, "d-gone");
        append("LOGGED_IN", 1, "mo", "d-gone");
        append("PRODUCT_VIEWED", 2, null, "d-kept");
        live.refreshAll();
        assertMembers(Map.of("PRODUCT_VIEWED", List.of("d:d-kept", "u:mo")));

        try (Connection connection = store.database().connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM events WHERE device_id = 'd-gone'");
            statement.execute("DELETE FROM device_users WHERE device_id = 'd-gone'");
        }

        var report = assertEveryWay(Map.of("PRODUCT_VIEWED", List.of("d:d-kept")));
        assertThat(report.allInFullBecause()).isEqualTo("demo: events deleted or renumbered");
    }

    // Counted segments: a did or visited, or a tree of them, kept by per-person counts

    @Test
    void countsFollowAMovingWindowAsItsStartPassesEachEvent() {
        saveSegment(
                "two-shoes-last-hour",
                "{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"where\":[{\"property\":\"category\",\"op\":\"eq\","
                        + "\"value\":\"shoes\"}],\"count\":{\"atLeast\":2},\"window\":{\"last\":1,\"unit\":\"hours\"}}}");
        saveSegment(
                "shop-this-hour",
                "{\"visited\":{\"path\":\"/shop/*\",\"window\":{\"last\":1,\"unit\":\"hours\",\"calendar\":true}}}");
        clock.set(T0.plus(Duration.ofMinutes(50)));
        appendWith("PRODUCT_VIEWED", 0, null, "d-nia", "category", "shoes");
        appendWith("PRODUCT_VIEWED", 10 * 60, null, "d-nia", "category", "shoes");
        appendWith("PRODUCT_VIEWED", 20 * 60, null, "d-nia", "category", "bags");
        appendWith("PRODUCT_VIEWED", 40 * 60, "oli", "d-oli", "category", "shoes");
        appendWith("$page_view", 30 * 60, null, "d-nia", "path", "/shop/shoes");
        live.refreshAll();
        assertMembers(Map.of("two-shoes-last-hour", List.of("d:d-nia"), "shop-this-hour", List.of("d:d-nia")));

        // Nia's first view leaves the hour; Oli's second view arrives; a new calendar hour starts.
        clock.set(T0.plus(Duration.ofMinutes(65)));
        appendWith("PRODUCT_VIEWED", 61 * 60, "oli", "d-oli", "category", "shoes");
        appendWith("$page_view", 62 * 60, "oli", "d-oli", "path", "/shop/");

        var report =
                assertEveryWay(Map.of("two-shoes-last-hour", List.of("u:oli"), "shop-this-hour", List.of("u:oli")));
        assertThat(report.counted()).isEqualTo(2);
        assertThat(report.full()).isZero();
        assertThat(report.eventsCounted())
                .as("only the events written since are read")
                .isEqualTo(2);
    }

    @Test
    void anEventThatArrivesLateWithAnOldTimeCountsOnlyInsideTheWindow() {
        saveSegment(
                "three-views-last-day",
                "{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"count\":{\"exactly\":3},"
                        + "\"window\":{\"last\":1,\"unit\":\"days\"}}}");
        clock.set(T0.plus(Duration.ofDays(2)));
        append("PRODUCT_VIEWED", 2 * 86_400 - 60, null, "d-pat");
        append("PRODUCT_VIEWED", 2 * 86_400 - 120, null, "d-pat");
        live.refreshAll();
        assertMembers(Map.of("three-views-last-day", List.of()));

        // Sent from an offline queue: a day and a half old, then half a day old.
        append("PRODUCT_VIEWED", 12 * 3600, null, "d-pat");
        assertEveryWay(Map.of("three-views-last-day", List.of()));
        append("PRODUCT_VIEWED", 36 * 3600, null, "d-pat");
        assertEveryWay(Map.of("three-views-last-day", List.of("d:d-pat")));

        // A fourth in the window: exactly three no longer holds.
        append("PRODUCT_VIEWED", 40 * 3600, null, "d-pat");
        assertEveryWay(Map.of("three-views-last-day", List.of()));
    }

    @Test
    void aDeviceIdentifiedSinceTheLastRefreshTakesItsCountsToTheUser() {
        saveSegment(
                "three-views-and-a-cart",
                "{\"all\":[{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"count\":{\"atLeast\":3},"
                        + "\"window\":{\"last\":1,\"unit\":\"days\"}}},{\"any\":[{\"did\":{\"event\":\"ADD_TO_CART\"}},"
                        + "{\"visited\":{\"path\":\"/cart\"}}]}]}");
        saveSegment("two-views", "{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"count\":{\"atLeast\":2}}}");
        saveSegment("three-views", "{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"count\":{\"exactly\":3}}}");
        append("PRODUCT_VIEWED", 0, null, "d-phone");
        append("PRODUCT_VIEWED", 60, null, "d-phone");
        append("PRODUCT_VIEWED", 120, "quin", "d-laptop");
        appendWith("$page_view", 130, "quin", "d-laptop", "path", "/cart");
        live.refreshAll();
        assertMembers(Map.of(
                "three-views-and-a-cart", List.of(), "two-views", List.of("d:d-phone"), "three-views", List.of()));

        append("QUIN_ON_PHONE", 180, "quin", "d-phone");
        live.refreshAll();
        var report = live.lastReport();

        // The phone is no one now (its events are Quin's), so no member; Quin's views count once.
        assertThat(live.contains(SITE, "two-views", Person.ofKey("d:d-phone"))).isFalse();
        assertEveryWay(Map.of(
                "three-views-and-a-cart", List.of("u:quin"),
                "two-views", List.of("u:quin"),
                "three-views", List.of("u:quin")));
        assertThat(report.counted()).isEqualTo(3);
        assertThat(report.full()).isZero();
    }

    @Test
    void aDeletedUserLeavesCountedSegmentsAndTheOthersKeepTheirCounts() throws Exception {
        saveSegment(
                "two-views-last-hour",
                "{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"count\":{\"atLeast\":2},"
                        + "\"window\":{\"last\":1,\"unit\":\"hours\"}}}");
        clock.set(T0.plus(Duration.ofMinutes(30)));
        append("PRODUCT_VIEWED", 0, null, "d-ray");
        append("PRODUCT_VIEWED", 60, "ray", "d-ray");
        append("PRODUCT_VIEWED", 120, null, "d-sue");
        append("PRODUCT_VIEWED", 180, null, "d-sue");
        live.refreshAll();
        assertMembers(Map.of("two-views-last-hour", List.of("d:d-sue", "u:ray")));

        try (Connection connection = store.database().connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM events WHERE device_id = 'd-ray'");
            statement.execute("DELETE FROM device_users WHERE device_id = 'd-ray'");
        }
        assertEveryWay(Map.of("two-views-last-hour", List.of("d:d-sue")));

        // After the counts were taken again in full, they follow the window as before.
        clock.set(T0.plus(Duration.ofSeconds(62 * 60 + 30)));
        var report = assertEveryWay(Map.of("two-views-last-hour", List.of()));
        assertThat(report.counted()).isEqualTo(1);
        assertThat(report.eventsCounted()).isZero();
    }

    // Helpers

    /**
     * The fresh answer of the engine, then live membership incrementally, then in full, all equal to
     * {@code expected}; answers the report of the incremental refresh.
     */
    private LiveMembership.RefreshReport assertEveryWay(Map<String, List<String>> expected) {
        for (var entry : expected.entrySet()) {
            Segment segment = segments.find(SITE, entry.getKey()).orElseThrow();
            assertThat(store.members(SITE, segment.condition(), clock.instant(), ZoneOffset.UTC))
                    .as("fresh members of %s", entry.getKey())
                    .containsExactlyElementsOf(entry.getValue());
        }
        live.refreshAll();
        LiveMembership.RefreshReport incremental = live.lastReport();
        assertThat(incremental.failed()).isZero();
        assertMembers(expected);
        segments.all(SITE).forEach(live::refresh);
        live.refreshAll();
        assertThat(live.lastReport().incremental() + live.lastReport().unchanged())
                .as("a refresh after saving evaluates in full")
                .isZero();
        assertMembers(expected);
        return incremental;
    }

    /** Live membership of each segment, checked for everyone the store knows. */
    private void assertMembers(Map<String, List<String>> expected) {
        List<String> everyone = store.members(
                SITE,
                Json.mapper().createObjectNode().set("all", Json.mapper().createArrayNode()),
                clock.instant(),
                ZoneOffset.UTC);
        Map<String, List<String>> actual = new TreeMap<>();
        for (String segmentId : expected.keySet()) {
            List<String> members = new ArrayList<>();
            for (String key : everyone) {
                if (live.contains(SITE, segmentId, Person.ofKey(key))) {
                    members.add(key);
                }
            }
            actual.put(segmentId, members);
        }
        assertThat(actual).as("live members").isEqualTo(new TreeMap<>(expected));
    }

    private void saveDidSegments(String... eventNames) {
        for (String name : eventNames) {
            saveSegment(name, "{\"did\":{\"event\":\"" + name + "\"}}");
        }
    }

    private void saveSegment(String id, String condition) {
        try {
            JsonNode json = Json.mapper().readTree(condition);
            ConditionParser.parse(json);
            segments.save(new Segment(SITE, id, id, json, T0, T0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void append(String name, long seconds, String userId, String deviceId) {
        store.append(
                SITE,
                name,
                T0.plusSeconds(seconds),
                userId,
                deviceId,
                Json.mapper().createObjectNode());
    }

    private void appendWith(String name, long seconds, String userId, String deviceId, String property, String value) {
        store.append(
                SITE,
                name,
                T0.plusSeconds(seconds),
                userId,
                deviceId,
                Json.mapper().createObjectNode().put(property, value));
    }

    private void appendProperties(long seconds, String userId, String deviceId, String plan) {
        ObjectNode properties = Json.mapper().createObjectNode();
        if (plan == null) {
            properties.putNull("plan");
        } else {
            properties.put("plan", plan);
        }
        store.append(SITE, "$user_properties", T0.plusSeconds(seconds), userId, deviceId, properties);
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
