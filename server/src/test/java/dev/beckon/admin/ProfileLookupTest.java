package dev.beckon.admin;

import static dev.beckon.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Batches;
import dev.beckon.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Looking profiles and timelines up by id through the admin API: odd ids, limits and paging. */
class ProfileLookupTest {

    static final long T0 = 1_764_000_000_000L;

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
        var events = new ArrayList<ObjectNode>();
        for (String odd : List.of(
                "' OR 1=1 --",
                "x\"; DROP TABLE events; --",
                "ann@example.com",
                "ünïcødé-名前-😀",
                "\u202Eevil",
                "e\u0301",
                "%41",
                "a b+c",
                "team/ann",
                "..",
                "u".repeat(256))) {
            events.add(event("ODD_ID", "d-odd", odd, events.size()));
        }
        for (int i = 0; i < 25; i++) {
            events.add(event("PAGED_" + i, "d-paged", "paged", 100 + i / 5)); // five events share each second
        }
        var answer = server.ingest(batch(events.toArray(ObjectNode[]::new)));
        assertThat(answer.json().get("rejected")).as(answer.body()).isEmpty();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "' OR 1=1 --",
                "x\"; DROP TABLE events; --",
                "ann@example.com",
                "ünïcødé-名前-😀",
                "\u202Eevil",
                "e\u0301",
                "%41",
                "a b+c",
                "team/ann",
                ".."
            })
    void anyIdThatIngestionStoresCanBeLookedUp(String userId) {
        JsonNode profile = ok("/api/v1/sites/demo/users/" + path(userId));

        assertThat(profile.get("userId").asText()).isEqualTo(userId);
        assertThat(profile.get("eventCount").asInt()).isEqualTo(1);
    }

    @Test
    void longestUserIdCanBeLookedUp() {
        assertThat(ok("/api/v1/sites/demo/users/" + "u".repeat(256))
                        .get("eventCount")
                        .asInt())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/users/UUUU257       | userId: must be at most 256 characters; it has 257",
                "/devices/DDDD129     | deviceId: must be at most 128 characters; it has 129",
                "/users/a%0Ab/events  | userId: must not contain control characters",
                "/devices/a%1Bb       | deviceId: must not contain control characters",
                "/users/a%C2%85b      | userId: must not contain control characters",
                "/users/paged/events?after=1.2.3 | after: '1.2.3' is not a cursor",
                "/users/paged/events?after=' OR 1=1 -- | is not a cursor",
                "/users/paged/events?limit=0 | limit: must be a whole number from 1 to 1000",
                "/search              | id: give a device id or a custom user id",
            })
    void malformedIdsAndParametersAre400WithTheRule(String path, String message) {
        String expanded = path.replace("UUUU257", "u".repeat(257))
                .replace("DDDD129", "d".repeat(129))
                .replace("' OR 1=1 --", URLEncoder.encode("' OR 1=1 --", StandardCharsets.UTF_8));
        var answer = server.admin("/api/v1/sites/demo" + expanded);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).contains(message);
    }

    @Test
    void pathWithANulIsRefusedByTheHttpServerBeforeAnyRoute() {
        assertThat(server.admin("/api/v1/sites/demo/users/a%00b").status()).isEqualTo(400);
    }

    @Test
    void deletionNeedsAValidKey() {
        var answer = server.send(HttpRequest.newBuilder(server.uri("/api/v1/sites/demo/users/paged"))
                .header("Authorization", "Bearer not-a-key")
                .DELETE());

        assertThat(answer.status()).isEqualTo(401);
        assertThat(ok("/api/v1/sites/demo/users/paged").get("eventCount").asInt())
                .isEqualTo(25);
    }

    @Test
    void timelinePagesThroughEveryEventOnceEvenWithinOneMillisecond() {
        List<String> names = new ArrayList<>();
        String after = null;
        int pages = 0;

        do {
            JsonNode page =
                    ok("/api/v1/sites/demo/users/paged/events?limit=4" + (after == null ? "" : "&after=" + after));
            page.get("events").forEach(e -> names.add(e.get("name").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (after != null);

        assertThat(pages).isEqualTo(7);
        assertThat(names).hasSize(25).doesNotHaveDuplicates();
        assertThat(names.getFirst()).startsWith("PAGED_2");
        assertThat(names.getLast()).matches("PAGED_[0-4]");
    }

    @Test
    void searchFindsTheUserAndTheDeviceOfAnId() {
        JsonNode user =
                ok("/api/v1/sites/demo/search?id=" + URLEncoder.encode("ann@example.com", StandardCharsets.UTF_8));
        JsonNode device = ok("/api/v1/sites/demo/search?id=d-paged");
        JsonNode nothing = ok("/api/v1/sites/demo/search?id=" + URLEncoder.encode("<script>", StandardCharsets.UTF_8));

        assertThat(user.at("/matches/0/kind").asText()).isEqualTo("user");
        assertThat(user.at("/matches/0/href").asText()).isEqualTo("/api/v1/sites/demo/users/ann%40example.com");
        assertThat(device.at("/matches/0/kind").asText()).isEqualTo("device");
        assertThat(device.get("matches")).hasSize(1);
        assertThat(nothing.get("matches")).isEmpty();
    }

    @Test
    void deviceTimelineHoldsEveryEventOfTheDevice() {
        JsonNode page = ok("/api/v1/sites/demo/devices/d-odd/events");

        assertThat(page.get("events")).hasSize(11);
        assertThat(page.get("next").isNull()).isTrue();
    }

    // Helpers

    private static ObjectNode event(String name, String deviceId, String userId, int second) {
        ObjectNode event = Batches.event(name);
        event.put("deviceId", deviceId);
        event.put("userId", userId);
        event.put("clientTime", T0 + second * 1000L);
        return event;
    }

    private static JsonNode ok(String path) {
        var answer = server.admin(path);
        assertThat(answer.status()).as(path + " " + answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static String path(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
