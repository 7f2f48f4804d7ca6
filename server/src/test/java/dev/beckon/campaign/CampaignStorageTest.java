package dev.beckon.campaign;

import static dev.beckon.campaign.CampaignFixtures.create;
import static dev.beckon.campaign.CampaignFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Campaigns and their exposures survive a restart of the server, and are served again at once. */
class CampaignStorageTest {

    @TempDir
    Path dataDir;

    @Test
    void aRestartedServerHasEveryCampaignWithItsStatusVersionAndExposures() {
        JsonNode before;
        try (var server = TestServer.start(dataDir)) {
            create(server, "kept", CampaignFixtures.example().putNull("testDevices"));
            publish(server, "kept");
            create(server, "draft", CampaignFixtures.simple("Draft"));
            server.send(HttpRequest.newBuilder(server.uri("/config/demo?deviceId=d-1")));
            before = server.admin("/api/v1/sites/demo/campaigns/kept").json();
        }

        try (var server = TestServer.start(dataDir)) {
            JsonNode after = server.admin("/api/v1/sites/demo/campaigns/kept").json();
            JsonNode draft = server.admin("/api/v1/sites/demo/campaigns/draft").json();
            JsonNode config = server.send(HttpRequest.newBuilder(server.uri("/config/demo?deviceId=d-2")))
                    .json();
            JsonNode funnel =
                    server.admin("/api/v1/sites/demo/campaigns/kept/funnel").json();

            assertThat(after).isEqualTo(before);
            assertThat(after.get("status").asText()).isEqualTo("live");
            assertThat(after.get("version").asInt()).isEqualTo(1);
            assertThat(draft.get("publishedAt").isNull()).isTrue();
            assertThat(config.get("campaigns").findValuesAsText("id")).containsExactly("kept");
            assertThat(funnel.get("test").get("eligible").asLong()
                            + funnel.get("control").get("eligible").asLong())
                    .isEqualTo(2);
        }
    }
}
