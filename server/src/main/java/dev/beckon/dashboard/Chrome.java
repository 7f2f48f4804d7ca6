package dev.beckon.dashboard;

import dev.beckon.auth.Access;
import dev.beckon.auth.Principal;
import dev.beckon.auth.Role;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import io.javalin.http.Context;
import java.util.List;

/**
 * What every dashboard page's frame needs: who is signed in, the sites they may switch to, and
 * the CSRF token that its forms and htmx requests send back.
 */
public record Chrome(Principal principal, List<Site> sites, String csrfToken) {

    /** The request attribute that holds the session's CSRF token. */
    static final String CSRF_TOKEN = "beckon.csrfToken";
    /** The form field and the header that carry the CSRF token. */
    public static final String CSRF_FIELD = "csrf";

    public static final String CSRF_HEADER = "X-CSRF-Token";

    /** The frame of a signed-in request: its principal and only the sites it reaches. */
    public static Chrome of(Context ctx, SiteRegistry sites) {
        Principal principal = Access.require(ctx);
        List<Site> reached =
                sites.all().stream().filter(s -> principal.reaches(s.id())).toList();
        return new Chrome(principal, reached, ctx.attribute(CSRF_TOKEN));
    }

    public boolean isAdmin() {
        return principal.may(Role.ADMIN);
    }

    public boolean mayEdit() {
        return principal.may(Role.EDITOR);
    }

    /** The value of {@code hx-headers} on the page's body, so that every htmx request carries the token. */
    public String htmxHeaders() {
        return "{\"" + CSRF_HEADER + "\": \"" + csrfToken + "\"}";
    }
}
