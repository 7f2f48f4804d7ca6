package dev.beckon.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bodies of the settings routes: a misspelt field is refused, and a new site's defaults are what the docs say. */
class SettingsBodiesTest {

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "POST  | /api/v1/sites      | {\"id\": \"typo\", \"name\": \"T\", \"allowedOrigin\": [\"https://a.b\"]}"
                        + " | allowedOrigin: is not a field of a site; the fields are id, name, allowedOrigins,"
                        + " timeZone, retentionDays, recontactDays",
                "PATCH | /api/v1/sites/demo | {\"name\": \"Demo\", \"timezone\": \"Europe/Berlin\"}"
                        + " | timezone: is not a field of a site's changes; the fields are name, allowedOrigins,"
                        + " timeZone, retentionDays, recontactDays, holdoutPercent, fatigue, minGapSeconds,"
                        + " quietHours",
                "POST  | /api/v1/keys       | {\"label\": \"k\", \"role\": \"viewer\", \"site\": \"demo\"}"
                        + " | site: is not a field of an API key; the fields are label, role, siteId",
                "POST  | /api/v1/accounts   | {\"email\": \"a@b.c\", \"role\": \"viewer\","
                        + " \"password\": \"long enough pass\", \"roles\": []} | roles: is not a field of an account; the fields are email, name, role,"
                        + " sites, password"
            })
    void aFieldThatIsNotOneOfTheRoutesIsRefusedByName(String method, String path, String body, String message) {
        var response = server.api(method, path, TestServer.ADMIN_KEY, body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a line break | Shop\\nTwo | name: must not hold control characters or unpaired surrogates",
                "a right-to-left override | Sale \\u202Egpj.exe | name: must not hold a bidirectional override"
                        + " (U+202D or U+202E), which shows text in the other direction",
            })
    void aSiteNameWithControlsOrADirectionOverrideIsRefused(String what, String name, String message) {
        String body = "{\"id\": \"odd-name\", \"name\": \"" + name + "\"}";
        var created = server.api("POST", "/api/v1/sites", TestServer.ADMIN_KEY, body);
        var renamed = server.api("PATCH", "/api/v1/sites/demo", TestServer.ADMIN_KEY, "{\"name\": \"" + name + "\"}");

        assertThat(created.status()).isEqualTo(400);
        assertThat(created.body()).contains(message);
        assertThat(renamed.status()).isEqualTo(400);
        assertThat(renamed.body()).contains(message);
    }

    @Test
    void aRightToLeftNameWithIsolatesIsKept() {
        String name = "\u05D7\u05E0\u05D5\u05EA \u2066Beckon\u2069";
        var created = server.api(
                "POST", "/api/v1/sites", TestServer.ADMIN_KEY, "{\"id\": \"rtl\", \"name\": \"" + name + "\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body()).contains(name);
    }

    @Test
    void aRefusedNewSiteIsNotCreated() {
        server.api("POST", "/api/v1/sites", TestServer.ADMIN_KEY, "{\"id\": \"half\", \"name\": \"H\", \"x\": 1}");

        assertThat(server.admin("/api/v1/sites/half").status()).isEqualTo(404);
    }

    @Test
    void aNewSiteIsInTheIanaZoneUtcUntilToldOtherwise() {
        var created =
                server.api("POST", "/api/v1/sites", TestServer.ADMIN_KEY, "{\"id\": \"zoned\", \"name\": \"Zoned\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("timeZone").asText()).isEqualTo("UTC");
        assertThat(server.admin("/api/v1/sites/demo").json().get("timeZone").asText())
                .isEqualTo("UTC");
    }
}
