package dev.beckon.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.BeckonServer;
import dev.beckon.DashboardBrowser;
import dev.beckon.TestServer;
import dev.beckon.auth.LoginThrottle;
import dev.beckon.config.ServerConfig;
import dev.beckon.robustness.MutableClock;
import dev.beckon.store.duckdb.DuckDbDatabase;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's accounts against a real server: CSRF tokens, the session cookie, password
 * storage, guessing, session fixation and hostile account names. The server's clock stands still
 * until a test moves it, so that the lockout's window can be crossed.
 */
class SignInSecurityTest {

    static final String ADMIN = "admin@example.com";
    static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path dataDir;

    static final MutableClock clock = new MutableClock(Instant.now());
    static TestServer server;

    @BeforeAll
    static void start() {
        var config = new ServerConfig(
                "127.0.0.1",
                0,
                dataDir,
                Optional.of(TestServer.ADMIN_KEY),
                true,
                Optional.of(new ServerConfig.FirstAdmin(ADMIN, PASSWORD)),
                false);
        server = TestServer.start(config, clock);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // CSRF: every form of a signed-in browser needs its session's token.

    @Test
    void everyDashboardFormRefusesAMissingOrWrongCsrfToken() {
        var browser = signedIn(ADMIN);
        List<String> answered = new ArrayList<>();
        for (BeckonServer.Route route : server.routes()) {
            String path = route.path();
            if (!route.method().name().equals("POST")
                    || !path.startsWith("/dashboard/")
                    || path.equals("/dashboard/login")) {
                continue;
            }
            String concrete = path.replace("{siteId}", "demo").replaceAll("\\{[^}]+}", "x-test");
            int missing = browser.postWithoutToken(concrete, Map.of("name", "x"), Optional.of(server.baseUrl()))
                    .statusCode();
            int wrong = browser.post(concrete, Map.of("csrf", "not-the-token")).statusCode();
            if (missing != 403 || wrong != 403) {
                answered.add(route + " answered " + missing + " without a token and " + wrong + " with a wrong one");
            }
        }

        assertThat(answered)
                .as("dashboard forms sent without the session's CSRF token")
                .isEmpty();
        assertThat(browser.get("/dashboard/sites/demo").statusCode())
                .as("the forged sign-out left the session open")
                .isEqualTo(200);
    }

    @Test
    void aFormWithTheTokenIsTakenAndHtmxSendsItAsAHeader() {
        var browser = signedIn(ADMIN);
        String page = browser.get("/dashboard/sites/demo/segments/new").body();

        var saved = browser.post("/dashboard/sites/demo/segments", Map.of("name", "Everyone", "json", "{\"all\": []}"));
        var preview = browser.send(HttpRequest.newBuilder(server.uri("/dashboard/sites/demo/segments/preview"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", server.baseUrl())
                .header("HX-Request", "true")
                .header("X-CSRF-Token", browser.csrfToken())
                .POST(HttpRequest.BodyPublishers.ofString("json=%7B%22all%22%3A%5B%5D%7D")));

        assertThat(page).contains("hx-headers=\"{&#34;X-CSRF-Token&#34;: &#34;" + browser.csrfToken() + "&#34;}\"");
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(preview.statusCode()).isEqualTo(200);
    }

    // The session cookie.

    @Test
    void theSessionCookieIsHttpOnlyStrictAndNotSecureOverPlainHttp() {
        var signedIn = new DashboardBrowser(server).signIn(ADMIN, PASSWORD);

        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .startsWith(DashboardBrowser.COOKIE + "=")
                .contains("; HttpOnly")
                .contains("; SameSite=Strict")
                .contains("; Path=/dashboard")
                .doesNotContain("Secure");
    }

    @Test
    void aProxysWordOnHttpsCountsOnlyWhenTheProxyIsTrusted(@TempDir Path otherData) {
        var forwarded = HttpRequest.newBuilder()
                .header("X-Forwarded-Proto", "https")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + TestServer.ADMIN_KEY));
        var untrusted = signInBehindProxy(server, forwarded);
        String trusted;
        var config = new ServerConfig(
                "127.0.0.1", 0, otherData, Optional.of(TestServer.ADMIN_KEY), true, Optional.empty(), true);
        try (var behindProxy = TestServer.start(config, clock)) {
            trusted = signInBehindProxy(behindProxy, forwarded);
        }

        assertThat(untrusted).doesNotContain("Secure");
        assertThat(trusted).contains("; Secure").contains("; HttpOnly");
    }

    private static String signInBehindProxy(TestServer target, HttpRequest.Builder request) {
        var answer =
                target.send(request.copy().uri(target.uri("/dashboard/login")).header("Origin", target.baseUrl()));
        assertThat(answer.status()).isEqualTo(302);
        return answer.header("Set-Cookie").orElseThrow();
    }

    // Passwords are stored as Argon2id hashes, never as sent.

    @Test
    void passwordsAreStoredAsArgon2idHashes(@TempDir Path otherData) throws Exception {
        var config = new ServerConfig(
                "127.0.0.1",
                0,
                otherData,
                Optional.empty(),
                false,
                Optional.of(new ServerConfig.FirstAdmin(ADMIN, PASSWORD)),
                false);
        try (var first = TestServer.start(config, clock)) {
            assertThat(new DashboardBrowser(first).signIn(ADMIN, PASSWORD).statusCode())
                    .isEqualTo(302);
        }

        List<String> hashes = new ArrayList<>();
        try (var database = DuckDbDatabase.open(otherData);
                var connection = database.connect();
                var rows = connection.createStatement().executeQuery("SELECT * FROM accounts")) {
            while (rows.next()) {
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    hashes.add(String.valueOf(rows.getString(column)));
                }
            }
        }

        assertThat(String.join(" ", hashes)).doesNotContain(PASSWORD).contains("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    // Guessing: a name is locked after a few failures, even for the right password.

    @Test
    void guessingAPasswordIsLockedOutAndTheLockLifts() {
        String email = "guessed@example.com";
        createAccount(email, "Guessed", "viewer");
        var attacker = new DashboardBrowser(server);
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_NAME; i++) {
            assertThat(attacker.signIn(email, "guess number " + i).statusCode()).isEqualTo(401);
        }

        var locked = new DashboardBrowser(server).signIn(email, PASSWORD);

        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        assertThat(locked.body()).contains("Too many failed attempts");
        assertThat(new DashboardBrowser(server).signIn(ADMIN, PASSWORD).statusCode())
                .as("another account is not locked")
                .isEqualTo(302);
        clock.advance(LoginThrottle.WINDOW.plus(Duration.ofSeconds(1)));
        assertThat(new DashboardBrowser(server).signIn(email, PASSWORD).statusCode())
                .isEqualTo(302);
    }

    @Test
    void anUnknownEmailAndAWrongPasswordAnswerAlike() {
        var unknown = new DashboardBrowser(server).signIn("nobody@example.com", PASSWORD);
        var wrong = new DashboardBrowser(server).signIn(ADMIN, "not the password at all");

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
    }

    // Session fixation: signing in always makes a new session and ends the one the browser had.

    @Test
    void signingInNeverKeepsASessionTokenTheBrowserHad() {
        var browser = new DashboardBrowser(server);
        browser.setSessionCookie("attacker-chosen-token-0123456789abcdef");

        String first = DashboardBrowser.issuedToken(browser.signIn(ADMIN, PASSWORD));

        assertThat(first).isNotEqualTo("attacker-chosen-token-0123456789abcdef");
        String second = DashboardBrowser.issuedToken(browser.signIn(ADMIN, PASSWORD));
        assertThat(second).isNotEqualTo(first);
        var replayed = new DashboardBrowser(server);
        replayed.setSessionCookie(first);
        assertThat(replayed.get("/dashboard/sites/demo").statusCode())
                .as("the session from before the second sign-in still works")
                .isEqualTo(302);
    }

    @Test
    void signingOutEndsTheSession() {
        var browser = new DashboardBrowser(server);
        String token = DashboardBrowser.issuedToken(browser.signIn(ADMIN, PASSWORD));

        assertThat(browser.post("/dashboard/logout", Map.of()).statusCode()).isEqualTo(302);

        var replayed = new DashboardBrowser(server);
        replayed.setSessionCookie(token);
        assertThat(replayed.get("/dashboard/sites/demo").statusCode()).isEqualTo(302);
    }

    // Hostile text typed into settings is shown as text.

    @Test
    void hostileAccountSiteAndKeyNamesAreEscaped() {
        String script = "<script>alert('account')</script>";
        createAccount("mallory@example.com", script, "viewer");
        server.api(
                "POST",
                "/api/v1/sites",
                TestServer.ADMIN_KEY,
                "{\"id\": \"hostile\", \"name\": \"<img src=x onerror=alert(1)>\"}");
        server.api(
                "POST",
                "/api/v1/keys",
                TestServer.ADMIN_KEY,
                "{\"label\": \"<svg onload=alert(2)>\", \"role\": \"viewer\"}");
        var browser = signedIn(ADMIN);

        for (String page : List.of(
                "/dashboard/settings/accounts",
                "/dashboard/settings/sites",
                "/dashboard/settings/keys",
                "/dashboard/sites/demo")) {
            assertThat(browser.get(page).body())
                    .as(page)
                    .doesNotContain(script)
                    .doesNotContain("<img src=x")
                    .doesNotContain("<svg onload");
        }
        assertThat(browser.get("/dashboard/settings/accounts").body()).contains("&lt;script&gt;alert(");
    }

    // Helpers

    private static DashboardBrowser signedIn(String email) {
        var browser = new DashboardBrowser(server);
        assertThat(browser.signIn(email, PASSWORD).statusCode()).isEqualTo(302);
        return browser;
    }

    private static void createAccount(String email, String name, String role) {
        var answer = server.api(
                "POST",
                "/api/v1/accounts",
                TestServer.ADMIN_KEY,
                "{\"email\": \"" + email + "\", \"name\": \"" + name.replace("\"", "\\\"") + "\", \"role\": \"" + role
                        + "\", \"sites\": [\"demo\"], \"password\": \"" + PASSWORD + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }
}
