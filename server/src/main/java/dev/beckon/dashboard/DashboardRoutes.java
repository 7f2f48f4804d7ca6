package dev.beckon.dashboard;

import dev.beckon.auth.Access;
import dev.beckon.auth.Account;
import dev.beckon.auth.Accounts;
import dev.beckon.auth.ApiKey;
import dev.beckon.auth.ApiKeys;
import dev.beckon.auth.LoginThrottle;
import dev.beckon.auth.Principal;
import dev.beckon.config.ServerConfig;
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
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard: server-rendered pages under {@code /dashboard/}. People sign in with their
 * account's email and password, or with an API key; what they may see and do is decided for every
 * route by {@link Access}. The live list refreshes itself with htmx; nothing needs a build step on
 * the operator's side.
 *
 * <p>Cross-site requests are refused three times over: the session cookie is {@code
 * SameSite=Strict}; every POST must come from a page of this server ({@code Origin} or {@code
 * Referer}); and every POST of a signed-in browser must carry its session's CSRF token, in the
 * {@code csrf} form field or the {@code X-CSRF-Token} header that the pages give htmx.
 *
 * <p>Sign-in attempts are limited by {@link LoginThrottle}; signing in always starts a new session,
 * so a token planted in a browser before sign-in is never promoted (session fixation).
 */
public final class DashboardRoutes {

    static final String COOKIE = "beckon_dashboard";
    static final int LIVE_EVENTS = 50;
    static final int LIST_ROWS = 20;
    static final int TIMELINE_ROWS = 50;

    private static final Map<String, Duration> WINDOWS = Map.of(
            "1h", Duration.ofHours(1), "24h", Duration.ofDays(1), "7d", Duration.ofDays(7), "30d", Duration.ofDays(30));
    private static final String BAD_SIGN_IN = "That email and password do not match an account.";
    private static final String BAD_KEY = "That is not an active API key.";

    private final ApiKeys keys;
    private final Accounts accounts;
    private final LoginThrottle throttle;
    private final SiteRegistry sites;
    private final EventStore store;
    private final Profiles profiles;
    private final UserData userData;
    private final DashboardSessions sessions;
    private final Clock clock;
    private final ServerConfig config;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public DashboardRoutes(
            ApiKeys keys,
            Accounts accounts,
            SiteRegistry sites,
            EventStore store,
            DashboardSessions sessions,
            Clock clock,
            ServerConfig config) {
        this.keys = keys;
        this.accounts = accounts;
        this.throttle = new LoginThrottle(clock);
        this.sites = sites;
        this.store = store;
        this.profiles = new Profiles(store);
        this.userData = new UserData(store, clock);
        this.sessions = sessions;
        this.clock = clock;
        this.config = config;
    }

    /**
     * The dashboard runs no inline script or style, loads nothing from elsewhere, and may not be
     * framed, so an injected tag can neither run nor be clickjacked.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    public void register(JavalinConfig javalin) {
        // The home page's address is with the slash; without, it would skip the sign-in below.
        javalin.routes.before("/dashboard", ctx -> {
            if (ctx.path().equals("/dashboard")) {
                ctx.redirect("/dashboard/");
                ctx.skipRemainingHandlers();
            }
        });
        javalin.routes.before("/dashboard/*", DashboardRoutes::securityHeaders);
        javalin.routes.before("/dashboard/*", this::authenticate);
        javalin.routes.get("/dashboard/", this::home);
        javalin.routes.get("/dashboard/login", ctx -> loginPage(ctx, 200, ""));
        javalin.routes.post("/dashboard/login", this::signIn);
        javalin.routes.post("/dashboard/logout", this::signOut);
        javalin.routes.get("/dashboard/sites/{siteId}", this::overview);
        javalin.routes.get("/dashboard/sites/{siteId}/live", this::live);
        javalin.routes.get("/dashboard/sites/{siteId}/search", this::search);
        javalin.routes.get(
                "/dashboard/sites/{siteId}/devices/{deviceId}",
                ctx -> profile(ctx, "device", checked(() -> SubjectIds.device(ctx.pathParam("deviceId")))));
        javalin.routes.get("/dashboard/sites/{siteId}/users/{userId}/export", this::export);
        javalin.routes.get(
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

    /**
     * Finds the request's session and who it belongs to; refuses a POST from elsewhere or without
     * the session's CSRF token; and sends a browser that is not signed in to the sign-in page.
     */
    private void authenticate(Context ctx) {
        boolean changes =
                !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD");
        if (changes) {
            requireSameOrigin(ctx);
        }
        var session = sessionTokens(ctx).stream()
                .flatMap(t -> sessions.find(t).stream())
                .findFirst();
        Optional<Principal> principal = session.flatMap(this::principal);
        if (principal.isPresent()) {
            ctx.attribute(Access.PRINCIPAL, principal.get());
            ctx.attribute(Chrome.CSRF_TOKEN, session.get().csrfToken());
            if (changes && !ctx.path().equals("/dashboard/login")) {
                requireCsrfToken(ctx, session.get().csrfToken());
            }
            return;
        }
        if (ctx.path().equals("/dashboard/login")) {
            return;
        }
        if (ctx.header("HX-Request") != null) {
            ctx.header("HX-Redirect", "/dashboard/login");
            throw new HttpError(401, "sign in again");
        }
        ctx.redirect("/dashboard/login");
        ctx.skipRemainingHandlers();
    }

    /**
     * Every session token the request carries. A browser may hold more than one cookie of the name,
     * for different paths or planted by someone else; each is tried, and each ends at sign-in.
     */
    private static List<String> sessionTokens(Context ctx) {
        jakarta.servlet.http.Cookie[] cookies = ctx.req().getCookies();
        if (cookies == null) {
            return List.of();
        }
        return Arrays.stream(cookies)
                .filter(c -> c.getName().equals(COOKIE) && !c.getValue().isEmpty())
                .map(jakarta.servlet.http.Cookie::getValue)
                .toList();
    }

    private Optional<Principal> principal(DashboardSessions.Session session) {
        return switch (session.kind()) {
            case ACCOUNT -> accounts.find(session.principalId()).map(Account::principal);
            case API_KEY -> keys.findActive(session.principalId()).map(ApiKey::principal);
        };
    }

    private static void requireSameOrigin(Context ctx) {
        String source = Optional.ofNullable(ctx.header("Origin")).orElse(ctx.header("Referer"));
        String host = ctx.header("Host");
        if (source == null || host == null || !host.equalsIgnoreCase(authority(source))) {
            throw new HttpError(403, "this form must be sent from a page of this Beckon server");
        }
    }

    private static void requireCsrfToken(Context ctx, String expected) {
        String sent = Optional.ofNullable(ctx.header(Chrome.CSRF_HEADER)).orElseGet(() -> formField(ctx));
        if (sent == null
                || !MessageDigest.isEqual(
                        sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(403, "this form is out of date or was not sent by the dashboard; reload the page");
        }
    }

    private static String formField(Context ctx) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("");
        boolean form = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
        return form ? ctx.formParam(Chrome.CSRF_FIELD) : null;
    }

    private static String authority(String url) {
        try {
            return URI.create(url).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Signs in with {@code email} and {@code password}, or with {@code key} (an API key: what the
     * demo prints). Every failure answers alike, and counts towards the lockout.
     */
    private void signIn(Context ctx) {
        String key = Optional.ofNullable(ctx.formParam("key")).orElse("").strip();
        String address = clientAddress(ctx);
        // Key sign-ins are counted per address only: a key has no owner whom a lockout would protect.
        String email =
                key.isEmpty() ? Optional.ofNullable(ctx.formParam("email")).orElse("") : "key@" + address;
        var locked = throttle.lockedFor(email, address);
        if (locked.isPresent()) {
            long seconds = Math.max(1, locked.get().toSeconds());
            ctx.header("Retry-After", Long.toString(seconds));
            loginPage(ctx, 429, "Too many failed attempts. Try again in " + Math.ceilDiv(seconds, 60) + " minutes.");
            return;
        }
        Optional<DashboardSessions.Session> session = key.isEmpty()
                ? accounts.authenticate(email, ctx.formParam("password"))
                        .map(a -> sessions.start(Principal.Kind.ACCOUNT, a.id()))
                : keys.authenticate(key).map(k -> sessions.start(Principal.Kind.API_KEY, k.id()));
        if (session.isEmpty()) {
            throttle.failed(email, address);
            loginPage(ctx, 401, key.isEmpty() ? BAD_SIGN_IN : BAD_KEY);
            return;
        }
        throttle.succeeded(email);
        sessionTokens(ctx).forEach(sessions::end);
        ctx.header("Set-Cookie", cookie(ctx, session.get().token(), DashboardSessions.LIFETIME.toSeconds()));
        ctx.redirect("/dashboard/", HttpStatus.FOUND);
    }

    private void signOut(Context ctx) {
        sessionTokens(ctx).forEach(sessions::end);
        ctx.header("Set-Cookie", cookie(ctx, "", 0));
        ctx.redirect("/dashboard/login", HttpStatus.FOUND);
    }

    private void loginPage(Context ctx, int status, String error) {
        ctx.status(status);
        render(ctx, "login.jte", Map.of("error", error, "demo", config.demo()));
    }

    /** The session cookie: never readable by script, never sent cross-site, and HTTPS-only under HTTPS. */
    private String cookie(Context ctx, String token, long maxAgeSeconds) {
        return COOKIE + "=" + token + "; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (isHttps(ctx) ? "; Secure" : "");
    }

    /** Whether the browser reached the server over HTTPS; a proxy's word counts only when it is trusted. */
    private boolean isHttps(Context ctx) {
        if (ctx.scheme().equals("https")) {
            return true;
        }
        return config.trustProxy() && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    /** The browser's address: the socket's, or behind a trusted proxy the first of X-Forwarded-For. */
    private String clientAddress(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-For");
        if (config.trustProxy() && forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",", 2)[0].strip();
        }
        return ctx.ip();
    }

    // Pages

    private void home(Context ctx) {
        Chrome chrome = Chrome.of(ctx, sites);
        var first = chrome.sites().stream()
                .filter(s -> s.id().equals(SiteRegistry.DEMO_SITE_ID))
                .findFirst()
                .or(() -> chrome.sites().stream().findFirst());
        if (first.isEmpty()) {
            render(ctx, "noSite.jte", Map.of("chrome", chrome));
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
                Chrome.of(ctx, sites),
                window,
                store.countByName(site.id(), clock.instant().minus(WINDOWS.get(window))),
                store.recentDevices(site.id(), LIST_ROWS),
                store.recentUsers(site.id(), LIST_ROWS),
                store.sessions(site.id(), Optional.empty(), LIST_ROWS),
                livePage(site, Optional.empty()),
                config.demo());
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
        render(ctx, "search.jte", Map.of("page", new SearchPage(site, Chrome.of(ctx, sites), query, problem, matches)));
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
                Chrome.of(ctx, sites),
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
