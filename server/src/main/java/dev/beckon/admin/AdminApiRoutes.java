package dev.beckon.admin;

import dev.beckon.auth.Access;
import dev.beckon.auth.ApiKey;
import dev.beckon.auth.ApiKeys;
import dev.beckon.auth.Principal;
import dev.beckon.http.HttpError;
import dev.beckon.identity.Profiles;
import dev.beckon.identity.SubjectIds;
import dev.beckon.identity.UserData;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.EventQuery;
import dev.beckon.store.EventStore;
import dev.beckon.store.Subject;
import dev.beckon.store.TimelineCursor;
import dev.beckon.store.TimelinePage;
import dev.beckon.store.UserErasure;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin REST API under {@code /api/v1/}: reading a site's events, sessions and people, and a
 * user's export and deletion. Every request but the OpenAPI document's needs {@code Authorization:
 * Bearer <API key>}; what the key may reach is decided by {@link Access}. Errors answer {@code
 * {"error": "..."}} with a message that says what to fix.
 */
public final class AdminApiRoutes {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** The OpenAPI document of everything under {@code /api/}, which needs no key. */
    public static final String OPENAPI_PATH = "/api/v1/openapi.json";

    private final ApiKeys keys;
    private final SiteRegistry sites;
    private final EventStore store;
    private final Profiles profiles;
    private final UserData userData;

    public AdminApiRoutes(ApiKeys keys, SiteRegistry sites, EventStore store, Clock clock) {
        this.keys = keys;
        this.sites = sites;
        this.store = store;
        this.profiles = new Profiles(store);
        this.userData = new UserData(store, clock);
    }

    public void register(JavalinConfig config) {
        config.routes.before("/api/*", this::authenticate);
        config.routes.get(OPENAPI_PATH, AdminApiRoutes::openApi);
        config.routes.get("/api/v1/sites", this::allSites);
        config.routes.get("/api/v1/sites/{siteId}", ctx -> ctx.json(site(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/events", this::events);
        config.routes.get("/api/v1/sites/{siteId}/sessions", this::allSessions);
        config.routes.get("/api/v1/sites/{siteId}/devices/{deviceId}", ctx -> profile(ctx, device(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/users/{userId}", ctx -> profile(ctx, user(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/devices/{deviceId}/sessions", ctx -> sessions(ctx, device(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/users/{userId}/sessions", ctx -> sessions(ctx, user(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/devices/{deviceId}/events", ctx -> timeline(ctx, device(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/users/{userId}/events", ctx -> timeline(ctx, user(ctx)));
        config.routes.get("/api/v1/sites/{siteId}/search", this::search);
        config.routes.get("/api/v1/sites/{siteId}/users/{userId}/export", this::export);
        config.routes.delete("/api/v1/sites/{siteId}/users/{userId}", this::delete);
    }

    private void authenticate(Context ctx) {
        if (ctx.path().equals(OPENAPI_PATH)) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpError(401, "send an API key as 'Authorization: Bearer <key>'");
        }
        Principal principal = keys.authenticate(header.substring(7).strip())
                .map(ApiKey::principal)
                .orElseThrow(() -> new HttpError(401, "the API key is not valid, or has been revoked"));
        ctx.attribute(Access.PRINCIPAL, principal);
    }

    /** The document is written by hand beside the code (resources/openapi.json); a test holds it to the routes. */
    private static void openApi(Context ctx) throws IOException {
        try (var document = AdminApiRoutes.class.getResourceAsStream("/openapi.json")) {
            if (document == null) {
                throw new IllegalStateException("the build has no openapi.json");
            }
            ctx.contentType("application/json").result(document.readAllBytes());
        }
    }

    /** The sites the key reaches. */
    private void allSites(Context ctx) {
        Principal principal = Access.require(ctx);
        ctx.json(Map.of(
                "sites",
                sites.all().stream().filter(s -> principal.reaches(s.id())).toList()));
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

    private void timeline(Context ctx, Subject subject) {
        String siteId = site(ctx).id();
        Optional<TimelineCursor> after = text(ctx, "after")
                .map(value -> TimelineCursor.parse(value)
                        .orElseThrow(() -> HttpError.badRequest("after: '" + value
                                + "' is not a cursor; pass the 'next' of the previous page as it was")));
        TimelinePage page = profiles.timeline(siteId, subject, after, limit(ctx));
        var answer = new LinkedHashMap<String, Object>();
        answer.put("events", page.events());
        answer.put("next", page.next().map(TimelineCursor::toString).orElse(null));
        ctx.json(answer);
    }

    private void search(Context ctx) {
        String siteId = site(ctx).id();
        String id = text(ctx, "id").orElseThrow(() -> HttpError.badRequest("id: give a device id or a custom user id"));
        List<Map<String, String>> matches = profiles.search(siteId, id).stream()
                .map(subject -> Map.of("kind", kind(subject), "id", id, "href", href(siteId, subject)))
                .toList();
        ctx.json(Map.of("matches", matches));
    }

    private void export(Context ctx) throws IOException {
        String siteId = site(ctx).id();
        Subject.User user = user(ctx);
        ctx.contentType("application/json");
        ctx.header("Content-Disposition", "attachment; filename=\"beckon-user-export.json\"");
        ctx.header("Cache-Control", "no-store");
        if (!userData.export(siteId, user, ctx.outputStream())) {
            throw HttpError.notFound("site '" + siteId + "' has no events of " + describe(user));
        }
    }

    private void delete(Context ctx) {
        String siteId = site(ctx).id();
        Subject.User user = user(ctx);
        UserErasure erasure = userData.delete(siteId, user, Access.require(ctx).name());
        ctx.json(Map.of("siteId", siteId, "userId", user.userId(), "deleted", erasure));
    }

    private static String kind(Subject subject) {
        return subject instanceof Subject.User ? "user" : "device";
    }

    private static String href(String siteId, Subject subject) {
        String base = "/api/v1/sites/" + pathSegment(siteId);
        return switch (subject) {
            case Subject.Device d -> base + "/devices/" + pathSegment(d.deviceId());
            case Subject.User u -> base + "/users/" + pathSegment(u.userId());
        };
    }

    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // Request parameters, checked once here.

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private static Subject.Device device(Context ctx) {
        try {
            return SubjectIds.device(ctx.pathParam("deviceId"));
        } catch (SubjectIds.InvalidIdException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    private static Subject.User user(Context ctx) {
        try {
            return SubjectIds.user(ctx.pathParam("userId"));
        } catch (SubjectIds.InvalidIdException e) {
            throw HttpError.badRequest(e.getMessage());
        }
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
