package dev.beckon.auth;

import java.util.Set;

/**
 * Who a request acts for: a signed-in account or an API key, with its role and the sites it may
 * reach. An admin reaches every site, whatever {@code sites} holds.
 *
 * @param kind whether an account or an API key authenticated the request
 * @param id the account's or the key's id
 * @param name what audit records and the dashboard call it: an account's email, a key's label
 * @param role what it may do
 * @param allSites whether it reaches every site, present and future
 * @param sites the ids of the sites it reaches when not {@code allSites}
 */
public record Principal(Kind kind, String id, String name, Role role, boolean allSites, Set<String> sites) {

    public enum Kind {
        ACCOUNT,
        API_KEY
    }

    public Principal {
        sites = Set.copyOf(sites);
        allSites = allSites || role == Role.ADMIN;
    }

    /** Whether it may reach the site with this id. */
    public boolean reaches(String siteId) {
        return allSites || sites.contains(siteId);
    }

    /** Whether its role includes {@code needed}. */
    public boolean may(Role needed) {
        return role.includes(needed);
    }
}
