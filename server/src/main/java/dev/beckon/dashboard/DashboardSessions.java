package dev.beckon.dashboard;

import dev.beckon.auth.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in dashboard browsers. A session is a random 256-bit token in an HttpOnly cookie, made
 * anew at every sign-in, with its own CSRF token; it lives in memory, so a restart of the server
 * signs everyone out. A session names its account or API key, not their rights: who it is and what
 * it may do are looked up again at every request, so a revoked key, a deleted account or a changed
 * role take effect at once.
 */
public final class DashboardSessions {

    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final int TOKEN_BYTES = 32;

    /**
     * One signed-in browser.
     *
     * @param kind whether an account or an API key signed in
     * @param principalId the account's or the key's id
     * @param csrfToken what every form and htmx request of this session must send back
     */
    public record Session(String token, Principal.Kind kind, String principalId, String csrfToken, Instant expiresAt) {}

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();

    public DashboardSessions(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** Starts a session for this account or key. */
    public Session start(Principal.Kind kind, String principalId) {
        Instant now = clock.instant();
        byToken.values().removeIf(s -> !s.expiresAt().isAfter(now));
        var session = new Session(token(), kind, principalId, token(), now.plus(LIFETIME));
        byToken.put(session.token(), session);
        return session;
    }

    /** The session of {@code token} when it has not expired; empty for null and unknown tokens. */
    public Optional<Session> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byToken.get(token)).filter(s -> s.expiresAt().isAfter(clock.instant()));
    }

    public void end(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }

    /** Ends every session of this account or key, as when its password is changed. */
    public void endAllOf(Principal.Kind kind, String principalId) {
        byToken.values().removeIf(s -> s.kind() == kind && s.principalId().equals(principalId));
    }

    private String token() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
