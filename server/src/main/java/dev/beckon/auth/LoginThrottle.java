package dev.beckon.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing at the dashboard's sign-in. After {@link #MAX_FAILURES_PER_NAME}
 * failed attempts for one email (or key sign-in) within {@link #WINDOW}, or {@link
 * #MAX_FAILURES_PER_ADDRESS} from one client address, further attempts are refused, even with the
 * right password, until the oldest failure leaves the window. A successful sign-in clears the
 * failures of its email.
 *
 * <p>The counts live in memory: a restart forgets them. Entries older than the window are dropped
 * as new failures arrive, so the memory held is bounded by the failures of one window.
 */
public final class LoginThrottle {

    public static final int MAX_FAILURES_PER_NAME = 5;
    public static final int MAX_FAILURES_PER_ADDRESS = 20;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    private static final int PRUNE_ABOVE_ENTRIES = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failuresByName = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> failuresByAddress = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long attempts for this name or from this address are refused; empty when they are not. */
    public Optional<Duration> lockedFor(String name, String address) {
        Instant now = clock.instant();
        return longest(
                wait(failuresByName.get(key(name)), MAX_FAILURES_PER_NAME, now),
                wait(failuresByAddress.get(address), MAX_FAILURES_PER_ADDRESS, now));
    }

    /** Counts a failed attempt. */
    public void failed(String name, String address) {
        Instant now = clock.instant();
        record(failuresByName, key(name), now);
        record(failuresByAddress, address, now);
    }

    /** Clears the failures of this name after a successful sign-in. */
    public void succeeded(String name) {
        failuresByName.remove(key(name));
    }

    private static String key(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }

    private static void record(Map<String, Deque<Instant>> failures, String key, Instant now) {
        if (failures.size() > PRUNE_ABOVE_ENTRIES) {
            failures.values().removeIf(times -> isStale(times, now));
        }
        failures.compute(key, (k, times) -> {
            Deque<Instant> kept = times == null ? new ArrayDeque<>() : times;
            synchronized (kept) {
                drop(kept, now);
                kept.addLast(now);
            }
            return kept;
        });
    }

    private static Optional<Duration> wait(Deque<Instant> times, int max, Instant now) {
        if (times == null) {
            return Optional.empty();
        }
        synchronized (times) {
            drop(times, now);
            if (times.size() < max) {
                return Optional.empty();
            }
            // Refused until enough failures leave the window to bring the count under the limit.
            Instant oldestThatCounts =
                    times.stream().skip(times.size() - max).findFirst().orElseThrow();
            return Optional.of(Duration.between(now, oldestThatCounts.plus(WINDOW)));
        }
    }

    private static void drop(Deque<Instant> times, Instant now) {
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().plus(WINDOW).isAfter(now)) {
                times.removeFirst();
            }
        }
    }

    private static boolean isStale(Deque<Instant> times, Instant now) {
        synchronized (times) {
            return times.isEmpty() || !times.peekLast().plus(WINDOW).isAfter(now);
        }
    }

    @SafeVarargs
    private static Optional<Duration> longest(Optional<Duration>... waits) {
        Optional<Duration> longest = Optional.empty();
        for (Optional<Duration> w : waits) {
            if (w.isPresent() && (longest.isEmpty() || w.get().compareTo(longest.get()) > 0)) {
                longest = w;
            }
        }
        return longest;
    }
}
