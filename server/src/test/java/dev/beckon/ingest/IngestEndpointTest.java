package dev.beckon.ingest;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ingestion endpoint against a real server and a real DuckDB file. */
class IngestEndpointTest {

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
    void batchWithOneMalformedEventKeepsTheOthers() {
        ObjectNode first = event("PRODUCT_VIEWED");
        ObjectNode malformed = event("ADD_TO_CART").put("sessionId", "");
        ObjectNode third = event("CHECKOUT");

        JsonNode answer = expectOk(batch(first, malformed, third));

        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("rejected")).hasSize(1);
        assertThat(answer.at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(answer.at("/rejected/0/id").asText())
                .isEqualTo(malformed.get("id").asText());
        assertThat(answer.at("/rejected/0/reason").asText())
                .isEqualTo("sessionId: must be 1 to 128 characters; it has 0");
        assertThat(storedIds(first, malformed, third)).containsExactlyInAnyOrder(idOf(first), idOf(third));
    }

    @Test
    void batchLevelFieldsApplyToEventsWithoutTheirOwn() {
        ObjectNode shared = event("SHARED");
        ObjectNode own = event("OWN").put("deviceId", "d-own").putNull("userId");
        ObjectNode unnamed = event("NO_DEVICE_ANYWHERE");
        for (ObjectNode event : List.of(shared, unnamed)) {
            event.remove(List.of("deviceId", "sessionId", "version"));
        }
        unnamed.remove("deviceId");
        ObjectNode batch = Json.mapper().createObjectNode();
        batch.put("deviceId", "d-batch")
                .put("userId", "ann")
                .put("sessionId", "s-batch")
                .put("version", "2.0");
        batch.putArray("events").add(shared).add(own);

        JsonNode answer = expectOk(batch.toString());
        JsonNode refused = expectOk(batch(unnamed));

        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        JsonNode stored =
                server.admin("/api/v1/sites/demo/events?name=SHARED").json().at("/events/0");
        assertThat(stored.get("deviceId").asText()).isEqualTo("d-batch");
        assertThat(stored.get("userId").asText()).isEqualTo("ann");
        assertThat(stored.get("sessionId").asText()).isEqualTo("s-batch");
        assertThat(stored.get("version").asText()).isEqualTo("2.0");
        JsonNode ownStored =
                server.admin("/api/v1/sites/demo/events?name=OWN").json().at("/events/0");
        assertThat(ownStored.get("deviceId").asText()).isEqualTo("d-own");
        assertThat(ownStored.has("userId") && !ownStored.get("userId").isNull())
                .as("an event's own null userId is no user, whatever the batch says")
                .isFalse();
        assertThat(ownStored.get("version").asText()).isEqualTo("1.0.0");
        assertThat(refused.at("/rejected/0/reason").asText()).isEqualTo("deviceId: is required");
    }

    @Test
    void duplicateBatchStoresEachEventOnce() {
        ObjectNode a = event("PRODUCT_VIEWED");
        ObjectNode b = event("ADD_TO_CART");
        String body = batch(a, b, a);

        JsonNode first = expectOk(body);
        JsonNode second = expectOk(body);

        assertThat(first.get("accepted").asInt()).isEqualTo(2);
        assertThat(first.get("duplicates").asInt()).isEqualTo(1);
        assertThat(second.get("accepted").asInt()).isZero();
        assertThat(second.get("duplicates").asInt()).isEqualTo(3);
        assertThat(storedIds(a, b)).containsExactlyInAnyOrder(idOf(a), idOf(b));
    }

    @Test
    void eachEventGetsTheServerReceiveTimeAndASkewCorrectedTime() {
        long clientClockAheadMs = 3_600_000;
        long now = System.currentTimeMillis();
        ObjectNode e = event("SKEWED").put("clientTime", now + clientClockAheadMs - 500);
        String body = "{\"sentAt\": " + (now + clientClockAheadMs) + ", \"events\": [" + e + "]}";

        expectOk(body);

        JsonNode stored =
                server.admin("/api/v1/sites/demo/events?name=SKEWED").json().at("/events/0");
        long serverTime =
                java.time.Instant.parse(stored.get("serverTime").asText()).toEpochMilli();
        long time = java.time.Instant.parse(stored.get("time").asText()).toEpochMilli();
        assertThat(serverTime).isBetween(now - 5_000, now + 5_000);
        assertThat(serverTime - time).isBetween(400L, 600L);
        assertThat(stored.get("clientTime").asText()).isEqualTo(iso(now + clientClockAheadMs - 500));
    }

    @Test
    void oversizedBodyIsRefusedWithAReason() {
        String huge = "{\"events\": [], \"pad\": \"" + "x".repeat(IngestLimits.MAX_BODY_BYTES) + "\"}";

        var response = server.ingest(huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("error").asText()).contains("larger than 1048576 bytes");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "[1, 2, 3]",
                "{\"events\": {}}",
                "{\"events\": []}",
                "{\"events\": [}",
                "{\"events\": [{}]} trailing",
                "{\"events\": [{\"clientTime\": NaN}]}",
                "\"just a string\"",
                "null"
            })
    void malformedBodiesGet400WithAReason(String body) {
        var response = server.ingest(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "PATCH", "DELETE"})
    void otherMethodsThanPostGet405NamingTheAllowedOnes(String method) {
        var response = server.send(
                HttpRequest.newBuilder(server.uri("/ingest/demo")).method(method, HttpRequest.BodyPublishers.noBody()));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.raw().headers().firstValue("Allow")).contains("POST, OPTIONS");
        assertThat(response.json().get("error").asText())
                .isEqualTo("events are sent with POST; this route takes no " + method);
    }

    @Test
    void tooDeeplyNestedJsonIsRefusedWithoutAServerError() {
        String deep = "{\"events\": [" + "[".repeat(5_000) + "]".repeat(5_000) + "]}";

        var response = server.ingest(deep);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo("the body is nested deeper than 32 levels");
    }

    @Test
    void moreThanTheEventLimitIsRefusedWhole() {
        ObjectNode[] events = new ObjectNode[IngestLimits.MAX_EVENTS_PER_BATCH + 1];
        java.util.Arrays.setAll(events, i -> event("MANY"));

        var response = server.ingest(batch(events));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText())
                .contains("1 to 500 events")
                .contains("Split the batch");
    }

    @Test
    void eachBrokenFieldIsNamedInItsReason() {
        List<ObjectNode> broken = List.of(
                event("X").put("id", "short"),
                event("X").put("id", "has spaces in it"),
                event("").put("id", "empty-name-0001"),
                event("$custom"),
                event("X").put("deviceId", 42),
                event("X").put("userId", "u".repeat(257)),
                event("X").put("clientTime", "yesterday"),
                event("X").put("clientTime", -5),
                event("X").put("version", ""),
                (ObjectNode) event("X").set("properties", parse("[1, 2]")),
                (ObjectNode) event("X").set("properties", parse(nested(7))),
                event("X").put("name", "tab\there"));

        JsonNode answer = expectOk(batch(broken.toArray(ObjectNode[]::new)));

        assertThat(answer.get("accepted").asInt()).isZero();
        assertThat(StreamSupport.stream(answer.get("rejected").spliterator(), false)
                        .map(r -> r.get("reason").asText())
                        .toList())
                .containsExactly(
                        "id: must be 8 to 64 characters of A-Z, a-z, 0-9, '-' and '_'",
                        "id: must be 8 to 64 characters of A-Z, a-z, 0-9, '-' and '_'",
                        "name: must be 1 to 200 characters; it has 0",
                        "name: '$' starts only reserved event names",
                        "deviceId: must be a string, not number",
                        "userId: must be 1 to 256 characters; it has 257",
                        "clientTime: must be an integer number of epoch milliseconds",
                        "clientTime: -5 is not a time between 1970 and 9999 in epoch milliseconds",
                        "version: must be 1 to 100 characters; it has 0",
                        "properties: must be a JSON object",
                        "properties.a.a.a.a.a: nested deeper than 5 levels",
                        "name: must not contain control characters or unpaired surrogates");
    }

    @Test
    void hostileTextIsStoredVerbatimAndReadBackIntact() {
        String sql = "x'); DROP TABLE events; --";
        String script = "<script>alert(1)</script>";
        String unicode = "שלום 👋🏽 e\u0301 \u202Eevil";
        ObjectNode e = event(sql);
        e.put("userId", script);
        e.with("properties").put("script", script).put("unicode", unicode).put("sql", sql);

        expectOk(batch(e));

        JsonNode stored = server.admin("/api/v1/sites/demo/events?userId=" + encode(script))
                .json()
                .at("/events/0");
        assertThat(stored.get("name").asText()).isEqualTo(sql);
        assertThat(stored.at("/properties/script").asText()).isEqualTo(script);
        assertThat(stored.at("/properties/unicode").asText()).isEqualTo(unicode);
        assertThat(server.admin("/api/v1/sites/demo/events?name=" + encode(sql))
                        .json()
                        .get("events"))
                .hasSize(1);
    }

    @Test
    void unpairedSurrogatesInPropertiesBecomeReplacementCharacters() {
        String body = batch(event("SURROGATE")).replace("\"properties\":{}", "\"properties\":{\"s\":\"a\\ud800b\"}");

        expectOk(body);

        JsonNode stored =
                server.admin("/api/v1/sites/demo/events?name=SURROGATE").json().at("/events/0");
        assertThat(stored.at("/properties/s").asText()).isEqualTo("a\uFFFDb");
    }

    @Test
    void unknownSiteIs404() {
        var response = server.send(HttpRequest.newBuilder(server.uri("/ingest/no-such-site"))
                .POST(HttpRequest.BodyPublishers.ofString(batch(event("X")))));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").asText()).isEqualTo("no site has the id 'no-such-site'");
    }

    @Test
    void pageOfAnotherOriginIsRefused() {
        var response = server.send(HttpRequest.newBuilder(server.uri("/ingest/demo"))
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(batch(event("X")))));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void demoSiteAllowsTheServersOwnOrigin() {
        var preflight = server.send(HttpRequest.newBuilder(server.uri("/ingest/demo"))
                .header("Origin", server.baseUrl())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        var post = server.send(HttpRequest.newBuilder(server.uri("/ingest/demo"))
                .header("Origin", server.baseUrl())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch(event("SAME_ORIGIN")))));

        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).contains(server.baseUrl());
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.header("Access-Control-Allow-Origin")).contains(server.baseUrl());
    }

    @Test
    void otherContentTypesAre415() {
        var response = server.send(HttpRequest.newBuilder(server.uri("/ingest/demo"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("events=1")));

        assertThat(response.status()).isEqualTo(415);
    }

    // Helpers

    private static JsonNode expectOk(String body) {
        var response = server.ingest(body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<String> storedIds(ObjectNode... events) {
        List<String> wanted =
                java.util.Arrays.stream(events).map(IngestEndpointTest::idOf).toList();
        JsonNode all =
                server.admin("/api/v1/sites/demo/events?limit=1000").json().get("events");
        return StreamSupport.stream(all.spliterator(), false)
                .map(e -> e.get("id").asText())
                .filter(wanted::contains)
                .toList();
    }

    private static String idOf(ObjectNode event) {
        return event.get("id").asText();
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String iso(long epochMs) {
        return dev.beckon.Json.TIME_FORMAT.format(java.time.Instant.ofEpochMilli(epochMs));
    }

    private static JsonNode parse(String json) {
        try {
            return dev.beckon.Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
