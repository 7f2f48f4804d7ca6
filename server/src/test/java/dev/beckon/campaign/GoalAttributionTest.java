package dev.beckon.campaign;

import static dev.beckon.Batches.event;
import static dev.beckon.campaign.CampaignFixtures.create;
import static dev.beckon.campaign.CampaignFixtures.publish;
import static dev.beckon.campaign.CampaignFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import dev.beckon.robustness.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which conversions a campaign's goal counts: inside its window after the step it counts from,
 * not outside it, never before exposure, for the control group after being held, and after a
 * click when the goal says so; once per person; and the funnel day by day in the site's time
 * zone. The plugin's events are sent as the plugin sends them, to a real server and store.
 */
class GoalAttributionTest {

    static final String BASE = "/api/v1/sites/demo/campaigns/";
    /** 13:00 in Berlin, the site's zone; the campaign's events are on 8 December, 11:00 Berlin. */
    static final Instant NOW = Instant.parse("2026-12-10T12:00:00Z");

    static final Instant T = Instant.parse("2026-12-08T10:00:00Z");
    static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void startWithTwoCampaignsAndTheirEvents() {
        server = TestServer.start(dataDir, new MutableClock(NOW));
        assertThat(send(server, "PATCH", "/api/v1/sites/demo", "{\"timeZone\": \"Europe/Berlin\"}")
                        .status())
                .isEqualTo(200);
        ObjectNode shown = CampaignFixtures.simple("After shown");
        shown.putObject("goal").put("event", "BUY").put("windowHours", 2).put("after", "shown");
        create(server, "after-shown", shown);
        publish(server, "after-shown");
        ObjectNode clicked = CampaignFixtures.simple("After clicked");
        clicked.putObject("goal").put("event", "BUY").put("windowHours", 2).put("after", "clicked");
        create(server, "after-clicked", clicked);
        publish(server, "after-clicked");
        ObjectNode filtered = CampaignFixtures.simple("Shoes only");
        filtered.putObject("goal")
                .put("event", "BUY")
                .put("windowHours", 2)
                .putArray("where")
                .addObject()
                .put("property", "category")
                .put("op", "eq")
                .put("value", "shoes");
        create(server, "filtered", filtered);
        publish(server, "filtered");

        List<ObjectNode> events = new ArrayList<>();
        // after-shown, test group
        events.add(plugin("in", "$campaign_shown", "after-shown", "test", T));
        events.add(at("in", "BUY", T.plus(Duration.ofHours(1))));
        events.add(plugin("out", "$campaign_shown", "after-shown", "test", T));
        events.add(at("out", "BUY", T.plus(Duration.ofHours(3))));
        events.add(at("before", "BUY", T.minus(Duration.ofHours(1))));
        events.add(plugin("before", "$campaign_shown", "after-shown", "test", T));
        events.add(plugin("twice", "$campaign_shown", "after-shown", "test", T));
        events.add(at("twice", "BUY", T.plus(MINUTE.multipliedBy(10))));
        events.add(at("twice", "BUY", T.plus(MINUTE.multipliedBy(20))));
        events.add(plugin("twice", "$campaign_shown", "after-shown", "test", T.plus(Duration.ofDays(1))));
        events.add(at("twice", "BUY", T.plus(Duration.ofDays(1)).plus(MINUTE.multipliedBy(5))));
        // Shown at 23:30 in Berlin on the 8th, bought at 00:30 on the 9th: the 8th in UTC.
        events.add(plugin("late", "$campaign_shown", "after-shown", "test", Instant.parse("2026-12-08T22:30:00Z")));
        events.add(at("late", "BUY", Instant.parse("2026-12-08T23:30:00Z")));
        // after-shown, control group
        events.add(plugin("held", "$campaign_held", "after-shown", "control", T));
        events.add(at("held", "BUY", T.plus(MINUTE.multipliedBy(30))));
        events.add(at("held-before", "BUY", T.minus(MINUTE.multipliedBy(10))));
        events.add(plugin("held-before", "$campaign_held", "after-shown", "control", T));
        // after-clicked
        events.add(plugin("c-shown", "$campaign_shown", "after-clicked", "test", T));
        events.add(at("c-shown", "BUY", T.plus(MINUTE.multipliedBy(10))));
        events.add(plugin("c-click", "$campaign_shown", "after-clicked", "test", T));
        events.add(plugin("c-click", "$campaign_clicked", "after-clicked", "test", T.plus(MINUTE)));
        events.add(at("c-click", "BUY", T.plus(MINUTE.multipliedBy(30))));
        events.add(plugin("c-late-click", "$campaign_shown", "after-clicked", "test", T));
        events.add(at("c-late-click", "BUY", T.plus(MINUTE.multipliedBy(5))));
        events.add(
                plugin("c-late-click", "$campaign_clicked", "after-clicked", "test", T.plus(MINUTE.multipliedBy(10))));
        // filtered: only a BUY of shoes counts
        events.add(plugin("f-hats", "$campaign_shown", "filtered", "test", T));
        events.add(category(at("f-hats", "BUY", T.plus(MINUTE)), "hats"));
        events.add(plugin("f-shoes", "$campaign_shown", "filtered", "test", T));
        events.add(category(at("f-shoes", "BUY", T.plus(MINUTE)), "hats"));
        events.add(category(at("f-shoes", "BUY", T.plus(MINUTE.multipliedBy(2))), "shoes"));
        server.ingestAccepted(events.toArray(ObjectNode[]::new));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theGoalCountsConversionsInsideTheWindowAfterBeingShownOncePerPerson() {
        JsonNode test = server.admin(BASE + "after-shown/funnel").json().get("test");

        assertThat(test.get("shown").asLong()).isEqualTo(5);
        assertThat(test.get("goal").asLong())
                .as("in, twice (once) and late; not out (after the window) nor before (before exposure)")
                .isEqualTo(3);
    }

    @Test
    void theControlGroupConvertsAfterBeingHeldOnly() {
        JsonNode control = server.admin(BASE + "after-shown/funnel").json().get("control");

        assertThat(control.get("held").asLong()).isEqualTo(2);
        assertThat(control.get("goal").asLong()).as("held; not held-before").isEqualTo(1);
        assertThat(control.get("goalRate").asDouble()).isEqualTo(0.5);
    }

    @Test
    void aGoalAfterClickedCountsOnlyConversionsAfterAClick() {
        JsonNode test = server.admin(BASE + "after-clicked/funnel").json().get("test");

        assertThat(test.get("shown").asLong()).isEqualTo(3);
        assertThat(test.get("clicked").asLong()).isEqualTo(2);
        assertThat(test.get("goal").asLong()).as("c-click only").isEqualTo(1);
    }

    @Test
    void theGoalsPropertyFiltersDecideWhichEventsConvert() {
        JsonNode test = server.admin(BASE + "filtered/funnel").json().get("test");

        assertThat(test.get("shown").asLong()).isEqualTo(2);
        assertThat(test.get("goal").asLong()).as("f-shoes only").isEqualTo(1);
    }

    @Test
    void theLiftOfSmallGroupsHasNoVerdictYet() {
        JsonNode lift = server.admin(BASE + "after-shown/funnel").json().get("lift");

        assertThat(lift.get("difference").asDouble())
                .isEqualTo(0.6 - 0.5, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(lift.get("verdict").asText()).isEqualTo("NOT_ENOUGH_DATA");
        assertThat(lift.get("verdictWords").asText()).isEqualTo("not enough data yet");
    }

    @Test
    void theTrendCountsEachPersonOnTheDayOfTheirFirstTimeInTheSitesZone() {
        JsonNode trend = server.admin(BASE + "after-shown/trend?from=2026-12-07&to=2026-12-10")
                .json();

        assertThat(trend.get("days").toString())
                .isEqualTo("[\"2026-12-07\",\"2026-12-08\",\"2026-12-09\",\"2026-12-10\"]");
        assertThat(trend.get("timeZone").asText()).isEqualTo("Europe/Berlin");
        JsonNode steps = trend.get("steps");
        assertThat(steps.get("shown").toString())
                .as("twice's second impression is not a first")
                .isEqualTo("[0,5,0,0]");
        assertThat(steps.get("goal").toString())
                .as("late bought on the 9th in Berlin")
                .isEqualTo("[0,2,1,0]");
        assertThat(steps.get("held").toString()).isEqualTo("[0,2,0,0]");
        assertThat(steps.get("controlGoal").toString()).isEqualTo("[0,1,0,0]");
    }

    @Test
    void theTrendDownloadsAsCsv() {
        var csv = server.admin(BASE + "after-shown/trend?from=2026-12-08&to=2026-12-09&format=csv");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().split("\r\n"))
                .containsExactly(
                        "day,triggered,shown,clicked,dismissed,goal,controlTriggered,held,controlGoal",
                        "2026-12-08,0,5,0,0,2,0,2,1",
                        "2026-12-09,0,0,0,0,1,0,0,0");
    }

    @Test
    void theFunnelDownloadsAsCsvWithTheLiftOnTheTestRow() throws Exception {
        var csv = server.admin(BASE + "after-shown/funnel?format=csv");
        var browser =
                dev.beckon.dashboard.DashboardBrowser.signIn(server, "/dashboard/sites/demo/campaigns/after-shown");
        var page = browser.get("/dashboard/sites/demo/campaigns/after-shown/funnel/csv");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0])
                .isEqualTo("variant,eligible,triggered,shown,held,clicked,dismissed,not_shown,goal,goal_rate,"
                        + "difference,difference_low,difference_high,relative_lift,relative_lift_low,"
                        + "relative_lift_high,verdict");
        List<String> test = List.of(lines[1].split(",", -1));
        List<String> control = List.of(lines[2].split(",", -1));
        assertThat(test.get(0)).isEqualTo("test");
        assertThat(List.of(test.get(3), test.get(8), test.get(9))).containsExactly("5", "3", "0.6");
        assertThat(Double.parseDouble(test.get(10))).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(test.get(16)).isEqualTo("not enough data yet");
        assertThat(control.get(0)).isEqualTo("control");
        assertThat(List.of(control.get(4), control.get(8), control.get(9))).containsExactly("2", "1", "0.5");
        assertThat(control.subList(10, 17)).as("the lift is the test row's").containsOnly("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo(csv.body());
        assertThat(browser.get("/dashboard/sites/demo/campaigns/after-shown").body())
                .as("a difference of rates is in points, not a percentage")
                .contains("<strong>+10.0 points</strong>")
                .contains("data-testid=\"funnel-csv\"");
    }

    @Test
    void theTrendRefusesABadPeriodPrecisely() {
        assertThat(error(BASE + "after-shown/trend?from=2026-12-09&to=2026-12-08"))
                .isEqualTo("from: 2026-12-09 is after to, 2026-12-08");
        assertThat(error(BASE + "after-shown/trend?from=2026-02-30"))
                .isEqualTo("from: give a day as YYYY-MM-DD, such as 2026-12-04, not '2026-02-30'");
        assertThat(error(BASE + "after-shown/trend?from=2024-01-01&to=2026-12-10"))
                .isEqualTo("from, to: a report covers at most 366 days; these are 1075");
        assertThat(error(BASE + "after-shown/trend?to=2027-01-01"))
                .isEqualTo("to: give a day up to tomorrow (2026-12-11), not 2027-01-01");
        assertThat(error(BASE + "after-shown/trend?format=xlsx"))
                .isEqualTo("format: must be json, csv or jsonl, not 'xlsx'");
        assertThat(server.admin(BASE + "nope/trend").status()).isEqualTo(404);
    }

    private static String error(String path) {
        var answer = server.admin(path);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        return answer.json().get("error").asText();
    }

    private static ObjectNode plugin(String device, String name, String campaign, String variant, Instant time) {
        ObjectNode event = at(device, name, time);
        event.with("properties")
                .put("campaignId", campaign)
                .put("campaignVersion", 1)
                .put("variant", variant);
        return event;
    }

    private static ObjectNode category(ObjectNode event, String category) {
        event.with("properties").put("category", category);
        return event;
    }

    private static ObjectNode at(String device, String name, Instant time) {
        return event(name)
                .put("deviceId", "d-" + device)
                .put("sessionId", "s-" + device)
                .put("clientTime", time.toEpochMilli());
    }
}
