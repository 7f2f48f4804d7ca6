package dev.beckon.report;

import dev.beckon.campaign.Buckets;
import dev.beckon.segment.Condition;
import dev.beckon.site.Site;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/**
 * The site-wide holdout's report: among the people active in a period, the goal rate of those in
 * the holdout (who saw no campaign) against everyone else, with the lift, its interval and a
 * verdict ({@link GoalRates}). It measures what all the site's campaigns did together.
 *
 * <p>Who is in the holdout is decided as the config endpoint decides it: the person's holdout
 * bucket ({@link Buckets#holdout}) against the site's current {@code holdoutPercent}. A person is
 * active with any event in the period other than the plugin's own {@code $campaign_*} events, and
 * converted with the goal event in the period. Everyone else includes people no campaign reached:
 * the comparison is of the whole site with campaigns against without, not of campaign viewers.
 */
public final class HoldoutReport {

    private final ReportEvents events;
    private final Clock clock;

    public HoldoutReport(ReportEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** One group of the report. @param goalRate null when the group has no one */
    public record Group(long people, long converted, Double goalRate) {}

    /**
     * The report.
     *
     * @param holdoutPercent the site's setting now, which decided the groups
     * @param lift everyone else (exposed) against the holdout (control)
     */
    public record Report(
            String goal,
            LocalDate from,
            LocalDate to,
            String timeZone,
            double holdoutPercent,
            Group holdout,
            Group everyoneElse,
            GoalRates.Comparison lift) {}

    /**
     * What a request asks the report for, checked.
     *
     * @throws dev.beckon.http.HttpError 400 naming the parameter at fault
     */
    public Request request(Site site, String goal, String from, String to) {
        return new Request(ReportInputs.eventName("goal", goal), Period.of(from, to, site.timeZone(), clock.instant()));
    }

    /** A checked request of the report. */
    public record Request(String goal, Period period) {}

    public Report report(Site site, Request request) {
        long[] counts = new long[4]; // holdout people, holdout converted, others, others converted
        var engagement = site.engagement();
        events.forEachActivePerson(
                site.id(),
                new Condition.EventMatch(request.goal(), List.of()),
                request.period().days(),
                (person, c) -> {
                    int group = engagement.holdsOut(Buckets.holdout(site.id(), person)) ? 0 : 2;
                    counts[group]++;
                    if (c) {
                        counts[group + 1]++;
                    }
                });
        return new Report(
                request.goal(),
                request.period().from(),
                request.period().to(),
                site.timeZone().getId(),
                engagement.holdoutPercent(),
                group(counts[0], counts[1]),
                group(counts[2], counts[3]),
                GoalRates.compare(counts[2], counts[3], counts[0], counts[1]));
    }

    private static Group group(long people, long converted) {
        return new Group(people, converted, people == 0 ? null : (double) converted / people);
    }
}
