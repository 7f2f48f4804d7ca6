package dev.beckon.auth;

import dev.beckon.http.HttpError;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that decides who may call which route of the admin API and the dashboard. Routes
 * do not check roles or sites themselves: before any handler of {@code /api/} or {@code
 * /dashboard/} runs, {@link #check} looks at the route that matched and the principal that the
 * request authenticated as (an API key, or a dashboard session), and answers 403 unless
 *
 * <ul>
 *   <li>the principal's role includes the role that {@link #needed} names for the route, and
 *   <li>when the route's path has a {@code {siteId}}, the principal reaches that site.
 * </ul>
 *
 * <p>The rules follow the method and the path, so that a route added later is covered without
 * being listed: reading needs a viewer, changing needs an editor, and accounts, API keys, the
 * sites themselves and the deletion of a user's data need an admin, and exports an editor
 * (docs/admin-api.md, "Keys, roles and sites").
 */
public final class Access {

    /** The request attribute that holds the {@link Principal} a request authenticated as. */
    public static final String PRINCIPAL = "beckon.principal";

    /** What a route asks of the principal. */
    public enum Need {
        /** Anyone, signed in or not. */
        NOBODY,
        /** Any principal, whatever its role. */
        SIGNED_IN,
        VIEWER,
        EDITOR,
        ADMIN;

        Optional<Role> role() {
            return switch (this) {
                case NOBODY, SIGNED_IN -> Optional.empty();
                case VIEWER -> Optional.of(Role.VIEWER);
                case EDITOR -> Optional.of(Role.EDITOR);
                case ADMIN -> Optional.of(Role.ADMIN);
            };
        }
    }

    private static final Set<String> PUBLIC_ROUTES =
            Set.of("/api/v1/openapi.json", "/dashboard/login", "/dashboard/login/key");
    private static final Set<String> ANY_PRINCIPAL_ROUTES = Set.of("/dashboard/", "/dashboard/logout");
    private static final Set<String> ADMIN_PREFIXES = Set.of("/api/v1/accounts", "/api/v1/keys", "/dashboard/settings");
    private static final String SITE = "/api/v1/sites/{siteId}";
    private static final Set<HandlerType> READS = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    private Access() {}

    /** Adds the check to every route of {@code /api/} and {@code /dashboard/}. */
    public static void register(JavalinConfig config) {
        config.routes.beforeMatched(Access::check);
    }

    /** What the route with this method and path (as registered, with its {@code {...}} parts) needs. */
    public static Need needed(HandlerType method, String path) {
        if (PUBLIC_ROUTES.contains(path)) {
            return Need.NOBODY;
        }
        if (ANY_PRINCIPAL_ROUTES.contains(path)) {
            return Need.SIGNED_IN;
        }
        if (ADMIN_PREFIXES.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"))) {
            return Need.ADMIN;
        }
        boolean reads = READS.contains(method);
        if (path.equals("/api/v1/sites") && !reads) {
            return Need.ADMIN;
        }
        if (path.equals(SITE) && !reads) {
            return Need.ADMIN;
        }
        if (method.equals(HandlerType.DELETE) && path.equals(SITE + "/users/{userId}")) {
            return Need.ADMIN;
        }
        // Exports carry people's ids out of Beckon: a user's data, a segment's or a cohort's members.
        if (reads && path.endsWith("/export")) {
            return Need.EDITOR;
        }
        return reads ? Need.VIEWER : Need.EDITOR;
    }

    /** The principal the request authenticated as; empty before authentication or on public routes. */
    public static Optional<Principal> principal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    /**
     * The principal the request authenticated as.
     *
     * @throws HttpError 401 when it authenticated as no one
     */
    public static Principal require(Context ctx) {
        return principal(ctx).orElseThrow(() -> new HttpError(401, "sign in, or send an API key"));
    }

    private static void check(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || !(endpoint.path.startsWith("/api/") || endpoint.path.startsWith("/dashboard/"))) {
            return;
        }
        Need need = needed(endpoint.method, endpoint.path);
        if (need == Need.NOBODY) {
            return;
        }
        Principal principal = require(ctx);
        Optional<Role> role = need.role();
        if (role.isPresent() && !principal.may(role.get())) {
            throw new HttpError(
                    403,
                    "this needs the " + role.get() + " role; " + describe(principal) + " has the " + principal.role()
                            + " role");
        }
        String siteId = ctx.pathParamMap().get("siteId");
        if (siteId != null && !principal.reaches(siteId)) {
            throw new HttpError(403, describe(principal) + " has no access to site '" + siteId + "'");
        }
    }

    private static String describe(Principal principal) {
        return principal.kind() == Principal.Kind.API_KEY ? "this API key" : "your account";
    }
}
