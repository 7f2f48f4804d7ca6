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

/** A site's retention period through the admin API's site routes. */
class SiteRetentionApiTest {

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
    void aSiteKeepsEventsFor395DaysUnlessChanged() {
        var site = server.admin("/api/v1/sites/demo").json();

        assertThat(site.get("retentionDays").asInt()).isEqualTo(395);
    }

    @Test
    void theRetentionIsChangedAndKept() {
        createSite("{\"id\": \"kept\", \"name\": \"Kept\"}");

        var changed = patch("kept", "{\"retentionDays\": 30}");

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("retentionDays").asInt()).isEqualTo(30);
        assertThat(server.admin("/api/v1/sites/kept")
                        .json()
                        .get("retentionDays")
                        .asInt())
                .isEqualTo(30);
        assertThat(server.admin("/api/v1/sites").json().findValues("retentionDays"))
                .extracting(node -> node.asInt())
                .contains(30, 395);
    }

    @Test
    void changingAnotherFieldKeepsTheRetention() {
        createSite("{\"id\": \"other-field\", \"name\": \"Other\", \"retentionDays\": 90}");

        var changed = patch("other-field", "{\"name\": \"Renamed\"}");

        assertThat(changed.json().get("retentionDays").asInt()).isEqualTo(90);
    }

    @Test
    void aNewSiteTakesItsRetention() {
        var created = createSite("{\"id\": \"short\", \"name\": \"Short\", \"retentionDays\": 1}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("retentionDays").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0           | retentionDays: give a whole number of days from 1 to 3650, not 0",
                "-7          | retentionDays: give a whole number of days from 1 to 3650, not -7",
                "3651        | retentionDays: give a whole number of days from 1 to 3650, not 3651",
                "1.5         | retentionDays: must be a whole number, not 1.5",
                "'\"30\"'    | retentionDays: must be a whole number, not \"30\"",
                "true        | retentionDays: must be a whole number, not true",
                "99999999999999999999 | retentionDays: 99999999999999999999 is out of range"
            })
    void badRetentionsAreRefusedWithTheirMessage(String value, String message) {
        var refused = patch("demo", "{\"retentionDays\": " + value + "}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo(message);
        assertThat(server.admin("/api/v1/sites/demo")
                        .json()
                        .get("retentionDays")
                        .asInt())
                .isEqualTo(395);
    }

    @Test
    void aBadRetentionCreatesNoSite() {
        var refused = createSite("{\"id\": \"never\", \"name\": \"Never\", \"retentionDays\": 4000}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText())
                .isEqualTo("retentionDays: give a whole number of days from 1 to 3650, not 4000");
        assertThat(server.admin("/api/v1/sites/never").status()).isEqualTo(404);
    }

    @Test
    void aBadRetentionChangesNoOtherField() {
        createSite("{\"id\": \"unchanged\", \"name\": \"Unchanged\"}");

        var refused = patch("unchanged", "{\"name\": \"Renamed\", \"retentionDays\": 0}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(server.admin("/api/v1/sites/unchanged").json().get("name").asText())
                .isEqualTo("Unchanged");
    }

    @Test
    void onlyAnAdminChangesTheRetention() {
        String viewerKey = server.api(
                        "POST", "/api/v1/keys", TestServer.ADMIN_KEY, "{\"label\": \"viewer\", \"role\": \"viewer\"}")
                .json()
                .get("secret")
                .asText();

        var refused = server.api("PATCH", "/api/v1/sites/demo", viewerKey, "{\"retentionDays\": 1}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(server.admin("/api/v1/sites/demo")
                        .json()
                        .get("retentionDays")
                        .asInt())
                .isEqualTo(395);
    }

    private static TestServer.Response createSite(String body) {
        return server.api("POST", "/api/v1/sites", TestServer.ADMIN_KEY, body);
    }

    private static TestServer.Response patch(String siteId, String body) {
        return server.api("PATCH", "/api/v1/sites/" + siteId, TestServer.ADMIN_KEY, body);
    }
}
