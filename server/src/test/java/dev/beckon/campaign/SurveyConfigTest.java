package dev.beckon.campaign;

import static dev.beckon.Batches.event;
import static dev.beckon.campaign.CampaignFixtures.create;
import static dev.beckon.campaign.CampaignFixtures.publish;
import static dev.beckon.campaign.CampaignFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import dev.beckon.event.ReservedEvent;
import dev.beckon.robustness.MutableClock;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Surveys through the config endpoint, over a real server and store (docs/surveys.md): served like
 * nudges, with their questions as written; the events of the surveys plugin accepted by ingestion;
 * and the recontact wait, across surveys and across the devices of one user.
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

    @Test
    void theConfigCarriesTheSitesRecontactWait() {
        assertThat(config("d-wait-shape", null).get("recontactDays").asInt()).isEqualTo(7);
    }

    @Test
    void aUserShownOneSurveyOnOneDeviceGetsNoSurveyOnAnotherUntilTheWaitIsOver() {
        for (String id : List.of("wait-a", "wait-b")) {
            create(server, id, CampaignFixtures.survey());
            publish(server, id);
        }
        ObjectNode held = CampaignFixtures.survey();
        held.putObject("audience").put("controlPercent", 100);
        create(server, "wait-held", held);
        publish(server, "wait-held");
        create(server, "wait-nudge", CampaignFixtures.simple("A nudge waits for no survey"));
        publish(server, "wait-nudge");
        assertThat(ids(config("d-una-2", "una"))).contains("wait-a", "wait-b", "wait-held", "wait-nudge");

        server.ingestAccepted(shown("d-una-1", "una", "wait-a", "test", Duration.ofDays(1)));
        clock.advance(CampaignDelivery.CACHE_TTL.plusSeconds(1));

        assertThat(ids(config("d-una-2", "una")))
                .contains("wait-nudge")
                .doesNotContain("wait-a", "wait-b", "wait-held", "checkout-nps");
        assertThat(ids(config("d-una-1", "una"))).doesNotContain("wait-a", "wait-b");
        assertThat(ids(config("d-someone-else", null))).contains("wait-a", "wait-b", "wait-held");

        clock.advance(Duration.ofDays(6));

        assertThat(ids(config("d-una-2", "una"))).contains("wait-a", "wait-b", "wait-held", "wait-nudge");
    }

    @Test
    void aTestDevicesPreviewNeitherWaitsNorStartsTheWait() {
        ObjectNode survey = CampaignFixtures.survey();
        survey.putArray("testDevices").add("d-try");
        create(server, "preview-wait", survey);
        create(server, "live-after-preview", CampaignFixtures.survey());
        publish(server, "live-after-preview");

        server.ingestAccepted(
                shown("d-try", null, "preview-wait", "preview", Duration.ofHours(1)),
                shown("d-try", null, "live-after-preview", "test", Duration.ofHours(1)));
        clock.advance(CampaignDelivery.CACHE_TTL.plusSeconds(1));
        JsonNode tester = config("d-try", null);

        assertThat(ids(tester)).contains("preview-wait").doesNotContain("live-after-preview");

        server.ingestAccepted(shown("d-only-previewed", null, "preview-wait", "preview", Duration.ofHours(1)));
        assertThat(ids(config("d-only-previewed", null))).contains("live-after-preview");
    }

    @Test
    void aSiteWithoutWaitShowsSurveysAgainAtOnce() {
        var site = send(
                server,
                "POST",
                "/api/v1/sites",
                "{\"id\": \"no-wait\", \"name\": \"No wait\"," + " \"recontactDays\": 0}");
        assertThat(site.status()).as(site.body()).isEqualTo(201);
        assertThat(site.json().get("recontactDays").asInt()).isZero();
        var created = send(
                server,
                "POST",
                "/api/v1/sites/no-wait/campaigns",
                CampaignFixtures.survey().put("id", "again").toString());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(send(server, "POST", "/api/v1/sites/no-wait/campaigns/again/publish", "")
                        .status())
                .isEqualTo(200);
        ObjectNode shown = shown("d-again", null, "again", "test", Duration.ofMinutes(1));
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/ingest/no-wait"))
                                .header("Content-Type", "text/plain;charset=UTF-8")
                                .POST(HttpRequest.BodyPublishers.ofString(dev.beckon.Batches.batch(shown))))
                        .status())
                .isEqualTo(200);

        JsonNode config = config("no-wait", "d-again", null);

        assertThat(config.get("recontactDays").asInt()).isZero();
        assertThat(ids(config)).contains("again");
    }

    /** A {@code $campaign_shown} of the campaign, logged {@code ago} before the clock's now. */
    static ObjectNode shown(String deviceId, String userId, String campaignId, String variant, Duration ago) {
        ObjectNode shown = event(ReservedEvent.CAMPAIGN_SHOWN)
                .put("deviceId", deviceId)
                .put("clientTime", clock.instant().minus(ago).toEpochMilli());
        if (userId != null) {
            shown.put("userId", userId);
        }
        shown.with("properties")
                .put("campaignId", campaignId)
                .put("campaignVersion", 1)
                .put("variant", variant);
        return shown;
    }

    static List<String> ids(JsonNode config) {
        return config.get("campaigns").findValuesAsText("id");
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
        return config("demo", deviceId, userId);
    }

    static JsonNode config(String siteId, String deviceId, String userId) {
        var answer = server.send(HttpRequest.newBuilder(server.uri("/config/" + siteId + "?deviceId="
                + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                + (userId == null ? "" : "&userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8)))));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }
}
