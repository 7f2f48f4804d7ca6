package dev.beckon.campaign;

import static dev.beckon.Batches.event;
import static dev.beckon.campaign.CampaignFixtures.create;
import static dev.beckon.campaign.CampaignFixtures.publish;
import static dev.beckon.campaign.CampaignFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.DashboardBrowser;
import dev.beckon.ImportClient;
import dev.beckon.Json;
import dev.beckon.TestServer;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign's outcomes export on a real server and store: per person and variant, the steps the
 * funnel counts, so that the export's counts are the funnel's; hostile ids neutralised in CSV and
 * literal in JSON lines; refusals for another site's campaign and an unknown one; the roles that
 * may export; the dashboard's link; and the CSV imported back into a cohort.
 */
class CampaignOutcomeExportTest {

    static final String BASE = "/api/v1/sites/demo/campaigns/";
    static final String EXPORT = BASE + "measured/export";
    static final long NOW = System.currentTimeMillis();
    static final long HOUR = Duration.ofHours(1).toMillis();

    static final String FORMULA = "=HYPERLINK(\"http://evil\",\"x\")";
    static final String PLUS = "+1 555 0100";
    static final String AT = "@ann";
    static final String QUOTED = "say \"hi\", 🎉";

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void startWithOneMeasuredCampaign() {
        server = TestServer.start(dataDir);
        ObjectNode campaign = CampaignFixtures.simple("Measured");
        campaign.putObject("goal").put("event", "ADD_TO_CART").put("windowHours", 1);
        create(server, "measured", campaign);
        publish(server, "measured");

        fetchAs(FORMULA, "d-evil");
        fetchAs(PLUS, "d-plus");
        fetchAs(AT, "d-at");
        ConfigEndpointTestAccess.fetch(server, "d-anon");
        server.ingestAccepted(
                // Shown, clicked and converted within the hour.
                plugin(FORMULA, "d-evil", "$campaign_triggered", "test", -50),
                plugin(FORMULA, "d-evil", "$campaign_shown", "test", -49),
                plugin(FORMULA, "d-evil", "$campaign_clicked", "test", -48),
                at(FORMULA, "d-evil", "ADD_TO_CART", -40),
                // Shown and dismissed; bought after the window.
                plugin(PLUS, "d-plus", "$campaign_triggered", "test", -3 * HOUR),
                plugin(PLUS, "d-plus", "$campaign_shown", "test", -3 * HOUR + 1),
                plugin(PLUS, "d-plus", "$campaign_dismissed", "test", -3 * HOUR + 2),
                at(PLUS, "d-plus", "ADD_TO_CART", -HOUR),
                // Eligible only: AT. Triggered but capped, never served by this server.
                plugin(QUOTED, "-d-dash", "$campaign_triggered", "test", -30),
                plugin(QUOTED, "-d-dash", "$campaign_not_shown", "test", -29),
                // An anonymous device that was shown it, and an event of another campaign.
                plugin(null, "d-anon", "$campaign_triggered", "test", -20),
                plugin(null, "d-anon", "$campaign_shown", "test", -19),
                another(null, "d-anon", "$campaign_clicked", -18),
                // The control group: held, then converted.
                plugin(null, "d-control", "$campaign_triggered", "control", -10),
                plugin(null, "d-control", "$campaign_held", "control", -9),
                at(null, "d-control", "ADD_TO_CART", -5));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theOutcomesOfEachVariantAddUpToTheFunnel() {
        List<JsonNode> rows = jsonLines(server.admin(EXPORT + "?format=jsonl").body());
        JsonNode funnel = server.admin(BASE + "measured/funnel").json();

        for (String variant : List.of("test", "control")) {
            JsonNode steps = funnel.get(variant);
            for (var step : Map.of(
                            "eligible", "eligible",
                            "triggered", "triggered",
                            "shown", "shown",
                            "held", "held",
                            "clicked", "clicked",
                            "dismissed", "dismissed",
                            "notShown", "notShown",
                            "converted", "goal")
                    .entrySet()) {
                long exported = rows.stream()
                        .filter(row -> row.get("variant").asText().equals(variant))
                        .filter(row -> row.get(step.getKey()).asBoolean())
                        .count();
                assertThat(exported)
                        .as(variant + " " + step.getKey())
                        .isEqualTo(steps.get(step.getValue()).asLong());
            }
        }
        assertThat(funnel.at("/test/triggered").asLong()).isEqualTo(4);
        assertThat(funnel.at("/test/goal").asLong()).isEqualTo(1);
        assertThat(funnel.at("/control/goal").asLong()).isEqualTo(1);
    }

    @Test
    void eachPersonHasOneRowPerVariantWithWhatHappenedToThem() {
        List<JsonNode> rows = jsonLines(server.admin(EXPORT + "?format=jsonl").body());

        assertThat(rows).hasSize(6);
        JsonNode evil = row(rows, FORMULA, "test");
        assertThat(evil.get("deviceId").asText()).isEqualTo("d-evil");
        assertThat(evil.get("eligible").asBoolean()).isTrue();
        assertThat(evil.get("eligibleTime").asText()).endsWith("Z");
        assertThat(flags(evil)).isEqualTo("triggered shown clicked converted");
        assertThat(evil.get("firstShownTime").asText()).isEqualTo(Json.TIME_FORMAT.format(instant(-49)));
        assertThat(flags(row(rows, PLUS, "test"))).isEqualTo("triggered shown dismissed");
        assertThat(flags(row(rows, AT, "test"))).isEmpty();
        assertThat(row(rows, AT, "test").get("firstShownTime").isNull()).isTrue();
        JsonNode quoted = row(rows, QUOTED, "test");
        assertThat(quoted.get("eligible").asBoolean()).isFalse();
        assertThat(quoted.get("eligibleTime").isNull()).isTrue();
        assertThat(flags(quoted)).isEqualTo("triggered notShown");
        JsonNode anonymous = row(rows, null, "test");
        assertThat(anonymous.get("deviceId").asText()).isEqualTo("d-anon");
        assertThat(flags(anonymous))
                .as("another campaign's click is not counted")
                .isEqualTo("triggered shown");
        JsonNode control = rows.stream()
                .filter(row -> row.get("variant").asText().equals("control"))
                .findFirst()
                .orElseThrow();
        assertThat(control.get("deviceId").asText()).isEqualTo("d-control");
        assertThat(flags(control)).isEqualTo("triggered held converted");
        assertThat(control.get("firstShownTime").asText()).isEqualTo(Json.TIME_FORMAT.format(instant(-9)));
    }

    @Test
    void hostileIdsAreNeutralisedInCsvAndLiteralInJsonLines() {
        TestServer.Response csv = server.admin(EXPORT + "?format=csv");
        TestServer.Response lines = server.admin(EXPORT + "?format=jsonl");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.header("Content-Disposition")).contains("attachment; filename=\"beckon-campaign-measured.csv\"");
        assertThat(csv.body())
                .startsWith("userId,deviceId,variant,eligible,eligibleTime,triggered,shown,held,firstShownTime,"
                        + "clicked,dismissed,notShown,converted\r\n")
                .contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",d-evil,test,true,");
        List<CSVRecord> records = csvRecords(csv.body());
        assertThat(records.stream().map(r -> r.get("userId")).collect(Collectors.toSet()))
                .contains("'" + FORMULA, "'" + PLUS, "'" + AT, QUOTED, "");
        assertThat(records.stream().map(r -> r.get("deviceId")).collect(Collectors.toSet()))
                .contains("'-d-dash");

        assertThat(lines.header("Content-Type")).contains("application/x-ndjson");
        assertThat(lines.header("Content-Disposition"))
                .hasValue("attachment; filename=\"beckon-campaign-measured.jsonl\"");
        List<JsonNode> rows = jsonLines(lines.body());
        assertThat(rows.stream().map(r -> r.get("userId").asText(null)).collect(Collectors.toSet()))
                .contains(FORMULA, PLUS, AT, QUOTED);
        assertThat(rows.stream().map(r -> r.get("deviceId").asText()).collect(Collectors.toSet()))
                .contains("-d-dash");
    }

    @Test
    void aCampaignWithoutAGoalLeavesConvertedEmpty() {
        create(server, "no-goal", CampaignFixtures.simple("Without a goal"));
        ObjectNode triggered = plugin("bob", "d-bob", "$campaign_triggered", "test", -5);
        triggered.with("properties").put("campaignId", "no-goal");
        server.ingestAccepted(triggered);

        TestServer.Response csv = server.admin(BASE + "no-goal/export");
        List<JsonNode> rows =
                jsonLines(server.admin(BASE + "no-goal/export?format=jsonl").body());

        assertThat(csv.body()).endsWith("\r\nbob,d-bob,test,false,,true,false,false,,false,false,false,\r\n");
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().get("converted").isNull()).isTrue();
    }

    @Test
    void anotherSitesCampaignAndAnUnknownOneAreNotFound() {
        var site = CampaignFixtures.send(server, "POST", "/api/v1/sites", "{\"id\": \"other\", \"name\": \"Other\"}");
        assertThat(site.status()).as(site.body()).isIn(201, 409);
        var elsewhere = send(
                server,
                "POST",
                "/api/v1/sites/other/campaigns",
                CampaignFixtures.simple("Elsewhere").put("id", "elsewhere").toString());
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(201);

        assertError(server.admin(BASE + "elsewhere/export"), 404, "site 'demo' has no campaign 'elsewhere'");
        assertError(server.admin(BASE + "nope/export?format=jsonl"), 404, "site 'demo' has no campaign 'nope'");
        assertError(server.admin(EXPORT + "?format=xlsx"), 400, "format: must be csv or jsonl, not 'xlsx'");
        assertThat(server.admin("/api/v1/sites/other/campaigns/elsewhere/export")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void anEditorMayExportAndAViewerOrAnotherSitesEditorMayNot() {
        String viewer = key("viewer", "demo");
        String editor = key("editor", "demo");
        String editorOfAnotherSite = key("editor", "other-editors");

        var asViewer = server.api("GET", EXPORT, viewer, null);
        var asEditor = server.api("GET", EXPORT, editor, null);
        var asOther = server.api("GET", EXPORT, editorOfAnotherSite, null);
        var anonymous = server.send(HttpRequest.newBuilder(server.uri(EXPORT)));

        assertError(asViewer, 403, "this needs the editor role; this API key has the viewer role");
        assertThat(asEditor.status()).isEqualTo(200);
        assertThat(asEditor.body()).startsWith("userId,deviceId,variant,");
        assertError(asOther, 403, "this API key has no access to site 'demo'");
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void theCampaignPageLinksTheExportForEditorsOnly() {
        var editor = new DashboardBrowser(server);
        editor.signInWithKey(key("editor", "demo"));
        var viewer = new DashboardBrowser(server);
        viewer.signInWithKey(key("viewer", "demo"));
        String page = "/dashboard/sites/demo/campaigns/measured";

        String asEditor = editor.get(page).body();
        var download = editor.get(page + "/export?format=csv");
        String asViewer = viewer.get(page).body();

        assertThat(asEditor)
                .contains("href=\"" + page + "/export?format=csv\"")
                .contains("href=\"" + page + "/export?format=jsonl\"");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).startsWith("userId,deviceId,variant,");
        assertThat(asViewer).contains("data-testid=\"funnel\"").doesNotContain("/export?format=");
        assertThat(viewer.get(page + "/export?format=csv").statusCode()).isEqualTo(403);
    }

    @Test
    void theCsvImportedBackIntoACohortGivesTheSameIdentifiedPeople() {
        String exported = server.admin(EXPORT + "?format=csv").body();
        Set<String> users = new TreeSet<>();
        for (JsonNode row : jsonLines(server.admin(EXPORT + "?format=jsonl").body())) {
            if (!row.get("userId").isNull()) {
                users.add(row.get("userId").asText());
            }
        }

        JsonNode job = new ImportClient(server).imported(withoutFormulaQuotes(exported), "campaign-people");
        Set<String> members = new TreeSet<>();
        for (JsonNode row : jsonLines(server.admin("/api/v1/sites/demo/cohorts/campaign-people/export?format=jsonl")
                .body())) {
            members.add(row.get("userId").asText());
        }

        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("done");
        assertThat(members).isEqualTo(users).hasSize(4);
    }

    // Helpers

    /** Fetches the config as the plugin of a signed-in user does, so the exposure is the user's. */
    private static void fetchAs(String userId, String deviceId) {
        var answer = server.send(HttpRequest.newBuilder(server.uri(
                "/config/demo?deviceId=" + deviceId + "&userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8))));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    private static String key(String role, String siteId) {
        if (siteId.equals("other-editors")) {
            send(server, "POST", "/api/v1/sites", "{\"id\": \"other-editors\", \"name\": \"Other editors\"}");
        }
        var made = server.api(
                "POST",
                "/api/v1/keys",
                TestServer.ADMIN_KEY,
                "{\"label\": \"made for a test\", \"role\": \"" + role + "\", \"siteId\": \"" + siteId + "\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().get("secret").asText();
    }

    /** The steps that hold for a row, in column order. */
    private static String flags(JsonNode row) {
        List<String> held = new ArrayList<>();
        for (String step : List.of("triggered", "shown", "held", "clicked", "dismissed", "notShown", "converted")) {
            if (row.get(step).asBoolean()) {
                held.add(step);
            }
        }
        return String.join(" ", held);
    }

    private static JsonNode row(List<JsonNode> rows, String userId, String variant) {
        return rows.stream()
                .filter(row -> Objects.equals(row.get("userId").asText(null), userId))
                .filter(row -> row.get("variant").asText().equals(variant))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + variant + " row of " + userId + " in " + rows));
    }

    /** The CSV as a spreadsheet user would fix it for an import: the quote before a formula cell taken off. */
    private static String withoutFormulaQuotes(String csv) {
        return csv.replaceAll("(?m)(^|,)(\"?)'([=+\\-@])", "$1$2$3");
    }

    private static List<JsonNode> jsonLines(String body) {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            try {
                rows.add(Json.mapper().readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    private static List<CSVRecord> csvRecords(String body) {
        try {
            return CSVFormat.RFC4180
                    .builder()
                    .setHeader()
                    .get()
                    .parse(new StringReader(body))
                    .getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(long offsetMs) {
        return Instant.ofEpochMilli(NOW + offsetMs);
    }

    private static void assertError(TestServer.Response answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error").asText()).isEqualTo(message);
    }

    private static ObjectNode plugin(String userId, String device, String name, String variant, long offsetMs) {
        ObjectNode event = at(userId, device, name, offsetMs);
        event.with("properties")
                .put("campaignId", "measured")
                .put("campaignVersion", 1)
                .put("variant", variant);
        return event;
    }

    private static ObjectNode another(String userId, String device, String name, long offsetMs) {
        ObjectNode event = plugin(userId, device, name, "test", offsetMs);
        event.with("properties").put("campaignId", "another");
        return event;
    }

    private static ObjectNode at(String userId, String device, String name, long offsetMs) {
        ObjectNode event = event(name)
                .put("deviceId", device)
                .put("sessionId", "s-" + device)
                .put("clientTime", NOW + offsetMs);
        if (userId != null) {
            event.put("userId", userId);
        }
        return event;
    }
}
