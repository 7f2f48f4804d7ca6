package dev.beckon.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.config.ConfigException;
import dev.beckon.robustness.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token buckets behind the per-site and per-device rate limits, on a clock the test moves. */
class RateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void burstPassesThenTheNextWaitsForItsToken() {
        var limiter = new RateLimiter(2, 4, clock);

        for (int i = 0; i < 4; i++) {
            assertThat(limiter.acquire("site")).isZero();
        }

        assertThat(limiter.acquire("site")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void tokensRefillAtTheRateUpToTheBurst() {
        var limiter = new RateLimiter(2, 4, clock);
        drain(limiter, "site", 4);

        clock.advance(Duration.ofSeconds(1));

        assertThat(limiter.acquire("site")).isZero();
        assertThat(limiter.acquire("site")).isZero();
        assertThat(limiter.acquire("site")).isPositive();

        clock.advance(Duration.ofHours(1));
        assertThat(drain(limiter, "site", 10)).isEqualTo(4);
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        var limiter = new RateLimiter(1, 1, clock);

        assertThat(limiter.acquire("demo\nd-1")).isZero();
        assertThat(limiter.acquire("demo\nd-1")).isPositive();

        assertThat(limiter.acquire("demo\nd-2")).isZero();
    }

    @Test
    void zeroRateTurnsTheLimitOff() {
        var limiter = new RateLimiter(0, 0, clock);

        assertThat(drain(limiter, "site", 10_000)).isEqualTo(10_000);
    }

    @Test
    void aFloodOfDistinctKeysKeepsMemoryBounded() {
        var limiter = new RateLimiter(1, 1, clock);

        for (int i = 0; i < RateLimiter.MAX_KEYS * 2; i++) {
            limiter.acquire("device-" + i);
        }

        assertThat(limiter.size()).isLessThanOrEqualTo(RateLimiter.MAX_KEYS);
    }

    @Test
    void limitsComeFromTheEnvironmentWithThreeSecondBursts() {
        var limits =
                RateLimits.fromEnvironment(Map.of("BECKON_RATE_LIMIT_SITE", "50", "BECKON_RATE_LIMIT_DEVICE", "0"));

        assertThat(limits).isEqualTo(new RateLimits(50, 150, 0, 0));
        assertThat(RateLimits.fromEnvironment(Map.of())).isEqualTo(new RateLimits(1_000, 3_000, 10, 30));
    }

    @Test
    void aWrongLimitStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> RateLimits.fromEnvironment(Map.of("BECKON_RATE_LIMIT_DEVICE", "ten")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("BECKON_RATE_LIMIT_DEVICE must be a number of requests per second from 0 (no limit) to"
                        + " 1000000, not 'ten'");
    }

    private static int drain(RateLimiter limiter, String key, int attempts) {
        int passed = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.acquire(key).isZero()) {
                passed++;
            }
        }
        return passed;
    }
}
