package dev.beckon.campaign;

import static dev.beckon.Batches.event;
import static dev.beckon.campaign.CampaignFixtures.create;
import static dev.beckon.campaign.CampaignFixtures.publish;
import static dev.beckon.campaign.CampaignFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign's funnel, anchor health and "why did or didn't they see it", from the exposures of the
 * config endpoint and the {@code $campaign_*} events the plugin logs, over a real server and store.
 */
class CampaignReportsTest {

    static final String BASE = "/api/v1/sites/demo/campaigns/";
    static final long NOW = System.currentTimeMillis();

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void startWithOneMeasuredCampaign() {
        server = TestServer.start(dataDir);
        ObjectNode campaign = CampaignFixtures.simple("Measured");
        campaign.putObject("goal").put("event", "ADD_TO_CART").put("windowHours", 1);
        create(server, "measured", campaign);
        publish(server, "measured");
        for (String device : new String[] {"d-a", "d-b", "d-c"}) {
            ConfigEndpointTestAccess.fetch(server, device);
        }

        long hour = Duration.ofHours(1).toMillis();
        server.ingestAccepted(
                plugin("d-a", "$campaign_triggered", "test", -50),
                plugin("d-a", "$campaign_shown", "test", -49),
                clicked("d-a", -48),
                at("d-a", "ADD_TO_CART", -40),
                plugin("d-b", "$campaign_triggered", "test", -3 * hour),
                plugin("d-b", "$campaign_shown", "test", -3 * hour + 1),
                plugin("d-b", "$campaign_dismissed", "test", -3 * hour + 2),
                at("d-b", "ADD_TO_CART", -hour),
                plugin("d-c", "$campaign_triggered", "control", -30),
                plugin("d-c", "$campaign_held", "control", -29),
                at("d-c", "ADD_TO_CART", -20),
                plugin("d-d", "$campaign_triggered", "test", -10),
                notShown("d-d", "anchor_missing", -9),
                notShown("d-d", "anchor_missing", -8),
                notShown("d-d", "capped", -7),
                another("d-a", "$campaign_shown", -5),
                plugin("d-qa", "$campaign_triggered", "preview", -7),
                plugin("d-qa", "$campaign_shown", "preview", -6),
                at("d-qa", "ADD_TO_CART", -4));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theFunnelCountsPeopleAtEachStepByVariant() {
        JsonNode funnel = server.admin(BASE + "measured/funnel").json();
        JsonNode test = funnel.get("test");
        JsonNode control = funnel.get("control");

        assertThat(test.get("eligible").asLong() + control.get("eligible").asLong())
                .isEqualTo(3);
        assertThat(test.get("triggered").asLong()).isEqualTo(3);
        assertThat(test.get("shown").asLong())
                .as("a test device's preview is not counted")
                .isEqualTo(2);
        assertThat(test.get("clicked").asLong()).isEqualTo(1);
        assertThat(test.get("dismissed").asLong()).isEqualTo(1);
        assertThat(test.get("notShown").asLong()).isEqualTo(1);
        assertThat(test.get("goal").asLong()).as("d-b bought after the window").isEqualTo(1);
        assertThat(test.get("goalRate").asDouble()).isEqualTo(0.5);
        assertThat(control.get("triggered").asLong()).isEqualTo(1);
        assertThat(control.get("held").asLong()).isEqualTo(1);
        assertThat(control.get("goal").asLong()).isEqualTo(1);
        assertThat(funnel.get("lift").get("difference").asDouble()).isEqualTo(-0.5);
    }

    @Test
    void anchorHealthCountsTheMissingAnchorsOfTheCampaign() {
        JsonNode anchor = server.admin(BASE + "measured/funnel").json().get("anchorMissing");

        assertThat(anchor.get("count").asLong()).isEqualTo(2);
        assertThat(anchor.get("latest").asText()).endsWith("Z");
    }

    @Test
    void whyListsEachConditionWithItsOutcomeAndWhatThePluginReported() {
        JsonNode why = server.admin(BASE + "measured/why?deviceId=d-a").json();

        assertThat(why.get("person").get("deviceId").asText()).isEqualTo("d-a");
        assertThat(why.get("verdict").get("eligible").asBoolean()).isTrue();
        assertThat(why.get("verdict").get("checks").findValuesAsText("condition"))
                .containsExactly("test device", "status", "schedule", "segment", "rollout", "control group");
        assertThat(why.get("exposure").get("variant").asText()).isIn("test", "control");
        assertThat(why.get("reported").findValuesAsText("name"))
                .containsExactly("$campaign_clicked", "$campaign_shown", "$campaign_triggered");
        assertThat(why.get("reported").get(0).get("detail").asText()).isEqualTo("version 1, button 0, action url");
    }

    @Test
    void whyGivesTheReasonsTheCampaignWasNotShown() {
        JsonNode reported =
                server.admin(BASE + "measured/why?deviceId=d-d").json().get("reported");

        assertThat(reported.findValuesAsText("reason")).contains("anchor_missing", "capped");
        assertThat(server.admin(BASE + "measured/why?deviceId=d-d")
                        .json()
                        .get("exposure")
                        .isNull())
                .isTrue();
    }

    @Test
    void whySaysWhichConditionFailed() {
        var segment = send(
                server,
                "POST",
                "/api/v1/sites/demo/segments",
                "{\"id\": \"nobody\", \"name\": \"Nobody\", \"condition\": {\"did\": {\"event\": \"NEVER\"}}}");
        assertThat(segment.status()).isEqualTo(201);
        ObjectNode campaign = CampaignFixtures.simple("Narrow");
        campaign.putObject("audience").put("segment", "nobody");
        create(server, "narrow", campaign);

        JsonNode checks = server.admin(BASE + "narrow/why?userId=ann")
                .json()
                .get("verdict")
                .get("checks");

        assertThat(checks.get(0).get("detail").asText()).contains("no device id given");
        assertThat(checks.get(1).toString()).contains("\"passed\":false").contains("is draft");
        assertThat(checks.get(3).toString())
                .contains("\"passed\":false")
                .contains("is not a member of segment 'nobody'");
    }

    @Test
    void whyNeedsExactlyOneValidId() {
        assertThat(server.admin(BASE + "measured/why").status()).isEqualTo(400);
        assertThat(server.admin(BASE + "measured/why?deviceId=a&userId=b").status())
                .isEqualTo(400);
        assertThat(server.admin(BASE + "measured/why?deviceId=" + "x".repeat(200))
                        .json()
                        .get("error")
                        .asText())
                .isEqualTo("deviceId: must be at most 128 characters; it has 200");
    }

    private static ObjectNode plugin(String device, String name, String variant, long offsetMs) {
        ObjectNode event = at(device, name, offsetMs);
        event.with("properties")
                .put("campaignId", "measured")
                .put("campaignVersion", 1)
                .put("variant", variant);
        return event;
    }

    private static ObjectNode clicked(String device, long offsetMs) {
        ObjectNode event = plugin(device, "$campaign_clicked", "test", offsetMs);
        event.with("properties").put("button", 0).put("action", "url");
        return event;
    }

    private static ObjectNode another(String device, String name, long offsetMs) {
        ObjectNode event = plugin(device, name, "test", offsetMs);
        event.with("properties").put("campaignId", "another");
        return event;
    }

    private static ObjectNode notShown(String device, String reason, long offsetMs) {
        ObjectNode event = plugin(device, "$campaign_not_shown", "test", offsetMs);
        event.with("properties").put("reason", reason);
        return event;
    }

    private static ObjectNode at(String device, String name, long offsetMs) {
        return event(name)
                .put("deviceId", device)
                .put("sessionId", "s-" + device)
                .put("clientTime", NOW + offsetMs);
    }
}
