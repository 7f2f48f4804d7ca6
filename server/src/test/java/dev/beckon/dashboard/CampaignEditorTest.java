package dev.beckon.dashboard;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's campaign editor over a real server and store, signed in like a browser: saving a
 * draft from the form, publishing, the preview, the funnel, the anchor warning, the "why" panel,
 * refusals that keep the form, and hostile text escaped everywhere.
 */
class CampaignEditorTest {

    static final String SCRIPT = "<script>alert('x')</script>";
    static final String CAMPAIGNS = "/dashboard/sites/demo/campaigns";

    @TempDir
    static Path dataDir;

    static TestServer server;

    DashboardBrowser browser;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void signIn() throws Exception {
        browser = DashboardBrowser.signIn(server, CAMPAIGNS + "/new");
    }

    @Test
    void aFormSavesADraftThatTheAdminApiReadsAsWritten() throws Exception {
        Map<String, String> form = form("Shoe help", "shoe-help");
        form.put("triggerKind", "without");
        form.put("triggerEvent", "PRODUCT_TAPPED");
        form.put("triggerSeconds", "20");
        form.put("triggerPath", "/demo/shoes*");
        form.put("condition", "{\"did\": {\"event\": \"PRODUCT_VIEWED\", \"count\": {\"atLeast\": 5}}}");
        form.put("capPerDay", "1");
        form.put("button0.label", "Open the guide");
        form.put("button0.action", "url");
        form.put("button0.target", "/demo/guide");
        form.put("goalEvent", "ADD_TO_CART");
        form.put("scheduleStart", "2026-01-01T10:00");
        form.put("testDevices", "d-1\n d-2 \n");

        var saved = post(CAMPAIGNS, form);
        var api = server.admin("/api/v1/sites/demo/campaigns/shoe-help").json();
        String page = get(CAMPAIGNS + "/shoe-help").body();

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location")).contains(CAMPAIGNS + "/shoe-help");
        assertThat(api.get("trigger").get("on").toString())
                .isEqualTo(
                        "{\"kind\":\"without\",\"event\":\"PRODUCT_TAPPED\",\"seconds\":20,\"path\":\"/demo/shoes*\"}");
        assertThat(api.get("caps").get("perDay").asInt()).isEqualTo(1);
        assertThat(api.get("content").get("buttons").get(0).get("url").asText()).isEqualTo("/demo/guide");
        assertThat(api.get("goal").get("windowHours").asInt()).isEqualTo(24);
        assertThat(api.get("schedule").get("start").asText()).isEqualTo("2026-01-01T10:00:00.000Z");
        assertThat(api.get("testDevices").toString()).isEqualTo("[\"d-1\",\"d-2\"]");
        assertThat(page)
                .contains("value=\"PRODUCT_TAPPED\"")
                .contains("value=\"2026-01-01T10:00\"")
                .contains("data-testid=\"publish\"")
                .contains("data-testid=\"funnel\"");
    }

    @Test
    void publishingPausingAndEndingFromThePage() throws Exception {
        post(CAMPAIGNS, form("Lifecycle", "lifecycle"));

        var published = post(CAMPAIGNS + "/lifecycle/publish", Map.of());
        String live = get(CAMPAIGNS + "/lifecycle").body();
        post(CAMPAIGNS + "/lifecycle/pause", Map.of());
        String paused = get(CAMPAIGNS + "/lifecycle").body();
        var refused = post(CAMPAIGNS + "/lifecycle/pause", Map.of());
        post(CAMPAIGNS + "/lifecycle/end", Map.of());
        String list = get(CAMPAIGNS).body();

        assertThat(published.statusCode()).isEqualTo(303);
        assertThat(live).contains("data-testid=\"status\">live<").contains("version 1");
        assertThat(paused).contains("data-testid=\"status\">paused<");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("is paused and cannot be paused");
        assertThat(list).contains("Lifecycle").contains("status-ended");
    }

    @Test
    void anInvalidFormIsNotSavedAndKeepsWhatWasTyped() throws Exception {
        Map<String, String> form = form("Broken", "broken");
        form.put("title", "Still here");
        form.put("button0.label", "Go");
        form.put("button0.action", "url");
        form.put("button0.target", "javascript:alert(1)");

        var refused = post(CAMPAIGNS, form);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("content.buttons[0].url: must be an http, https or relative URL")
                .contains("value=\"Still here\"");
        assertThat(server.admin("/api/v1/sites/demo/campaigns/broken").status()).isEqualTo(404);
    }

    @Test
    void thePreviewCarriesTheContentForThePluginAndAPlainFallback() throws Exception {
        Map<String, String> form = form("Preview", "");
        form.put("layout", "banner");
        form.put("position", "top");
        form.put("title", "Hi {username|there}");

        var preview = post(CAMPAIGNS + "/preview", form);
        var broken = post(CAMPAIGNS + "/preview", Map.of("layout", "popup", "title", "x"));
        String editor = get(CAMPAIGNS + "/new").body();

        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body())
                .contains("data-content=\"{&#34;layout&#34;:&#34;banner&#34;")
                .contains("<h3>Hi {username|there}</h3>");
        assertThat(broken.body()).contains("content.layout: must be one of modal, banner, tooltip, card");
        assertThat(editor)
                .contains("src=\"/assets/campaign-editor.js\"")
                .contains("id=\"nudge-stage\"")
                .contains("hx-post=\"/dashboard/sites/demo/campaigns/preview\"")
                .doesNotContain("style=")
                .doesNotContain("onclick=");
    }

    @Test
    void theEditorScriptHandsTheContentToThePluginOnlyWhenItIsThere() throws Exception {
        String script = get("/assets/campaign-editor.js").body();

        assertThat(script)
                .contains("window.BeckonNudgesPreview")
                .contains("typeof plugin.preview !== 'function'")
                .contains("plugin.preview(stage, JSON.parse(source.getAttribute('data-content')))");
    }

    @Test
    void theFunnelTheAnchorWarningAndTheWhyPanelAreOnTheCampaignPage() throws Exception {
        Map<String, String> form = form("Tooltip", "tip");
        form.put("layout", "tooltip");
        form.put("anchor", "#buy");
        post(CAMPAIGNS, form);
        post(CAMPAIGNS + "/tip/publish", Map.of());
        server.send(HttpRequest.newBuilder(server.uri("/config/demo?deviceId=d-why")));
        ObjectNode missing = event("$campaign_not_shown").put("deviceId", "d-why");
        missing.with("properties")
                .put("campaignId", "tip")
                .put("campaignVersion", 1)
                .put("variant", "test")
                .put("reason", "anchor_missing");
        ObjectNode triggered = event("$campaign_triggered").put("deviceId", "d-why");
        triggered
                .with("properties")
                .put("campaignId", "tip")
                .put("campaignVersion", 1)
                .put("variant", "test");
        server.ingestAccepted(triggered, missing);

        String page = get(CAMPAIGNS + "/tip?kind=device&who=d-why").body();
        String badId =
                get(CAMPAIGNS + "/tip?kind=device&who=" + "x".repeat(200)).body();

        assertThat(page)
                .contains("data-testid=\"anchor-warning\"")
                .contains("<code>#buy</code> was not found on visitors' pages")
                .contains("data-testid=\"funnel-triggered\">1<")
                .contains("data-testid=\"funnel-eligible\">1<")
                .contains("Device d-why")
                .contains("is eligible now, as test")
                .contains("anchor_missing")
                .contains("rollout bucket");
        assertThat(badId).contains("deviceId: must be at most 128 characters");
    }

    @Test
    void hostileNamesAndContentAreEscapedInTheEditorTheListAndThePreview() throws Exception {
        Map<String, String> form = form("VIP " + SCRIPT, "hostile");
        form.put("title", SCRIPT);
        form.put("body", "<img src=x onerror=alert(1)>");
        form.put("button0.label", "\"><script>alert(3)</script>");
        post(CAMPAIGNS, form);
        ObjectNode reported = event("$campaign_not_shown").put("deviceId", "d-hostile");
        reported.with("properties")
                .put("campaignId", "hostile")
                .put("variant", SCRIPT)
                .put("reason", SCRIPT);
        server.ingestAccepted(reported);

        String page = get(CAMPAIGNS + "/hostile?who=d-hostile").body();
        String list = get(CAMPAIGNS).body();
        String preview = post(CAMPAIGNS + "/preview", form).body();

        for (String html : new String[] {page, list, preview}) {
            assertThat(html)
                    .doesNotContain(SCRIPT)
                    .doesNotContain("<script>alert")
                    .doesNotContain("<img src=x");
        }
        assertThat(page).contains("VIP &lt;script&gt;").contains("&lt;script&gt;alert('x')&lt;/script&gt;");
    }

    @Test
    void sqlMetaCharactersInPathsAreJustIdsThatDoNotExist() throws Exception {
        var response = get(CAMPAIGNS + "/" + URLEncoder.encode("x' OR '1'='1", StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(404);
    }

    // Helpers

    private static Map<String, String> form(String name, String id) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("id", id);
        form.put("priority", "0");
        form.put("rolloutPercent", "100");
        form.put("controlPercent", "0");
        form.put("triggerKind", "pageView");
        form.put("layout", "modal");
        form.put("title", "Hello");
        form.put("button0.label", "No thanks");
        form.put("button0.action", "dismiss");
        form.put("goalWindowHours", "24");
        form.put("goalAfter", "shown");
        return form;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return browser.get(path);
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        return browser.post(path, form);
    }
}
