package dev.beckon.identity;

import static dev.beckon.identity.Visit.each;
import static dev.beckon.identity.Visit.event;
import static dev.beckon.identity.Visit.path;
import static dev.beckon.identity.Visit.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity rules of docs/identity.md, one test each, over a real server and DuckDB. Every test
 * uses devices and users of its own. Event names say whose the event should be.
 */
class IdentityRulesTest {

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
    void setUserIdGivesTheDevicesAnonymousHistoryToTheUser() {
        server.ingestAccepted(
                event("ANN_BEFORE_LOGIN_1", "d-link", null, "s-link", 0),
                event("ANN_BEFORE_LOGIN_2", "d-link", null, "s-link", 1),
                event("ANN_LOGGED_IN", "d-link", "ann", "s-link", 2));

        assertThat(timeline("ann")).containsExactly("ANN_LOGGED_IN", "ANN_BEFORE_LOGIN_2", "ANN_BEFORE_LOGIN_1");
        assertThat(user("ann").get("deviceIds")).hasSize(1);
        assertThat(user("ann").get("eventCount").asInt()).isEqualTo(3);
    }

    @Test
    void anonymousHistoryJoinsTheUserAlsoWhenTheLoginArrivesFirst() {
        server.ingestAccepted(event("BEA_LOGGED_IN", "d-late", "bea", "s-late", 10));
        server.ingestAccepted(event("BEA_BEFORE_LOGIN", "d-late", null, "s-late", 5));

        assertThat(timeline("bea")).containsExactly("BEA_LOGGED_IN", "BEA_BEFORE_LOGIN");
    }

    @Test
    void oneUserCanHaveManyDevices() {
        server.ingestAccepted(
                event("CAL_PHONE_ANONYMOUS", "d-phone", null, "s-phone", 0),
                event("CAL_PHONE", "d-phone", "cal", "s-phone", 1),
                event("CAL_LAPTOP_ANONYMOUS", "d-laptop", null, "s-laptop", 100),
                event("CAL_LAPTOP", "d-laptop", "cal", "s-laptop", 101));

        JsonNode profile = user("cal");

        assertThat(each(profile.get("links"), "deviceId")).containsExactly("d-laptop", "d-phone");
        assertThat(timeline("cal"))
                .containsExactly("CAL_LAPTOP", "CAL_LAPTOP_ANONYMOUS", "CAL_PHONE", "CAL_PHONE_ANONYMOUS");
    }

    @Test
    void sharedDeviceKeepsTwoUsersApartAndGivesTheGapToTheNextUser() {
        server.ingestAccepted(
                event("DAN_BEFORE_LOGIN", "d-shared", null, "s-shared-1", 0),
                event("DAN_LOGGED_IN", "d-shared", "dan", "s-shared-1", 1),
                event("DAN_LAST", "d-shared", "dan", "s-shared-1", 2),
                event("GAP_AFTER_DAN_LOGGED_OUT", "d-shared", null, "s-shared-1", 3),
                event("EVE_LOGGED_IN", "d-shared", "eve", "s-shared-1", 4),
                event("EVE_LAST", "d-shared", "eve", "s-shared-2", 5));

        assertThat(timeline("dan")).containsExactly("DAN_LAST", "DAN_LOGGED_IN", "DAN_BEFORE_LOGIN");
        assertThat(timeline("eve")).containsExactly("EVE_LAST", "EVE_LOGGED_IN", "GAP_AFTER_DAN_LOGGED_OUT");
        assertThat(user("dan").get("userIds").toString()).isEqualTo("[\"dan\"]");
        assertThat(user("eve").get("userIds").toString()).isEqualTo("[\"eve\"]");
    }

    @Test
    void userWhoComesBackToASharedDeviceGetsOnlyTheirOwnStretches() {
        server.ingestAccepted(
                event("FAY_1_ANONYMOUS", "d-return", null, "s-return", 0),
                event("FAY_2", "d-return", "fay", "s-return", 1),
                event("GUS_3_ANONYMOUS", "d-return", null, "s-return", 2),
                event("GUS_4", "d-return", "gus", "s-return", 3),
                event("FAY_5_ANONYMOUS", "d-return", null, "s-return", 4),
                event("FAY_6", "d-return", "fay", "s-return", 5));

        assertThat(timeline("fay")).containsExactly("FAY_6", "FAY_5_ANONYMOUS", "FAY_2", "FAY_1_ANONYMOUS");
        assertThat(timeline("gus")).containsExactly("GUS_4", "GUS_3_ANONYMOUS");
    }

    @Test
    void anonymousEventsAfterTheLastLogoutStayWithTheDevice() {
        server.ingestAccepted(
                event("HAL_LOGGED_IN", "d-logout", "hal", "s-logout", 0),
                event("NOBODY_AFTER_LOGOUT", "d-logout", null, "s-logout", 1));

        assertThat(timeline("hal")).containsExactly("HAL_LOGGED_IN");
        assertThat(server.admin("/api/v1/sites/demo/devices/d-logout")
                        .json()
                        .get("eventCount")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void userPropertiesTakeTheLatestByEventTimeWhateverOrderTheBatchesArrive() {
        server.ingestAccepted(with(event("$user_properties", "d-props", "ivy", "s-props", 30), "age", "30"));
        server.ingestAccepted(
                with(with(event("$user_properties", "d-props", "ivy", "s-props", 10), "age", "10"), "plan", "free"));
        server.ingestAccepted(with(event("$user_properties", "d-props", "ivy", "s-props", 20), "age", "20"));
        server.ingestAccepted(with(event("$user_properties", "d-props", null, "s-props", 0), "language", "te"));

        JsonNode properties = user("ivy").get("userProperties");

        assertThat(properties.get("age").asText()).isEqualTo("30");
        assertThat(properties.get("plan").asText()).isEqualTo("free");
        assertThat(properties.get("language").asText()).as("set before login").isEqualTo("te");
    }

    @Test
    void usersOfASharedDeviceKeepTheirOwnUserProperties() {
        server.ingestAccepted(
                with(event("$user_properties", "d-props-shared", "jo", "s-ps", 0), "plan", "pro"),
                with(event("$user_properties", "d-props-shared", "kim", "s-ps", 10), "age", "41"));

        assertThat(user("jo").get("userProperties").toString()).isEqualTo("{\"plan\":\"pro\"}");
        assertThat(user("kim").get("userProperties").toString()).isEqualTo("{\"age\":\"41\"}");
    }

    @Test
    void deviceProfileListsEveryUserOfTheDevice() {
        server.ingestAccepted(
                event("LEA", "d-two-users", "lea", "s-two", 0), event("MAX", "d-two-users", "max", "s-two", 10));

        JsonNode device = server.admin("/api/v1/sites/demo/devices/d-two-users").json();

        assertThat(each(device.get("links"), "userId")).containsExactly("max", "lea");
        assertThat(device.get("userIds").toString()).isEqualTo("[\"max\",\"lea\"]");
    }

    // Helpers

    private static JsonNode user(String userId) {
        var answer = server.admin("/api/v1/sites/demo/users/" + path(userId));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> timeline(String userId) {
        var answer = server.admin("/api/v1/sites/demo/users/" + path(userId) + "/events?limit=1000");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return each(answer.json().get("events"), "name");
    }
}
