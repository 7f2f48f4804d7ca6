package dev.beckon.admin;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.junit.jupiter.params.provider.CsvSource;

/** The admin API over a real server: events, profiles and sessions of one shopper's visit. */
class AdminApiTest {

    static final long T0 = 1_764_000_000_000L;

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void startAndRecordAVisit() {
        server = TestServer.start(dataDir);
        var answer = server.ingest(batch(
                at(event("$session_start"), 0, null, "s1"),
                at(event("$page_view"), 1, null, "s1").set("properties", props("path", "/demo/")),
                at(event("$session_properties"), 2, null, "s1").set("properties", props("language", "en")),
                at(event("PRODUCT_VIEWED"), 3, null, "s1"),
                at(event("$user_properties"), 5, "ann@example.com", "s1").set("properties", props("age", "24")),
                at(event("$session_properties"), 6, "ann@example.com", "s1").set("properties", props("language", "te")),
                at(event("ADD_TO_CART"), 7, "ann@example.com", "s1"),
                at(event("$page_view"), 60, "ann@example.com", "s2")
                        .set("properties", props("path", "/demo/cart.html")),
                // An older user property change arriving late must not win over the newer one.
                at(event("$user_properties"), 4, "ann@example.com", "s1").set("properties", props("age", "23"))));
        assertThat(answer.status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void eventsAreListedNewestFirstWithEveryField() {
        JsonNode events =
                server.admin("/api/v1/sites/demo/events?deviceId=d-ann").json().get("events");

        assertThat(names(events))
                .containsExactly(
                        "$page_view",
                        "ADD_TO_CART",
                        "$session_properties",
                        "$user_properties",
                        "$user_properties",
                        "PRODUCT_VIEWED",
                        "$session_properties",
                        "$page_view",
                        "$session_start");
        JsonNode first = events.get(0);
        assertThat(first.fieldNames())
                .toIterable()
                .contains(
                        "id",
                        "name",
                        "deviceId",
                        "userId",
                        "sessionId",
                        "properties",
                        "version",
                        "clientTime",
                        "serverTime");
        assertThat(first.get("clientTime").asText()).isEqualTo("2025-11-24T16:01:00.000Z");
    }

    @ParameterizedTest
    @CsvSource({
        "name=ADD_TO_CART, 1",
        "userId=ann@example.com, 5",
        "sessionId=s2, 1",
        "from=2025-11-24T16:00:05Z, 4",
        "to=2025-11-24T16:00:05Z, 5",
        "from=2025-11-24T16:00:03Z&to=2025-11-24T16:00:07Z, 4",
        "limit=2, 2"
    })
    void eachFilterNarrowsTheList(String filter, int expected) {
        JsonNode events = server.admin("/api/v1/sites/demo/events?deviceId=d-ann&" + filter)
                .json()
                .get("events");

        assertThat(events).hasSize(expected);
    }

    @Test
    void deviceProfileHasTheLatestUserPropertiesAndTheSessions() {
        JsonNode profile = server.admin("/api/v1/sites/demo/devices/d-ann").json();

        assertThat(profile.get("userIds").get(0).asText()).isEqualTo("ann@example.com");
        assertThat(profile.at("/userProperties/age").asText()).isEqualTo("24");
        assertThat(profile.get("eventCount").asInt()).isEqualTo(9);
        JsonNode sessions = profile.get("sessions");
        assertThat(sessions).hasSize(2);
        JsonNode s1 = sessions.get(1);
        assertThat(s1.get("sessionId").asText()).isEqualTo("s1");
        assertThat(s1.get("pageViews").asInt()).isEqualTo(1);
        assertThat(s1.get("durationSeconds").asInt()).isEqualTo(7);
        assertThat(s1.at("/properties/language").asText()).isEqualTo("te");
    }

    @Test
    void userProfileAndSessionsAreFoundByCustomUserId() {
        JsonNode profile =
                server.admin("/api/v1/sites/demo/users/ann%40example.com").json();
        JsonNode sessions = server.admin("/api/v1/sites/demo/users/ann%40example.com/sessions")
                .json();

        assertThat(profile.get("deviceIds").get(0).asText()).isEqualTo("d-ann");
        assertThat(sessions.get("sessions")).hasSize(2);
        assertThat(sessions.at("/sessions/1/start").asText()).isEqualTo("2025-11-24T16:00:00.000Z");
    }

    @Test
    void unknownProfileIs404() {
        var response = server.admin("/api/v1/sites/demo/devices/nobody");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").asText()).isEqualTo("site 'demo' has no events of device 'nobody'");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "limit=0 | limit: must be a whole number from 1 to 1000, not '0'",
                "limit=abc | limit: must be a whole number from 1 to 1000, not 'abc'",
                "from=yesterday | from: 'yesterday' is not an ISO-8601 time with an offset,"
                        + " such as 2026-12-03T10:15:30Z",
                "from=2026-12-04T00:00:00+05:30 | from: '2026-12-04T00:00:00 05:30' is not an ISO-8601 time"
                        + " with an offset,"
                        + " such as 2026-12-03T10:15:30Z; write a '+' offset as %2B in a URL"
            })
    void badParametersAre400WithAMessage(String query, String message) {
        var response = server.admin("/api/v1/sites/demo/events?" + query);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo(message);
    }

    @Test
    void requestsWithoutAValidKeyAre401() {
        var none = server.send(HttpRequest.newBuilder(server.uri("/api/v1/sites/demo/events")));
        var wrong = server.send(HttpRequest.newBuilder(server.uri("/api/v1/sites/demo/events"))
                .header("Authorization", "Bearer not-the-key"));

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).contains("Authorization: Bearer");
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void unknownSiteIs404() {
        assertThat(server.admin("/api/v1/sites/nope/events").status()).isEqualTo(404);
    }

    // Helpers

    private static ObjectNode at(ObjectNode event, int second, String userId, String sessionId) {
        event.put("clientTime", T0 + second * 1000L);
        event.put("deviceId", "d-ann");
        event.put("sessionId", sessionId);
        if (userId != null) {
            event.put("userId", userId);
        }
        return event;
    }

    private static ObjectNode props(String key, String value) {
        return dev.beckon.Json.mapper().createObjectNode().put(key, value);
    }

    private static List<String> names(JsonNode events) {
        return StreamSupport.stream(events.spliterator(), false)
                .map(e -> e.get("name").asText())
                .toList();
    }
}
