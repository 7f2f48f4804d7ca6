package dev.beckon.report;

import dev.beckon.campaign.CampaignTrend;
import dev.beckon.exports.ExportWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The reports' numbers as rows of an {@link ExportWriter}, which neutralises formula cells: the
 * downloads of the dashboard and the {@code format=csv} answers of the admin API write the same.
 */
public final class ReportCsv {

    public static final List<String> EVENT_COLUMNS =
            List.of("day", "event", "breakdown_value", "other_values", "events", "people");
    public static final List<String> HOLDOUT_COLUMNS = List.of(
            "goal",
            "from",
            "to",
            "time_zone",
            "holdout_percent",
            "holdout_people",
            "holdout_converted",
            "holdout_goal_rate",
            "others_people",
            "others_converted",
            "others_goal_rate",
            "difference",
            "difference_low",
            "difference_high",
            "relative_lift",
            "relative_lift_low",
            "relative_lift_high",
            "verdict");

    private ReportCsv() {}

    /** One row per series and day, then one per series with {@code all} for its totals over the period. */
    public static void events(EventReports.Report report, ExportWriter out) {
        for (ReportEvents.EventSeries series : report.series()) {
            for (int i = 0; i < report.days().size(); i++) {
                out.row(
                        report.days().get(i).toString(),
                        series.name(),
                        series.value(),
                        series.otherValues(),
                        series.counts()[i],
                        series.people()[i]);
            }
            out.row("all", series.name(), series.value(), series.otherValues(), series.total(), series.totalPeople());
        }
        out.finish();
    }

    /** The columns of a campaign's trend: the day, then each of its steps. */
    public static List<String> trendColumns(CampaignTrend.Trend trend) {
        List<String> columns = new ArrayList<>(List.of("day"));
        columns.addAll(trend.steps().keySet());
        return columns;
    }

    /** One row per day. */
    public static void trend(CampaignTrend.Trend trend, ExportWriter out) {
        for (int i = 0; i < trend.days().size(); i++) {
            List<Object> row = new ArrayList<>(List.of(trend.days().get(i).toString()));
            for (long[] counts : trend.steps().values()) {
                row.add(counts[i]);
            }
            out.row(row.toArray());
        }
        out.finish();
    }

    /** One row. */
    public static void holdout(HoldoutReport.Report report, ExportWriter out) {
        var lift = report.lift();
        out.row(
                report.goal(),
                report.from().toString(),
                report.to().toString(),
                report.timeZone(),
                report.holdoutPercent(),
                report.holdout().people(),
                report.holdout().converted(),
                report.holdout().goalRate(),
                report.everyoneElse().people(),
                report.everyoneElse().converted(),
                report.everyoneElse().goalRate(),
                lift.difference(),
                lift.low(),
                lift.high(),
                lift.relative(),
                lift.relativeLow(),
                lift.relativeHigh(),
                lift.verdictWords());
        out.finish();
    }
}
