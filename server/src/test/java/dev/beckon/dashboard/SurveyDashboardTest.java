package dev.beckon.dashboard;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Surveys in the dashboard over a real server and store, signed in like a browser: a survey made
 * and edited through the campaign editor's form, logic refused with its path, the survey report
 * with its figures, search and CSV tables, stored script in answers and questions escaped on every
 * page, and a viewer who may read but not change a survey.
 */
class SurveyDashboardTest {

    static final String CAMPAIGNS = "/dashboard/sites/demo/campaigns";
    static final String SCRIPT = "<script>alert('answer')</script>";
    static final String IMG = "<img src=x onerror=alert(1)>";
    static final String FORMULA = "=HYPERLINK(\"http://evil\",\"x\")";

    @TempDir
    static Path dataDir;

    static TestServer server;
    static DashboardBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        browser = DashboardBrowser.signIn(server, CAMPAIGNS + "/new?kind=survey");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSurveyIsMadeThroughTheFormWithQuestionsChoicesLogicAndScreens() throws Exception {
        var saved = browser.post(CAMPAIGNS, surveyForm("made", "Checkout survey"));
        JsonNode api = server.admin("/api/v1/sites/demo/campaigns/made").json();

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(api.get("kind").asText()).isEqualTo("survey");
        JsonNode content = api.get("content");
        assertThat(content.at("/intro/title").asText()).isEqualTo("Two quick questions");
        assertThat(content.at("/thanks/title").asText()).isEqualTo("Thank you!");
        assertThat(content.get("questions")).hasSize(3);
        assertThat(content.at("/questions/0/logic").toString())
                .isEqualTo("[{\"if\":{\"op\":\"gte\",\"value\":9},\"goTo\":\"end\"}]");
        assertThat(content.at("/questions/1/choices").toString())
                .isEqualTo("[\"Price\",\"Delivery time\",\"Choice of sizes\"]");
        assertThat(content.at("/questions/1/other").asBoolean()).isTrue();
        assertThat(content.at("/questions/1/logic/0").toString())
                .isEqualTo("{\"if\":{\"op\":\"is\",\"value\":\"Delivery time\"},\"goTo\":\"wish\"}");
        assertThat(content.at("/questions/2/long").asBoolean()).isTrue();
        assertThat(content.at("/questions/1/lowLabel").isMissingNode()).isTrue();
    }

    @Test
    void aSavedSurveysPageHoldsItsFieldsAndSavingThemKeepsItsContent() throws Exception {
        browser.post(CAMPAIGNS, surveyForm("kept", "Kept survey"));
        JsonNode before =
                server.admin("/api/v1/sites/demo/campaigns/kept").json().get("content");
        String page = browser.get(CAMPAIGNS + "/kept").body();

        assertThat(page)
                .contains("name=\"q1.choices\"")
                .contains("Price\nDelivery time\nChoice of sizes")
                .contains("is Delivery time -&gt; wish")
                .contains("data-testid=\"question-4\"")
                .doesNotContain("data-testid=\"question-5\"")
                .contains("Survey report");

        Map<String, String> again = surveyForm("kept", "Kept survey");
        again.remove("id");
        var resaved = browser.post(CAMPAIGNS + "/kept", again);
        assertThat(resaved.statusCode()).as(resaved.body()).isEqualTo(303);
        assertThat(server.admin("/api/v1/sites/demo/campaigns/kept").json().get("content"))
                .isEqualTo(before);
    }

    @Test
    void logicThatGoesBackOrCannotBeReadIsRefusedWithItsPathAndTheFormKept() throws Exception {
        Map<String, String> back = surveyForm("back", "Back");
        back.put("q2.logic", "answered -> nps");
        Map<String, String> unreadable = surveyForm("unreadable", "Unreadable");
        unreadable.put("q0.logic", "if it is 9 then end");

        var refused = browser.post(CAMPAIGNS, back);
        var garbled = browser.post(CAMPAIGNS, unreadable);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("content.questions[2].logic[0].goTo: 'nps' is not a question after 'wish'")
                .contains("answered -&gt; nps");
        assertThat(garbled.statusCode()).isEqualTo(400);
        assertThat(garbled.body()).contains("content.questions[0].logic[0]: write a rule as");
        assertThat(server.admin("/api/v1/sites/demo/campaigns/back").status()).isEqualTo(404);
    }

    @Test
    void thePreviewDrawsTheSurveyAsTextWithoutThePlugin() throws Exception {
        Map<String, String> form = surveyForm("", "Preview");
        form.put("q0.text", SCRIPT);

        var preview = browser.post(CAMPAIGNS + "/preview", form);

        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body())
                .contains("data-kind=\"survey\"")
                .contains("Choice of sizes")
                .contains("&lt;script&gt;alert(")
                .doesNotContain(SCRIPT);
    }

    @Test
    void theReportShowsTheFiguresAndEscapesStoredScriptInAnswersAndQuestions() throws Exception {
        Map<String, String> form = surveyForm("xss", "Hostile");
        form.put("q1.text", IMG + " why?");
        form.put("q1.choices", "Price\n" + SCRIPT + "\nChoice of sizes");
        form.put("q1.logic", "");
        browser.post(CAMPAIGNS, form);
        browser.post(CAMPAIGNS + "/xss/publish", Map.of());
        ObjectNode other = answered("d-1", "r-xss-000000000001", "why", SCRIPT);
        other.with("properties").put("other", IMG);
        server.ingestAccepted(
                answered("d-1", "r-xss-000000000001", "nps", 10),
                other,
                answered("d-1", "r-xss-000000000001", "wish", SCRIPT + IMG),
                answered("d-2", "r-xss-000000000002", "nps", 3),
                answered("d-2", "r-xss-000000000002", "wish", FORMULA));

        var report = browser.get(CAMPAIGNS + "/xss/survey");

        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body())
                .doesNotContain(SCRIPT)
                .doesNotContain(IMG)
                .contains("&lt;script&gt;alert('answer')&lt;/script&gt;")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("data-labels=\"[&#34;Price&#34;,&#34;&lt;script>alert(&#39;answer&#39;)")
                .contains("data-testid=\"nps-nps\"><span class=\"value\">+0</span>")
                .contains("data-testid=\"started\">2</span>")
                .contains("/assets/vendor/uPlot.iife.min.js")
                .contains("data-labels=\"[&#34;0&#34;,&#34;1&#34;");
    }

    @Test
    void theSearchBoxFindsAnswersAndEveryTableDownloadsAsCsv() throws Exception {
        browser.post(CAMPAIGNS, surveyForm("searched", "Searched"));
        browser.post(CAMPAIGNS + "/searched/publish", Map.of());
        server.ingestAccepted(
                answered("d-3", "r-search-0000000001", "wish", "Faster DELIVERY"),
                answered("d-4", "r-search-0000000002", "wish", FORMULA),
                answered("d-5", "r-search-0000000003", "wish", "100% fine"));
        String base = CAMPAIGNS + "/searched/survey";

        String found = browser.get(base + "/answers?q=" + encode("delivery")).body();
        String percent = browser.get(base + "/answers?q=" + encode("%")).body();
        String quote = browser.get(base + "/answers?q=" + encode("' OR 1=1 --")).body();
        String answersCsv = browser.get(base + "/csv?table=answers").body();

        assertThat(found)
                .contains("Faster DELIVERY")
                .doesNotContain("100% fine")
                .doesNotContain("<html");
        assertThat(percent).contains("100% fine").doesNotContain("Faster DELIVERY");
        assertThat(quote).contains("No text answer holds");
        assertThat(answersCsv).contains("'" + FORMULA.replace("\"", "\"\"")).contains("Faster DELIVERY");
        for (String table : SurveyPages.TABLES) {
            var csv = browser.get(base + "/csv?table=" + table);
            assertThat(csv.statusCode()).as(table).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        }
        assertThat(browser.get(base + "/csv?table=questions").body())
                .startsWith("questionId,type,question,reached,answered,skipped,leftAfter");
        assertThat(browser.get(base + "/csv?table=secrets").statusCode()).isEqualTo(400);
    }

    @Test
    void aViewerReadsTheReportButCannotCreateOrEditASurvey() throws Exception {
        browser.post(CAMPAIGNS, surveyForm("guarded", "Guarded"));
        String viewerKey = server.api(
                        "POST", "/api/v1/keys", TestServer.ADMIN_KEY, "{\"label\": \"viewer\", \"role\": \"viewer\"}")
                .json()
                .get("secret")
                .asText();
        var viewer = new dev.beckon.DashboardBrowser(server);
        viewer.signInWithKey(viewerKey);

        var create = viewer.post(CAMPAIGNS, surveyForm("sneaky", "Sneaky"));
        Map<String, String> edit = surveyForm("guarded", "Renamed by a viewer");
        edit.remove("id");
        var change = viewer.post(CAMPAIGNS + "/guarded", edit);
        var api = server.api(
                "POST",
                "/api/v1/sites/demo/campaigns",
                viewerKey,
                "{\"name\": \"x\", \"kind\": \"survey\", \"trigger\": {\"on\": {\"kind\": \"pageView\"}},"
                        + " \"content\": {\"questions\": [{\"id\": \"q\", \"type\": \"text\", \"text\": \"Q\"}]}}");

        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(change.statusCode()).isEqualTo(403);
        assertThat(api.status()).isEqualTo(403);
        assertThat(server.admin("/api/v1/sites/demo/campaigns/sneaky").status()).isEqualTo(404);
        assertThat(server.admin("/api/v1/sites/demo/campaigns/guarded")
                        .json()
                        .get("name")
                        .asText())
                .isEqualTo("Guarded");
        assertThat(viewer.get(CAMPAIGNS + "/guarded").body()).contains("data-testid=\"read-only\"");
        assertThat(viewer.get(CAMPAIGNS + "/guarded/survey").statusCode()).isEqualTo(200);
        assertThat(viewer.get(CAMPAIGNS + "/guarded/survey").body()).doesNotContain("export-responses");
        assertThat(viewer.get(CAMPAIGNS).body()).doesNotContain("data-testid=\"new-survey\"");
    }

    // Helpers

    /** The form of a survey like docs/surveys.md's: nps with logic, a single choice with other, a long text. */
    static Map<String, String> surveyForm(String id, String name) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("kind", "survey");
        form.put("id", id);
        form.put("name", name);
        form.put("priority", "0");
        form.put("rolloutPercent", "100");
        form.put("controlPercent", "0");
        form.put("triggerKind", "event");
        form.put("triggerEvent", "SOFT_BACK_PRESSED");
        form.put("capTotal", "1");
        form.put("stopAfterDismiss", "true");
        form.put("layout", "modal");
        form.put("accent", "#2457ff");
        form.put("introTitle", "Two quick questions");
        form.put("introBody", "It takes ten seconds.");
        form.put("introButton", "Start");
        form.put("q0.id", "nps");
        form.put("q0.type", "nps");
        form.put("q0.text", "How likely are you to recommend us?");
        form.put("q0.required", "true");
        form.put("q0.lowLabel", "Not at all");
        form.put("q0.highLabel", "Very likely");
        form.put("q0.logic", "gte 9 -> end");
        form.put("q1.id", "why");
        form.put("q1.type", "single");
        form.put("q1.text", "What held you back?");
        form.put("q1.choices", "Price\n Delivery time \n\nChoice of sizes\n");
        form.put("q1.other", "true");
        form.put("q1.lowLabel", "ignored for a choice");
        form.put("q1.logic", "is Delivery time -> wish");
        form.put("q2.id", "wish");
        form.put("q2.type", "text");
        form.put("q2.text", "Anything else?");
        form.put("q2.long", "true");
        form.put("q2.maxLength", "2000");
        form.put("thanksTitle", "Thank you!");
        form.put("goalAfter", "shown");
        form.put("goalWindowHours", "24");
        return form;
    }

    static ObjectNode answered(String deviceId, String responseId, String questionId, Object answer) {
        ObjectNode event = event("$survey_answered").put("deviceId", deviceId);
        ObjectNode properties = event.with("properties")
                .put("campaignVersion", 1)
                .put("variant", "test")
                .put("responseId", responseId)
                .put("questionId", questionId);
        properties.put("campaignId", responseId.startsWith("r-xss") ? "xss" : "searched");
        if (answer instanceof Integer score) {
            properties.put("answer", score);
        } else {
            properties.put("answer", String.valueOf(answer));
        }
        return event;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
