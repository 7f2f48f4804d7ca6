package dev.beckon.dashboard;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.TestServer;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's pages, signed in with the admin key, over a real server. */
class DashboardTest {

    static final String SCRIPT = "<script>alert('x')</script>";

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
        var e = event("HOSTILE" + SCRIPT);
        e.put("userId", "mallory" + SCRIPT);
        e.with("properties").put("note", SCRIPT);
        assertThat(server.ingest(batch(e, event("PRODUCT_VIEWED"))).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pagesNeedSignIn() throws Exception {
        HttpResponse<String> response =
                browser().send(get("/dashboard/sites/demo"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains("/dashboard/login");
    }

    @Test
    void pagesForbidInlineScriptFramingAndSniffing() throws Exception {
        HttpResponse<String> login = browser().send(get("/dashboard/login"), HttpResponse.BodyHandlers.ofString());

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(login.body()).doesNotContain("onchange=").doesNotContain("style=\"");
    }

    @Test
    void wrongKeyIsRefusedOnTheLoginPage() throws Exception {
        HttpResponse<String> response = signIn(browser(), "wrong-key-0000000000");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("That is not an active API key.");
    }

    @Test
    void signInFromAnotherSiteIsRefused() throws Exception {
        var request = HttpRequest.newBuilder(server.uri("/dashboard/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + TestServer.ADMIN_KEY))
                .build();

        assertThat(browser().send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void overviewShowsEventsWithHostileTextEscaped() throws Exception {
        HttpClient browser = browser();
        HttpResponse<String> signedIn = signIn(browser, TestServer.ADMIN_KEY);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Set-Cookie").orElseThrow())
                .contains("HttpOnly")
                .contains("SameSite=Strict");

        String page = browser.send(get("/dashboard/sites/demo"), HttpResponse.BodyHandlers.ofString())
                .body();

        assertThat(page).contains("PRODUCT_VIEWED").contains("Live events").contains("Sessions");
        assertThat(page).doesNotContain(SCRIPT);
        assertThat(page).contains("&lt;script&gt;alert(");
    }

    @Test
    void deviceAndUserPagesShowTheirTimeline() throws Exception {
        HttpClient browser = browser();
        signIn(browser, TestServer.ADMIN_KEY);

        var device = browser.send(get("/dashboard/sites/demo/devices/d-test"), HttpResponse.BodyHandlers.ofString());
        var user = browser.send(
                get("/dashboard/sites/demo/users/" + URLEncoder.encode("mallory" + SCRIPT, StandardCharsets.UTF_8)),
                HttpResponse.BodyHandlers.ofString());

        assertThat(device.statusCode()).isEqualTo(200);
        assertThat(device.body()).contains("Timeline").contains("PRODUCT_VIEWED");
        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(user.body()).doesNotContain(SCRIPT);
    }

    @Test
    void liveFragmentListsTheNewestEvents() throws Exception {
        HttpClient browser = browser();
        signIn(browser, TestServer.ADMIN_KEY);

        var live = browser.send(get("/dashboard/sites/demo/live"), HttpResponse.BodyHandlers.ofString());

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body().strip()).startsWith("<table").contains("PRODUCT_VIEWED");
    }

    // Helpers

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(server.uri(path)).build();
    }

    private static HttpResponse<String> signIn(HttpClient browser, String key) throws Exception {
        var request = HttpRequest.newBuilder(server.uri("/dashboard/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", server.baseUrl())
                .POST(HttpRequest.BodyPublishers.ofString("key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                .build();
        return browser.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
