package dev.beckon.admin;

import dev.beckon.auth.AdminKeys;
import dev.beckon.http.HttpError;
import dev.beckon.identity.Profiles;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.EventQuery;
import dev.beckon.store.EventStore;
import dev.beckon.store.Subject;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The admin REST API under {@code /api/v1/}. Every request needs {@code Authorization: Bearer
 * <admin key>}; errors answer {@code {"error": "..."}} with a message that says what to fix.
 */
public final class AdminApiRoutes {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private final AdminKeys keys;
    private final SiteRegistry sites;
    private final EventStore store;
    private final Profiles profiles;

    public AdminApiRoutes(AdminKeys keys, SiteRegistry sites, EventStore store) {
        this.keys = keys;
        this.sites = sites;
        this.store = store;
        this.profiles = new Profiles(store);
    }

    public void register(JavalinConfig config) {
        config.routes.before("/api/*", this::authenticate);
        config.routes.get("/api/v1/sites", ctx -> ctx.json(Map.of("sites", sites.all())));
        config.routes.get("/api/v1/sites/{siteId}", ctx -> ctx.json(site(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/events", this::events);
        config.routes.get("/api/v1/sites/{siteId}/sessions", this::allSessions);
        config.routes.get("/api/v1/sites/{siteId}/devices/{deviceId}", ctx -> profile(ctx, device(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/users/{userId}", ctx -> profile(ctx, user(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/devices/{deviceId}/sessions", ctx -> sessions(ctx, device(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/users/{userId}/sessions", ctx -> sessions(ctx, user(ctx)));
    }

    private void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpError(401, "send an admin API key as 'Authorization: Bearer <key>'");
        }
        if (!keys.isValid(header.substring(7).strip())) {
            throw new HttpError(401, "the admin API key is not valid, or has been revoked");
        }
    }

    private void events(Context ctx) {
        String siteId = site(ctx).id();
        var query = new EventQuery(
                siteId,
                text(ctx, "name"),
                text(ctx, "deviceId"),
                text(ctx, "userId"),
                text(ctx, "sessionId"),
                time(ctx, "from"),
                time(ctx, "to"),
                limit(ctx));
        ctx.json(Map.of("events", store.find(query)));
    }

    private void allSessions(Context ctx) {
        ctx.json(Map.of("sessions", store.sessions(site(ctx).id(), Optional.empty(), limit(ctx))));
    }

    private void profile(Context ctx, Subject subject) {
        ctx.json(profiles.find(site(ctx).id(), subject)
                .orElseThrow(() ->
                        HttpError.notFound("site '" + site(ctx).id() + "' has no events of " + describe(subject))));
    }

    private void sessions(Context ctx, Subject subject) {
        ctx.json(Map.of("sessions", store.sessions(site(ctx).id(), Optional.of(subject), limit(ctx))));
    }

    // Request parameters, checked once here.

    private Site site(Context ctx) {
        String siteId = ctx.pathParam("siteId");
        return sites.find(siteId).orElseThrow(() -> HttpError.notFound("no site has the id '" + siteId + "'"));
    }

    private static Subject device(Context ctx) {
        return new Subject.Device(ctx.pathParam("deviceId"));
    }

    private static Subject user(Context ctx) {
        return new Subject.User(ctx.pathParam("userId"));
    }

    private static String describe(Subject subject) {
        return switch (subject) {
            case Subject.Device d -> "device '" + d.deviceId() + "'";
            case Subject.User u -> "user '" + u.userId() + "'";
        };
    }

    private static Optional<String> text(Context ctx, String parameter) {
        return Optional.ofNullable(ctx.queryParam(parameter)).filter(v -> !v.isEmpty());
    }

    private static Optional<Instant> time(Context ctx, String parameter) {
        return text(ctx, parameter).map(value -> {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                // A '+' left unencoded in a query string arrives as a space.
                String hint = value.contains(" ") ? "; write a '+' offset as %2B in a URL" : "";
                throw HttpError.badRequest(parameter + ": '" + value
                        + "' is not an ISO-8601 time with an offset, such as 2026-12-03T10:15:30Z" + hint);
            }
        });
    }

    private static int limit(Context ctx) {
        String value = ctx.queryParam("limit");
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw HttpError.badRequest("limit: must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'");
    }
}
