package dev.beckon.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Set;

/**
 * An API key as listed: never its secret, which is shown once when it is made.
 *
 * @param label who holds it or what it is for; audit records name the key by it
 * @param siteId the one site it reaches, or null for every site
 * @param lastUsedAt when it last authenticated a request, to the minute; null when never
 * @param revokedAt when it was revoked; null while it is active
 */
public record ApiKey(
        String id, String label, Role role, String siteId, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

    @JsonIgnore
    public boolean active() {
        return revokedAt == null;
    }

    public Principal principal() {
        return new Principal(
                Principal.Kind.API_KEY, id, label, role, siteId == null, siteId == null ? Set.of() : Set.of(siteId));
    }

    ApiKey usedAt(Instant when) {
        return new ApiKey(id, label, role, siteId, createdAt, when, revokedAt);
    }

    ApiKey revoked(Instant when) {
        return new ApiKey(id, label, role, siteId, createdAt, lastUsedAt, when);
    }
}
