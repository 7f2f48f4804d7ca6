package dev.beckon.exports;

import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.Campaigns;
import dev.beckon.http.HttpError;
import dev.beckon.segment.Segment;
import dev.beckon.segment.Segments;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.Cohorts;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The export routes, for the admin API ({@code /api/v1/sites/{siteId}/...}, with its key) and for
 * the dashboard ({@code /dashboard/sites/{siteId}/...}, with its sign-in): segment members, cohort
 * members, a campaign's outcomes and the list of cohorts. The body is written while it is read from the store, with no
 * {@code Content-Length}; a body cut off part-way is a failed export.
 */
public final class ExportRoutes {

    private final SiteRegistry sites;
    private final Segments segments;
    private final Cohorts cohorts;
    private final MemberExports exports;
    private final Campaigns campaigns;
    private final CampaignOutcomeExports outcomes;

    public ExportRoutes(
            SiteRegistry sites,
            Segments segments,
            Cohorts cohorts,
            MemberExports exports,
            Campaigns campaigns,
            CampaignOutcomeExports outcomes) {
        this.sites = sites;
        this.segments = segments;
        this.cohorts = cohorts;
        this.exports = exports;
        this.campaigns = campaigns;
        this.outcomes = outcomes;
    }

    public void register(JavalinConfig config) {
        for (String base : new String[] {"/api/v1/sites/{siteId}", "/dashboard/sites/{siteId}"}) {
            config.routes.get(base + "/segments/{segmentId}/export", this::segment);
            config.routes.get(base + "/cohorts/{cohort}/export", this::cohort);
            config.routes.get(base + "/campaigns/{campaignId}/export", this::campaign);
        }
        config.routes.get(
                "/api/v1/sites/{siteId}/cohorts",
                ctx -> ctx.json(Map.of("cohorts", cohorts.all(site(ctx).id()))));
    }

    private void segment(Context ctx) {
        Site site = site(ctx);
        Segment segment = segments.require(site, ctx.pathParam("segmentId"));
        send(ctx, "segment-" + segment.id(), MemberExports.COLUMNS, out -> exports.segment(site, segment, out));
    }

    private void cohort(Context ctx) {
        Site site = site(ctx);
        String cohort = ctx.pathParam("cohort");
        if (cohorts.size(site.id(), cohort) == 0) {
            throw HttpError.notFound("site '" + site.id() + "' has no cohort '" + cohort + "'");
        }
        send(ctx, "cohort", MemberExports.COLUMNS, out -> exports.cohort(site, cohort, out));
    }

    private void campaign(Context ctx) {
        Site site = site(ctx);
        Campaign campaign = campaigns.require(site, ctx.pathParam("campaignId"));
        send(
                ctx,
                "campaign-" + campaign.id(),
                CampaignOutcomeExports.COLUMNS,
                out -> outcomes.campaign(site, campaign, out));
    }

    /**
     * Streams an export named {@code name} with these columns, in the format that the request asks
     * for, as a download: {@code export} writes its rows to the writer it is given.
     *
     * @throws HttpError 400 for a format that is not csv or jsonl
     */
    public static void send(Context ctx, String name, List<String> columns, Consumer<ExportWriter> export) {
        ExportFormat format = ExportFormat.of(ctx.queryParam("format"));
        ctx.contentType(format.contentType());
        ctx.header("Content-Disposition", "attachment; filename=\"beckon-" + name + "." + format.parameter() + "\"");
        ctx.header("Cache-Control", "no-store");
        export.accept(ExportWriter.of(format, ctx.outputStream(), columns));
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }
}
