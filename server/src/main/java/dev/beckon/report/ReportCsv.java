package dev.beckon.report;

import dev.beckon.campaign.CampaignReports;
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

    public static final List<String> FUNNEL_COLUMNS = List.of(
            "variant",
            "eligible",
            "triggered",
            "shown",
            "held",
            "clicked",
            "dismissed",
            "not_shown",
            "goal",
            "goal_rate",
            "difference",
            "difference_low",
            "difference_high",
            "relative_lift",
            "relative_lift_low",
            "relative_lift_high",
            "verdict");

    private ReportCsv() {}

    /**
     * A row per variant, {@code test} then {@code control}; the lift of the test group over the
     * control group is on the test row, and empty when the campaign has no goal.
     */
    public static void funnel(CampaignReports.Funnel funnel, ExportWriter out) {
        var lift = funnel.lift();
        for (CampaignReports.Steps steps : List.of(funnel.test(), funnel.control())) {
            List<Object> row = new ArrayList<>(List.of(
                    steps.variant(),
                    steps.eligible(),
                    steps.triggered(),
                    steps.shown(),
                    steps.held(),
                    steps.clicked(),
                    steps.dismissed(),
                    steps.notShown(),
                    steps.goal()));
            row.add(steps.goalRate());
            boolean withLift = lift != null && steps == funnel.test();
            row.add(withLift ? lift.difference() : null);
            row.add(withLift ? lift.low() : null);
            row.add(withLift ? lift.high() : null);
            row.add(withLift ? lift.relative() : null);
            row.add(withLift ? lift.relativeLow() : null);
            row.add(withLift ? lift.relativeHigh() : null);
            row.add(withLift ? lift.verdictWords() : null);
            out.row(row.toArray());
        }
        out.finish();
    }

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
