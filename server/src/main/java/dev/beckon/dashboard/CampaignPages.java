package dev.beckon.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.CampaignParser;
import dev.beckon.campaign.CampaignReports;
import dev.beckon.campaign.Campaigns;
import dev.beckon.campaign.InvalidCampaignException;
import dev.beckon.http.HttpError;
import dev.beckon.identity.SubjectIds;
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
import java.util.Optional;

/**
 * The dashboard's campaigns: the list, and the editor, where a person writes a campaign, sees it
 * drawn while typing, publishes, pauses or ends it, reads its funnel, and asks why someone did or
 * did not see it. The sign-in and same-origin checks of {@link DashboardRoutes} apply here too.
 *
 * <p>The live preview is drawn by the renderer of the SDK's nudges plugin when the server ships it
 * ({@code /sdk/beckon-nudges-preview.js}, the renderer without the rest of the plugin): the page's
 * own script hands it the content that the server made from the form, so the preview shows exactly
 * what visitors will get. Without it, the server's plain rendering of the texts and buttons stands
 * in.
 */
public final class CampaignPages {

    /** Where the nudges plugin's preview is served from when the build includes it. */
    static final String PLUGIN_PATH = "/sdk/beckon-nudges-preview.js";

    /** Where the surveys plugin is served from when the build includes it. */
    static final String SURVEYS_PLUGIN_PATH = "/sdk/beckon-surveys.js";

    private static final boolean SURVEYS_PLUGIN_AVAILABLE =
            CampaignPages.class.getResource("/web" + SURVEYS_PLUGIN_PATH) != null;

    private final SiteRegistry sites;
    private final Campaigns campaigns;
    private final CampaignReports reports;
    private final Segments segments;
    private final boolean pluginAvailable;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public CampaignPages(SiteRegistry sites, Campaigns campaigns, CampaignReports reports, Segments segments) {
        this.sites = sites;
        this.campaigns = campaigns;
        this.reports = reports;
        this.segments = segments;
        this.pluginAvailable = CampaignPages.class.getResource("/web" + PLUGIN_PATH) != null;
    }

    public void register(JavalinConfig config) {
        String base = "/dashboard/sites/{siteId}/campaigns";
        String one = base + "/{campaignId}";
        config.routes.get(base, this::list);
        config.routes.get(
                base + "/new",
                ctx -> editor(
                        ctx,
                        null,
                        "survey".equals(ctx.queryParam("kind")) ? CampaignForm.blankSurvey() : CampaignForm.blank(),
                        "",
                        200));
        config.routes.post(base + "/preview", this::preview);
        config.routes.post(base, ctx -> save(ctx, null));
        config.routes.get(one, this::show);
        config.routes.post(one, ctx -> save(ctx, campaign(ctx)));
        config.routes.post(one + "/publish", ctx -> change(ctx, c -> campaigns.publish(c, site(ctx))));
        config.routes.post(one + "/pause", ctx -> change(ctx, campaigns::pause));
        config.routes.post(one + "/end", ctx -> change(ctx, campaigns::end));
        config.routes.post(one + "/delete", this::delete);
    }

    /** The content made from the form, or why it cannot be drawn. */
    public record Preview(ObjectNode content, String error) {

        public String contentJson() {
            return content == null ? "" : content.toString();
        }

        public String text(String field) {
            return content == null ? "" : content.path(field).asText("");
        }
    }

    /** Who the "why" panel is asked about, and its answer; both empty when not asked. */
    public record WhyPanel(String kind, String id, CampaignReports.Why why, String error) {

        static WhyPanel none() {
            return new WhyPanel("device", "", null, "");
        }
    }

    /** The editor: the campaign being edited (null while new), its form, and what the page shows of it. */
    public record EditorPage(
            Site site,
            Chrome chrome,
            Campaign campaign,
            CampaignForm form,
            List<Segment> segments,
            Preview preview,
            CampaignReports.Funnel funnel,
            WhyPanel why,
            boolean pluginAvailable,
            String error) {

        public String siteUrl() {
            return "/dashboard/sites/" + Format.segment(site.id());
        }

        public String campaignUrl() {
            return siteUrl() + "/campaigns" + (campaign == null ? "" : "/" + Format.segment(campaign.id()));
        }

        /** The share of the funnel's widest step that a count is, 0 to 100, for its bar. */
        public long barPercent(long count) {
            if (funnel == null) {
                return 0;
            }
            long widest =
                    Math.max(1, Math.max(funnel.test().eligible(), funnel.test().triggered()));
            return Math.min(100, count * 100 / widest);
        }
    }

    private void list(Context ctx) {
        Site site = site(ctx);
        render(
                ctx,
                "campaigns.jte",
                Map.of("site", site, "chrome", Chrome.of(ctx, sites), "campaigns", campaigns.all(site)));
    }

    private void show(Context ctx) {
        Campaign campaign = campaign(ctx);
        editor(ctx, campaign, CampaignForm.of(campaign.id(), campaign.definition()), "", 200);
    }

    private void preview(Context ctx) {
        render(ctx, "campaignPreview.jte", Map.of("preview", preview(CampaignForm.read(ctx))));
    }

    private void save(Context ctx, Campaign existing) {
        Site site = site(ctx);
        CampaignForm form = CampaignForm.read(ctx);
        try {
            ObjectNode body = form.toJson();
            String id = form.get("id").isBlank() ? null : form.get("id").strip();
            Campaign saved =
                    existing == null ? campaigns.create(site, id, body) : campaigns.replace(existing, site, body);
            ctx.redirect(campaignPath(site, saved.id()), HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            editor(ctx, existing, form, e.getMessage(), e.status());
        }
    }

    private void change(Context ctx, java.util.function.UnaryOperator<Campaign> change) {
        Campaign campaign = campaign(ctx);
        try {
            Campaign changed = change.apply(campaign);
            ctx.redirect(campaignPath(site(ctx), changed.id()), HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            editor(ctx, campaign, CampaignForm.of(campaign.id(), campaign.definition()), e.getMessage(), e.status());
        }
    }

    private void delete(Context ctx) {
        Campaign campaign = campaign(ctx);
        try {
            campaigns.delete(campaign);
            ctx.redirect(siteUrl(site(ctx)) + "/campaigns", HttpStatus.SEE_OTHER);
        } catch (HttpError e) {
            editor(ctx, campaign, CampaignForm.of(campaign.id(), campaign.definition()), e.getMessage(), e.status());
        }
    }

    private void editor(Context ctx, Campaign campaign, CampaignForm form, String error, int status) {
        Site site = site(ctx);
        var page = new EditorPage(
                site,
                Chrome.of(ctx, sites),
                campaign,
                form,
                segments.all(site),
                preview(form),
                campaign == null ? null : reports.funnel(site, campaign),
                campaign == null ? WhyPanel.none() : why(ctx, site, campaign),
                pluginAvailable,
                error);
        ctx.status(status);
        render(ctx, "campaign.jte", Map.of("page", page));
    }

    /** The "why" panel for the {@code who} of the query, checked like the admin API checks ids. */
    private WhyPanel why(Context ctx, Site site, Campaign campaign) {
        String who = Optional.ofNullable(ctx.queryParam("who")).orElse("").strip();
        String kind = "user".equals(ctx.queryParam("kind")) ? "user" : "device";
        if (who.isEmpty()) {
            return new WhyPanel(kind, "", null, "");
        }
        try {
            if (kind.equals("user")) {
                SubjectIds.user(who);
                return new WhyPanel(kind, who, reports.why(site, campaign, null, who), "");
            }
            SubjectIds.device(who);
            return new WhyPanel(kind, who, reports.why(site, campaign, who, null), "");
        } catch (SubjectIds.InvalidIdException e) {
            return new WhyPanel(kind, who, null, e.getMessage());
        }
    }

    /** The form's content, checked by the campaign parser as part of a minimal campaign. */
    private static Preview preview(CampaignForm form) {
        try {
            ObjectNode content = form.contentJson();
            ObjectNode campaign = dev.beckon.Json.mapper()
                    .createObjectNode()
                    .put("name", "preview")
                    .put("kind", form.isSurvey() ? CampaignParser.SURVEY : CampaignParser.NUDGE);
            campaign.putObject("trigger").putObject("on").put("kind", "pageView");
            campaign.set("content", content);
            CampaignParser.parse(campaign);
            return new Preview(content, "");
        } catch (HttpError e) {
            return new Preview(null, e.getMessage());
        } catch (InvalidCampaignException e) {
            return new Preview(null, e.getMessage());
        }
    }

    /** Whether the build includes the surveys plugin, which then draws a survey's preview. */
    public static boolean surveysPluginAvailable() {
        return SURVEYS_PLUGIN_AVAILABLE;
    }

    static String campaignPath(Site site, String campaignId) {
        return siteUrl(site) + "/campaigns/" + Format.segment(campaignId);
    }

    private static String siteUrl(Site site) {
        return "/dashboard/sites/" + Format.segment(site.id());
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private Campaign campaign(Context ctx) {
        return campaigns.require(site(ctx), ctx.pathParam("campaignId"));
    }

    private void render(Context ctx, String template, Map<String, Object> model) {
        var output = new StringOutput();
        templates.render(template, model, output);
        ctx.header("Cache-Control", "no-store");
        ctx.html(output.toString());
    }
}
