package dev.beckon.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.TestServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A site's retention period on the dashboard's site settings page. */
class DashboardSiteRetentionTest {

    static final String PAGE = "/dashboard/settings/sites/demo";

    @TempDir
    static Path dataDir;

    static TestServer server;
    static DashboardBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        browser = DashboardBrowser.signIn(server, PAGE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePageShowsTheRetentionWithItsBounds() throws Exception {
        String page = browser.get(PAGE).body();

        assertThat(page)
                .contains("name=\"retentionDays\"")
                .contains("min=\"1\"")
                .contains("max=\"3650\"")
                .contains("value=\"" + retentionDays() + "\"");
    }

    @Test
    void savingTheFormChangesTheRetention() throws Exception {
        var saved = browser.post(PAGE, form("30"));

        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(retentionDays()).isEqualTo(30);
        assertThat(browser.get(PAGE).body()).contains("value=\"30\"");

        browser.post(PAGE, form("395"));
        assertThat(retentionDays()).isEqualTo(395);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "0      | retentionDays: give a whole number of days from 1 to 3650, not 0",
                "3651   | retentionDays: give a whole number of days from 1 to 3650, not 3651",
                "a year | retentionDays: give a whole number of days from 1 to 3650, not 'a year'",
                "2.5    | retentionDays: give a whole number of days from 1 to 3650, not '2.5'",
                "\"\"     | retentionDays: give a whole number of days from 1 to 3650, not ''"
            })
    void badRetentionsAreShownWithTheirMessageAndChangeNothing(String typed, String message) throws Exception {
        int before = retentionDays();

        var refused = browser.post(PAGE, form(typed));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains(message);
        assertThat(retentionDays()).isEqualTo(before);
    }

    @Test
    void aFormWithoutTheCsrfTokenChangesNothing() throws Exception {
        int before = retentionDays();
        var forged = new LinkedHashMap<>(form("7"));
        forged.put("csrf", "not-the-token");

        var refused = browser.post(PAGE, forged);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(retentionDays()).isEqualTo(before);
    }

    private static Map<String, String> form(String retentionDays) {
        return Map.of(
                "name", "Demo shop",
                "allowedOrigins", "self",
                "timeZone", "UTC",
                "retentionDays", retentionDays);
    }

    private static int retentionDays() {
        return server.admin("/api/v1/sites/demo").json().get("retentionDays").asInt();
    }
}
