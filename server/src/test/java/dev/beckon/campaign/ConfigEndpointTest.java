package dev.beckon.campaign;

import static dev.beckon.Batches.event;
import static dev.beckon.campaign.CampaignFixtures.create;
import static dev.beckon.campaign.CampaignFixtures.publish;
import static dev.beckon.campaign.CampaignFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import dev.beckon.robustness.MutableClock;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config endpoint over a real server and store (docs/campaigns.md, "The config endpoint"):
 * who is eligible, the sticky buckets, schedules and test devices, the history a condition needs,
 * ETags, and the same origin rules as ingestion.
 */
class ConfigEndpointTest {

    static final String CAMPAIGNS = "/api/v1/sites/demo/campaigns";

    @TempDir
    static Path dataDir;

    static TestServer server;
    static final MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void startWithShoeViewers() {
        server = TestServer.start(dataDir, clock);
        server.ingestAccepted(
                viewed("d-fan", null, "shoes"), viewed("d-ann", "ann", "shoes"), viewed("d-bags", null, "bags"));
        var segment = send(
                server,
                "POST",
                "/api/v1/sites/demo/segments",
                "{\"id\": \"shoe-viewers\", \"name\": \"Shoe viewers\", \"condition\": {\"did\": {\"event\":"
                        + " \"PRODUCT_VIEWED\", \"where\": [{\"property\": \"category\", \"op\": \"eq\", \"value\":"
                        + " \"shoes\"}]}}}");
        assertThat(segment.status()).as(segment.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aDeviceGetsTheLiveCampaignsOfItsSegmentOnly() {
        ObjectNode campaign = CampaignFixtures.simple("For shoe viewers");
        campaign.putObject("audience").put("segment", "shoe-viewers");
        create(server, "seg-in", campaign);
        publish(server, "seg-in");

        assertThat(ids(config("d-fan", null))).contains("seg-in");
        assertThat(ids(config("d-bags", null))).doesNotContain("seg-in");
        assertThat(ids(config("d-never-seen", null))).doesNotContain("seg-in");
    }

    @Test
    void aDeviceIsJudgedAsTheUserItBelongsToOrAsTheUserThePageHasSet() {
        ObjectNode campaign = CampaignFixtures.simple("Shoes of Ann");
        campaign.putObject("audience").put("segment", "shoe-viewers");
        create(server, "seg-user", campaign);
        publish(server, "seg-user");

        assertThat(ids(config("d-other-device-of-ann", "ann"))).contains("seg-user");
        assertThat(ids(config("d-ann", null))).contains("seg-user");
    }

    @Test
    void theAnswerHasTheContractsShapeWithEachCampaignsDefinition() {
        create(server, "shape", CampaignFixtures.example().put("priority", 999));
        publish(server, "shape");

        JsonNode config = config("d-shape", null);
        JsonNode entry = campaign(config, "shape");

        assertThat(config.get("refreshSeconds").asInt()).isEqualTo(30);
        assertThat(config.get("serverTime").asText()).isEqualTo(dev.beckon.Json.TIME_FORMAT.format(clock.instant()));
        assertThat(config.get("holdout").asBoolean()).isFalse();
        assertThat(config.get("fatigue").toString()).isEqualTo("{\"perDay\":0,\"perWeek\":0}");
        assertThat(config.get("minGapSeconds").asInt()).isZero();
        assertThat(entry.get("kind").asText()).isEqualTo("nudge");
        assertThat(entry.get("version").asInt()).isEqualTo(1);
        assertThat(entry.get("variant").asText()).isEqualTo("test");
        assertThat(entry.get("trigger")).isEqualTo(CampaignFixtures.example().get("trigger"));
        assertThat(entry.get("caps")).isEqualTo(CampaignFixtures.example().get("caps"));
        assertThat(entry.get("content")).isEqualTo(CampaignFixtures.example().get("content"));
        assertThat(entry.get("goal")).isEqualTo(CampaignFixtures.example().get("goal"));
        assertThat(entry.get("history").get("asOf").asText()).endsWith("Z");
        assertThat(ids(config).getFirst()).isEqualTo("shape");
    }

    @Test
    void conditionsAndFiltersArriveInTheOneSpellingThePluginReads() {
        ObjectNode saved = CampaignFixtures.example();
        saved.set(
                "trigger",
                CampaignFixtures.json(
                        "{'on': {'kind': 'event', 'event': 'TAP', 'where': [{'name': 'p', 'op': 'exists'}]},"
                                + " 'condition': {'did': {'event': 'PRODUCT_VIEWED', 'where': [{'name': 'category', 'op': 'eq',"
                                + " 'value': 'shoes'}], 'window': {'last': 3, 'unit': 'Days', 'calendar': 'true'}}}}"));
        saved.set(
                "goal",
                CampaignFixtures.json("{'event': 'ADD_TO_CART', 'where': [{'name': 'size', 'op': 'exists'}],"
                        + " 'windowHours': 24, 'after': 'shown'}"));
        // A draft reaches its test device only, so the other tests' devices do not see it.
        saved.putArray("testDevices").add("d-spelling");
        create(server, "spelling", saved);

        JsonNode entry = campaign(config("d-spelling", null), "spelling");

        assertThat(entry.get("trigger").toString())
                .isEqualTo("{\"on\":{\"kind\":\"event\",\"event\":\"TAP\",\"where\":[{\"op\":\"exists\","
                        + "\"property\":\"p\"}]},\"condition\":{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"where\":"
                        + "[{\"op\":\"eq\",\"value\":\"shoes\",\"property\":\"category\"}],\"window\":{\"last\":3,"
                        + "\"unit\":\"days\",\"calendar\":true}}}}");
        assertThat(entry.get("goal").get("where").toString()).isEqualTo("[{\"op\":\"exists\",\"property\":\"size\"}]");
    }

    @Test
    void aCampaignWithoutConditionHasAnEmptyHistory() {
        create(server, "no-condition", CampaignFixtures.simple("No condition"));
        publish(server, "no-condition");

        JsonNode history = campaign(config("d-plain", null), "no-condition").get("history");

        assertThat(history.get("events")).isEmpty();
        assertThat(history.get("asOf").asText()).endsWith("Z");
    }

    @Test
    void draftsPausedAndEndedCampaignsReachOnlyTestDevicesOrNoOne() {
        ObjectNode draft = CampaignFixtures.simple("Draft");
        draft.putArray("testDevices").add("d-tester");
        create(server, "draft-only", draft);
        ObjectNode paused = CampaignFixtures.simple("Paused");
        paused.putArray("testDevices").add("d-tester");
        create(server, "paused-one", paused);
        publish(server, "paused-one");
        send(server, "POST", CAMPAIGNS + "/paused-one/pause", "");

        JsonNode tester = config("d-tester", null);

        assertThat(ids(tester)).contains("draft-only").doesNotContain("paused-one");
        assertThat(campaign(tester, "draft-only").get("variant").asText()).isEqualTo("preview");
        assertThat(ids(config("d-visitor", null))).doesNotContain("draft-only", "paused-one");
    }

    @Test
    void aScheduledCampaignArrivesWhenItsStartComesAndLeavesAtItsEnd() {
        ObjectNode campaign = CampaignFixtures.simple("Timed");
        campaign.putObject("schedule")
                .put("start", clock.instant().plus(Duration.ofHours(1)).toString())
                .put("end", clock.instant().plus(Duration.ofHours(3)).toString());
        create(server, "timed", campaign);
        assertThat(publish(server, "timed").get("status").asText()).isEqualTo("scheduled");

        boolean before = ids(config("d-timed", null)).contains("timed");
        clock.advance(Duration.ofHours(2));
        boolean during = ids(config("d-timed", null)).contains("timed");
        clock.advance(Duration.ofHours(2));
        boolean after = ids(config("d-timed", null)).contains("timed");

        assertThat(before).isFalse();
        assertThat(during).isTrue();
        assertThat(after).isFalse();
    }

    @Test
    void rolloutAndControlShareThePeopleInTheirProportionsAndStick() {
        ObjectNode campaign = CampaignFixtures.simple("Half");
        campaign.putObject("audience").put("rolloutPercent", 50).put("controlPercent", 20);
        create(server, "half", campaign);
        publish(server, "half");

        int devices = 600;
        List<String> first = variants("d-half-", devices);
        create(server, "unrelated", CampaignFixtures.simple("Unrelated"));
        publish(server, "unrelated");
        List<String> second = variants("d-half-", devices);

        long eligible = first.stream().filter(v -> !v.equals("none")).count();
        long control = first.stream().filter(v -> v.equals("control")).count();
        assertThat(eligible).isBetween(devices * 40L / 100, devices * 60L / 100);
        assertThat((double) control / eligible).isBetween(0.12, 0.28);
        assertThat(second).isEqualTo(first);
        for (int i = 0; i < devices; i++) {
            assertThat(first.get(i)).isEqualTo(expectedVariant("half", "d:d-half-" + i, 5000, 2000));
        }
    }

    @Test
    void theBucketsOfAUserFollowTheUserAcrossDevices() {
        ObjectNode campaign = CampaignFixtures.simple("Per user");
        campaign.putObject("audience").put("rolloutPercent", 50).put("controlPercent", 50);
        create(server, "per-user", campaign);
        publish(server, "per-user");

        List<String> onePhone = new ArrayList<>();
        List<String> oneLaptop = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            onePhone.add(variant(config("d-phone-" + i, "user-" + i), "per-user"));
            oneLaptop.add(variant(config("d-laptop-" + i, "user-" + i), "per-user"));
        }

        assertThat(oneLaptop).isEqualTo(onePhone);
        assertThat(onePhone).contains("test", "control", "none");
    }

    @Test
    void theHistoryHoldsTheEventsTheConditionCanMatchWithOnlyTheNamedProperties() {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(viewed("d-hist", null, "shoes").put("clientTime", clock.millis() - 60_000L * (i + 1)));
        }
        events.add(viewed("d-hist", null, "shoes")
                .put("clientTime", clock.millis() - Duration.ofDays(5).toMillis()));
        ObjectNode other = event("PRODUCT_TAPPED").put("deviceId", "d-hist");
        events.add(other);
        server.ingestAccepted(events.toArray(ObjectNode[]::new));
        create(server, "history", CampaignFixtures.example().putNull("testDevices"));
        publish(server, "history");

        JsonNode history =
                campaign(config("d-hist", null), "history").get("history").get("events");

        assertThat(history).hasSize(3);
        for (JsonNode item : history) {
            assertThat(item.get("name").asText()).isEqualTo("PRODUCT_VIEWED");
            assertThat(item.get("properties").toString()).isEqualTo("{\"category\":\"shoes\"}");
        }
        assertThat(history.get(0).get("time").asText())
                .isGreaterThan(history.get(2).get("time").asText());
    }

    @Test
    void theHistoryKeepsTheNewest500() {
        for (int batch = 0; batch < 2; batch++) {
            List<ObjectNode> events = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                long ageMs = 1000L * (batch * 300 + i + 1);
                events.add(viewed("d-many", null, "shoes").put("clientTime", clock.millis() - ageMs));
            }
            server.ingestAccepted(events.toArray(ObjectNode[]::new));
        }
        create(server, "many", CampaignFixtures.example().putNull("testDevices"));
        publish(server, "many");

        JsonNode history =
                campaign(config("d-many", null), "many").get("history").get("events");

        assertThat(history).hasSize(500);
        assertThat(history.get(0).get("time").asText())
                .isEqualTo(dev.beckon.Json.TIME_FORMAT.format(Instant.ofEpochMilli(clock.millis() - 1000)));
    }

    @Test
    void anUnchangedConfigAnswers304AndAPublishedChangeANewEtag() {
        create(server, "etag-one", CampaignFixtures.simple("One"));
        publish(server, "etag-one");
        var first = get("/config/demo?deviceId=d-etag", null);
        String etag = first.header("ETag").orElseThrow();

        var again = get("/config/demo?deviceId=d-etag", etag);
        create(server, "etag-two", CampaignFixtures.simple("Two"));
        publish(server, "etag-two");
        var changed = get("/config/demo?deviceId=d-etag", etag);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Cache-Control")).contains("private, max-age=0, must-revalidate");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag").orElseThrow()).isNotEqualTo(etag);
        assertThat(ids(changed.json())).contains("etag-one", "etag-two");
    }

    @Test
    void aPausedCampaignLeavesTheNextConfigAtOnce() {
        create(server, "pause-me", CampaignFixtures.simple("Pause me"));
        publish(server, "pause-me");
        boolean before = ids(config("d-pause", null)).contains("pause-me");

        send(server, "POST", CAMPAIGNS + "/pause-me/pause", "");

        assertThat(before).isTrue();
        assertThat(ids(config("d-pause", null))).doesNotContain("pause-me");
    }

    @Test
    void originsFollowTheRulesOfIngestion() {
        var foreign = get(HttpRequest.newBuilder(server.uri("/config/demo?deviceId=d-1"))
                .header("Origin", "https://evil.example"));
        var self = get(
                HttpRequest.newBuilder(server.uri("/config/demo?deviceId=d-1")).header("Origin", server.baseUrl()));
        var preflight = get(HttpRequest.newBuilder(server.uri("/config/demo?deviceId=d-1"))
                .header("Origin", server.baseUrl())
                .header("Access-Control-Request-Headers", "if-none-match")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().get("error").asText()).contains("is not allowed for site 'demo'");
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.header("Access-Control-Allow-Origin")).contains(server.baseUrl());
        assertThat(self.header("Access-Control-Expose-Headers")).contains("ETag");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("If-None-Match");
    }

    @Test
    void badIdsAreRefusedWithTheRuleAndAnUnknownSiteIs404() {
        assertError(get("/config/demo", null), 400, "deviceId: is required; pass the SDK's getClientId()");
        assertError(
                get("/config/demo?deviceId=" + "x".repeat(129), null),
                400,
                "deviceId: must be at most 128 characters; it has 129");
        assertError(
                get("/config/demo?deviceId=a%00b", null),
                400,
                "deviceId: must not contain control characters or unpaired surrogates");
        assertError(
                get("/config/demo?deviceId=d-1&userId=" + "u".repeat(257), null),
                400,
                "userId: must be at most 256 characters; it has 257");
        assertError(get("/config/nowhere?deviceId=d-1", null), 404, "no site has the id 'nowhere'");
    }

    @Test
    void sqlMetaCharactersInIdsAreJustIds() {
        String sql = URLEncoder.encode("x' OR '1'='1' --", StandardCharsets.UTF_8);

        var answer = get("/config/demo?deviceId=" + sql + "&userId=" + sql, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("campaigns").isArray()).isTrue();
    }

    // Helpers

    static ObjectNode viewed(String deviceId, String userId, String category) {
        ObjectNode event = event("PRODUCT_VIEWED").put("deviceId", deviceId).put("sessionId", "s-" + deviceId);
        if (userId != null) {
            event.put("userId", userId);
        }
        event.with("properties").put("category", category).put("secret", "not for the browser");
        return event;
    }

    private static List<String> variants(String prefix, int devices) {
        List<String> variants = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            variants.add(variant(config(prefix + i, null), "half"));
        }
        return variants;
    }

    private static String expectedVariant(String campaignId, String personKey, int rollout, int control) {
        if (Buckets.rollout(campaignId, personKey) >= rollout) {
            return "none";
        }
        return Buckets.control(campaignId, personKey) < control ? "control" : "test";
    }

    private static String variant(JsonNode config, String campaignId) {
        JsonNode entry = campaign(config, campaignId);
        return entry == null ? "none" : entry.get("variant").asText();
    }

    private static JsonNode campaign(JsonNode config, String campaignId) {
        for (JsonNode entry : config.get("campaigns")) {
            if (entry.get("id").asText().equals(campaignId)) {
                return entry;
            }
        }
        return null;
    }

    private static List<String> ids(JsonNode config) {
        return config.get("campaigns").findValuesAsText("id");
    }

    static JsonNode config(String deviceId, String userId) {
        var answer = get(
                "/config/demo?deviceId=" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                        + (userId == null ? "" : "&userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8)),
                null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static TestServer.Response get(String path, String ifNoneMatch) {
        var request = HttpRequest.newBuilder(server.uri(path));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return server.send(request);
    }

    private static TestServer.Response get(HttpRequest.Builder request) {
        return server.send(request);
    }

    private static void assertError(TestServer.Response answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error").asText()).isEqualTo(message);
    }
}
