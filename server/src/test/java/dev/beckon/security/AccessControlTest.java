package dev.beckon.security;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.BeckonServer;
import dev.beckon.DashboardBrowser;
import dev.beckon.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Roles and sites against a real server: every route the server registers under /api/ and
 * /dashboard/ is called with keys and accounts that must be refused, so that a route added later
 * is covered without being listed here. Site "demo" holds events; site "other" is a second tenant.
 */
class AccessControlTest {

    static final String PASSWORD = "correct horse battery staple";
    static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    @TempDir
    static Path dataDir;

    static TestServer server;
    static String viewerOfDemo;
    static String editorOfDemo;
    static String editorOfOther;
    static String editorOfEverySite;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
        server.ingestAccepted(event("PRODUCT_VIEWED").put("userId", "ann"));
        created(server.api("POST", "/api/v1/sites", TestServer.ADMIN_KEY, "{\"id\": \"other\", \"name\": \"Other\"}"));
        viewerOfDemo = key("viewer", "demo").secret();
        editorOfDemo = key("editor", "demo").secret();
        editorOfOther = key("editor", "other").secret();
        editorOfEverySite = key("editor", null).secret();
        account("viewer@example.com", "viewer", "demo");
        account("editor@example.com", "editor", "demo");
        account("other@example.com", "editor", "other");
        created(server.api(
                "POST",
                "/api/v1/sites/demo/campaigns",
                TestServer.ADMIN_KEY,
                "{\"id\": \"seen-by-viewers\", \"name\": \"Seen\", \"trigger\": {\"on\": {\"kind\": \"pageView\"}},"
                        + " \"content\": {\"layout\": \"banner\", \"position\": \"top\", \"title\": \"Hi\"}}"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // Sites: a key or an account of one site reaches nothing of another.

    @Test
    void aKeyOfOneSiteReadsItsOwnSiteButNotAnother() {
        var own = server.api("GET", "/api/v1/sites/other/events", editorOfOther, null);
        var foreign = server.api("GET", "/api/v1/sites/demo/events", editorOfOther, null);

        assertThat(own.status()).isEqualTo(200);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().get("error").asText()).isEqualTo("this API key has no access to site 'demo'");
        assertThat(foreign.body()).doesNotContain("PRODUCT_VIEWED");
    }

    @Test
    void everySiteRouteOfTheApiRefusesAKeyOfAnotherSite() {
        List<String> answered = new ArrayList<>();
        for (var route : routes(path -> path.startsWith("/api/") && path.contains("{siteId}"))) {
            var answer = call(route, editorOfOther, "demo");
            if (answer.status() != 403) {
                answered.add(route + " answered " + answer.status());
            }
        }

        assertThat(answered)
                .as("routes that let a key of site 'other' reach site 'demo'")
                .isEmpty();
    }

    @Test
    void theSiteListShowsOnlyTheSitesAKeyReaches() {
        JsonNode sites =
                server.api("GET", "/api/v1/sites", editorOfOther, null).json().get("sites");

        assertThat(sites).hasSize(1);
        assertThat(sites.get(0).get("id").asText()).isEqualTo("other");
    }

    @Test
    void everySitePageOfTheDashboardRefusesAnAccountOfAnotherSite() {
        var browser = signedIn("other@example.com");
        List<String> answered = new ArrayList<>();
        for (var route : routes(path -> path.startsWith("/dashboard/") && path.contains("{siteId}"))) {
            if (route.method().name().equals("GET")) {
                int status = browser.get(concrete(route.path(), "demo")).statusCode();
                if (status != 403) {
                    answered.add(route + " answered " + status);
                }
            }
        }

        assertThat(answered)
                .as("dashboard pages that show site 'demo' to an account of site 'other'")
                .isEmpty();
        assertThat(browser.following("/dashboard/").body()).contains("Other").doesNotContain("Demo shop");
    }

    // Roles: a viewer reads, an editor also changes, an admin also manages accounts, keys and sites.

    @Test
    void aViewerKeyCanReadButChangesNothing() {
        List<String> answered = new ArrayList<>();
        for (var route : routes(path -> path.startsWith("/api/"))) {
            if (!route.method().name().equals("GET")) {
                var answer = call(route, viewerOfDemo, "demo");
                if (answer.status() != 403) {
                    answered.add(route + " answered " + answer.status());
                }
            }
        }

        assertThat(server.api("GET", "/api/v1/sites/demo/events", viewerOfDemo, null)
                        .status())
                .isEqualTo(200);
        assertThat(answered).as("routes that let a viewer change something").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/dashboard/sites/demo/imports",
                "/dashboard/sites/demo/cohorts",
                "/dashboard/sites/demo/campaigns",
                "/dashboard/sites/demo/campaigns/new",
                "/dashboard/sites/demo/campaigns/seen-by-viewers"
            })
    void aViewerIsShownNoFormOrButtonThatOnlyAnEditorMayUseAndAnEditorIs(String path) {
        var viewerPage = signedIn("viewer@example.com").get(path);
        var editorPage = signedIn("editor@example.com").get(path);

        assertThat(viewerPage.statusCode()).isEqualTo(200);
        assertThat(editorPage.statusCode()).isEqualTo(200);
        assertThat(editorForms(viewerPage.body()))
                .as("what a viewer is offered")
                .isEmpty();
        assertThat(editorForms(editorPage.body()))
                .as("what an editor is offered")
                .isNotEmpty();
    }

    /** The forms that post to a site's pages, and the links to pages that only make something. */
    private static List<String> editorForms(String page) {
        var matcher = Pattern.compile("<form method=\"post\" action=\"/dashboard/sites/[^\"]*\""
                        + "|class=\"button\" href=\"[^\"]*/(new|imports)\"|data-testid=\"(save|upload|publish)\"")
                .matcher(page);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    @Test
    void aViewerAccountCannotSendAnyDashboardForm() {
        var browser = signedIn("viewer@example.com");
        List<String> answered = new ArrayList<>();
        for (var route : routes(path -> path.startsWith("/dashboard/") && !path.startsWith("/dashboard/log"))) {
            if (route.method().name().equals("POST")) {
                int status = browser.post(concrete(route.path(), "demo"), Map.of("name", "x"))
                        .statusCode();
                if (status != 403) {
                    answered.add(route + " answered " + status);
                }
            }
        }

        assertThat(answered).as("dashboard forms that a viewer could send").isEmpty();
    }

    @Test
    void anEditorCanChangeSegmentsButNotAccountsKeysOrSites() {
        List<String> answered = new ArrayList<>();
        for (var route : routes(path -> path.startsWith("/api/v1/accounts")
                || path.startsWith("/api/v1/keys")
                || (path.equals("/api/v1/sites") || path.equals("/api/v1/sites/{siteId}")))) {
            if (route.path().startsWith("/api/v1/sites")
                    && route.method().name().equals("GET")) {
                continue;
            }
            var answer = call(route, editorOfEverySite, "demo");
            if (answer.status() != 403) {
                answered.add(route + " answered " + answer.status());
            }
        }
        var segment = server.api(
                "POST",
                "/api/v1/sites/demo/segments",
                editorOfDemo,
                "{\"name\": \"All\", \"condition\": {\"all\": []}}");

        assertThat(segment.status()).isEqualTo(201);
        assertThat(answered).as("admin routes that an editor key reached").isEmpty();
    }

    @Test
    void anEditorAccountCannotOpenTheSettings() {
        var browser = signedIn("editor@example.com");
        List<String> answered = new ArrayList<>();
        for (var route : routes(path -> path.startsWith("/dashboard/settings"))) {
            var path = concrete(route.path(), "demo");
            int status = route.method().name().equals("GET")
                    ? browser.get(path).statusCode()
                    : browser.post(path, Map.of("email", "mallory@example.com", "role", "admin"))
                            .statusCode();
            if (status != 403) {
                answered.add(route + " answered " + status);
            }
        }

        assertThat(answered).as("settings routes that an editor reached").isEmpty();
        assertThat(browser.get("/dashboard/settings/accounts").body())
                .contains("this needs the admin role; your account has the editor role");
    }

    @Test
    void anAdminKeyReachesEveryApiRoute() {
        List<String> refused = new ArrayList<>();
        for (var route : routes(path -> path.startsWith("/api/"))) {
            var answer = call(route, TestServer.ADMIN_KEY, "demo");
            if (answer.status() == 401 || answer.status() == 403) {
                refused.add(route + " answered " + answer.status());
            }
        }

        assertThat(refused).as("routes that refused the admin key").isEmpty();
    }

    // Keys: revoked means refused, from the next request on.

    @Test
    void aRevokedKeyIsRefusedByTheApiAndItsDashboardSessionEnds() {
        Made key = key("viewer", "demo");
        var browser = new DashboardBrowser(server);
        browser.signInWithKey(key.secret());
        assertThat(server.api("GET", "/api/v1/sites/demo/events", key.secret(), null)
                        .status())
                .isEqualTo(200);
        assertThat(browser.get("/dashboard/sites/demo").statusCode()).isEqualTo(200);

        var revoked = server.api("DELETE", "/api/v1/keys/" + key.id(), TestServer.ADMIN_KEY, null);

        assertThat(revoked.status()).isEqualTo(204);
        var refused = server.api("GET", "/api/v1/sites/demo/events", key.secret(), null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asText()).contains("revoked");
        assertThat(browser.get("/dashboard/sites/demo").statusCode()).isEqualTo(302);
    }

    @Test
    void aKeyIsShownOnceAndListedWithItsLastUse() {
        var made = server.api(
                "POST", "/api/v1/keys", TestServer.ADMIN_KEY, "{\"label\": \"reports\", \"role\": \"viewer\"}");
        String secret = made.json().get("secret").asText();
        server.api("GET", "/api/v1/sites", secret, null);

        String listed =
                server.api("GET", "/api/v1/keys", TestServer.ADMIN_KEY, null).body();

        assertThat(listed).doesNotContain(secret).contains("\"label\":\"reports\"");
        JsonNode key = findKey(made.json().at("/key/id").asText());
        assertThat(key.get("lastUsedAt").isNull()).isFalse();
        assertThat(key.get("role").asText()).isEqualTo("viewer");
    }

    // Helpers

    private static JsonNode findKey(String id) {
        for (JsonNode key : server.api("GET", "/api/v1/keys", TestServer.ADMIN_KEY, null)
                .json()
                .get("keys")) {
            if (key.get("id").asText().equals(id)) {
                return key;
            }
        }
        throw new AssertionError("no key " + id + " is listed");
    }

    /** A key just made: its id, and its secret. */
    record Made(String id, String secret) {}

    static Made key(String role, String siteId) {
        String site = siteId == null ? "" : ", \"siteId\": \"" + siteId + "\"";
        var made = created(server.api(
                "POST",
                "/api/v1/keys",
                TestServer.ADMIN_KEY,
                "{\"label\": \"made for a test\", \"role\": \"" + role + "\"" + site + "}"));
        return new Made(made.at("/key/id").asText(), made.get("secret").asText());
    }

    static void account(String email, String role, String siteId) {
        created(server.api(
                "POST",
                "/api/v1/accounts",
                TestServer.ADMIN_KEY,
                "{\"email\": \"" + email + "\", \"role\": \"" + role + "\", \"sites\": [\"" + siteId
                        + "\"], \"password\": \"" + PASSWORD + "\"}"));
    }

    static DashboardBrowser signedIn(String email) {
        var browser = new DashboardBrowser(server);
        assertThat(browser.signIn(email, PASSWORD).statusCode()).isEqualTo(302);
        assertThat(browser.csrfToken()).isNotNull();
        return browser;
    }

    private static JsonNode created(TestServer.Response answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json();
    }

    private static List<BeckonServer.Route> routes(Predicate<String> path) {
        return server.routes().stream()
                .filter(r -> HTTP_METHODS.contains(r.method().name()) && path.test(r.path()))
                .toList();
    }

    /** The route's path with {siteId} as given and every other parameter filled in. */
    private static String concrete(String path, String siteId) {
        return path.replace("{siteId}", siteId).replaceAll("\\{[^}]+}", "x-test");
    }

    private static TestServer.Response call(BeckonServer.Route route, String key, String siteId) {
        String body =
                route.method().name().equals("GET") || route.method().name().equals("DELETE") ? null : "{}";
        return server.api(route.method().name(), concrete(route.path(), siteId), key, body);
    }
}
