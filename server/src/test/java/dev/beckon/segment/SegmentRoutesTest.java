package dev.beckon.segment;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The segment routes of the admin API over a real server and store: saving, listing, sizes,
 * members, "is this device or user in the segment now", and the precise answer to each kind of
 * invalid definition.
 */
class SegmentRoutesTest {

    static final String BASE = "/api/v1/sites/demo/segments";
    static final String SHOES = "{'did': {'event': 'PRODUCT_VIEWED', 'where': [{'property': 'category', 'op': 'eq',"
            + " 'value': 'shoes'}]}}";

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void startWithThreeShoppers() {
        server = TestServer.start(dataDir);
        List<ObjectNode> events = new ArrayList<>();
        // ann's device viewed shoes anonymously a minute before she signed in: it is her history.
        events.add(shopper(null, "d-ann", "PRODUCT_VIEWED", "shoes")
                .put("clientTime", System.currentTimeMillis() - 60_000));
        events.add(shopper("ann", "d-ann", "PRODUCT_VIEWED", "shoes"));
        events.add(shopper("bob", "d-bob", "PRODUCT_VIEWED", "bags"));
        events.add(shopper(null, "d-anon", "PRODUCT_VIEWED", "shoes"));
        assertThat(server.ingest(batch(events.toArray(ObjectNode[]::new))).status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSavedSegmentAnswersItsSizeAndIsListed() {
        var created = send("POST", BASE, "{'id': 'shoe-fans', 'name': 'Shoe fans', 'condition': " + SHOES + "}");
        var listed = server.admin(BASE);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("id").asText()).isEqualTo("shoe-fans");
        assertThat(created.json().get("size").asLong()).isEqualTo(2);
        assertThat(created.json().get("condition").toString()).contains("PRODUCT_VIEWED");
        assertThat(listed.json().get("segments").toString()).contains("Shoe fans");
    }

    @Test
    void membersArePagedInKeyOrder() {
        send("POST", BASE, "{'id': 'viewers', 'name': 'Viewers', 'condition': {'did': {'event': 'PRODUCT_VIEWED'}}}");

        var all = server.admin(BASE + "/viewers/members").json().get("members");
        var second =
                server.admin(BASE + "/viewers/members?limit=1&offset=1").json().get("members");

        assertThat(all.toString())
                .isEqualTo("[{\"userId\":null,\"deviceId\":\"d-anon\"},{\"userId\":\"ann\",\"deviceId\":null},"
                        + "{\"userId\":\"bob\",\"deviceId\":null}]");
        assertThat(second.size()).isEqualTo(1);
        assertThat(second.get(0).get("userId").asText()).isEqualTo("ann");
    }

    @Test
    void containsAnswersForADeviceThroughItsUserAndForAUser() {
        send("POST", BASE, "{'id': 'shoes-now', 'name': 'Shoes', 'condition': " + SHOES + "}");

        JsonNode device =
                server.admin(BASE + "/shoes-now/contains?deviceId=d-ann").json();
        JsonNode user = server.admin(BASE + "/shoes-now/contains?userId=bob").json();
        JsonNode anonymous =
                server.admin(BASE + "/shoes-now/contains?deviceId=d-anon").json();

        assertThat(device.get("person").get("userId").asText()).isEqualTo("ann");
        assertThat(device.get("member").asBoolean()).isTrue();
        assertThat(user.get("member").asBoolean()).isFalse();
        assertThat(anonymous.get("member").asBoolean()).isTrue();
    }

    @Test
    void containsAnswersFromLiveMembershipWhenAskedWithItsEvaluationTime() {
        send("POST", BASE, "{'id': 'shoes-live', 'name': 'Shoes', 'condition': " + SHOES + "}");

        JsonNode device = server.admin(BASE + "/shoes-live/contains?deviceId=d-ann&live=true")
                .json();
        JsonNode user =
                server.admin(BASE + "/shoes-live/contains?userId=bob&live=true").json();

        assertThat(device.get("member").asBoolean()).isTrue();
        assertThat(device.get("evaluatedAt").asText()).endsWith("Z");
        assertThat(user.get("member").asBoolean()).isFalse();
        assertError(
                server.admin(BASE + "/shoes-live/contains?userId=bob&live=yes"),
                400,
                "live: must be true or false, not 'yes'");
    }

    @Test
    void previewEvaluatesWithoutSaving() {
        var preview = send("POST", BASE + "/preview", "{'condition': " + SHOES + "}");

        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.json().get("size").asLong()).isEqualTo(2);
        assertThat(preview.json().get("members").size()).isEqualTo(2);
        assertThat(server.admin(BASE).body()).doesNotContain("preview");
    }

    @Test
    void replacingKeepsTheCreationTimeAndDeletingForgets() {
        var created = send("POST", BASE, "{'id': 'changing', 'name': 'First', 'condition': " + SHOES + "}");

        var replaced = send("PUT", BASE + "/changing", "{'name': 'Second', 'condition': {'all': []}}");
        var deleted = send("DELETE", BASE + "/changing", "");

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("name").asText()).isEqualTo("Second");
        assertThat(replaced.json().get("size").asLong()).isEqualTo(3);
        assertThat(replaced.json().get("createdAt")).isEqualTo(created.json().get("createdAt"));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(server.admin(BASE + "/changing").status()).isEqualTo(404);
    }

    @Test
    void aSecondSegmentWithTheSameIdIsAConflict() {
        send("POST", BASE, "{'id': 'twice', 'name': 'Twice', 'condition': {'all': []}}");

        var again = send("POST", BASE, "{'id': 'twice', 'name': 'Twice', 'condition': {'all': []}}");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).isEqualTo("a segment with id 'twice' exists; PUT to change it");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
            {'name': 'X', 'condition': {'all': [{'did': {'event': 'A'}}, {'did': {'event': ''}}]}} => condition.all[1].did.event: must be a non-empty string
            {'name': 'X', 'condition': {'did': {'event': 'A', 'window': {'last': 3, 'unit': 'years'}}}} => condition.did.window.unit: must be one of minutes, hours, days, weeks
            {'name': 'X', 'condition': {'userProperty': {'property': 'age', 'op': 'gt', 'value': true}}} => condition.userProperty.value: a boolean can only be compared with eq or neq
            {'name': 'X', 'condition': {'sometimes': {}}} => condition: 'sometimes' is not a kind of condition
            {'name': 'X'} => condition: is required
            {'name': '', 'condition': {'all': []}} => name: must be 1 to 200 characters
            {'condition': {'all': []}} => name: must be 1 to 200 characters
            {'id': 'Not An Id', 'name': 'X', 'condition': {'all': []}} => id: must be 1 to 64 characters of a-z, 0-9 and '-', starting with a letter or digit
            [] => the body must be a JSON object
            {'name': 'X', => the body is not valid JSON: Unexpected end-of-input within/between Object entries (at line 1, column 14)
            """)
    void invalidDefinitionsAreRefusedNamingWhatIsWrong(String body, String message) {
        var answer = send("POST", BASE, body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo(message);
    }

    @Test
    void hostileTextInAConditionIsDataAndLeavesTheEventsInPlace() {
        ObjectNode body = dev.beckon.Json.mapper().createObjectNode();
        var all = body.putObject("condition").putArray("all");
        all.addObject().putObject("did").put("event", "'; DROP TABLE events; --");
        all.addObject()
                .putObject("userProperty")
                .put("property", "$.a[0]\\\"")
                .put("op", "eq")
                .put("value", "x' OR '1'='1");

        var preview = sendJson("POST", BASE + "/preview", body.toString());
        var everyone = send("POST", BASE + "/preview", "{'condition': {'all': []}}");

        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        assertThat(preview.json().get("size").asLong()).isZero();
        assertThat(everyone.json().get("size").asLong()).isEqualTo(3);
    }

    @Test
    void aNameLongerThanTwoHundredCharactersIsRefused() {
        var answer = send("POST", BASE, "{'name': '" + "n".repeat(201) + "', 'condition': {'all': []}}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("name: must be 1 to 200 characters");
    }

    @Test
    void aDocumentNestedTooDeeplyIsRefusedWithTheLimit() {
        String deep = "{'not':".repeat(40) + "{'did': {'event': 'A'}}" + "}".repeat(40);

        var answer = send("POST", BASE + "/preview", "{'condition': " + deep + "}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("the body is nested deeper than 32 levels");
    }

    @Test
    void requestsAboutMissingThingsAndBadParametersSayWhich() {
        send("POST", BASE, "{'id': 'params', 'name': 'Params', 'condition': {'all': []}}");

        assertError(server.admin(BASE + "/nothing"), 404, "site 'demo' has no segment 'nothing'");
        assertError(server.admin("/api/v1/sites/nowhere/segments"), 404, "no site has the id 'nowhere'");
        assertError(
                server.admin(BASE + "/params/members?limit=0"),
                400,
                "limit: must be a whole number from 1 to 1000, not '0'");
        assertError(
                server.admin(BASE + "/params/members?offset=-1"),
                400,
                "offset: must be a whole number from 0 to 2147483647, not '-1'");
        assertError(server.admin(BASE + "/params/contains"), 400, "give exactly one of deviceId and userId");
        assertError(
                server.admin(BASE + "/params/contains?deviceId=a&userId=b"),
                400,
                "give exactly one of deviceId and userId");
    }

    @Test
    void segmentsNeedTheAdminKey() {
        var answer = server.send(HttpRequest.newBuilder(server.uri(BASE)));

        assertError(answer, 401, "send an API key as 'Authorization: Bearer <key>'");
    }

    @Test
    void theSitesTimeZoneCanBeChangedToAnIanaZoneOnly() {
        var changed = send("PATCH", "/api/v1/sites/demo", "{'timeZone': 'Asia/Kolkata'}");
        var refused = send("PATCH", "/api/v1/sites/demo", "{'timeZone': 'Mars/Olympus'}");
        send("PATCH", "/api/v1/sites/demo", "{'timeZone': 'UTC'}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("timeZone").asText()).isEqualTo("Asia/Kolkata");
        assertError(refused, 400, "timeZone: 'Mars/Olympus' is not an IANA time zone such as Europe/Berlin");
    }

    // Helpers

    private static ObjectNode shopper(String userId, String deviceId, String name, String category) {
        ObjectNode event = event(name);
        event.put("deviceId", deviceId);
        event.put("sessionId", "s-" + deviceId);
        if (userId != null) {
            event.put("userId", userId);
        }
        event.with("properties").put("category", category);
        return event;
    }

    /** An admin API request with a JSON body written with single quotes. */
    private static TestServer.Response send(String method, String path, String body) {
        return sendJson(method, path, body.replace('\'', '"'));
    }

    private static TestServer.Response sendJson(String method, String path, String json) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private static void assertError(TestServer.Response answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error").asText()).isEqualTo(message);
    }
}
