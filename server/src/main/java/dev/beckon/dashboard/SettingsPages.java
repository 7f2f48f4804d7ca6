package dev.beckon.dashboard;

import dev.beckon.admin.Settings;
import dev.beckon.auth.Access;
import dev.beckon.auth.Account;
import dev.beckon.auth.ApiKeys;
import dev.beckon.auth.Role;
import dev.beckon.http.HttpError;
import dev.beckon.site.Engagement;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRules;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's settings, for admins only ({@link dev.beckon.auth.Access}): accounts with their
 * roles and sites, sites with their allowed origins, time zone and install snippet, and API keys,
 * whose secret is shown once, on the page that answers their creation. A refused change shows the
 * page again with the reason and what was typed (but never a password).
 */
public final class SettingsPages {

    private static final String BASE = "/dashboard/settings";

    private final Settings settings;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public SettingsPages(Settings settings) {
        this.settings = settings;
    }

    /** The accounts page: every account, and a form for a new one. */
    public record AccountsPage(Chrome chrome, List<Account> accounts, List<Site> sites, String error) {}

    /** One account's page: its role and sites, a new password, deletion. */
    public record AccountPage(Chrome chrome, Account account, List<Site> sites, String error) {}

    /** The sites page: every site, and a form for a new one. */
    public record SitesPage(Chrome chrome, List<Site> sites, String error) {}

    /** One site's page: its name, allowed origins, time zone, retention and recontact wait, and its install snippet. */
    public record SitePage(Chrome chrome, Site site, String error) {}

    /**
     * The keys page: every key; after a creation, {@code created} holds the new key with its secret,
     * shown this once.
     */
    public record KeysPage(
            Chrome chrome,
            List<dev.beckon.auth.ApiKey> keys,
            List<Site> sites,
            ApiKeys.Created created,
            String error) {}

    public void register(JavalinConfig config) {
        config.routes.get(BASE, ctx -> ctx.redirect(BASE + "/accounts"));
        config.routes.get(BASE + "/accounts", ctx -> accounts(ctx, "", 200));
        config.routes.post(BASE + "/accounts", this::createAccount);
        config.routes.get(BASE + "/accounts/{accountId}", ctx -> account(ctx, "", 200));
        config.routes.post(BASE + "/accounts/{accountId}", this::updateAccount);
        config.routes.post(BASE + "/accounts/{accountId}/delete", this::deleteAccount);
        config.routes.get(BASE + "/sites", ctx -> sites(ctx, "", 200));
        config.routes.post(BASE + "/sites", this::createSite);
        config.routes.get(BASE + "/sites/{siteId}", ctx -> site(ctx, "", 200));
        config.routes.post(BASE + "/sites/{siteId}", this::updateSite);
        config.routes.get(BASE + "/keys", ctx -> keys(ctx, null, "", 200));
        config.routes.post(BASE + "/keys", this::createKey);
        config.routes.post(BASE + "/keys/{keyId}/revoke", this::revokeKey);
    }

    // Accounts

    private void accounts(Context ctx, String error, int status) {
        var page = new AccountsPage(
                chrome(ctx), settings.accounts().all(), settings.sites().all(), error);
        render(ctx, status, "settingsAccounts.jte", page);
    }

    private void createAccount(Context ctx) {
        try {
            settings.accounts()
                    .create(
                            field(ctx, "email"),
                            field(ctx, "name").isBlank() ? field(ctx, "email") : field(ctx, "name"),
                            Settings.role(field(ctx, "role")),
                            settings.grantable(ctx.formParams("sites")),
                            field(ctx, "password"));
            ctx.redirect(BASE + "/accounts", HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            accounts(ctx, e.getMessage(), e.status());
        }
    }

    private void account(Context ctx, String error, int status) {
        String id = ctx.pathParam("accountId");
        Account account = settings.accounts()
                .find(id)
                .orElseThrow(() -> HttpError.notFound("no account has the id '" + id + "'"));
        render(
                ctx,
                status,
                "settingsAccount.jte",
                new AccountPage(chrome(ctx), account, settings.sites().all(), error));
    }

    private void updateAccount(Context ctx) {
        String id = ctx.pathParam("accountId");
        try {
            String password = field(ctx, "password");
            settings.updateAccount(
                    Access.require(ctx),
                    id,
                    Optional.of(field(ctx, "name")),
                    Optional.of(Settings.role(field(ctx, "role"))),
                    Optional.of(ctx.formParams("sites")),
                    password.isEmpty() ? Optional.empty() : Optional.of(password));
            ctx.redirect(BASE + "/accounts", HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            if (e.status() == 404) {
                throw e;
            }
            account(ctx, e.getMessage(), e.status());
        }
    }

    private void deleteAccount(Context ctx) {
        try {
            settings.deleteAccount(Access.require(ctx), ctx.pathParam("accountId"));
            ctx.redirect(BASE + "/accounts", HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            if (e.status() == 404) {
                throw e;
            }
            account(ctx, e.getMessage(), e.status());
        }
    }

    // Sites

    private void sites(Context ctx, String error, int status) {
        render(
                ctx,
                status,
                "settingsSites.jte",
                new SitesPage(chrome(ctx), settings.sites().all(), error));
    }

    private void createSite(Context ctx) {
        try {
            String zone = field(ctx, "timeZone");
            Site site = settings.sites()
                    .create(
                            field(ctx, "id"),
                            field(ctx, "name"),
                            origins(ctx),
                            zone.isBlank() ? SiteRules.DEFAULT_TIME_ZONE : SiteRules.zone(zone.strip()));
            ctx.redirect(BASE + "/sites/" + Format.segment(site.id()), HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            sites(ctx, e.getMessage(), e.status());
        }
    }

    private void site(Context ctx, String error, int status) {
        Site site = settings.sites().require(ctx.pathParam("siteId"));
        render(ctx, status, "settingsSite.jte", new SitePage(chrome(ctx), site, error));
    }

    private void updateSite(Context ctx) {
        Site site = settings.sites().require(ctx.pathParam("siteId"));
        try {
            var zone = SiteRules.zone(field(ctx, "timeZone").strip());
            int retentionDays = SiteRules.retentionDays(field(ctx, "retentionDays"));
            var engagement = Engagement.ofForm(name -> field(ctx, name));
            // A form of before the recontact wait keeps it.
            String recontact = ctx.formParam("recontactDays");
            int recontactDays = recontact == null ? site.recontactDays() : SiteRules.recontactDays(recontact);
            settings.sites().update(site.id(), field(ctx, "name"), origins(ctx));
            if (!zone.equals(site.timeZone())) {
                settings.sites().setTimeZone(site.id(), zone);
            }
            if (retentionDays != site.retentionDays()) {
                settings.sites().setRetentionDays(site.id(), retentionDays);
            }
            settings.sites().setEngagement(site.id(), engagement);
            if (recontactDays != site.recontactDays()) {
                settings.sites().setRecontactDays(site.id(), recontactDays);
            }
            ctx.redirect(BASE + "/sites/" + Format.segment(site.id()), HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            site(ctx, e.getMessage(), e.status());
        }
    }

    /** The allowed origins typed one a line (commas and spaces separate them too). */
    private static List<String> origins(Context ctx) {
        return Arrays.stream(field(ctx, "allowedOrigins").split("[\\s,]+"))
                .filter(o -> !o.isEmpty())
                .toList();
    }

    // API keys

    private void keys(Context ctx, ApiKeys.Created created, String error, int status) {
        var page = new KeysPage(
                chrome(ctx), settings.keys().all(), settings.sites().all(), created, error);
        render(ctx, status, "settingsKeys.jte", page);
    }

    private void createKey(Context ctx) {
        try {
            Role role = Settings.role(field(ctx, "role"));
            String site = field(ctx, "siteId");
            ApiKeys.Created created = settings.keys()
                    .create(
                            field(ctx, "label"),
                            role,
                            settings.keyScope(site.isEmpty() ? Optional.empty() : Optional.of(site))
                                    .orElse(null));
            keys(ctx, created, "", 201);
        } catch (HttpError e) {
            keys(ctx, null, e.getMessage(), e.status());
        }
    }

    private void revokeKey(Context ctx) {
        settings.revokeKey(ctx.pathParam("keyId"));
        ctx.redirect(BASE + "/keys", HttpStatus.SEE_OTHER);
    }

    private Chrome chrome(Context ctx) {
        return Chrome.of(ctx, settings.sites());
    }

    private static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("");
    }

    private void render(Context ctx, int status, String template, Object page) {
        var output = new StringOutput();
        templates.render(template, Map.of("page", page), output);
        ctx.status(status);
        ctx.header("Cache-Control", "no-store");
        ctx.html(output.toString());
    }
}
