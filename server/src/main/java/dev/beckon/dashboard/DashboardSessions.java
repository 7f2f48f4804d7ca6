package dev.beckon.dashboard;

import dev.beckon.auth.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Signed-in dashboard browsers. A session is a random 256-bit token in an HttpOnly cookie, made
 * anew at every sign-in, with its own CSRF token. A session names its account or API key, not their
 * rights: who it is and what it may do are looked up again at every request, so a revoked key, a
 * deleted account or a changed role take effect at once.
 *
 * <p>Sessions are kept where every node of a deployment reads them ({@link MetadataDashboardSessions},
 * in the metadata database), so that any node takes a signed-in browser's request and a restart signs
 * no one out.
 */
public interface DashboardSessions {

    Duration LIFETIME = Duration.ofHours(12);

    /**
     * One signed-in browser.
     *
     * @param token the cookie's value; known only to the browser and, while it is answered, the node
     * @param kind whether an account or an API key signed in
     * @param principalId the account's or the key's id
     * @param csrfToken what every form and htmx request of this session must send back
     */
    record Session(String token, Principal.Kind kind, String principalId, String csrfToken, Instant expiresAt) {}

    /** Starts a session for this account or key, and forgets the sessions that have expired. */
    Session start(Principal.Kind kind, String principalId);

    /** The session of {@code token} when it has not expired; empty for null and unknown tokens. */
    Optional<Session> find(String token);

    /** Ends the session of {@code token}; nothing for null and unknown tokens. */
    void end(String token);

    /** Ends every session of this account or key, as when its password is changed. */
    void endAllOf(Principal.Kind kind, String principalId);
}
