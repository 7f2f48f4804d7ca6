package dev.beckon.dashboard;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

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
 * The report pages and the engagement budget's part of the site settings page, over HTTP: what
 * they show, that event names and property values with markup stay text on every new page
 * (stored XSS), and that the settings form saves the budget or says what is wrong.
 */
class ReportPagesTest {

    static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>";
    static final String HOSTILE_VALUE = "\"><script>alert(2)</script>";
    static final String SETTINGS = "/dashboard/settings/sites/demo";

    @TempDir
    static Path dataDir;

    static TestServer server;
    static DashboardBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        browser = DashboardBrowser.signIn(server, SETTINGS);
        ObjectNode hostile = event(HOSTILE_NAME).put("deviceId", "d-x");
        hostile.with("properties").put("category", HOSTILE_VALUE);
        ObjectNode view = event("VIEW").put("deviceId", "d-y");
        view.with("properties").put("category", HOSTILE_VALUE);
        server.ingestAccepted(hostile, view);
        var created = server.api(
                "POST",
                "/api/v1/sites/demo/campaigns",
                TestServer.ADMIN_KEY,
                "{\"id\": \"c-1\", \"name\": \"" + HOSTILE_NAME.replace("\"", "\\\"")
                        + "\", \"trigger\": {\"on\": {\"kind\": \"pageView\"}}, \"content\": {\"layout\": \"banner\","
                        + " \"position\": \"top\", \"title\": \"Hi\"}, \"goal\": {\"event\": \"VIEW\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theEventsReportShowsNamesAndValuesAsText() throws Exception {
        String page = browser.get("/dashboard/sites/demo/reports/events?event=" + encode(HOSTILE_NAME)
                        + "&event=VIEW&breakdown=category")
                .body();

        assertThat(page)
                .doesNotContain(HOSTILE_NAME)
                .doesNotContain("<script>alert")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("data-chart=\"")
                .contains("src=\"/assets/vendor/uPlot.iife.min.js\"")
                .contains("src=\"/assets/reports.js\"");
    }

    @Test
    void theHoldoutReportAndTheTrendShowNamesAsText() throws Exception {
        String holdout = browser.get("/dashboard/sites/demo/reports/holdout?goal=" + encode(HOSTILE_NAME))
                .body();
        String trend = browser.get("/dashboard/sites/demo/campaigns/c-1/trend").body();

        assertThat(holdout).doesNotContain(HOSTILE_NAME).contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(holdout).contains("data-testid=\"verdict\">not enough data yet<");
        assertThat(trend).doesNotContain(HOSTILE_NAME).contains("&lt;img src=x onerror=alert(1)&gt;, day by day");
    }

    @Test
    void aRefusedParameterIsShownAboveTheForm() throws Exception {
        var page = browser.get("/dashboard/sites/demo/reports/events?event=VIEW&from=" + encode("<b>x</b>"));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body())
                .contains("from: give a day as YYYY-MM-DD, such as 2026-12-04, not '&lt;b&gt;x&lt;/b&gt;'");
    }

    @Test
    void theAssetsThePagesLoadAreServed() throws Exception {
        for (String asset :
                new String[] {"/assets/reports.js", "/assets/vendor/uPlot.iife.min.js", "/assets/vendor/uPlot.min.css"
                }) {
            assertThat(browser.get(asset).statusCode()).as(asset).isEqualTo(200);
        }
    }

    @Test
    void theSettingsFormSavesTheBudget() throws Exception {
        var saved = browser.post(SETTINGS, form("12.5", "3", "10", "600", "22:00", "07:30"));

        assertThat(saved.statusCode()).isEqualTo(303);
        var site = server.admin("/api/v1/sites/demo").json();
        assertThat(site.get("holdoutPercent").asDouble()).isEqualTo(12.5);
        assertThat(site.get("fatigue").toString()).isEqualTo("{\"perDay\":3,\"perWeek\":10}");
        assertThat(site.get("quietHours").toString()).isEqualTo("{\"from\":\"22:00\",\"to\":\"07:30\"}");
        assertThat(browser.get(SETTINGS).body()).contains("value=\"12.5\"").contains("value=\"07:30\"");

        browser.post(SETTINGS, form("", "", "", "", "", ""));
        assertThat(server.admin("/api/v1/sites/demo").json().get("quietHours").isNull())
                .isTrue();
    }

    @Test
    void aBadBudgetIsShownOnTheSettingsPage() throws Exception {
        var refused = browser.post(SETTINGS, form("5", "3", "10", "600", "22:00", ""));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("quietHours.to: give a time of day as HH:MM, from 00:00 to 23:59, not \"\"");
    }

    private static Map<String, String> form(
            String holdout, String perDay, String perWeek, String gap, String quietFrom, String quietTo) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", "Demo shop");
        form.put("allowedOrigins", "self");
        form.put("timeZone", "UTC");
        form.put("retentionDays", "395");
        form.put("holdoutPercent", holdout);
        form.put("fatiguePerDay", perDay);
        form.put("fatiguePerWeek", perWeek);
        form.put("minGapSeconds", gap);
        form.put("quietFrom", quietFrom);
        form.put("quietTo", quietTo);
        return form;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
