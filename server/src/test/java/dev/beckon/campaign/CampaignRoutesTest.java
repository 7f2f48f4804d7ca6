package dev.beckon.campaign;

import static dev.beckon.campaign.CampaignFixtures.create;
import static dev.beckon.campaign.CampaignFixtures.publish;
import static dev.beckon.campaign.CampaignFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
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
 * The campaign routes of the admin API over a real server and store: saving, reading back, the
 * status transitions and their versions, deleting drafts only, and hostile requests.
 */
class CampaignRoutesTest {

    static final String BASE = "/api/v1/sites/demo/campaigns";

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
    void aCreatedCampaignIsADraftAtVersionZeroAndReadsBackAsWritten() {
        ObjectNode created = create(server, "shoe-help", CampaignFixtures.example());
        var read = server.admin(BASE + "/shoe-help").json();
        var listed = server.admin(BASE).json().get("campaigns");

        assertThat(created.get("status").asText()).isEqualTo("draft");
        assertThat(created.get("version").asInt()).isZero();
        assertThat(created.get("publishedAt").isNull()).isTrue();
        assertThat(read.get("content")).isEqualTo(CampaignFixtures.example().get("content"));
        assertThat(read.get("trigger")).isEqualTo(CampaignFixtures.example().get("trigger"));
        assertThat(listed.toString()).contains("\"id\":\"shoe-help\"");
    }

    @Test
    void theListIsByPriorityHighestFirst() {
        create(server, "low", CampaignFixtures.simple("Low").put("priority", 1));
        create(server, "high", CampaignFixtures.simple("High").put("priority", 900));

        var ids = server.admin(BASE).json().get("campaigns").findValuesAsText("id");

        assertThat(ids.indexOf("high")).isLessThan(ids.indexOf("low"));
    }

    @Test
    void publishingPausingAndEndingFollowTheStatusesAndBumpTheVersion() {
        create(server, "life", CampaignFixtures.simple("Life"));

        var live = publish(server, "life");
        var paused = post("/life/pause");
        var pausedAgain = post("/life/pause");
        var resumed = post("/life/publish");
        var ended = post("/life/end");
        var publishEnded = post("/life/publish");

        assertThat(live.get("status").asText()).isEqualTo("live");
        assertThat(live.get("version").asInt()).isEqualTo(1);
        assertThat(paused.json().get("status").asText()).isEqualTo("paused");
        assertThat(paused.json().get("version").asInt()).isEqualTo(1);
        assertError(
                pausedAgain, 409, "campaign 'life' is paused and cannot be paused; it can be from [live, scheduled]");
        assertThat(resumed.json().get("status").asText()).isEqualTo("live");
        assertThat(resumed.json().get("version").asInt()).isEqualTo(2);
        assertThat(ended.json().get("status").asText()).isEqualTo("ended");
        assertError(
                publishEnded, 409, "campaign 'life' is ended and cannot be published; it can be from [draft, paused]");
    }

    @Test
    void aDraftWhoseStartIsToComeIsScheduledWhenPublished() {
        ObjectNode campaign = CampaignFixtures.simple("Later");
        campaign.putObject("schedule")
                .put("start", Instant.now().plusSeconds(86_400).toString());
        create(server, "later", campaign);

        assertThat(publish(server, "later").get("status").asText()).isEqualTo("scheduled");
        assertThat(post("/later/pause").json().get("status").asText()).isEqualTo("paused");
    }

    @Test
    void editingAPublishedCampaignPublishesTheChangeWithTheNextVersion() {
        create(server, "edit", CampaignFixtures.simple("Edit"));
        var draftEdit = send(
                server, "PUT", BASE + "/edit", CampaignFixtures.simple("Edit 2").toString());
        publish(server, "edit");

        var liveEdit = send(
                server, "PUT", BASE + "/edit", CampaignFixtures.simple("Edit 3").toString());
        var statusInBody = send(
                server,
                "PUT",
                BASE + "/edit",
                CampaignFixtures.simple("Edit 4").put("status", "paused").toString());

        assertThat(draftEdit.json().get("version").asInt()).isZero();
        assertThat(liveEdit.json().get("version").asInt()).isEqualTo(2);
        assertThat(liveEdit.json().get("name").asText()).isEqualTo("Edit 3");
        assertThat(liveEdit.json().get("status").asText()).isEqualTo("live");
        assertError(statusInBody, 400, "status: is changed with POST …/publish, …/pause or …/end, not in the body");
    }

    @Test
    void onlyADraftCanBeDeletedAndAnEndedCampaignCannotChange() {
        create(server, "gone", CampaignFixtures.simple("Gone"));
        create(server, "kept", CampaignFixtures.simple("Kept"));
        publish(server, "kept");

        var deleted = server.adminDelete(BASE + "/gone");
        var refused = server.adminDelete(BASE + "/kept");
        var endDraft = send(server, "POST", BASE + "/gone-again/end", "");
        post("/kept/end");
        var changeEnded = send(
                server, "PUT", BASE + "/kept", CampaignFixtures.simple("Again").toString());

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(server.admin(BASE + "/gone").status()).isEqualTo(404);
        assertError(refused, 409, "campaign 'kept' is live; only a draft can be deleted, end it instead");
        assertThat(endDraft.status()).isEqualTo(404);
        assertError(changeEnded, 409, "campaign 'kept' has ended and cannot change; copy it instead");
    }

    @Test
    void aTakenIdAnInvalidIdAndAMissingSegmentAreRefused() {
        create(server, "taken", CampaignFixtures.simple("Taken"));

        var again = send(
                server,
                "POST",
                BASE,
                CampaignFixtures.simple("Again").put("id", "taken").toString());
        var badId = send(
                server,
                "POST",
                BASE,
                CampaignFixtures.simple("Bad").put("id", "Not OK").toString());
        ObjectNode withSegment = CampaignFixtures.simple("Segment");
        withSegment.putObject("audience").put("segment", "nobody-made-this");
        var noSegment = send(server, "POST", BASE, withSegment.toString());

        assertError(again, 409, "a campaign with id 'taken' exists; PUT to change it");
        assertError(badId, 400, "id: must be 1 to 64 characters of a-z, 0-9 and '-', starting with a letter or digit");
        assertError(noSegment, 400, "audience.segment: site 'demo' has no segment 'nobody-made-this'");
    }

    @Test
    void aCampaignWithoutAnIdGetsAUuid() {
        var answer = send(server, "POST", BASE, CampaignFixtures.simple("No id").toString());

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json().get("id").asText()).matches("[0-9a-f-]{36}");
    }

    @Test
    void hostileBodiesAreRefusedWithAClientError() {
        var notJson = send(server, "POST", BASE, "{\"name\": ");
        var array = send(server, "POST", BASE, "[]");
        var deep = send(server, "POST", BASE, "{\"a\":".repeat(40) + "1" + "}".repeat(40));
        var huge = send(server, "POST", BASE, "{\"name\": \"" + "x".repeat(300_000) + "\"}");
        var duplicateKey = send(server, "POST", BASE, "{\"name\": \"a\", \"name\": \"b\"}");

        assertError(
                notJson,
                400,
                "the body is not valid JSON: Unexpected end-of-input within/between Object entries"
                        + " (at line 1, column 10)");
        assertError(array, 400, "the body must be a JSON object");
        assertError(deep, 400, "the body is nested deeper than 32 levels");
        assertError(
                huge,
                413,
                "the body is larger than 262144 bytes; shorten it (the limit is the same for every admin API route)");
        assertError(duplicateKey, 400, "the body is not valid JSON: Duplicate field 'name' (at line 1, column 21)");
    }

    @Test
    void sqlMetaCharactersInIdsAreJustIdsThatDoNotExist() {
        String sql = URLEncoder.encode("x' OR '1'='1", StandardCharsets.UTF_8).replace("+", "%20");

        var campaign = server.admin(BASE + "/" + sql);
        var site = server.admin("/api/v1/sites/" + sql + "/campaigns");

        assertThat(campaign.status()).isEqualTo(404);
        assertThat(site.status()).isEqualTo(404);
    }

    @Test
    void everyRouteNeedsTheAdminKey() {
        var anonymous = server.send(HttpRequest.newBuilder(server.uri(BASE)));
        var wrongKey = server.send(HttpRequest.newBuilder(server.uri(BASE)).header("Authorization", "Bearer nope"));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(wrongKey.status()).isEqualTo(401);
    }

    private static TestServer.Response post(String path) {
        return send(server, "POST", BASE + path, "");
    }

    private static void assertError(TestServer.Response answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error").asText()).isEqualTo(message);
    }
}
