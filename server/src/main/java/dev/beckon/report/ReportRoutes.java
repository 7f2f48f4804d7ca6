package dev.beckon.report;

import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.CampaignReports;
import dev.beckon.campaign.CampaignTrend;
import dev.beckon.campaign.Campaigns;
import dev.beckon.exports.ExportRoutes;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;

/**
 * The reports' numbers: JSON (or, with {@code format=csv} or {@code jsonl}, a download) in the
 * admin API under {@code /api/v1/sites/{siteId}/}, and the dashboard's downloads under {@code
 * /dashboard/sites/{siteId}/} (docs/admin-api.md, "Reports"). They hold counts, not people's ids, so a
 * viewer may read them.
 */
public final class ReportRoutes {

    private final SiteRegistry sites;
    private final Campaigns campaigns;
    private final EventReports events;
    private final HoldoutReport holdout;
    private final CampaignTrend trend;
    private final CampaignReports funnels;
    private final Clock clock;

    public ReportRoutes(
            SiteRegistry sites,
            Campaigns campaigns,
            EventReports events,
            HoldoutReport holdout,
            CampaignTrend trend,
            CampaignReports funnels,
            Clock clock) {
        this.sites = sites;
        this.campaigns = campaigns;
        this.events = events;
        this.holdout = holdout;
        this.trend = trend;
        this.funnels = funnels;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        String api = "/api/v1/sites/{siteId}";
        config.routes.get(api + "/reports/events", ctx -> events(ctx, ctx.queryParam("format")));
        config.routes.get(api + "/reports/holdout", ctx -> holdout(ctx, ctx.queryParam("format")));
        config.routes.get(api + "/campaigns/{campaignId}/trend", ctx -> trend(ctx, ctx.queryParam("format")));
        config.routes.get(api + "/campaigns/{campaignId}/funnel", ctx -> funnel(ctx, ctx.queryParam("format")));
        String dashboard = "/dashboard/sites/{siteId}";
        config.routes.get(dashboard + "/reports/events/csv", ctx -> events(ctx, "csv"));
        config.routes.get(dashboard + "/reports/holdout/csv", ctx -> holdout(ctx, "csv"));
        config.routes.get(dashboard + "/campaigns/{campaignId}/trend/csv", ctx -> trend(ctx, "csv"));
        config.routes.get(dashboard + "/campaigns/{campaignId}/funnel/csv", ctx -> funnel(ctx, "csv"));
    }

    /** The events report that a request's parameters ask for. */
    public EventReports.Report eventsReport(Context ctx, Site site) {
        var request = events.request(
                site,
                ctx.queryParams("event"),
                ctx.queryParam("breakdown"),
                ctx.queryParam("version"),
                ctx.queryParam("from"),
                ctx.queryParam("to"));
        return events.report(site, request);
    }

    /** The holdout report that a request's parameters ask for. */
    public HoldoutReport.Report holdoutReport(Context ctx, Site site) {
        var request = holdout.request(site, ctx.queryParam("goal"), ctx.queryParam("from"), ctx.queryParam("to"));
        return holdout.report(site, request);
    }

    /** The trend of a campaign over the period that a request's parameters ask for. */
    public CampaignTrend.Trend trendReport(Context ctx, Site site, Campaign campaign) {
        Period period = Period.of(ctx.queryParam("from"), ctx.queryParam("to"), site.timeZone(), clock.instant());
        return trend.trend(site, campaign, period);
    }

    private void events(Context ctx, String format) {
        Site site = site(ctx);
        requireFormat(format);
        var report = eventsReport(ctx, site);
        if (isJson(format)) {
            ctx.json(report);
            return;
        }
        ExportRoutes.send(ctx, "events-report", ReportCsv.EVENT_COLUMNS, out -> ReportCsv.events(report, out));
    }

    private void holdout(Context ctx, String format) {
        Site site = site(ctx);
        requireFormat(format);
        var report = holdoutReport(ctx, site);
        if (isJson(format)) {
            ctx.json(report);
            return;
        }
        ExportRoutes.send(ctx, "holdout-report", ReportCsv.HOLDOUT_COLUMNS, out -> ReportCsv.holdout(report, out));
    }

    private void trend(Context ctx, String format) {
        Site site = site(ctx);
        Campaign campaign = campaigns.require(site, ctx.pathParam("campaignId"));
        requireFormat(format);
        var report = trendReport(ctx, site, campaign);
        if (isJson(format)) {
            ctx.json(report);
            return;
        }
        ExportRoutes.send(
                ctx,
                "campaign-" + campaign.id() + "-trend",
                ReportCsv.trendColumns(report),
                out -> ReportCsv.trend(report, out));
    }

    private void funnel(Context ctx, String format) {
        Site site = site(ctx);
        Campaign campaign = campaigns.require(site, ctx.pathParam("campaignId"));
        requireFormat(format);
        var funnel = funnels.funnel(site, campaign);
        if (isJson(format)) {
            ctx.json(funnel);
            return;
        }
        ExportRoutes.send(
                ctx,
                "campaign-" + campaign.id() + "-funnel",
                ReportCsv.FUNNEL_COLUMNS,
                out -> ReportCsv.funnel(funnel, out));
    }

    private static boolean isJson(String format) {
        return format == null || format.isEmpty() || format.equals("json");
    }

    /** @throws dev.beckon.http.HttpError 400 for a format other than json, csv and jsonl */
    private static void requireFormat(String format) {
        if (!isJson(format) && !List.of("csv", "jsonl").contains(format)) {
            throw dev.beckon.http.HttpError.badRequest("format: must be json, csv or jsonl, not '"
                    + (format.length() > 40 ? format.substring(0, 40) + "…" : format) + "'");
        }
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }
}
