package dev.beckon.ingest;

import dev.beckon.config.ConfigException;
import java.util.Map;

/**
 * How many ingestion requests a site, and one device of a site, may send. Each is a token bucket:
 * it holds up to {@code burst} requests and refills at {@code perSecond}. Zero turns a limit off.
 *
 * @param sitePerSecond requests per second that one site may sustain ({@code BECKON_RATE_LIMIT_SITE})
 * @param siteBurst requests that one site may send at once after a quiet spell
 * @param devicePerSecond requests per second that one device may sustain ({@code BECKON_RATE_LIMIT_DEVICE})
 * @param deviceBurst requests that one device may send at once after a quiet spell
 */
public record RateLimits(int sitePerSecond, int siteBurst, int devicePerSecond, int deviceBurst) {

    public static final int DEFAULT_SITE_PER_SECOND = 1_000;
    public static final int DEFAULT_DEVICE_PER_SECOND = 10;
    /** A bucket holds this many seconds of its rate, so that a page's burst of flushes passes. */
    public static final int BURST_SECONDS = 3;

    public static final RateLimits DEFAULT = of(DEFAULT_SITE_PER_SECOND, DEFAULT_DEVICE_PER_SECOND);
    public static final RateLimits OFF = new RateLimits(0, 0, 0, 0);

    /** Limits with bursts of {@value #BURST_SECONDS} seconds of each rate. */
    public static RateLimits of(int sitePerSecond, int devicePerSecond) {
        return new RateLimits(
                sitePerSecond, sitePerSecond * BURST_SECONDS, devicePerSecond, devicePerSecond * BURST_SECONDS);
    }

    /**
     * Reads {@code BECKON_RATE_LIMIT_SITE} and {@code BECKON_RATE_LIMIT_DEVICE}.
     *
     * @throws ConfigException when one is not a whole number from 0 to 1,000,000
     */
    public static RateLimits fromEnvironment(Map<String, String> env) {
        return of(
                perSecond(env, "BECKON_RATE_LIMIT_SITE", DEFAULT_SITE_PER_SECOND),
                perSecond(env, "BECKON_RATE_LIMIT_DEVICE", DEFAULT_DEVICE_PER_SECOND));
    }

    private static int perSecond(Map<String, String> env, String variable, int defaultValue) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int perSecond = Integer.parseInt(value.strip());
            if (perSecond >= 0 && perSecond <= 1_000_000) {
                return perSecond;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw new ConfigException(variable + " must be a number of requests per second from 0 (no limit) to"
                + " 1000000, not '" + value + "'");
    }
}
