package dev.beckon.dashboard;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in dashboard browsers. A session is a random token in an HttpOnly cookie; it lives in
 * memory, so a restart of the server signs everyone out.
 */
public final class DashboardSessions {

    public static final Duration LIFETIME = Duration.ofHours(12);

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Instant> expiryByToken = new ConcurrentHashMap<>();

    public DashboardSessions(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** Starts a session and returns its token. */
    public String start() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiryByToken.put(token, clock.instant().plus(LIFETIME));
        expiryByToken.values().removeIf(expiry -> expiry.isBefore(clock.instant()));
        return token;
    }

    /** Whether {@code token} belongs to a session that has not expired. */
    public boolean isActive(String token) {
        if (token == null) {
            return false;
        }
        Instant expiry = expiryByToken.get(token);
        return expiry != null && expiry.isAfter(clock.instant());
    }

    public void end(String token) {
        if (token != null) {
            expiryByToken.remove(token);
        }
    }
}
