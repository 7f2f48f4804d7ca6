package dev.beckon.report;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.DashboardBrowser;
import dev.beckon.TestServer;
import dev.beckon.robustness.MutableClock;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The site-wide holdout and the fatigue budget: the settings and their checks, the config that
 * a person in the holdout is given, and the holdout's report over a small data set.
 *
 * <p>The holdout buckets below were computed apart from the code, with Python's hashlib: the first 8
 * hex digits of SHA-256("demo:holdout:" + person) as an integer, mod 10,000. d:dev-1 8392, d:dev-2
 * 9783, d:dev-3 244, d:dev-4 2651, d:dev-5 5756, d:dev-6 3525, u:ann 3975, u:bob 7248. With a holdout
 * of 40 % (buckets below 4000) dev-3, dev-4, dev-6 and ann are held out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HoldoutAndBudgetTest {

    static final String SITE = "/api/v1/sites/demo";
    static final String BUDGET = "{\"holdoutPercent\": 40, \"fatigue\": {\"perDay\": 3, \"perWeek\": 10},"
            + " \"minGapSeconds\": 600, \"quietHours\": {\"from\": \"22:00\", \"to\": \"07:30\"}}";

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void startWithABudgetAndALiveCampaign() {
        server = TestServer.start(dataDir, new MutableClock(Instant.parse("2026-12-10T12:00:00Z")));
        assertThat(patch(BUDGET).status()).isEqualTo(200);
        var created = server.api(
                "POST",
                SITE + "/campaigns",
                TestServer.ADMIN_KEY,
                "{\"id\": \"hello\", \"name\": \"Hello\", \"trigger\": {\"on\": {\"kind\": \"pageView\"}},"
                        + " \"content\": {\"layout\": \"banner\", \"position\": \"top\", \"title\": \"Hi\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(server.api("POST", SITE + "/campaigns/hello/publish", TestServer.ADMIN_KEY, "")
                        .status())
                .isEqualTo(200);

        // dev-1, dev-2, dev-5 are everyone else (2 of 3 buy); dev-3 and dev-4 the holdout (1 of 2 buys);
        // dev-6 has only the plugin's events, so it was not active.
        server.ingestAccepted(
                at("dev-1", "PAGE", "2026-12-02T10:00:00Z"),
                at("dev-1", "PURCHASE", "2026-12-02T10:05:00Z"),
                at("dev-2", "PAGE", "2026-12-03T10:00:00Z"),
                at("dev-5", "PAGE", "2026-12-04T10:00:00Z"),
                at("dev-5", "PURCHASE", "2026-12-04T11:00:00Z"),
                at("dev-3", "PAGE", "2026-12-05T10:00:00Z"),
                at("dev-4", "PAGE", "2026-12-06T10:00:00Z"),
                at("dev-4", "PURCHASE", "2026-12-06T10:30:00Z"),
                at("dev-6", "$campaign_held", "2026-12-06T10:00:00Z"),
                at("dev-1", "PURCHASE", "2026-11-20T10:00:00Z"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theSiteCarriesItsBudget() {
        JsonNode site = server.admin(SITE).json();

        assertThat(site.get("holdoutPercent").asDouble()).isEqualTo(40.0);
        assertThat(site.get("fatigue").toString()).isEqualTo("{\"perDay\":3,\"perWeek\":10}");
        assertThat(site.get("minGapSeconds").asInt()).isEqualTo(600);
        assertThat(site.get("quietHours").toString()).isEqualTo("{\"from\":\"22:00\",\"to\":\"07:30\"}");
    }

    @Test
    void aPersonInTheHoldoutIsToldSoAndEveryCampaignIsHeldForThem() {
        JsonNode held = config("dev-3", null);
        JsonNode shown = config("dev-1", null);

        assertThat(held.get("holdout").asBoolean()).isTrue();
        assertThat(held.get("campaigns").get(0).get("variant").asText()).isEqualTo("holdout");
        assertThat(shown.get("holdout").asBoolean()).isFalse();
        assertThat(shown.get("campaigns").get(0).get("variant").asText()).isIn("test", "control");
        assertThat(shown.get("fatigue").toString()).isEqualTo("{\"perDay\":3,\"perWeek\":10}");
        assertThat(shown.get("minGapSeconds").asInt()).isEqualTo(600);
        assertThat(shown.get("quietHours").toString()).isEqualTo("{\"from\":\"22:00\",\"to\":\"07:30\"}");
    }

    @Test
    void theHoldoutIsStickyPerPersonOnEveryDevice() {
        for (int i = 0; i < 3; i++) {
            assertThat(config("dev-3", null).get("holdout").asBoolean()).isTrue();
            assertThat(config("dev-2", null).get("holdout").asBoolean()).isFalse();
        }

        assertThat(config("dev-1", "ann").get("holdout").asBoolean())
                .as("u:ann, 3975")
                .isTrue();
        assertThat(config("dev-3", "bob").get("holdout").asBoolean())
                .as("u:bob, 7248")
                .isFalse();
    }

    @Test
    void thePeopleOfTheHoldoutAreNeverACampaignsEligible() {
        config("dev-4", null);
        config("dev-5", null);

        JsonNode funnel = server.admin(SITE + "/campaigns/hello/funnel").json();
        long eligible = funnel.get("test").get("eligible").asLong()
                + funnel.get("control").get("eligible").asLong();
        JsonNode exposure = server.admin(SITE + "/campaigns/hello/why?deviceId=dev-4")
                .json()
                .get("exposure");

        assertThat(exposure.isNull()).as("dev-4 is held out").isTrue();
        assertThat(eligible)
                .as("dev-5 and whoever else out of the holdout fetched a config")
                .isPositive();
    }

    @Test
    void theReportComparesTheHoldoutWithEveryoneElse() {
        JsonNode report = server.admin(SITE + "/reports/holdout?goal=PURCHASE&from=2026-12-01&to=2026-12-10")
                .json();

        assertThat(report.get("holdoutPercent").asDouble()).isEqualTo(40.0);
        assertThat(report.get("holdout").toString()).isEqualTo("{\"people\":2,\"converted\":1,\"goalRate\":0.5}");
        assertThat(report.get("everyoneElse").get("people").asLong()).isEqualTo(3);
        assertThat(report.get("everyoneElse").get("converted").asLong()).isEqualTo(2);
        assertThat(report.get("lift").get("difference").asDouble())
                .isCloseTo(2.0 / 3 - 0.5, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(report.get("lift").get("verdictWords").asText()).isEqualTo("not enough data yet");
    }

    @Test
    void theReportDownloadsAsOneCsvRow() {
        var csv = server.admin(SITE + "/reports/holdout?goal=PURCHASE&from=2026-12-01&to=2026-12-10&format=csv");

        assertThat(csv.body().split("\r\n")).hasSize(2);
        assertThat(csv.body().split("\r\n")[1])
                .startsWith("PURCHASE,2026-12-01,2026-12-10,UTC,40.0,2,1,0.5,3,2,0.6666666666666666,")
                .endsWith(",not enough data yet");
    }

    @Test
    void theReportNeedsAGoal() {
        var answer = server.admin(SITE + "/reports/holdout");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("goal: is required");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"holdoutPercent\": 100.5}     | holdoutPercent: give a number from 0 to 100, in hundredths at most, not 100.5",
                "{\"holdoutPercent\": 1.005}     | holdoutPercent: give a number from 0 to 100, in hundredths at most, not 1.005",
                "{\"holdoutPercent\": \"5\"}     | holdoutPercent: give a number from 0 to 100, in hundredths at most, not \"5\"",
                "{\"holdoutPercent\": null}      | holdoutPercent: give a number from 0 to 100, in hundredths at most, not null",
                "{\"fatigue\": {\"perDay\": -1}} | fatigue.perDay: give a whole number from 0 (no limit) to 1000, not -1",
                "{\"fatigue\": {\"perWeek\": 1e9}} | fatigue.perWeek: give a whole number from 0 (no limit) to 10000, not 1.0E9",
                "{\"fatigue\": {\"perHour\": 1}} | fatigue.perHour: is not a field of fatigue; the fields are perDay, perWeek",
                "{\"fatigue\": 3}                | fatigue: give an object such as {\"perDay\": 3, \"perWeek\": 10}",
                "{\"minGapSeconds\": 2.5}        | minGapSeconds: give a whole number from 0 (no limit) to 604800, not 2.5",
                "{\"quietHours\": {\"from\": \"24:00\", \"to\": \"07:00\"}} | quietHours.from: give a time of day as HH:MM, from 00:00 to 23:59, not \"24:00\"",
                "{\"quietHours\": {\"from\": \"22:00\", \"to\": \"7:00\"}}  | quietHours.to: give a time of day as HH:MM, from 00:00 to 23:59, not \"7:00\"",
                "{\"quietHours\": {\"from\": \"22:00\", \"to\": \"22:00\"}} | quietHours: from and to are both 22:00; give two different times",
                "{\"quietHours\": {\"from\": \"22:00\"}} | quietHours: give null or an object with only from and to, such as {\"from\": \"22:00\", \"to\": \"08:00\"}",
                "{\"quietHours\": \"night\"}     | quietHours: give null or an object with only from and to, such as {\"from\": \"22:00\", \"to\": \"08:00\"}",
            })
    void aBadBudgetIsRefusedPreciselyAndChangesNothing(String body, String error) {
        var answer = patch(body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo(error);
        assertThat(server.admin(SITE).json().get("holdoutPercent").asDouble()).isEqualTo(40.0);
    }

    @Test
    void aViewerReadsTheReportsButCannotChangeTheBudget() {
        var made = server.api(
                "POST", "/api/v1/keys", TestServer.ADMIN_KEY, "{\"label\": \"viewer\", \"role\": \"viewer\"}");
        String viewer = made.json().get("secret").asText();
        var dashboard = new DashboardBrowser(server);
        dashboard.signInWithKey(viewer);

        assertThat(server.api("GET", SITE + "/reports/holdout?goal=PURCHASE", viewer, null)
                        .status())
                .isEqualTo(200);
        assertThat(server.api("GET", SITE + "/reports/events?event=PAGE&format=csv", viewer, null)
                        .status())
                .isEqualTo(200);
        assertThat(dashboard
                        .get("/dashboard/sites/demo/reports/holdout?goal=PURCHASE")
                        .statusCode())
                .isEqualTo(200);
        assertThat(dashboard
                        .get("/dashboard/sites/demo/reports/events/csv?event=PAGE")
                        .statusCode())
                .isEqualTo(200);
        assertThat(server.api("PATCH", SITE, viewer, "{\"holdoutPercent\": 0}").status())
                .isEqualTo(403);
        assertThat(dashboard
                        .post("/dashboard/settings/sites/demo", java.util.Map.of("holdoutPercent", "0"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(server.admin(SITE).json().get("holdoutPercent").asDouble()).isEqualTo(40.0);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void theBudgetIsKeptAcrossARestart() {
        server.close();
        server = TestServer.start(dataDir, new MutableClock(Instant.parse("2026-12-10T12:00:00Z")));

        JsonNode site = server.admin(SITE).json();

        assertThat(site.get("holdoutPercent").asDouble()).isEqualTo(40.0);
        assertThat(site.get("quietHours").get("to").asText()).isEqualTo("07:30");
        assertThat(config("dev-3", null).get("holdout").asBoolean()).isTrue();
    }

    private static TestServer.Response patch(String body) {
        return server.api("PATCH", SITE, TestServer.ADMIN_KEY, body);
    }

    private static JsonNode config(String deviceId, String userId) {
        String query = "?deviceId=" + deviceId + (userId == null ? "" : "&userId=" + userId);
        var answer = server.send(HttpRequest.newBuilder(server.uri("/config/demo" + query)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static ObjectNode at(String device, String name, String time) {
        ObjectNode event = event(name)
                .put("deviceId", device)
                .put("sessionId", "s-" + device)
                .put("clientTime", Instant.parse(time).toEpochMilli());
        if (name.startsWith("$campaign_")) {
            event.with("properties").put("campaignId", "hello").put("variant", "holdout");
        }
        return event;
    }
}
