package dev.beckon.campaign;

import static dev.beckon.Batches.event;
import static dev.beckon.campaign.CampaignFixtures.create;
import static dev.beckon.campaign.CampaignFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import dev.beckon.robustness.MutableClock;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Surveys through the config endpoint, over a real server and store (docs/surveys.md): served like
 * nudges, with their questions as written, and the events of the surveys plugin accepted by
 * ingestion.
 */
class SurveyConfigTest {

    @TempDir
    static Path dataDir;

    static TestServer server;
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir, clock);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLiveSurveyIsServedLikeANudgeWithItsContentAsWritten() {
        create(server, "checkout-nps", CampaignFixtures.survey());
        publish(server, "checkout-nps");

        JsonNode entry = entry(config("d-served", null), "checkout-nps");

        assertThat(entry.get("kind").asText()).isEqualTo("survey");
        assertThat(entry.get("variant").asText()).isEqualTo("test");
        assertThat(entry.get("version").asInt()).isEqualTo(1);
        assertThat(entry.get("trigger")).isEqualTo(CampaignFixtures.survey().get("trigger"));
        assertThat(entry.get("caps")).isEqualTo(CampaignFixtures.survey().get("caps"));
        assertThat(entry.get("content")).isEqualTo(CampaignFixtures.survey().get("content"));
        assertThat(entry.get("history").get("events")).isEmpty();
    }

    @Test
    void aDraftSurveyReachesItsTestDevicesAsAPreview() {
        ObjectNode survey = CampaignFixtures.survey();
        survey.putArray("testDevices").add("d-tester");
        create(server, "draft-survey", survey);

        assertThat(entry(config("d-tester", null), "draft-survey")
                        .get("variant")
                        .asText())
                .isEqualTo("preview");
        assertThat(entry(config("d-stranger", null), "draft-survey")).isNull();
    }

    @Test
    void theSurveysPluginsEventsAreAcceptedByIngestion() {
        ObjectNode answered = event("$survey_answered").put("deviceId", "d-answering");
        answered.with("properties")
                .put("campaignId", "checkout-nps")
                .put("campaignVersion", 1)
                .put("variant", "test")
                .put("responseId", "r0123456789abcdef")
                .put("questionId", "nps")
                .put("questionType", "nps")
                .put("index", 0)
                .put("answer", 9);
        ObjectNode completed = event("$survey_completed").put("deviceId", "d-answering");
        completed
                .with("properties")
                .put("campaignId", "checkout-nps")
                .put("responseId", "r0123456789abcdef")
                .put("answered", 1);

        server.ingestAccepted(answered, completed);
    }

    static JsonNode entry(JsonNode config, String campaignId) {
        for (JsonNode entry : config.get("campaigns")) {
            if (entry.get("id").asText().equals(campaignId)) {
                return entry;
            }
        }
        return null;
    }

    static JsonNode config(String deviceId, String userId) {
        var answer = server.send(HttpRequest.newBuilder(server.uri("/config/demo?deviceId="
                + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                + (userId == null ? "" : "&userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8)))));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }
}
