package dev.beckon.admin;

import dev.beckon.auth.Access;
import dev.beckon.auth.Account;
import dev.beckon.auth.ApiKeys;
import dev.beckon.http.HttpError;
import dev.beckon.http.JsonBody;
import dev.beckon.site.Engagement;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRules;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The admin API's settings: accounts, API keys and sites, under {@code /api/v1/}. Only admins
 * reach the accounts and keys, and only they create or change sites ({@link Access}).
 */
public final class SettingsApiRoutes {

    /** The fields of a site that {@code PATCH /api/v1/sites/{siteId}} changes. */
    private static final List<String> CHANGEABLE = Stream.concat(
                    Stream.of("name", "allowedOrigins", "timeZone", "retentionDays", "recontactDays"),
                    Engagement.FIELDS.stream())
            .toList();

    private static final List<String> NEW_SITE =
            List.of("id", "name", "allowedOrigins", "timeZone", "retentionDays", "recontactDays");
    private static final List<String> NEW_ACCOUNT = List.of("email", "name", "role", "sites", "password");
    private static final List<String> ACCOUNT_CHANGES = List.of("name", "role", "sites", "password");
    private static final List<String> NEW_KEY = List.of("label", "role", "siteId");

    private final Settings settings;

    public SettingsApiRoutes(Settings settings) {
        this.settings = settings;
    }

    public void register(JavalinConfig config) {
        config.routes.get(
                "/api/v1/accounts",
                ctx -> ctx.json(Map.of("accounts", settings.accounts().all())));
        config.routes.post("/api/v1/accounts", this::createAccount);
        config.routes.get("/api/v1/accounts/{accountId}", ctx -> ctx.json(account(ctx)));
        config.routes.patch("/api/v1/accounts/{accountId}", this::updateAccount);
        config.routes.delete("/api/v1/accounts/{accountId}", this::deleteAccount);
        config.routes.get(
                "/api/v1/keys", ctx -> ctx.json(Map.of("keys", settings.keys().all())));
        config.routes.post("/api/v1/keys", this::createKey);
        config.routes.delete("/api/v1/keys/{keyId}", this::revokeKey);
        config.routes.post("/api/v1/sites", this::createSite);
        config.routes.patch("/api/v1/sites/{siteId}", this::changeSite);
    }

    private void createAccount(Context ctx) {
        JsonBody body = JsonBody.of(ctx).allowOnly("an account", NEW_ACCOUNT);
        Account created = settings.accounts()
                .create(
                        body.requiredText("email"),
                        body.text("name").orElse(body.requiredText("email")),
                        Settings.role(body.requiredText("role")),
                        settings.grantable(body.texts("sites").orElse(List.of())),
                        body.requiredText("password"));
        ctx.status(201).json(created);
    }

    private Account account(Context ctx) {
        String id = ctx.pathParam("accountId");
        return settings.accounts().find(id).orElseThrow(() -> HttpError.notFound("no account has the id '" + id + "'"));
    }

    private void updateAccount(Context ctx) {
        JsonBody body = JsonBody.of(ctx).allowOnly("an account's changes", ACCOUNT_CHANGES);
        ctx.json(settings.updateAccount(
                Access.require(ctx),
                account(ctx).id(),
                body.text("name"),
                body.text("role").map(Settings::role),
                body.texts("sites"),
                body.text("password")));
    }

    private void deleteAccount(Context ctx) {
        settings.deleteAccount(Access.require(ctx), ctx.pathParam("accountId"));
        ctx.status(204);
    }

    /** The key with its secret, which this answer carries once and nothing stores. */
    private void createKey(Context ctx) {
        JsonBody body = JsonBody.of(ctx).allowOnly("an API key", NEW_KEY);
        ApiKeys.Created created = settings.keys()
                .create(
                        body.requiredText("label"),
                        Settings.role(body.requiredText("role")),
                        settings.keyScope(body.text("siteId")).orElse(null));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", created.key());
        answer.put("secret", created.secret());
        ctx.status(201).header("Cache-Control", "no-store").json(answer);
    }

    private void revokeKey(Context ctx) {
        settings.revokeKey(ctx.pathParam("keyId"));
        ctx.status(204);
    }

    private void createSite(Context ctx) {
        JsonBody body = JsonBody.of(ctx).allowOnly("a site", NEW_SITE);
        var retentionDays = body.wholeNumber("retentionDays").map(SiteRules::retentionDays);
        var recontactDays = body.wholeNumber("recontactDays").map(SiteRules::recontactDays);
        Site site = settings.sites()
                .create(
                        body.requiredText("id"),
                        body.requiredText("name"),
                        body.texts("allowedOrigins").orElse(List.of()),
                        body.text("timeZone").map(SiteRules::zone).orElse(SiteRules.DEFAULT_TIME_ZONE));
        if (retentionDays.isPresent()) {
            site = settings.sites().setRetentionDays(site.id(), retentionDays.get());
        }
        if (recontactDays.isPresent()) {
            site = settings.sites().setRecontactDays(site.id(), recontactDays.get());
        }
        ctx.status(201).json(site);
    }

    /** Changes what the body names of a site: name, origins, time zone, retention, recontact wait, budget. */
    private void changeSite(Context ctx) {
        Site site = settings.sites().require(ctx.pathParam("siteId"));
        JsonBody body = JsonBody.of(ctx).allowOnly("a site's changes", CHANGEABLE);
        if (CHANGEABLE.stream().noneMatch(body.tree()::has)) {
            throw HttpError.badRequest("give at least one of " + String.join(", ", CHANGEABLE));
        }
        for (String days : List.of("retentionDays", "recontactDays")) {
            if (body.tree().path(days).isNull()) {
                throw HttpError.badRequest(days + ": must be a whole number, not null");
            }
        }
        var zone = body.text("timeZone").map(SiteRules::zone);
        var retentionDays = body.wholeNumber("retentionDays").map(SiteRules::retentionDays);
        Engagement engagement = site.engagement().changedBy(body.tree());
        var recontactDays = body.wholeNumber("recontactDays").map(SiteRules::recontactDays);
        Site changed = settings.sites()
                .update(
                        site.id(),
                        body.text("name").orElse(site.name()),
                        body.texts("allowedOrigins").orElse(site.allowedOrigins()));
        if (zone.isPresent()) {
            changed = settings.sites().setTimeZone(site.id(), zone.get());
        }
        if (retentionDays.isPresent()) {
            changed = settings.sites().setRetentionDays(site.id(), retentionDays.get());
        }
        if (!engagement.equals(site.engagement())) {
            changed = settings.sites().setEngagement(site.id(), engagement);
        }
        if (recontactDays.isPresent()) {
            changed = settings.sites().setRecontactDays(site.id(), recontactDays.get());
        }
        ctx.json(changed);
    }
}
