package dev.beckon.identity;

import static dev.beckon.identity.Visit.each;
import static dev.beckon.identity.Visit.event;
import static dev.beckon.identity.Visit.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import dev.beckon.robustness.LogCapture;
import dev.beckon.store.UserErasure;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exporting and deleting a user's data through the admin API, over a real server and DuckDB. */
class UserDataTest {

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
    void deletingAUserRemovesTheirEventsOnEveryDeviceWithTheirAnonymousHistory() {
        server.ingestAccepted(
                event("ANONYMOUS_PHONE", "d-del-phone", null, "s-del-1", 0),
                with(event("$user_properties", "d-del-phone", "quinn", "s-del-1", 1), "age", "33"),
                event("ANONYMOUS_LAPTOP", "d-del-laptop", null, "s-del-2", 100),
                event("LAPTOP", "d-del-laptop", "quinn", "s-del-2", 101),
                event("LAPTOP_AGAIN", "d-del-laptop", "quinn", "s-del-3", 5000));

        var answer = server.adminDelete("/api/v1/sites/demo/users/quinn");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("deleted").toString())
                .isEqualTo("{\"events\":5,\"sessions\":3,\"devices\":2,\"cohortMemberships\":0}");
        assertThat(server.admin("/api/v1/sites/demo/users/quinn").status()).isEqualTo(404);
        assertThat(server.admin("/api/v1/sites/demo/devices/d-del-phone").status())
                .isEqualTo(404);
        assertThat(server.admin("/api/v1/sites/demo/events?deviceId=d-del-laptop")
                        .json()
                        .get("events"))
                .isEmpty();
        assertThat(server.admin("/api/v1/sites/demo/users/quinn/sessions")
                        .json()
                        .get("sessions"))
                .isEmpty();
    }

    @Test
    void deletingOneUserOfASharedDeviceLeavesTheOtherUntouched() {
        server.ingestAccepted(
                event("RAY_ANONYMOUS", "d-del-shared", null, "s-del-shared", 0),
                event("RAY", "d-del-shared", "ray", "s-del-shared", 1),
                event("SAM_ANONYMOUS", "d-del-shared", null, "s-del-shared", 2),
                with(event("$user_properties", "d-del-shared", "sam", "s-del-shared", 3), "plan", "pro"),
                event("SAM", "d-del-shared", "sam", "s-del-shared", 4),
                event("AFTER_SAM_LOGGED_OUT", "d-del-shared", null, "s-del-shared", 5));
        JsonNode samBefore = server.admin("/api/v1/sites/demo/users/sam").json();

        var answer = server.adminDelete("/api/v1/sites/demo/users/ray");

        assertThat(answer.json().at("/deleted/events").asInt()).isEqualTo(2);
        assertThat(server.admin("/api/v1/sites/demo/users/sam").json()).isEqualTo(samBefore);
        assertThat(each(
                        server.admin("/api/v1/sites/demo/events?deviceId=d-del-shared")
                                .json()
                                .get("events"),
                        "name"))
                .containsExactly("AFTER_SAM_LOGGED_OUT", "SAM", "$user_properties", "SAM_ANONYMOUS");
        assertThat(server.admin("/api/v1/sites/demo/devices/d-del-shared")
                        .json()
                        .get("userIds")
                        .toString())
                .isEqualTo("[\"sam\"]");
    }

    @Test
    void deletingAgainDeletesNothingAndSaysSo() {
        server.ingestAccepted(event("TIA", "d-del-twice", "tia", "s-del-twice", 0));

        var first = server.adminDelete("/api/v1/sites/demo/users/tia");
        var second = server.adminDelete("/api/v1/sites/demo/users/tia");
        var neverSeen = server.adminDelete("/api/v1/sites/demo/users/nobody-at-all");

        assertThat(first.json().at("/deleted/events").asInt()).isEqualTo(1);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("deleted").toString())
                .isEqualTo("{\"events\":0,\"sessions\":0,\"devices\":0,\"cohortMemberships\":0}");
        assertThat(neverSeen.status()).isEqualTo(200);
    }

    @Test
    void deletionIsLoggedWithTheSiteWhoAskedAndTheCountsButNotTheUserId() {
        server.ingestAccepted(event("UMA", "d-del-log", "uma@example.com", "s-del-log", 0));
        List<String> lines;

        try (var log = new LogCapture()) {
            server.adminDelete("/api/v1/sites/demo/users/uma%40example.com");
            lines = new ArrayList<>(log.lines());
        }

        assertThat(lines)
                .filteredOn(line -> line.contains("Deleted user data"))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("INFO ")
                        .contains("site=demo")
                        .contains("requested_by=BECKON_ADMIN_KEY")
                        .contains("user_sha256=" + UserErasure.userIdHash("demo", "uma@example.com"))
                        .contains("events=1 sessions=1 devices=1")
                        .doesNotContain("uma@example.com"));
    }

    @Test
    void exportHoldsTheProfileDevicesPropertiesSessionsAndEveryEvent() {
        server.ingestAccepted(
                with(event("$user_properties", "d-exp", null, "s-exp-1", 0), "language", "te"),
                event("VAL_ANONYMOUS", "d-exp", null, "s-exp-1", 1),
                with(event("$session_properties", "d-exp", "val", "s-exp-1", 2), "campaign", "<script>x</script>"),
                event("VAL_SECOND_DEVICE", "d-exp-2", "val", "s-exp-2", 100),
                event("SOMEONE_ELSE", "d-exp", "wes", "s-exp-3", 200));

        var answer = server.admin("/api/v1/sites/demo/users/val/export");
        JsonNode export = answer.json();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).contains("attachment"));
        assertThat(export.get("userId").asText()).isEqualTo("val");
        assertThat(each(export.get("devices"), "deviceId")).containsExactlyInAnyOrder("d-exp", "d-exp-2");
        assertThat(export.at("/userProperties/language").asText()).isEqualTo("te");
        assertThat(export.get("cohorts")).isEmpty();
        assertThat(each(export.get("sessions"), "sessionId")).containsExactly("s-exp-2", "s-exp-1");
        assertThat(export.at("/sessions/1/properties/campaign").asText()).isEqualTo("<script>x</script>");
        assertThat(each(export.get("events"), "name"))
                .containsExactly("$user_properties", "VAL_ANONYMOUS", "$session_properties", "VAL_SECOND_DEVICE");
        assertThat(export.get("eventCount").asInt()).isEqualTo(4);
    }

    @Test
    void exportOfALongHistoryIsStreamedInFull() throws Exception {
        int count = 12_000;
        for (int start = 0; start < count; start += 500) {
            var events = new ObjectNode[500];
            for (int i = 0; i < 500; i++) {
                events[i] = event("VIEW", "d-long", "xia", "s-long-" + (start + i) / 1000, start + i);
            }
            server.ingestAccepted(events);
        }

        HttpResponse<java.io.InputStream> answer = java.net.http.HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.uri("/api/v1/sites/demo/users/xia/export"))
                                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        JsonNode export;
        try (var body = answer.body()) {
            export = dev.beckon.Json.mapper().readTree(body);
        }

        assertThat(answer.headers().firstValue("Content-Length"))
                .as("streamed, so no length up front")
                .isEmpty();
        assertThat(export.get("events")).hasSize(count);
        assertThat(export.get("sessions")).hasSize(12);
    }

    @Test
    void exportOfAnUnknownUserIs404() {
        var answer = server.admin("/api/v1/sites/demo/users/nobody-here/export");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("error").asText()).contains("nobody-here");
    }
}
