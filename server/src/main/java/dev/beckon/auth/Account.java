package dev.beckon.auth;

import java.time.Instant;
import java.util.Set;

/**
 * A person who signs in to the dashboard.
 *
 * @param email the sign-in name, in lower case
 * @param name what the dashboard shows; any text, escaped wherever it is shown
 * @param sites the sites an editor or a viewer is granted; an admin reaches every site
 */
public record Account(String id, String email, String name, Role role, Set<String> sites, Instant createdAt) {

    public Account {
        sites = Set.copyOf(sites);
    }

    public Principal principal() {
        return new Principal(Principal.Kind.ACCOUNT, id, email, role, role == Role.ADMIN, sites);
    }
}
