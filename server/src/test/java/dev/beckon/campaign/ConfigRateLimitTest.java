package dev.beckon.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.ingest.RateLimits;
import dev.beckon.robustness.MutableClock;
import dev.beckon.robustness.ServerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config endpoint is limited per device and per site, at the rates of ingestion. */
class ConfigRateLimitTest {

    private final MutableClock clock = new MutableClock(Instant.now());

    @TempDir
    Path dataDir;

    @Test
    void aDeviceOverItsRateIsRefusedWithRetryAfterWhileOtherDevicesPass() {
        try (var server = ServerClient.start(dataDir, new RateLimits(0, 0, 1, 2), clock)) {
            assertThat(server.get("/config/demo?deviceId=d-busy").status()).isEqualTo(200);
            assertThat(server.get("/config/demo?deviceId=d-busy").status()).isEqualTo(200);

            var refused = server.get("/config/demo?deviceId=d-busy");
            var other = server.get("/config/demo?deviceId=d-calm");
            clock.advance(Duration.ofSeconds(1));
            var later = server.get("/config/demo?deviceId=d-busy");

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).contains("1");
            assertThat(refused.json().get("error").asText())
                    .isEqualTo("the device asked for its config more than 1 times a second; ask later");
            assertThat(other.status()).isEqualTo(200);
            assertThat(later.status()).isEqualTo(200);
        }
    }

    @Test
    void aFloodOfMadeUpDevicesIsHeldByTheSitesRate() {
        try (var server = ServerClient.start(dataDir, new RateLimits(2, 3, 0, 0), clock)) {
            for (int i = 0; i < 3; i++) {
                assertThat(server.get("/config/demo?deviceId=d-made-up-" + i).status())
                        .isEqualTo(200);
            }

            assertThat(server.get("/config/demo?deviceId=d-made-up-3").status()).isEqualTo(429);
        }
    }
}
