package dev.beckon.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beckon.BeckonServer;
import dev.beckon.config.ServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java tracking client against a real Beckon server on real DuckDB. */
class BeckonClientTest {

    private static final String ADMIN_KEY = "client-test-admin-key-0123";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final List<BeckonServer> servers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopServers() {
        servers.forEach(BeckonServer::stop);
    }

    @Test
    void eventsAndUserPropertiesArriveOnceWithTheirUserAndProperties() throws Exception {
        int port = startServer(freePort());

        try (var beckon = client(port).version("backend-1.2").build()) {
            var ann = beckon.forUser("ann@example.com");
            ann.logEvent("ORDER_SHIPPED", Map.of("orderId", "o-1", "value", 4098, "express", true));
            ann.setUserProperties(Map.of("isPaidUser", true, "creditsLeft", 250));
        }

        JsonNode events = events(port, "userId=ann%40example.com");
        assertThat(events).hasSize(2);
        JsonNode shipped = find(events, "ORDER_SHIPPED");
        assertThat(shipped.at("/properties/orderId").asText()).isEqualTo("o-1");
        assertThat(shipped.at("/properties/value").asInt()).isEqualTo(4098);
        assertThat(shipped.at("/properties/express").asBoolean()).isTrue();
        assertThat(shipped.get("version").asText()).isEqualTo("backend-1.2");
        assertThat(shipped.get("deviceId").asText()).startsWith("srv-");
        assertThat(find(events, "$user_properties")
                        .at("/properties/creditsLeft")
                        .asInt())
                .isEqualTo(250);
    }

    @Test
    void closeSendsEverythingQueuedInBatchesOfAtMost500() throws Exception {
        int port = startServer(freePort());

        try (var beckon = client(port).batchSize(500).build()) {
            var bob = beckon.forUser("bob");
            for (int i = 0; i < 1_234; i++) {
                bob.logEvent(i % 2 == 0 ? "TICK_EVEN" : "TICK_ODD", Map.of("n", i));
            }
        }

        assertThat(events(port, "userId=bob&name=TICK_EVEN&limit=1000")).hasSize(617);
        assertThat(events(port, "userId=bob&name=TICK_ODD&limit=1000")).hasSize(617);
    }

    @Test
    void eventsLoggedWhileTheServerIsDownArriveOnceItIsUp() throws Exception {
        int port = freePort();

        try (var beckon = client(port)
                .maxBackoff(Duration.ofMillis(300))
                .closeTimeout(Duration.ofSeconds(30))
                .build()) {
            var carol = beckon.forUser("carol");
            for (int i = 0; i < 50; i++) {
                carol.logEvent("WHILE_DOWN", Map.of("n", i));
            }
            Thread.sleep(1_500);
            startServer(port);
            assertThat(beckon.flush(Duration.ofSeconds(30))).isTrue();
        }

        assertThat(count(port, "carol")).isEqualTo(50);
    }

    @Test
    void aRejectedEventIsDroppedAndTheOthersOfItsBatchKept() throws Exception {
        int port = startServer(freePort());

        try (var beckon = client(port).build()) {
            var dave = beckon.forUser("dave");
            dave.logEvent("GOOD", Map.of());
            dave.logEvent("BAD", Map.of("k".repeat(300), "a key longer than the server takes"));
            dave.logEvent("ALSO_GOOD", Map.of());
        }

        assertThat(events(port, "userId=dave"))
                .extracting(e -> e.get("name").asText())
                .containsExactlyInAnyOrder("GOOD", "ALSO_GOOD");
    }

    @Test
    void valuesDeeperThanTheServerTakesAreCutAndTimesAreText() throws Exception {
        int port = startServer(freePort());

        try (var beckon = client(port).build()) {
            beckon.forUser("gina").logEvent("DEEP", Map.of("deep", nested(40), "at", Instant.EPOCH, "nan", Double.NaN));
        }

        JsonNode deep = find(events(port, "userId=gina"), "DEEP");
        assertThat(deep.at("/properties/deep/n/n/n/n").asText()).isEqualTo("[Truncated]");
        assertThat(deep.at("/properties/at").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(deep.at("/properties/nan").isNull()).isTrue();
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsThem() throws Exception {
        int port = freePort();

        try (var beckon = client(port)
                .maxQueuedEvents(10)
                .closeTimeout(Duration.ofMillis(200))
                .build()) {
            var erin = beckon.forUser("erin");
            for (int i = 0; i < 25; i++) {
                erin.logEvent("OVERFLOW", Map.of("n", i));
            }

            assertThat(beckon.queuedCount()).isLessThanOrEqualTo(10);
            assertThat(beckon.droppedCount()).isGreaterThanOrEqualTo(15);
        }
    }

    @Test
    void closeGivesUpAfterItsTimeoutAndCountsWhatIsLost() throws Exception {
        int port = freePort();
        var beckon = client(port).closeTimeout(Duration.ofMillis(300)).build();
        beckon.forUser("frank").logEvent("NEVER_SENT", Map.of());

        long started = System.nanoTime();
        beckon.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(beckon.droppedCount()).isEqualTo(1);
        assertThat(beckon.queuedCount()).isZero();
    }

    @Test
    void wrongArgumentsFailAtTheCallNamingTheArgument() {
        try (var beckon = client(1).build()) {
            assertThatThrownBy(() -> beckon.forUser(""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("userId: must be 1 to 256 characters; it is 0 characters");
            assertThatThrownBy(() -> beckon.forUser("x".repeat(257)))
                    .hasMessage("userId: must be 1 to 256 characters; it is 257 characters");
            assertThatThrownBy(() -> beckon.forUser("ann").logEvent(null, Map.of()))
                    .hasMessage("name: must be 1 to 200 characters; it is null");
            assertThatThrownBy(() -> beckon.forUser("ann").logEvent("$page_view", Map.of()))
                    .hasMessage("name: '$' starts only Beckon's reserved event names");
        }
        assertThatThrownBy(() -> client(1).batchSize(501)).hasMessage("batchSize: must be 1 to 500, not 501");
        assertThatThrownBy(() -> client(1).flushInterval(Duration.ZERO))
                .hasMessage("flushInterval: must be a positive duration, not PT0S");
    }

    // Helpers

    private BeckonClient.Builder client(int port) {
        return BeckonClient.builder(URI.create("http://127.0.0.1:" + port + "/"), "demo")
                .flushInterval(Duration.ofMillis(50));
    }

    private int startServer(int port) {
        var config = new ServerConfig("127.0.0.1", port, dataDir, Optional.of(ADMIN_KEY), true);
        servers.add(BeckonServer.start(config, Clock.systemUTC(), new SecureRandom()));
        return port;
    }

    private long count(int port, String userId) throws Exception {
        return events(port, "userId=" + userId + "&limit=1000").size();
    }

    private JsonNode events(int port, String query) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/api/v1/sites/demo/events?" + query.replace("+", "%2B")))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("events");
    }

    private static JsonNode find(JsonNode events, String name) {
        for (JsonNode e : events) {
            if (e.get("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no event " + name + " in " + events);
    }

    private static Map<String, Object> nested(int levels) {
        Map<String, Object> value = Map.of("leaf", Instant.EPOCH);
        for (int i = 0; i < levels; i++) {
            value = Map.of("n", value);
        }
        return value;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
