package dev.beckon.dashboard;

import dev.beckon.Json;
import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.Campaigns;
import dev.beckon.exports.ExportFormat;
import dev.beckon.exports.ExportWriter;
import dev.beckon.http.HttpError;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import dev.beckon.survey.SurveyAnswers;
import dev.beckon.survey.SurveyReports;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's survey report (docs/surveys.md, "Reports"): the NPS, a chart and a table of each
 * question's answers, the completion rate and where people left, and the text answers with a
 * search that htmx runs as one types. Every table of the page can be downloaded as CSV, through the
 * exports' {@link ExportWriter}, so its cells are neutralised against formulas.
 *
 * <p>Every text of a visitor is put on the page by JTE, which escapes it; the charts read their
 * numbers and labels from {@code data-} attributes, escaped too, since the dashboard's policy
 * allows no inline script.
 */
public final class SurveyPages {

    /** The CSV tables of the page, by the name the download link gives. */
    static final List<String> TABLES = List.of("responses", "questions", "distribution", "answers");

    private final SiteRegistry sites;
    private final Campaigns campaigns;
    private final SurveyReports reports;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public SurveyPages(SiteRegistry sites, Campaigns campaigns, SurveyReports reports) {
        this.sites = sites;
        this.campaigns = campaigns;
        this.reports = reports;
    }

    /**
     * The report page: the summary, and a page of text answers.
     *
     * @param search what the search box holds, "" for none
     * @param question the question whose texts are shown, "" for all
     * @param error why the texts could not be searched so, or ""
     */
    public record ReportPage(
            Site site,
            Chrome chrome,
            Campaign campaign,
            SurveyReports.Summary summary,
            SurveyReports.TextPage texts,
            String search,
            String question,
            String error) {

        public String campaignUrl() {
            return CampaignPages.campaignPath(site, campaign.id());
        }

        /** The chart's labels, as JSON for a {@code data-} attribute. */
        public static String labels(SurveyReports.QuestionReport question) {
            return Json.mapper()
                    .valueToTree(question.distribution().stream()
                            .map(SurveyReports.Bucket::value)
                            .toList())
                    .toString();
        }

        /** The chart's counts, as JSON for a {@code data-} attribute. */
        public static String counts(SurveyReports.QuestionReport question) {
            return Json.mapper()
                    .valueToTree(question.distribution().stream()
                            .map(SurveyReports.Bucket::count)
                            .toList())
                    .toString();
        }

        /** A share of 0 to 1 as the width of its bar, 0 to 100. */
        public static long bar(Double share) {
            return share == null ? 0 : Math.round(Math.min(1, Math.max(0, share)) * 100);
        }

        /** The NPS as a whole number with its sign, or "–" when no one answered. */
        public static String nps(Double score) {
            return score == null ? "–" : String.format(java.util.Locale.ROOT, "%+d", Math.round(score));
        }
    }

    public void register(JavalinConfig config) {
        String one = "/dashboard/sites/{siteId}/campaigns/{campaignId}/survey";
        config.routes.get(one, this::report);
        config.routes.get(one + "/answers", this::answers);
        config.routes.get(one + "/csv", this::csv);
    }

    private void report(Context ctx) {
        render(ctx, "surveyReport.jte", page(ctx, true));
    }

    /** The text answers alone: what the search box's htmx request swaps in. */
    private void answers(Context ctx) {
        render(ctx, "surveyAnswers.jte", page(ctx, false));
    }

    private ReportPage page(Context ctx, boolean withSummary) {
        Site site = site(ctx);
        Campaign campaign = campaign(ctx);
        String search = param(ctx, "q");
        String question = param(ctx, "question");
        try {
            return new ReportPage(
                    site,
                    Chrome.of(ctx, sites),
                    campaign,
                    withSummary ? reports.summary(site, campaign) : null,
                    reports.texts(
                            site,
                            campaign,
                            question.isEmpty() ? null : question,
                            search,
                            SurveyReports.DEFAULT_TEXTS,
                            param(ctx, "cursor")),
                    search,
                    question,
                    "");
        } catch (HttpError e) {
            if (e.status() != 400 || !withSummary) {
                throw e;
            }
            // A search the report refuses shows the page without texts, and says why.
            ctx.status(400);
            return new ReportPage(
                    site,
                    Chrome.of(ctx, sites),
                    campaign,
                    reports.summary(site, campaign),
                    new SurveyReports.TextPage(List.of(), null),
                    search,
                    question,
                    e.getMessage());
        }
    }

    /** One table of the page as CSV: {@code table} is one of {@link #TABLES}. */
    private void csv(Context ctx) {
        Site site = site(ctx);
        Campaign campaign = campaign(ctx);
        String table = param(ctx, "table");
        if (!TABLES.contains(table)) {
            throw HttpError.badRequest("table: must be one of " + String.join(", ", TABLES));
        }
        ctx.contentType(ExportFormat.CSV.contentType());
        ctx.header(
                "Content-Disposition",
                "attachment; filename=\"beckon-survey-" + campaign.id() + "-" + table + ".csv\"");
        ctx.header("Cache-Control", "no-store");
        if (table.equals("answers")) {
            SurveyReports.TextPage texts =
                    reports.texts(site, campaign, null, param(ctx, "q"), SurveyReports.MAX_TEXTS, param(ctx, "cursor"));
            ExportWriter out = ExportWriter.of(
                    ExportFormat.CSV, ctx.outputStream(), List.of("time", "responseId", "questionId", "other", "text"));
            for (SurveyAnswers.Text text : texts.answers()) {
                out.row(text.time(), text.responseId(), text.questionId(), text.other(), text.text());
            }
            out.finish();
            return;
        }
        SurveyReports.Summary summary = reports.summary(site, campaign);
        switch (table) {
            case "responses" -> {
                ExportWriter out = ExportWriter.of(ExportFormat.CSV, ctx.outputStream(), List.of("figure", "value"));
                out.row("shown (people)", summary.shownPeople());
                out.row("showings", summary.showings());
                out.row("started", summary.started());
                out.row("completed", summary.completed());
                out.row("partial", summary.partial());
                out.row("people who answered", summary.people());
                out.row("left before answering", summary.leftBeforeAnswering());
                out.row("completion rate", summary.completionRate());
                out.finish();
            }
            case "questions" -> {
                ExportWriter out = ExportWriter.of(
                        ExportFormat.CSV,
                        ctx.outputStream(),
                        List.of(
                                "questionId",
                                "type",
                                "question",
                                "reached",
                                "answered",
                                "skipped",
                                "leftAfter",
                                "dropOffRate",
                                "average",
                                "nps",
                                "promoters",
                                "passives",
                                "detractors"));
                for (SurveyReports.QuestionReport q : summary.questions()) {
                    var nps = q.nps();
                    out.row(
                            q.id(),
                            q.type(),
                            q.text(),
                            q.reached(),
                            q.answered(),
                            q.skipped(),
                            q.leftAfter(),
                            q.dropOffRate(),
                            q.average(),
                            nps == null ? null : nps.score(),
                            nps == null ? null : nps.promoters(),
                            nps == null ? null : nps.passives(),
                            nps == null ? null : nps.detractors());
                }
                out.finish();
            }
            default -> {
                ExportWriter out = ExportWriter.of(
                        ExportFormat.CSV, ctx.outputStream(), List.of("questionId", "value", "count", "share"));
                for (SurveyReports.QuestionReport q : summary.questions()) {
                    for (SurveyReports.Bucket bucket : q.distribution()) {
                        out.row(q.id(), bucket.value(), bucket.count(), bucket.share());
                    }
                }
                out.finish();
            }
        }
    }

    private static String param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null ? "" : value;
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private Campaign campaign(Context ctx) {
        return campaigns.require(site(ctx), ctx.pathParam("campaignId"));
    }

    private void render(Context ctx, String template, ReportPage page) {
        var output = new StringOutput();
        templates.render(template, Map.of("page", page), output);
        ctx.header("Cache-Control", "no-store");
        ctx.html(output.toString());
    }
}
