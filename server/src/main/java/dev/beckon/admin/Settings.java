package dev.beckon.admin;

import dev.beckon.auth.Account;
import dev.beckon.auth.Accounts;
import dev.beckon.auth.ApiKeys;
import dev.beckon.auth.Principal;
import dev.beckon.auth.Role;
import dev.beckon.http.HttpError;
import dev.beckon.site.SiteRegistry;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Changes to accounts, API keys and sites as an admin asks for them, from the admin API or the
 * dashboard's settings pages alike: the checks that span more than one of them (a granted site
 * must exist; an admin cannot lock themselves out) live here.
 */
public final class Settings {

    private final Accounts accounts;
    private final ApiKeys keys;
    private final SiteRegistry sites;
    private final BiConsumer<Principal.Kind, String> endSessions;

    /**
     * @param endSessions ends every dashboard session of an account or a key, given its kind and id
     */
    public Settings(
            Accounts accounts, ApiKeys keys, SiteRegistry sites, BiConsumer<Principal.Kind, String> endSessions) {
        this.accounts = accounts;
        this.keys = keys;
        this.sites = sites;
        this.endSessions = endSessions;
    }

    public Accounts accounts() {
        return accounts;
    }

    public ApiKeys keys() {
        return keys;
    }

    public SiteRegistry sites() {
        return sites;
    }

    /** The role of a wire name. @throws HttpError 400 for any other value */
    public static Role role(String value) {
        return Role.parse(value)
                .orElseThrow(
                        () -> HttpError.badRequest("role: must be one of " + Role.choices() + ", not '" + value + "'"));
    }

    /** The sites to grant, each of which must exist. @throws HttpError 400 naming the first unknown one */
    public Set<String> grantable(List<String> siteIds) {
        for (int i = 0; i < siteIds.size(); i++) {
            if (sites.find(siteIds.get(i)).isEmpty()) {
                throw HttpError.badRequest("sites[" + i + "]: no site has the id '" + siteIds.get(i) + "'");
            }
        }
        return new LinkedHashSet<>(siteIds);
    }

    /** The one site a key is scoped to, which must exist; empty for every site. */
    public Optional<String> keyScope(Optional<String> siteId) {
        siteId.ifPresent(id -> {
            if (sites.find(id).isEmpty()) {
                throw HttpError.badRequest("siteId: no site has the id '" + id + "'");
            }
        });
        return siteId;
    }

    /**
     * Changes an account, and its password when one is given; a new password ends the account's
     * open sessions.
     *
     * @param by who asks: an admin may not take the admin role from their own account
     */
    public Account updateAccount(
            Principal by,
            String id,
            Optional<String> name,
            Optional<Role> role,
            Optional<List<String>> siteIds,
            Optional<String> password) {
        Account account = accounts.find(id).orElseThrow(() -> HttpError.notFound("no account has the id '" + id + "'"));
        Role newRole = role.orElse(account.role());
        if (isSelf(by, id) && newRole != Role.ADMIN) {
            throw new HttpError(409, "role: you cannot take the admin role from your own account");
        }
        Set<String> granted = siteIds.map(this::grantable).orElse(account.sites());
        Account changed = accounts.update(id, name.orElse(account.name()), newRole, granted);
        password.ifPresent(p -> {
            accounts.setPassword(id, p);
            endSessions.accept(Principal.Kind.ACCOUNT, id);
        });
        return changed;
    }

    /** Deletes an account and ends its sessions. @param by an admin may not delete their own account */
    public void deleteAccount(Principal by, String id) {
        if (accounts.find(id).isEmpty()) {
            throw HttpError.notFound("no account has the id '" + id + "'");
        }
        if (isSelf(by, id)) {
            throw new HttpError(409, "you cannot delete your own account");
        }
        accounts.delete(id);
        endSessions.accept(Principal.Kind.ACCOUNT, id);
    }

    /** Revokes a key and ends the dashboard sessions it opened. @throws HttpError 404 when no active key has the id */
    public void revokeKey(String id) {
        if (!keys.revoke(id)) {
            throw HttpError.notFound("no active API key has the id '" + id + "'");
        }
        endSessions.accept(Principal.Kind.API_KEY, id);
    }

    private static boolean isSelf(Principal by, String accountId) {
        return by.kind() == Principal.Kind.ACCOUNT && by.id().equals(accountId);
    }
}
