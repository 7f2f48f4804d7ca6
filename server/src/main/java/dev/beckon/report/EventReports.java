package dev.beckon.report;

import dev.beckon.ingest.IngestLimits;
import dev.beckon.site.Site;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

/**
 * The events report: for chosen event names, how many events and how many distinct people there
 * were on each day of a period (days of the site's time zone), optionally split by the values of
 * one property and narrowed to one SDK {@code version} (docs/admin-api.md, "Reports").
 */
public final class EventReports {

    public static final int MAX_EVENT_NAMES = 5;
    /** How many of a breakdown's most frequent values get a series of their own. */
    public static final int MAX_VALUES = 10;

    private final ReportEvents events;
    private final Clock clock;

    public EventReports(ReportEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /**
     * What a request asks the report for, checked.
     *
     * @param names the {@code event} parameters
     * @param breakdown the {@code breakdown} parameter, or null or empty for none
     * @param version the {@code version} parameter, or null or empty for every version
     * @throws dev.beckon.http.HttpError 400 naming the parameter at fault
     */
    public Request request(Site site, List<String> names, String breakdown, String version, String from, String to) {
        return new Request(
                ReportInputs.eventNames("event", names, MAX_EVENT_NAMES),
                breakdown == null || breakdown.isEmpty()
                        ? null
                        : ReportInputs.text("breakdown", breakdown, IngestLimits.MAX_PROPERTY_KEY_LENGTH),
                version == null || version.isEmpty()
                        ? null
                        : ReportInputs.text("version", version, IngestLimits.MAX_VERSION_LENGTH),
                Period.of(from, to, site.timeZone(), clock.instant()));
    }

    /** A checked request of the report. */
    public record Request(List<String> events, String breakdown, String version, Period period) {}

    /**
     * The report.
     *
     * @param days the days of the period, in order; each series has one count per day
     */
    public record Report(
            List<String> events,
            String breakdown,
            String version,
            LocalDate from,
            LocalDate to,
            String timeZone,
            List<LocalDate> days,
            List<ReportEvents.EventSeries> series) {}

    public Report report(Site site, Request request) {
        var days = request.period().days();
        var series = events.eventCounts(
                site.id(),
                new ReportEvents.EventsQuery(request.events(), request.breakdown(), request.version(), MAX_VALUES),
                days);
        return new Report(
                request.events(),
                request.breakdown(),
                request.version(),
                request.period().from(),
                request.period().to(),
                site.timeZone().getId(),
                days.stream().map(ReportEvents.Day::date).toList(),
                series);
    }
}
