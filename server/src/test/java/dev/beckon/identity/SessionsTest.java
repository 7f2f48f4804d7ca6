package dev.beckon.identity;

import static dev.beckon.identity.Visit.event;
import static dev.beckon.identity.Visit.seconds;
import static dev.beckon.identity.Visit.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions as the admin API reports them, summarised from the SDK's reserved events, over a real
 * server and DuckDB. Batches arrive out of order, as they do after an offline period or a retry.
 */
class SessionsTest {

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
    void sessionIsTheSameWhateverOrderItsEventsArrive() {
        String device = "d-order";
        server.ingestAccepted(with(event("$session_end", device, null, "s-order", 50), "reason", "ended"));
        server.ingestAccepted(
                with(event("$session_properties", device, null, "s-order", 40), "language", "te"),
                with(event("$page_view", device, null, "s-order", 30), "path", "/cart"));
        server.ingestAccepted(
                with(with(event("$session_properties", device, null, "s-order", 20), "language", "en"), "plan", "pro"),
                with(event("$page_view", device, null, "s-order", 10), "path", "/"));
        server.ingestAccepted(event("$session_start", device, null, "s-order", 0));

        JsonNode session = onlySession(device);

        assertThat(session.get("start").asText()).isEqualTo(seconds(0));
        assertThat(session.get("end").asText()).isEqualTo(seconds(50));
        assertThat(session.get("durationSeconds").asLong()).isEqualTo(50);
        assertThat(session.get("pageViews").asLong()).isEqualTo(2);
        assertThat(session.get("eventCount").asLong()).isEqualTo(6);
        assertThat(session.get("properties").toString()).isEqualTo("{\"language\":\"te\",\"plan\":\"pro\"}");
        assertThat(session.get("ended").asBoolean()).isTrue();
    }

    @Test
    void openSessionGrowsAsItsEventsArrive() {
        String device = "d-open";
        server.ingestAccepted(
                event("$session_start", device, null, "s-open", 0), event("$page_view", device, null, "s-open", 5));

        JsonNode before = onlySession(device);
        server.ingestAccepted(event("$page_view", device, null, "s-open", 65));
        JsonNode after = onlySession(device);

        assertThat(before.get("ended").asBoolean()).isFalse();
        assertThat(before.get("durationSeconds").asLong()).isEqualTo(5);
        assertThat(after.get("ended").asBoolean()).isFalse();
        assertThat(after.get("durationSeconds").asLong()).isEqualTo(65);
        assertThat(after.get("pageViews").asLong()).isEqualTo(2);
    }

    @Test
    void sessionWhoseStartWasLostStartsAtItsFirstEvent() {
        server.ingestAccepted(
                event("$page_view", "d-nostart", null, "s-nostart", 7),
                event("BUY", "d-nostart", null, "s-nostart", 9));

        JsonNode session = onlySession("d-nostart");

        assertThat(session.get("start").asText()).isEqualTo(seconds(7));
        assertThat(session.get("durationSeconds").asLong()).isEqualTo(2);
    }

    @Test
    void anonymousSessionBeforeLoginIsAmongTheUsersSessions() {
        server.ingestAccepted(
                event("$session_start", "d-s-login", null, "s-anonymous", 0),
                event("$session_end", "d-s-login", null, "s-anonymous", 10),
                event("$session_start", "d-s-login", "nia", "s-identified", 4000));

        JsonNode sessions =
                server.admin("/api/v1/sites/demo/users/nia/sessions").json().get("sessions");

        assertThat(Visit.each(sessions, "sessionId")).containsExactly("s-identified", "s-anonymous");
        assertThat(Visit.each(sessions, "userId")).containsExactly("nia", "nia");
        assertThat(sessions.get(1).get("ended").asBoolean()).isTrue();
    }

    @Test
    void sharedSessionCountsForEachUserOnlyTheirOwnEvents() {
        server.ingestAccepted(
                event("$session_start", "d-s-shared", "ola", "s-both", 0),
                with(event("$session_properties", "d-s-shared", "ola", "s-both", 1), "theme", "dark"),
                event("$page_view", "d-s-shared", "ola", "s-both", 2),
                event("$page_view", "d-s-shared", "pia", "s-both", 30),
                event("$page_view", "d-s-shared", "pia", "s-both", 40));

        JsonNode ola =
                server.admin("/api/v1/sites/demo/users/ola/sessions").json().at("/sessions/0");
        JsonNode pia =
                server.admin("/api/v1/sites/demo/users/pia/sessions").json().at("/sessions/0");

        assertThat(ola.get("pageViews").asLong()).isEqualTo(1);
        assertThat(ola.get("properties").toString()).isEqualTo("{\"theme\":\"dark\"}");
        assertThat(pia.get("pageViews").asLong()).isEqualTo(2);
        assertThat(pia.get("durationSeconds").asLong()).isEqualTo(10);
        assertThat(pia.get("properties").toString()).isEqualTo("{}");
    }

    // Helpers

    private static JsonNode onlySession(String deviceId) {
        JsonNode sessions = server.admin("/api/v1/sites/demo/devices/" + deviceId + "/sessions")
                .json()
                .get("sessions");
        assertThat(sessions).hasSize(1);
        return sessions.get(0);
    }
}
