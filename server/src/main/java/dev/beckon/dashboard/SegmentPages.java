package dev.beckon.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.http.HttpError;
import dev.beckon.segment.Condition;
import dev.beckon.segment.Person;
import dev.beckon.segment.Segment;
import dev.beckon.segment.Segments;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's segments: the list, and the builder, where a person edits a condition, sees its
 * size and first members update while typing (an htmx request to the preview route, debounced),
 * saves it, and sees its members linked to their profiles. The sign-in and same-origin checks of
 * {@link DashboardRoutes} apply to every route here.
 */
public final class SegmentPages {

    static final int MEMBERS_SHOWN = 100;

    private final SiteRegistry sites;
    private final Segments segments;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public SegmentPages(SiteRegistry sites, Segments segments) {
        this.sites = sites;
        this.segments = segments;
    }

    public void register(JavalinConfig config) {
        String base = "/dashboard/sites/{siteId}/segments";
        config.routes.get(base, this::list);
        config.routes.get(base + "/new", ctx -> builder(ctx, null, SegmentForm.blank(), "", 200));
        config.routes.post(base + "/preview", this::preview);
        config.routes.post(base, ctx -> save(ctx, null));
        config.routes.get(base + "/{segmentId}", this::show);
        config.routes.post(base + "/{segmentId}", ctx -> save(ctx, segment(ctx)));
        config.routes.post(base + "/{segmentId}/delete", this::delete);
    }

    /** A saved segment with its size now, as the list shows it. */
    public record Listed(Segment segment, long size) {}

    /** The size and first members of a condition being edited, or why it cannot be evaluated. */
    public record Preview(String siteId, long size, List<Person> members, String json, String error) {

        static Preview failed(String siteId, String error) {
            return new Preview(siteId, 0, List.of(), "", error);
        }
    }

    /** The builder: the segment being edited (null while new), the form, its preview and members. */
    public record BuilderPage(
            Site site, Chrome chrome, Segment segment, SegmentForm form, Preview preview, String error) {}

    private void list(Context ctx) {
        Site site = site(ctx);
        List<Listed> listed = segments.all(site).stream()
                .map(s -> new Listed(s, segments.size(site, s.parsed())))
                .toList();
        render(ctx, "segments.jte", Map.of("site", site, "chrome", Chrome.of(ctx, sites), "segments", listed));
    }

    private void show(Context ctx) {
        Segment segment = segment(ctx);
        builder(ctx, segment, SegmentForm.of(segment.name(), segment.condition()), "", 200);
    }

    private void preview(Context ctx) {
        render(ctx, "segmentPreview.jte", Map.of("preview", preview(site(ctx), SegmentForm.read(ctx))));
    }

    private void save(Context ctx, Segment existing) {
        Site site = site(ctx);
        SegmentForm form = SegmentForm.read(ctx);
        try {
            JsonNode condition = form.condition();
            Segment saved = existing == null
                    ? segments.create(site, null, form.name(), condition)
                    : segments.replace(existing, site, form.name(), condition);
            ctx.redirect(segmentPath(site, saved.id()), HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            builder(ctx, existing, form, e.getMessage(), e.status());
        }
    }

    private void delete(Context ctx) {
        Segment segment = segment(ctx);
        segments.delete(segment);
        ctx.redirect("/dashboard/sites/" + Format.segment(segment.siteId()) + "/segments", HttpStatus.SEE_OTHER);
    }

    private void builder(Context ctx, Segment segment, SegmentForm form, String error, int status) {
        Site site = site(ctx);
        var page = new BuilderPage(site, Chrome.of(ctx, sites), segment, form, preview(site, form), error);
        ctx.status(status);
        render(ctx, "segment.jte", Map.of("page", page));
    }

    /** Evaluates the form's condition; an invalid one is a preview that says why. */
    private Preview preview(Site site, SegmentForm form) {
        try {
            JsonNode json = form.condition();
            Condition condition = Segments.condition(json);
            return new Preview(
                    site.id(),
                    segments.size(site, condition),
                    segments.members(site, condition, MEMBERS_SHOWN, 0),
                    json.toString(),
                    "");
        } catch (HttpError e) {
            return Preview.failed(site.id(), e.getMessage());
        }
    }

    static String segmentPath(Site site, String segmentId) {
        return "/dashboard/sites/" + Format.segment(site.id()) + "/segments/" + Format.segment(segmentId);
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private Segment segment(Context ctx) {
        return segments.require(site(ctx), ctx.pathParam("segmentId"));
    }

    private void render(Context ctx, String template, Map<String, Object> model) {
        var output = new StringOutput();
        templates.render(template, model, output);
        ctx.header("Cache-Control", "no-store");
        ctx.html(output.toString());
    }
}
