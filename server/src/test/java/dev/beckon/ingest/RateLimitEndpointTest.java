package dev.beckon.ingest;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import dev.beckon.robustness.MutableClock;
import dev.beckon.robustness.ServerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests over a site's or a device's rate are refused whole with 429 and {@code Retry-After},
 * nothing of them is stored, other devices are not affected, and the refusals are counted.
 */
class RateLimitEndpointTest {

    private final MutableClock clock = new MutableClock(Instant.now());

    @TempDir
    Path dataDir;

    @Test
    void deviceOverItsRateIsRefusedWithRetryAfterWhileOtherDevicesPass() {
        try (var server = ServerClient.start(dataDir, new RateLimits(0, 0, 1, 2), clock)) {
            assertThat(server.ingest(batch(on("d-busy"))).status()).isEqualTo(200);
            assertThat(server.ingest(batch(on("d-busy"))).status()).isEqualTo(200);

            ObjectNode refusedEvent = on("d-busy");
            var refused = server.ingest(batch(refusedEvent, on("d-calm")));
            var other = server.ingest(batch(on("d-calm")));

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).contains("1");
            assertThat(refused.json().get("error").asText())
                    .isEqualTo("the device 'd-busy' sent more than 1 requests per second; nothing of this batch"
                            + " was stored, send it again later");
            assertThat(other.status()).isEqualTo(200);
            assertThat(stored(server, refusedEvent)).isZero();
            assertThat(metric(server, "beckon_ingest_requests_refused_total{reason=\"rate_device\"}"))
                    .isEqualTo(1.0);

            clock.advance(Duration.ofSeconds(1));
            assertThat(server.ingest(batch(refusedEvent)).status()).isEqualTo(200);
            assertThat(stored(server, refusedEvent)).isEqualTo(1);
        }
    }

    @Test
    void siteOverItsRateIsRefusedWhole() {
        try (var server = ServerClient.start(dataDir, new RateLimits(2, 3, 0, 0), clock)) {
            for (int i = 0; i < 3; i++) {
                assertThat(server.ingest(batch(on("d-" + i))).status()).isEqualTo(200);
            }

            var refused = server.ingest(batch(on("d-new")));

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).contains("1");
            assertThat(refused.json().get("error").asText())
                    .isEqualTo("the site sent more than 2 requests per second; nothing of this batch was stored,"
                            + " send it again later");
            assertThat(metric(server, "beckon_ingest_requests_refused_total{reason=\"rate_site\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void defaultLimitsLetAPagesBurstOfFlushesThrough() {
        try (var server = ServerClient.start(dataDir, RateLimits.DEFAULT, clock)) {
            for (int i = 0; i < RateLimits.DEFAULT.deviceBurst(); i++) {
                assertThat(server.ingest(batch(on("d-page"))).status()).isEqualTo(200);
            }

            assertThat(server.ingest(batch(on("d-page"))).status()).isEqualTo(429);
        }
    }

    private static ObjectNode on(String deviceId) {
        return event("RATED").put("deviceId", deviceId);
    }

    private static int stored(ServerClient server, ObjectNode event) {
        return server
                .admin("/api/v1/sites/demo/events?deviceId="
                        + event.get("deviceId").asText() + "&limit=1000")
                .json()
                .get("events")
                .findValuesAsText("id")
                .stream()
                .filter(event.get("id").asText()::equals)
                .toList()
                .size();
    }

    /** The value of one series on {@code /metrics}. */
    static double metric(ServerClient server, String series) {
        TestServer.Response page = server.get("/metrics");
        return page.body()
                .lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(series + " is not on /metrics"));
    }
}
