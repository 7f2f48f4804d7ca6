package dev.beckon.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets, one per key (a site, or a device of a site), each holding up to {@code burst}
 * tokens and refilling at {@code perSecond}. A request takes one token or is told how long to wait.
 *
 * <p>Memory is bounded: past {@value #MAX_KEYS} keys, the buckets that have refilled completely
 * are dropped (a full bucket is the same as none). When that is not enough, which takes a flood of
 * distinct device ids, every bucket is dropped: the limiter then lets requests through rather than
 * grow without bound, and says so in the log.
 */
public final class RateLimiter {

    static final int MAX_KEYS = 100_000;

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** A limiter that refills {@code perSecond} tokens a second up to {@code burst}; 0 turns it off. */
    public RateLimiter(int perSecond, int burst, Clock clock) {
        this.perSecond = perSecond;
        this.burst = Math.max(burst, 1);
        this.clock = clock;
    }

    /**
     * Takes one token of {@code key}'s bucket.
     *
     * @return zero when the request may pass, else how long until a token is there
     */
    public Duration acquire(String key) {
        if (perSecond <= 0) {
            return Duration.ZERO;
        }
        long nowNanos = nowNanos();
        if (buckets.size() >= MAX_KEYS && !buckets.containsKey(key)) {
            evictFull(nowNanos);
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
        return bucket.take(nowNanos, perSecond, burst);
    }

    /** Keys that hold a bucket now. */
    int size() {
        return buckets.size();
    }

    private void evictFull(long nowNanos) {
        buckets.values().removeIf(bucket -> bucket.isFull(nowNanos, perSecond, burst));
        if (buckets.size() >= MAX_KEYS) {
            log.warn(
                    "More than {} clients are over their rate at once; their limits are reset. If this repeats,"
                            + " lower BECKON_RATE_LIMIT_SITE",
                    MAX_KEYS);
            buckets.clear();
        }
    }

    private long nowNanos() {
        var now = clock.instant();
        return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    }

    private static final class Bucket {

        private double tokens;
        private long refilledAtNanos;

        Bucket(double tokens, long refilledAtNanos) {
            this.tokens = tokens;
            this.refilledAtNanos = refilledAtNanos;
        }

        synchronized Duration take(long nowNanos, double perSecond, double burst) {
            refill(nowNanos, perSecond, burst);
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            double missingSeconds = (1 - tokens) / perSecond;
            return Duration.ofNanos((long) Math.ceil(missingSeconds * NANOS_PER_SECOND));
        }

        synchronized boolean isFull(long nowNanos, double perSecond, double burst) {
            refill(nowNanos, perSecond, burst);
            return tokens >= burst;
        }

        private void refill(long nowNanos, double perSecond, double burst) {
            long elapsedNanos = Math.max(0, nowNanos - refilledAtNanos);
            tokens = Math.min(burst, tokens + elapsedNanos * perSecond / NANOS_PER_SECOND);
            refilledAtNanos = nowNanos;
        }
    }
}
