package dev.beckon.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.CampaignTrend;
import dev.beckon.campaign.Campaigns;
import dev.beckon.http.HttpError;
import dev.beckon.report.EventReports;
import dev.beckon.report.HoldoutReport;
import dev.beckon.report.ReportEvents;
import dev.beckon.report.ReportRoutes;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's report pages: the events report, the site-wide holdout's report and a campaign's
 * funnel day by day. Each is a form of the report's parameters, a chart drawn by uPlot from the
 * numbers in the page's {@code data-chart} attribute ({@code /assets/reports.js}; the page runs no
 * inline script), the numbers as a table, and a link to them as CSV. A parameter that the report
 * refuses is shown above the form, with the status of the refusal.
 */
public final class ReportPages {

    private final SiteRegistry sites;
    private final Campaigns campaigns;
    private final ReportRoutes reports;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    public ReportPages(SiteRegistry sites, Campaigns campaigns, ReportRoutes reports) {
        this.sites = sites;
        this.campaigns = campaigns;
        this.reports = reports;
    }

    public void register(JavalinConfig config) {
        String base = "/dashboard/sites/{siteId}";
        config.routes.get(base + "/reports/events", this::events);
        config.routes.get(base + "/reports/holdout", this::holdout);
        config.routes.get(base + "/campaigns/{campaignId}/trend", this::trend);
    }

    /** What the form shows: the parameters as the request gave them. */
    public record Form(List<String> events, String breakdown, String version, String goal, String from, String to) {

        /** The form's event names, padded with blanks to {@link EventReports#MAX_EVENT_NAMES} fields. */
        public List<String> eventFields() {
            List<String> fields =
                    new ArrayList<>(events.subList(0, Math.min(events.size(), EventReports.MAX_EVENT_NAMES)));
            while (fields.size() < EventReports.MAX_EVENT_NAMES) {
                fields.add("");
            }
            return fields;
        }
    }

    /** The events report's page; {@code report} is null before a name is given or after a refusal. */
    public record EventsPage(
            Site site, Chrome chrome, Form form, EventReports.Report report, String error, String csvUrl) {

        public String eventsChart() {
            return chart(report, false);
        }

        public String peopleChart() {
            return chart(report, true);
        }

        public String label(ReportEvents.EventSeries series) {
            return seriesLabel(report, series);
        }
    }

    /** The holdout report's page; {@code report} is null before a goal is given or after a refusal. */
    public record HoldoutPage(
            Site site, Chrome chrome, Form form, HoldoutReport.Report report, String error, String csvUrl) {

        /** A share from 0 to 1 as a bar's width, 0 to 100. */
        public long bar(Double share) {
            return share == null ? 0 : Math.round(Math.min(1, Math.max(0, share)) * 100);
        }
    }

    /** A campaign's trend page; {@code trend} is null after a refusal. */
    public record TrendPage(
            Site site,
            Chrome chrome,
            Campaign campaign,
            Form form,
            CampaignTrend.Trend trend,
            String error,
            String csvUrl) {

        public String chart() {
            ObjectNode chart = axis(trend.days(), trend.timeZone());
            ArrayNode labels = chart.putArray("labels");
            ArrayNode values = chart.putArray("series");
            trend.steps().forEach((step, counts) -> {
                labels.add(step);
                ArrayNode line = values.addArray();
                for (long count : counts) {
                    line.add(count);
                }
            });
            return chart.toString();
        }
    }

    private void events(Context ctx) {
        Site site = site(ctx);
        Form form = form(ctx);
        EventReports.Report report = null;
        String error = "";
        if (!form.events().stream().allMatch(String::isEmpty)) {
            try {
                report = reports.eventsReport(ctx, site);
            } catch (HttpError e) {
                error = e.getMessage();
                ctx.status(e.status());
            }
        }
        String csv = base(site) + "/reports/events/csv" + query(ctx);
        render(ctx, "reportEvents.jte", new EventsPage(site, Chrome.of(ctx, sites), form, report, error, csv));
    }

    private void holdout(Context ctx) {
        Site site = site(ctx);
        Form form = form(ctx);
        HoldoutReport.Report report = null;
        String error = "";
        if (!form.goal().isEmpty()) {
            try {
                report = reports.holdoutReport(ctx, site);
            } catch (HttpError e) {
                error = e.getMessage();
                ctx.status(e.status());
            }
        }
        String csv = base(site) + "/reports/holdout/csv" + query(ctx);
        render(ctx, "reportHoldout.jte", new HoldoutPage(site, Chrome.of(ctx, sites), form, report, error, csv));
    }

    private void trend(Context ctx) {
        Site site = site(ctx);
        Campaign campaign = campaigns.require(site, ctx.pathParam("campaignId"));
        CampaignTrend.Trend trend = null;
        String error = "";
        try {
            trend = reports.trendReport(ctx, site, campaign);
        } catch (HttpError e) {
            error = e.getMessage();
            ctx.status(e.status());
        }
        String csv = CampaignPages.campaignPath(site, campaign.id()) + "/trend/csv" + query(ctx);
        render(
                ctx,
                "campaignTrend.jte",
                new TrendPage(site, Chrome.of(ctx, sites), campaign, form(ctx), trend, error, csv));
    }

    private static Form form(Context ctx) {
        return new Form(
                ctx.queryParams("event"),
                param(ctx, "breakdown"),
                param(ctx, "version"),
                param(ctx, "goal"),
                param(ctx, "from"),
                param(ctx, "to"));
    }

    private static String param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).orElse("");
    }

    /** The request's query, for the CSV link of the same report. */
    private static String query(Context ctx) {
        String query = ctx.queryString();
        return query == null || query.isEmpty() ? "" : "?" + query;
    }

    static String seriesLabel(EventReports.Report report, ReportEvents.EventSeries series) {
        if (report.breakdown() == null) {
            return series.name();
        }
        if (series.otherValues()) {
            return series.name() + " · other values";
        }
        return series.name() + " · " + (series.value() == null ? "no " + report.breakdown() : series.value());
    }

    private static String chart(EventReports.Report report, boolean people) {
        ObjectNode chart = axis(report.days(), report.timeZone());
        ArrayNode labels = chart.putArray("labels");
        ArrayNode values = chart.putArray("series");
        for (ReportEvents.EventSeries series : report.series()) {
            labels.add(seriesLabel(report, series));
            ArrayNode line = values.addArray();
            for (long count : people ? series.people() : series.counts()) {
                line.add(count);
            }
        }
        return chart.toString();
    }

    /** The chart's days, as the epoch seconds of their start in the site's zone, and the zone. */
    private static ObjectNode axis(List<LocalDate> days, String timeZone) {
        ObjectNode chart = Json.mapper().createObjectNode();
        chart.put("timeZone", timeZone);
        ArrayNode x = chart.putArray("x");
        ZoneId zone = ZoneId.of(timeZone);
        for (LocalDate day : days) {
            x.add(day.atStartOfDay(zone).toEpochSecond());
        }
        return chart;
    }

    private static String base(Site site) {
        return "/dashboard/sites/" + Format.segment(site.id());
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private void render(Context ctx, String template, Object page) {
        var output = new StringOutput();
        templates.render(template, Map.of("page", page), output);
        ctx.header("Cache-Control", "no-store");
        ctx.html(output.toString());
    }
}
