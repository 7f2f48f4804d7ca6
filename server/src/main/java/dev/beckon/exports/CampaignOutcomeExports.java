package dev.beckon.exports;

import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.CampaignEvents;
import dev.beckon.campaign.CampaignReports;
import dev.beckon.site.Site;
import java.util.List;

/**
 * What happened to each person of a campaign, as rows keyed by custom user id and device id: one
 * row per person and variant, in the order of the person's key. The steps are the funnel's
 * (docs/campaigns.md, "Measurement"), decided by the same queries, so counting a column's {@code
 * true} cells by variant gives the funnel's figures (docs/imports-exports.md, "Campaign outcomes").
 */
public final class CampaignOutcomeExports {

    public static final List<String> COLUMNS = List.of(
            "userId",
            "deviceId",
            "variant",
            "eligible",
            "eligibleTime",
            "triggered",
            "shown",
            "held",
            "firstShownTime",
            "clicked",
            "dismissed",
            "notShown",
            "converted");

    private final CampaignReports reports;

    public CampaignOutcomeExports(CampaignReports reports) {
        this.reports = reports;
    }

    /** Writes the campaign's outcomes; {@code converted} is null on every row when it has no goal. */
    public void campaign(Site site, Campaign campaign, ExportWriter out) {
        boolean hasGoal = campaign.definition().goal() != null;
        reports.forEachOutcome(site, campaign, outcome -> write(out, outcome, hasGoal));
        out.finish();
    }

    private static void write(ExportWriter out, CampaignEvents.Outcome outcome, boolean hasGoal) {
        var steps = outcome.steps();
        out.row(
                outcome.person().userId(),
                outcome.deviceId(),
                outcome.variant(),
                outcome.eligibleTime() != null,
                outcome.eligibleTime(),
                steps.contains(CampaignReports.TRIGGERED),
                steps.contains(CampaignReports.SHOWN),
                steps.contains(CampaignReports.HELD),
                outcome.firstShownTime(),
                steps.contains(CampaignReports.CLICKED),
                steps.contains(CampaignReports.DISMISSED),
                steps.contains(CampaignReports.NOT_SHOWN),
                hasGoal ? steps.contains(CampaignReports.CONVERTED) : null);
    }
}
