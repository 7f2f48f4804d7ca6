package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.robustness.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void oneAddressTryingManyEmailsIsLockedAfterItsOwnLimit() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ADDRESS; i++) {
            assertThat(throttle.lockedFor("user" + i + "@example.com", "203.0.113.9"))
                    .isEmpty();
            throttle.failed("user" + i + "@example.com", "203.0.113.9");
        }

        assertThat(throttle.lockedFor("someone.new@example.com", "203.0.113.9")).isPresent();
        assertThat(throttle.lockedFor("someone.new@example.com", "198.51.100.7"))
                .isEmpty();
    }

    @Test
    void theLockLastsUntilTheOldestCountedFailureLeavesTheWindow() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_NAME; i++) {
            throttle.failed("Ann@Example.com", "203.0.113." + i);
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(throttle.lockedFor("ann@example.com", "198.51.100.7"))
                .as("emails count in any case, from any address")
                .contains(LoginThrottle.WINDOW.minus(Duration.ofMinutes(5)));
        clock.advance(LoginThrottle.WINDOW.minus(Duration.ofMinutes(5)));
        assertThat(throttle.lockedFor("ann@example.com", "198.51.100.7")).isEmpty();
    }

    @Test
    void aSuccessClearsTheFailuresOfItsEmail() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_NAME - 1; i++) {
            throttle.failed("ann@example.com", "203.0.113.9");
        }

        throttle.succeeded("ann@example.com");
        throttle.failed("ann@example.com", "203.0.113.9");

        assertThat(throttle.lockedFor("ann@example.com", "203.0.113.10")).isEmpty();
    }
}
