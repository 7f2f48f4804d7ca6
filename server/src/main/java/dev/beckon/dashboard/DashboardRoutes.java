package dev.beckon.dashboard;

import dev.beckon.auth.AdminKeys;
import dev.beckon.http.HttpError;
import dev.beckon.identity.Profile;
import dev.beckon.identity.Profiles;
import dev.beckon.identity.SubjectIds;
import dev.beckon.identity.UserData;
import dev.beckon.ingest.IngestLimits;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.EventQuery;
import dev.beckon.store.EventStore;
import dev.beckon.store.Subject;
import dev.beckon.store.TimelineCursor;
import dev.beckon.store.TimelinePage;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard: server-rendered pages under {@code /dashboard/}, signed in with an admin key. The
 * live list refreshes itself with htmx; nothing needs a build step on the operator's side.
 *
 * <p>Forms are protected against cross-site requests twice: the session cookie is {@code
 * SameSite=Strict}, and every POST must come from a page of this server ({@code Origin} or {@code
 * Referer}).
 */
public final class DashboardRoutes {

    static final String COOKIE = "beckon_dashboard";
    static final int LIVE_EVENTS = 50;
    static final int LIST_ROWS = 20;
    static final int TIMELINE_ROWS = 50;

    private static final Map<String, Duration> WINDOWS = Map.of(
            "1h", Duration.ofHours(1), "24h", Duration.ofDays(1), "7d", Duration.ofDays(7), "30d", Duration.ofDays(30));

    private final AdminKeys keys;
    private final SiteRegistry sites;
    private final EventStore store;
    private final Profiles profiles;
    private final UserData userData;
    private final DashboardSessions sessions;
    private final Clock clock;
    private final boolean demo;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public DashboardRoutes(
            AdminKeys keys,
            SiteRegistry sites,
            EventStore store,
            DashboardSessions sessions,
            Clock clock,
            boolean demo) {
        this.keys = keys;
        this.sites = sites;
        this.store = store;
        this.profiles = new Profiles(store);
        this.userData = new UserData(store, clock);
        this.sessions = sessions;
        this.clock = clock;
        this.demo = demo;
    }

    /**
     * The dashboard runs no inline script or style, loads nothing from elsewhere, and may not be
     * framed, so an injected tag can neither run nor be clickjacked.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    public void register(JavalinConfig config) {
        config.routes.before("/dashboard/*", DashboardRoutes::securityHeaders);
        config.routes.before("/dashboard/*", this::requireSignIn);
        config.routes.get("/dashboard/", this::home);
        config.routes.get("/dashboard/login", ctx -> render(ctx, "login.jte", Map.of("error", "")));
        config.routes.post("/dashboard/login", this::signIn);
        config.routes.post("/dashboard/logout", this::signOut);
        config.routes.get("/dashboard/sites/{siteId}", this::overview);
        config.routes.get("/dashboard/sites/{siteId}/live", this::live);
        config.routes.get("/dashboard/sites/{siteId}/search", this::search);
        config.routes.get(
                "/dashboard/sites/{siteId}/devices/{deviceId}",
                ctx -> profile(ctx, "device", checked(() -> SubjectIds.device(ctx.pathParam("deviceId")))));
        config.routes.get("/dashboard/sites/{siteId}/users/{userId}/export", this::export);
        config.routes.get(
                "/dashboard/sites/{siteId}/users/{userId}",
                ctx -> profile(ctx, "user", checked(() -> SubjectIds.user(ctx.pathParam("userId")))));
    }

    // Signing in and out

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
    }

    private void requireSignIn(Context ctx) {
        if (ctx.method().name().equals("POST")) {
            requireSameOrigin(ctx);
        }
        if (ctx.path().equals("/dashboard/login") || sessions.isActive(ctx.cookie(COOKIE))) {
            return;
        }
        if (ctx.header("HX-Request") != null) {
            ctx.header("HX-Redirect", "/dashboard/login");
            throw new HttpError(401, "sign in again");
        }
        ctx.redirect("/dashboard/login");
        ctx.skipRemainingHandlers();
    }

    private static void requireSameOrigin(Context ctx) {
        String source = Optional.ofNullable(ctx.header("Origin")).orElse(ctx.header("Referer"));
        String host = ctx.header("Host");
        if (source == null || host == null || !host.equalsIgnoreCase(authority(source))) {
            throw new HttpError(403, "this form must be sent from a page of this Beckon server");
        }
    }

    private static String authority(String url) {
        try {
            return URI.create(url).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void signIn(Context ctx) {
        String key = Optional.ofNullable(ctx.formParam("key")).orElse("").strip();
        if (!keys.isValid(key)) {
            ctx.status(401);
            render(ctx, "login.jte", Map.of("error", "That is not an active admin key."));
            return;
        }
        boolean secure = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"))
                || ctx.scheme().equals("https");
        ctx.header(
                "Set-Cookie",
                COOKIE + "=" + sessions.start() + "; Path=/dashboard; HttpOnly; SameSite=Strict" + "; Max-Age="
                        + DashboardSessions.LIFETIME.toSeconds() + (secure ? "; Secure" : ""));
        ctx.redirect("/dashboard/");
    }

    private void signOut(Context ctx) {
        sessions.end(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0");
        ctx.redirect("/dashboard/login");
    }

    // Pages

    private void home(Context ctx) {
        var first = sites.find(SiteRegistry.DEMO_SITE_ID)
                .or(() -> sites.all().stream().findFirst());
        if (first.isEmpty()) {
            ctx.html("<p>No site exists yet.</p>");
            return;
        }
        ctx.redirect("/dashboard/sites/" + Format.segment(first.get().id()));
    }

    private void overview(Context ctx) {
        Site site = site(ctx);
        String window = Optional.ofNullable(ctx.queryParam("window"))
                .filter(WINDOWS::containsKey)
                .orElse("24h");
        var page = new SitePage(
                site,
                sites.all(),
                window,
                store.countByName(site.id(), clock.instant().minus(WINDOWS.get(window))),
                store.recentDevices(site.id(), LIST_ROWS),
                store.recentUsers(site.id(), LIST_ROWS),
                store.sessions(site.id(), Optional.empty(), LIST_ROWS),
                livePage(site, Optional.empty()),
                demo);
        render(ctx, "site.jte", Map.of("page", page));
    }

    private void live(Context ctx) {
        Site site = site(ctx);
        Optional<Subject> subject = Optional.ofNullable(ctx.queryParam("deviceId"))
                .<Subject>map(Subject.Device::new)
                .or(() -> Optional.ofNullable(ctx.queryParam("userId")).map(Subject.User::new));
        render(ctx, "live.jte", Map.of("live", livePage(site, subject)));
    }

    private void search(Context ctx) {
        Site site = site(ctx);
        String query = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
        String problem = searchProblem(query);
        List<SearchPage.Match> matches = problem.isEmpty()
                ? profiles.search(site.id(), query).stream()
                        .map(subject -> match(site, subject))
                        .toList()
                : List.of();
        if (matches.size() == 1) {
            ctx.redirect(matches.getFirst().href());
            return;
        }
        render(ctx, "search.jte", Map.of("page", new SearchPage(site, sites.all(), query, problem, matches)));
    }

    private static String searchProblem(String query) {
        if (query.isEmpty()) {
            return "Type a custom user id or a device id.";
        }
        if (!SubjectIds.isPlausible(query)) {
            return "No event can have that id: ids have 1 to " + IngestLimits.MAX_USER_ID_LENGTH
                    + " characters and no control characters.";
        }
        return "";
    }

    private static SearchPage.Match match(Site site, Subject subject) {
        return switch (subject) {
            case Subject.User u -> new SearchPage.Match("User", u.userId(), profileUrl(site, subject));
            case Subject.Device d -> new SearchPage.Match("Device", d.deviceId(), profileUrl(site, subject));
        };
    }

    private static String profileUrl(Site site, Subject subject) {
        String base = "/dashboard/sites/" + Format.segment(site.id());
        return switch (subject) {
            case Subject.Device d -> base + "/devices/" + Format.segment(d.deviceId());
            case Subject.User u -> base + "/users/" + Format.segment(u.userId());
        };
    }

    private void profile(Context ctx, String kind, Subject subject) {
        Site site = site(ctx);
        Optional<TimelineCursor> after = Optional.ofNullable(ctx.queryParam("after"))
                .filter(v -> !v.isEmpty())
                .map(v -> TimelineCursor.parse(v)
                        .orElseThrow(() -> HttpError.badRequest("that is not a link to a page of this timeline")));
        Profile profile = profiles.find(site.id(), subject)
                .orElseThrow(() -> HttpError.notFound("this site has no events of that " + kind));
        TimelinePage timeline = profiles.timeline(site.id(), subject, after, TIMELINE_ROWS);
        String url = profileUrl(site, subject);
        var page = new ProfilePage(
                site,
                sites.all(),
                kind,
                subject instanceof Subject.Device d ? d.deviceId() : ((Subject.User) subject).userId(),
                profile,
                new LivePage(site.id(), timeline.events(), url),
                after.isPresent() ? url : "",
                timeline.next()
                        .map(next -> url + "?after=" + Format.segment(next.toString()))
                        .orElse(""));
        render(ctx, "profile.jte", Map.of("page", page));
    }

    /** The user's data as the admin API exports it (docs/identity.md), as a download. */
    private void export(Context ctx) throws IOException {
        Site site = site(ctx);
        Subject.User user = checked(() -> SubjectIds.user(ctx.pathParam("userId")));
        ctx.contentType("application/json");
        ctx.header("Content-Disposition", "attachment; filename=\"beckon-user-export.json\"");
        ctx.header("Cache-Control", "no-store");
        if (!userData.export(site.id(), user, ctx.outputStream())) {
            throw HttpError.notFound("this site has no events of that user");
        }
    }

    private static <T extends Subject> T checked(java.util.function.Supplier<T> subject) {
        try {
            return subject.get();
        } catch (SubjectIds.InvalidIdException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    private LivePage livePage(Site site, Optional<Subject> subject) {
        EventQuery query = EventQuery.newest(site.id(), LIVE_EVENTS);
        String refresh = "/dashboard/sites/" + Format.segment(site.id()) + "/live";
        if (subject.isPresent()) {
            query = query.withSubject(subject.get());
            refresh += switch (subject.get()) {
                case Subject.Device d -> "?deviceId=" + Format.segment(d.deviceId());
                case Subject.User u -> "?userId=" + Format.segment(u.userId());
            };
        }
        return new LivePage(site.id(), store.find(query), refresh);
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private void render(Context ctx, String template, Map<String, Object> model) {
        var output = new StringOutput();
        templates.render(template, model, output);
        ctx.header("Cache-Control", "no-store");
        ctx.html(output.toString());
    }
}
