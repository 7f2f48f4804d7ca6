package dev.beckon.dashboard;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's segment builder over a real server and store, signed in like a browser: the
 * live preview of the form's condition, saving, the members linked to their profiles, refusals that
 * keep the form, and hostile text escaped everywhere.
 */
class SegmentBuilderTest {

    static final String SCRIPT = "<script>alert('x')</script>";
    static final String SEGMENTS = "/dashboard/sites/demo/segments";

    @TempDir
    static Path dataDir;

    static TestServer server;

    DashboardBrowser browser;

    @BeforeAll
    static void startWithShoppers() {
        server = TestServer.start(dataDir);
        var answer = server.ingest(batch(
                viewed("ann", "d-ann", "shoes"),
                viewed("mallory" + SCRIPT, "d-mallory", SCRIPT),
                viewed(null, "d-anon", "shoes"),
                viewed("bob", "d-bob", "bags")));
        assertThat(answer.status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void signIn() throws Exception {
        browser = DashboardBrowser.signIn(server, SEGMENTS);
    }

    @Test
    void thePreviewCountsTheFormsRowsWhileEditing() throws Exception {
        var preview = post(SEGMENTS + "/preview", row("did", "PRODUCT_VIEWED", "category", "eq", "shoes"));

        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body())
                .contains("data-testid=\"size\">2</strong>")
                .contains("/dashboard/sites/demo/users/ann")
                .contains("/dashboard/sites/demo/devices/d-anon");
    }

    @Test
    void thePreviewJoinsRowsWithAny() throws Exception {
        Map<String, String> form = row("did", "PRODUCT_VIEWED", "category", "eq", "bags");
        form.put("match", "any");
        form.putAll(row(1, "userProperty", "", "plan", "exists", ""));

        var preview = post(SEGMENTS + "/preview", form);

        assertThat(preview.body()).contains("data-testid=\"size\">1</strong>").contains("users/bob");
    }

    @Test
    void thePreviewOfAnInvalidConditionSaysWhichPartAndWhy() throws Exception {
        var badJson = post(SEGMENTS + "/preview", Map.of("json", "{\"did\": {\"event\": \"\"}}"));
        var notJson = post(SEGMENTS + "/preview", Map.of("json", "{\"did\":"));
        var emptyRow = post(SEGMENTS + "/preview", row("did", "", "", "eq", ""));
        var noRow = post(SEGMENTS + "/preview", Map.of("name", "x"));

        assertThat(badJson.body()).contains("condition.did.event: must be a non-empty string");
        assertThat(notJson.body()).contains("condition JSON: is not valid JSON");
        assertThat(emptyRow.body()).contains("row 1: the event is required");
        assertThat(noRow.body()).contains("condition: choose a kind in a row, or write the condition as JSON");
    }

    @Test
    void savingShowsTheSegmentWithItsMembersLinkedToTheirProfiles() throws Exception {
        Map<String, String> form = row("did", "PRODUCT_VIEWED", "category", "eq", "shoes");
        form.put("name", "Shoe fans");

        var saved = post(SEGMENTS, form);
        String location = saved.headers().firstValue("Location").orElseThrow();
        String page = get(location).body();
        String list = get(SEGMENTS).body();

        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(location).startsWith(SEGMENTS + "/");
        assertThat(page)
                .contains("Shoe fans")
                .contains("data-testid=\"size\">2</strong>")
                .contains("href=\"/dashboard/sites/demo/users/ann\"")
                .contains("href=\"/dashboard/sites/demo/devices/d-anon\"")
                .contains("\"event\" : \"PRODUCT_VIEWED\"");
        assertThat(list).contains("Shoe fans").contains(location);
    }

    @Test
    void editingAndDeletingASavedSegment() throws Exception {
        String location = post(SEGMENTS, Map.of("name", "Before", "json", "{\"all\": []}"))
                .headers()
                .firstValue("Location")
                .orElseThrow();

        var edited = post(location, Map.of("name", "After", "json", "{\"did\": {\"event\": \"PRODUCT_VIEWED\"}}"));
        String page = get(location).body();
        var deleted = post(location + "/delete", Map.of());

        assertThat(edited.statusCode()).isEqualTo(303);
        assertThat(page).contains("After").doesNotContain("Before");
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(get(location).statusCode()).isEqualTo(404);
    }

    @Test
    void anInvalidDefinitionIsNotSavedAndTheFormKeepsWhatWasTyped() throws Exception {
        Map<String, String> form = row("did", "PRODUCT_VIEWED", "category", "eq", "shoes");
        form.put("name", "   ");

        var refused = post(SEGMENTS, form);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("name: must be 1 to 200 characters")
                .contains("value=\"PRODUCT_VIEWED\"")
                .contains("value=\"shoes\"");
    }

    @Test
    void hostileNamesAndValuesAreEscapedInTheBuilderTheListAndTheMembers() throws Exception {
        Map<String, String> form = row("did", "PRODUCT_VIEWED", "category", "eq", SCRIPT);
        form.put("name", "VIP " + SCRIPT);

        String location = post(SEGMENTS, form).headers().firstValue("Location").orElseThrow();
        String page = get(location).body();
        String list = get(SEGMENTS).body();
        String preview = post(SEGMENTS + "/preview", form).body();

        for (String html : new String[] {page, list, preview}) {
            assertThat(html).doesNotContain(SCRIPT).doesNotContain("<script>alert");
        }
        assertThat(page).contains("VIP &lt;script&gt;").contains("mallory&lt;script&gt;");
        assertThat(preview).contains("data-testid=\"size\">1</strong>");
    }

    @Test
    void theBuilderRunsNoInlineScriptOrStyle() throws Exception {
        var page = get(SEGMENTS + "/new");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .doesNotContain("unsafe-inline");
        assertThat(page.body())
                .contains("hx-post=\"/dashboard/sites/demo/segments/preview\"")
                .contains("hx-trigger=\"input delay:500ms, change delay:500ms\"")
                .doesNotContain("style=")
                .doesNotContain("onclick=")
                .doesNotContain("<script>");
    }

    @Test
    void formsFromAnotherSiteAndBrowsersNotSignedInAreRefused() throws Exception {
        var foreign = browser.client()
                .send(
                        HttpRequest.newBuilder(server.uri(SEGMENTS))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Origin", "https://evil.example")
                                .POST(HttpRequest.BodyPublishers.ofString("name=x&json=%7B%22all%22%3A%5B%5D%7D"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        var stranger = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(server.uri(SEGMENTS)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(stranger.statusCode()).isEqualTo(302);
        assertThat(stranger.headers().firstValue("Location")).contains("/dashboard/login");
    }

    // Helpers

    private static ObjectNode viewed(String userId, String deviceId, String category) {
        ObjectNode event = event("PRODUCT_VIEWED");
        event.put("deviceId", deviceId).put("sessionId", "s-" + deviceId);
        if (userId != null) {
            event.put("userId", userId);
        }
        event.with("properties").put("category", category);
        return event;
    }

    private static Map<String, String> row(String kind, String subject, String property, String op, String value) {
        return row(0, kind, subject, property, op, value);
    }

    private static Map<String, String> row(
            int index, String kind, String subject, String property, String op, String value) {
        Map<String, String> form = new LinkedHashMap<>();
        String at = "row" + index + ".";
        form.put(at + "kind", kind);
        form.put(at + "subject", subject);
        form.put(at + "property", property);
        form.put(at + "op", op);
        form.put(at + "type", "text");
        form.put(at + "value", value);
        form.put(at + "count", "atLeast");
        form.put(at + "times", "1");
        return form;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return browser.get(path);
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        return browser.post(path, form);
    }
}
