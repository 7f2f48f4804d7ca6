package dev.beckon.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site's recontact wait of surveys on the dashboard's site settings page. */
class DashboardSiteRecontactTest {

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
    void theSettingsPageShowsAndSavesTheWait() throws Exception {
        createSite("{\"id\": \"paged\", \"name\": \"Paged\"}");
        String page = "/dashboard/settings/sites/paged";
        var browser = DashboardBrowser.signIn(server, page);

        assertThat(browser.get(page).body())
                .contains("name=\"recontactDays\"")
                .contains("max=\"365\"")
                .contains("value=\"7\"");

        var saved = browser.post(page, form("14"));
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(recontactDays("paged")).isEqualTo(14);

        var refused = browser.post(page, form("a week"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("recontactDays: give a whole number of days from 0 to 365, not 'a week'");
        assertThat(recontactDays("paged")).isEqualTo(14);
    }

    @Test
    void theInstallSnippetLoadsThePluginsThatShowTheSitesCampaigns() throws Exception {
        createSite("{\"id\": \"snipped\", \"name\": \"Snipped\"}");
        String page = "/dashboard/settings/sites/snipped";

        assertThat(DashboardBrowser.signIn(server, page).get(page).body())
                .contains("/sdk/beckon-full.js")
                .contains("Beckon.init(\"snipped\", { version: \"1.0.0\", plugins: [\"nudges\", \"surveys\"] });");
    }

    private static Map<String, String> form(String recontactDays) {
        return Map.of(
                "name", "Paged",
                "allowedOrigins", "self",
                "timeZone", "UTC",
                "retentionDays", "395",
                "recontactDays", recontactDays);
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
}
