package dev.beckon.security;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attacks of docs/SECURITY.md that concern today's routes, each against a real server. The
 * ingestion limits and hostile bodies are in IngestLimitsTest and IngestEndpointTest; stored XSS in
 * the dashboard's event lists is in DashboardTest.
 */
class SecurityTest {

    private static final String SQL = "x' OR '1'='1' --";

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
        var hostile = event(SQL).put("deviceId", "d-" + SQL).put("userId", "u-" + SQL);
        hostile.with("properties").put("\"><img src=x onerror=alert(1)>", "</code><script>alert(2)</script>");
        assertThat(server.ingest(batch(hostile, event("PLAIN"))).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // Path traversal: no file route serves anything outside its folder.

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/demo/..%2f..%2flogback.xml",
                "/demo/%2e%2e/%2e%2e/logback.xml",
                "/demo/..%5c..%5clogback.xml",
                "/demo/%252e%252e/%252e%252e/logback.xml",
                "/sdk/..%2f..%2flogback.xml",
                "/sdk/%2e%2e%2f%2e%2e%2fdb/migration/V1__sites_keys_events.sql",
                "/assets/..%2f..%2flogback.xml",
                "/assets/%2e%2e/%2e%2e/dev/beckon/Beckon.class",
                "/demo//etc/passwd",
                "/demo/..;/..;/logback.xml"
            })
    void fileRoutesServeNothingOutsideTheirFolder(String path) {
        var response = server.send(HttpRequest.newBuilder(server.uri(path)));

        assertThat(response.status()).as(path).isIn(400, 404);
        assertThat(response.body()).doesNotContain("<configuration>").doesNotContain("CREATE TABLE");
    }

    // SQL meta-characters in the admin API's filters are matched as text.

    @Test
    void sqlInEveryEventFilterMatchesLiterally() {
        for (String filter : new String[] {"name=" + SQL, "deviceId=d-" + SQL, "userId=u-" + SQL}) {
            String[] pair = filter.split("=", 2);
            String query = pair[0] + "=" + URLEncoder.encode(pair[1], StandardCharsets.UTF_8);

            var response = server.admin("/api/v1/sites/demo/events?" + query);

            assertThat(response.status()).as(filter).isEqualTo(200);
            assertThat(response.json().get("events")).as(filter).hasSize(1);
            assertThat(response.json().at("/events/0/name").asText()).isEqualTo(SQL);
        }
    }

    @Test
    void sqlInASiteIdOfTheAdminApiFindsNoSite() {
        var response = server.admin("/api/v1/sites/" + URLEncoder.encode(SQL, StandardCharsets.UTF_8) + "/events");

        assertThat(response.status()).isEqualTo(404);
    }

    // The public config endpoint of campaigns: ids are text, sites are looked up, origins are checked.

    @Test
    void sqlInTheConfigEndpointsIdsFindsNothingAndBreaksNothing() {
        String sql = URLEncoder.encode(SQL, StandardCharsets.UTF_8);

        var site = server.send(HttpRequest.newBuilder(server.uri("/config/" + sql + "?deviceId=d-1")));
        var device = server.send(HttpRequest.newBuilder(server.uri("/config/demo?deviceId=" + sql + "&userId=" + sql)));

        assertThat(site.status()).isEqualTo(404);
        assertThat(device.status()).isEqualTo(200);
        assertThat(device.json().get("campaigns")).isEmpty();
    }

    @Test
    void theConfigEndpointRefusesPagesOfOriginsTheSiteDoesNotAllow() {
        var forged = server.send(HttpRequest.newBuilder(server.uri("/config/demo?deviceId=d-1"))
                .header("Origin", "https://evil.example"));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void theConfigEndpointNeedsNoKeyAndTheCampaignRoutesDo() {
        var config = server.send(HttpRequest.newBuilder(server.uri("/config/demo?deviceId=d-1")));
        var campaigns = server.send(HttpRequest.newBuilder(server.uri("/api/v1/sites/demo/campaigns")));

        assertThat(config.status()).isEqualTo(200);
        assertThat(campaigns.status()).isEqualTo(401);
    }

    // Stored XSS: hostile ids and property keys are text on every page that shows them.

    @Test
    void hostileIdsAndPropertyKeysAreEscapedOnProfilePages() throws Exception {
        var browser = new DashboardBrowser(server);
        browser.signIn(TestServer.ADMIN_KEY);

        String device = browser.get("/dashboard/sites/demo/devices/" + encodedPathSegment("d-" + SQL))
                .body();
        String user = browser.get("/dashboard/sites/demo/users/" + encodedPathSegment("u-" + SQL))
                .body();
        String overview = browser.get("/dashboard/sites/demo").body();

        for (String page : new String[] {device, user, overview}) {
            assertThat(page).doesNotContain("<img src=x").doesNotContain("<script>alert(2)");
        }
        assertThat(device).contains("&lt;img src=x onerror=alert(1)&gt;");
    }

    // Dashboard sessions: CSRF and fixation.

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/login", "/dashboard/logout"})
    void everyDashboardFormRefusesAPostFromAnotherOriginOrNone(String form) throws Exception {
        var browser = new DashboardBrowser(server);
        browser.signIn(TestServer.ADMIN_KEY);

        var fromElsewhere = browser.post(form, "key=" + TestServer.ADMIN_KEY, Optional.of("https://evil.example"));
        var fromNowhere = browser.post(form, "key=" + TestServer.ADMIN_KEY, Optional.empty());

        assertThat(fromElsewhere.statusCode()).isEqualTo(403);
        assertThat(fromNowhere.statusCode()).isEqualTo(403);
        assertThat(browser.get("/dashboard/sites/demo").statusCode())
                .as("the session outlives the forged sign-out")
                .isEqualTo(200);
    }

    @Test
    void signingInNeverAdoptsASessionTokenTheBrowserBrought() throws Exception {
        var browser = new DashboardBrowser(server);
        browser.setSessionCookie("attacker-chosen-token-0123456789abcdef");

        assertThat(browser.get("/dashboard/sites/demo").statusCode()).isEqualTo(302);
        var signedIn = browser.signIn(TestServer.ADMIN_KEY);

        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).doesNotContain("attacker-chosen-token");
        var withPlantedToken = new DashboardBrowser(server);
        withPlantedToken.setSessionCookie("attacker-chosen-token-0123456789abcdef");
        assertThat(withPlantedToken.get("/dashboard/sites/demo").statusCode()).isEqualTo(302);
    }

    // Headers that keep the dashboard from being framed, sniffed or leaking its addresses.

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/dashboard/login",
                "/dashboard/sites/demo",
                "/dashboard/sites/demo/live",
                "/dashboard/sites/demo/campaigns",
                "/dashboard/sites/demo/campaigns/new"
            })
    void dashboardPagesCarryTheSecurityHeaders(String path) throws Exception {
        var browser = new DashboardBrowser(server);
        browser.signIn(TestServer.ADMIN_KEY);

        HttpResponse<String> page = browser.get(path);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'")
                .contains("frame-ancestors 'none'")
                .contains("object-src 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("same-origin");
    }

    private static String encodedPathSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A browser of the dashboard: a cookie jar and requests that send this server's origin. */
    private static final class DashboardBrowser {

        private final TestServer server;
        private final java.net.CookieManager cookies = new java.net.CookieManager();
        private final HttpClient client;

        DashboardBrowser(TestServer server) {
            this.server = server;
            this.client = HttpClient.newBuilder().cookieHandler(cookies).build();
        }

        HttpResponse<String> signIn(String key) throws Exception {
            return post(
                    "/dashboard/login",
                    "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8),
                    Optional.of(server.baseUrl()));
        }

        HttpResponse<String> get(String path) throws Exception {
            return client.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String form, Optional<String> origin) throws Exception {
            var request = HttpRequest.newBuilder(server.uri(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            origin.ifPresent(value -> request.header("Origin", value));
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        void setSessionCookie(String token) {
            var cookie = new java.net.HttpCookie("beckon_dashboard", token);
            cookie.setPath("/dashboard");
            cookie.setVersion(0);
            cookies.getCookieStore().add(server.uri("/dashboard/"), cookie);
        }
    }
}
