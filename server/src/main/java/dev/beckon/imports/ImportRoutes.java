package dev.beckon.imports;

import dev.beckon.http.HttpError;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The import routes of the admin API, under {@code /api/v1/sites/{siteId}/imports}; the admin API's
 * authentication applies (docs/admin-api.md). The file is the request body itself, not a form.
 */
public final class ImportRoutes {

    public static final int LISTED = 50;

    private final SiteRegistry sites;
    private final Imports imports;

    public ImportRoutes(SiteRegistry sites, Imports imports) {
        this.sites = sites;
        this.imports = imports;
    }

    public void register(JavalinConfig config) {
        String base = "/api/v1/sites/{siteId}/imports";
        config.routes.post(base, this::submit);
        config.routes.get(
                base,
                ctx -> ctx.json(Map.of(
                        "imports",
                        imports.recent(site(ctx), LISTED).stream()
                                .map(ImportRoutes::describe)
                                .toList())));
        config.routes.get(base + "/{importId}", ctx -> ctx.json(describe(job(ctx))));
        config.routes.get(base + "/{importId}/report", ctx -> sendReport(ctx, imports, job(ctx)));
    }

    private void submit(Context ctx) throws IOException {
        Site site = site(ctx);
        String cohort = ctx.queryParam("cohort");
        checkLength(ctx.contentLength(), imports.limits());
        try (InputStream body = ctx.bodyInputStream()) {
            ImportJob job = imports.submit(site, cohort, body);
            ctx.status(202).header("Location", ctx.path() + "/" + job.id()).json(describe(job));
        }
    }

    /** Refuses at once a body that says it is over the limit; a body without a length is counted. */
    public static void checkLength(long contentLength, ImportLimits limits) {
        if (contentLength > limits.maxFileBytes()) {
            throw new HttpError(413, "the file is larger than " + limits.maxFileBytes() + " bytes; split it");
        }
    }

    /** Sends an import's report of bad rows as a CSV download. */
    public static void sendReport(Context ctx, Imports imports, ImportJob job) throws IOException {
        Path report = imports.report(job)
                .orElseThrow(() -> HttpError.notFound("import '" + job.id() + "' has no report yet; it has not run"));
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"beckon-import-" + job.id() + "-report.csv\"");
        ctx.header("Cache-Control", "no-store");
        Files.copy(report, ctx.outputStream());
    }

    /** An import as the API answers it. */
    public static Map<String, Object> describe(ImportJob job) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", job.id());
        answer.put("siteId", job.siteId());
        answer.put("cohort", job.cohort());
        answer.put("status", job.status().label());
        answer.put("error", job.error());
        answer.put("fileBytes", job.fileBytes());
        answer.put("fileSha256", job.fileSha256());
        answer.put("bytesRead", job.bytesRead());
        answer.put("rowsRead", job.rowsRead());
        answer.put("rowsKept", job.rowsKept());
        answer.put("rowsRejected", job.rowsRejected());
        answer.put("cohortMembersAdded", job.membersAdded());
        answer.put("userPropertyEventsAdded", job.propertiesAdded());
        answer.put("createdAt", job.createdAt());
        answer.put("finishedAt", job.finishedAt());
        answer.put("report", "/api/v1/sites/" + job.siteId() + "/imports/" + job.id() + "/report");
        return answer;
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private ImportJob job(Context ctx) {
        return imports.require(site(ctx), ctx.pathParam("importId"));
    }
}
