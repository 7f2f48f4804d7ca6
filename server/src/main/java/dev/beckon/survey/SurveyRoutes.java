package dev.beckon.survey;

import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.Campaigns;
import dev.beckon.exports.ExportRoutes;
import dev.beckon.exports.SurveyResponseExports;
import dev.beckon.http.HttpError;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * A survey's reports in the admin API (docs/surveys.md, "Reports"; docs/admin-api.md): its summary,
 * its text answers, and the export of its responses, which the dashboard also serves under its own
 * sign-in. The admin API's authentication and roles apply; the export needs an editor, as every
 * export does.
 */
public final class SurveyRoutes {

    private final SiteRegistry sites;
    private final Campaigns campaigns;
    private final SurveyReports reports;
    private final SurveyResponseExports exports;

    public SurveyRoutes(SiteRegistry sites, Campaigns campaigns, SurveyReports reports) {
        this.sites = sites;
        this.campaigns = campaigns;
        this.reports = reports;
        this.exports = new SurveyResponseExports(reports);
    }

    public void register(JavalinConfig config) {
        String one = "/api/v1/sites/{siteId}/campaigns/{campaignId}";
        config.routes.get(one + "/survey", ctx -> ctx.json(reports.summary(site(ctx), campaign(ctx))));
        config.routes.get(one + "/survey/answers", this::texts);
        for (String base : new String[] {"/api/v1/sites/{siteId}", "/dashboard/sites/{siteId}"}) {
            config.routes.get(base + "/campaigns/{campaignId}/responses/export", this::export);
        }
    }

    private void texts(Context ctx) {
        ctx.json(reports.texts(
                site(ctx),
                campaign(ctx),
                emptyAsNull(ctx.queryParam("question")),
                ctx.queryParam("q"),
                limit(ctx.queryParam("limit")),
                ctx.queryParam("cursor")));
    }

    private void export(Context ctx) {
        Site site = site(ctx);
        Campaign campaign = campaign(ctx);
        SurveyReports.questions(campaign);
        ExportRoutes.send(
                ctx,
                "responses-" + campaign.id(),
                SurveyResponseExports.columns(campaign),
                out -> exports.responses(site, campaign, out));
    }

    /** The {@code limit} of a text page: {@link SurveyReports#DEFAULT_TEXTS} when absent. */
    static int limit(String typed) {
        if (typed == null || typed.isEmpty()) {
            return SurveyReports.DEFAULT_TEXTS;
        }
        if (!typed.matches("[0-9]{1,4}")) {
            throw HttpError.badRequest("limit: must be a whole number from 1 to " + SurveyReports.MAX_TEXTS);
        }
        return Integer.parseInt(typed);
    }

    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private Campaign campaign(Context ctx) {
        return campaigns.require(site(ctx), ctx.pathParam("campaignId"));
    }
}
