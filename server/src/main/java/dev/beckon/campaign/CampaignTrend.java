package dev.beckon.campaign;

import dev.beckon.event.ReservedEvent;
import dev.beckon.report.Period;
import dev.beckon.report.ReportEvents;
import dev.beckon.segment.Condition;
import dev.beckon.site.Site;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A campaign's funnel day by day: on each day of the site's time zone, how many people reached
 * each step for the first time. A person counts once per step, on the day of their first such
 * event; a conversion counts on the day of the person's first goal event inside the window after
 * the step the goal counts from (shown or clicked, held for the control group), as the funnel's
 * goal does ({@link CampaignReports}), so that the days of a step add up to the funnel's figure
 * when the period covers the campaign's life.
 */
public final class CampaignTrend {

    /** The steps, in the order of the trend's columns. */
    public static final List<String> STEPS =
            List.of("triggered", "shown", "clicked", "dismissed", "goal", "controlTriggered", "held", "controlGoal");

    private final ReportEvents events;
    private final Clock clock;

    public CampaignTrend(ReportEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /**
     * The trend.
     *
     * @param steps for each of {@link #STEPS} (the goals only when the campaign has one), the people
     *     whose first time was on each of {@code days}
     */
    public record Trend(
            String campaignId,
            LocalDate from,
            LocalDate to,
            String timeZone,
            List<LocalDate> days,
            Map<String, long[]> steps) {}

    public Trend trend(Site site, Campaign campaign, Period period) {
        String test = Eligibility.TEST;
        String control = Eligibility.CONTROL;
        List<ReportEvents.Moment> moments = new ArrayList<>();
        moments.add(first("triggered", ReservedEvent.CAMPAIGN_TRIGGERED, campaign, test));
        moments.add(first("shown", ReservedEvent.CAMPAIGN_SHOWN, campaign, test));
        moments.add(first("clicked", ReservedEvent.CAMPAIGN_CLICKED, campaign, test));
        moments.add(first("dismissed", ReservedEvent.CAMPAIGN_DISMISSED, campaign, test));
        conversion("goal", campaign, test, moments);
        moments.add(first("controlTriggered", ReservedEvent.CAMPAIGN_TRIGGERED, campaign, control));
        moments.add(first("held", ReservedEvent.CAMPAIGN_HELD, campaign, control));
        conversion("controlGoal", campaign, control, moments);
        var days = period.days();
        Map<String, long[]> steps = events.firstTimesByDay(site.id(), moments, days, clock.instant(), site.timeZone());
        return new Trend(
                campaign.id(),
                period.from(),
                period.to(),
                site.timeZone().getId(),
                days.stream().map(ReportEvents.Day::date).toList(),
                steps);
    }

    private static ReportEvents.Moment first(String name, String eventName, Campaign campaign, String variant) {
        return new ReportEvents.Moment(name, CampaignReports.campaignEvent(eventName, campaign, variant), null);
    }

    private static void conversion(String name, Campaign campaign, String variant, List<ReportEvents.Moment> into) {
        Condition goal = CampaignReports.goal(campaign, variant);
        if (goal != null) {
            into.add(new ReportEvents.Moment(name, null, (Condition.Sequence) goal));
        }
    }
}
