package dev.beckon.dashboard;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Map;

/** The page that a refused or failed dashboard request shows, with the same message the API would give. */
public final class ErrorPage {

    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    private ErrorPage() {}

    /** Writes the page; the status is the caller's to set. */
    public static void render(Context ctx, int status, String message) {
        var output = new StringOutput();
        TEMPLATES.render("error.jte", Map.of("status", status, "message", message), output);
        ctx.header("Cache-Control", "no-store");
        ctx.html(output.toString());
    }
}
