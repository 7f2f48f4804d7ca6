package dev.beckon.dashboard;

import dev.beckon.http.HttpError;
import dev.beckon.imports.ImportJob;
import dev.beckon.imports.ImportRoutes;
import dev.beckon.imports.Imports;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.CohortSize;
import dev.beckon.store.Cohorts;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's imports and cohorts: an upload form, each import's page with a progress bar that
 * htmx refreshes every second until the import ends, its report of bad rows, and the list of
 * cohorts with their exports. The sign-in and same-origin checks of {@link DashboardRoutes} apply.
 */
public final class ImportPages {

    static final int LISTED = 20;

    private final SiteRegistry sites;
    private final Imports imports;
    private final Cohorts cohorts;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public ImportPages(SiteRegistry sites, Imports imports, Cohorts cohorts) {
        this.sites = sites;
        this.imports = imports;
        this.cohorts = cohorts;
    }

    /** The imports page: the form (with an error, or empty) and the recent imports. */
    public record ListPage(Site site, Chrome chrome, List<ImportJob> imports, String error) {}

    /** One import's page. */
    public record JobPage(Site site, Chrome chrome, ImportJob job) {}

    public void register(JavalinConfig config) {
        // Jetty keeps an upload past 1 MB in a file of its own while the request is read.
        config.jetty.multipartConfig.maxFileSize(imports.limits().maxFileBytes(), SizeUnit.BYTES);
        config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
        String base = "/dashboard/sites/{siteId}";
        config.routes.get(base + "/imports", ctx -> list(ctx, "", 200));
        config.routes.post(base + "/imports", this::upload);
        config.routes.get(base + "/imports/{importId}", ctx -> render(ctx, "importJob.jte", jobPage(ctx)));
        config.routes.get(
                base + "/imports/{importId}/progress",
                ctx -> render(ctx, "importProgress.jte", Map.of("job", job(ctx))));
        config.routes.get(base + "/imports/{importId}/report", ctx -> ImportRoutes.sendReport(ctx, imports, job(ctx)));
        config.routes.get(base + "/cohorts", this::cohorts);
    }

    private void list(Context ctx, String error, int status) {
        Site site = site(ctx);
        ctx.status(status);
        render(
                ctx,
                "imports.jte",
                Map.of("page", new ListPage(site, Chrome.of(ctx, sites), imports.recent(site, LISTED), error)));
    }

    private void upload(Context ctx) throws IOException {
        Site site = site(ctx);
        try {
            ImportRoutes.checkLength(ctx.contentLength(), imports.limits());
            UploadedFile file = ctx.uploadedFile("file");
            if (file == null) {
                throw HttpError.badRequest("choose a CSV file to import");
            }
            String cohort = ctx.formParam("cohort");
            ImportJob job;
            try (InputStream content = file.content()) {
                job = imports.submit(site, cohort == null || cohort.isEmpty() ? null : cohort, content);
            }
            ctx.redirect(
                    "/dashboard/sites/" + Format.segment(site.id()) + "/imports/" + job.id(), HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            list(ctx, e.getMessage(), e.status());
        } catch (IllegalStateException e) {
            // Jetty refuses a part over the multipart limit while it reads the form.
            list(ctx, "the file is larger than " + imports.limits().maxFileBytes() + " bytes; split it", 413);
        }
    }

    private Map<String, Object> jobPage(Context ctx) {
        return Map.of("page", new JobPage(site(ctx), Chrome.of(ctx, sites), job(ctx)));
    }

    private void cohorts(Context ctx) {
        Site site = site(ctx);
        List<CohortSize> all = cohorts.all(site.id());
        render(ctx, "cohorts.jte", Map.of("site", site, "chrome", Chrome.of(ctx, sites), "cohorts", all));
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private ImportJob job(Context ctx) {
        return imports.require(site(ctx), ctx.pathParam("importId"));
    }

    private void render(Context ctx, String template, Map<String, Object> model) {
        var output = new StringOutput();
        templates.render(template, model, output);
        ctx.header("Cache-Control", "no-store");
        ctx.html(output.toString());
    }
}
