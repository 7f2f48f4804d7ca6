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

/** A site's recontact wait of surveys (docs/surveys.md) through the admin API's site routes. */
class SiteRecontactApiTest {

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

    @Test
    void aSiteWaitsSevenDaysUnlessChanged() {
        assertThat(recontactDays("demo")).isEqualTo(7);
    }

    @Test
    void theWaitIsSetAtCreationChangedAndKeptWithTheOtherFields() {
        var created = createSite("{\"id\": \"waits\", \"name\": \"Waits\", \"recontactDays\": 30}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("recontactDays").asInt()).isEqualTo(30);

        var changed = patch("waits", "{\"recontactDays\": 0}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(recontactDays("waits")).isZero();

        patch("waits", "{\"recontactDays\": 365, \"retentionDays\": 30}");
        patch("waits", "{\"name\": \"Renamed\"}");
        assertThat(recontactDays("waits")).isEqualTo(365);
        assertThat(server.admin("/api/v1/sites/waits")
                        .json()
                        .get("retentionDays")
                        .asInt())
                .isEqualTo(30);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "-1          | recontactDays: give a whole number of days from 0 to 365, not -1",
                "366         | recontactDays: give a whole number of days from 0 to 365, not 366",
                "1.5         | recontactDays: must be a whole number, not 1.5",
                "'\"7\"'     | recontactDays: must be a whole number, not \"7\"",
                "null        | recontactDays: must be a whole number, not null",
                "99999999999999999999 | recontactDays: 99999999999999999999 is out of range"
            })
    void badWaitsAreRefusedWithTheirMessage(String value, String message) {
        var refused = patch("demo", "{\"recontactDays\": " + value + "}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo(message);
        assertThat(recontactDays("demo")).isEqualTo(7);
    }

    @Test
    void onlyAnAdminChangesTheWait() {
        String viewerKey = server.api(
                        "POST", "/api/v1/keys", TestServer.ADMIN_KEY, "{\"label\": \"viewer\", \"role\": \"viewer\"}")
                .json()
                .get("secret")
                .asText();

        var refused = server.api("PATCH", "/api/v1/sites/demo", viewerKey, "{\"recontactDays\": 1}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(recontactDays("demo")).isEqualTo(7);
    }

    private static int recontactDays(String siteId) {
        return server.admin("/api/v1/sites/" + siteId)
                .json()
                .get("recontactDays")
                .asInt();
    }

    private static TestServer.Response createSite(String body) {
        return server.api("POST", "/api/v1/sites", TestServer.ADMIN_KEY, body);
    }

    private static TestServer.Response patch(String siteId, String body) {
        return server.api("PATCH", "/api/v1/sites/" + siteId, TestServer.ADMIN_KEY, body);
    }
}
