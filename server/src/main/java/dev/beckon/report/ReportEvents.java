package dev.beckon.report;

import dev.beckon.segment.Condition;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The reads of the event store that the reports need. Every figure counts people by the identity
 * rules (docs/identity.md) as the segment engine does, so a report and a segment of the same
 * events agree. Every value a caller gives, event and property names included, is a bound
 * parameter.
 */
public interface ReportEvents {

    /** A calendar day of the site's time zone, as the instants it spans: from {@code start} up to {@code end}. */
    record Day(LocalDate date, Instant start, Instant end) {}

    /**
     * A step of a trend, counted on the day it first happened to each person: the first of their
     * {@code event}s, or, when {@code conversion} is given instead, the first goal event of theirs
     * that followed its first event within its time.
     */
    record Moment(String name, Condition.EventMatch event, Condition.Sequence conversion) {}

    /**
     * For each moment, by its name, the number of people whose first time falls on each of {@code
     * days}, in their order; a first time outside the days is not counted.
     */
    Map<String, long[]> firstTimesByDay(String siteId, List<Moment> moments, List<Day> days, Instant now, ZoneId zone);

    /**
     * What the events report counts.
     *
     * @param names the event names, at least one
     * @param breakdown the property whose values split the counts, or null for none
     * @param version only events of this SDK {@code version}, or null for all
     * @param maxValues how many of the most frequent values of {@code breakdown} get a series of their
     *     own; the rest are counted together
     */
    record EventsQuery(List<String> names, String breakdown, String version, int maxValues) {}

    /**
     * One series of the events report.
     *
     * @param value the breakdown's value as text, or null when the event has no such property (or
     *     when there is no breakdown)
     * @param otherValues true for the series that counts every value beyond the most frequent ones
     * @param counts events on each day; {@code people} the distinct people on each day
     * @param total events over all the days; {@code totalPeople} distinct people over all the days
     */
    record EventSeries(
            String name,
            String value,
            boolean otherValues,
            long[] counts,
            long[] people,
            long total,
            long totalPeople) {}

    /** The series of the events report over {@code days}, which are consecutive. */
    List<EventSeries> eventCounts(String siteId, EventsQuery query, List<Day> days);

    /** Receives one person of the holdout report. */
    @FunctionalInterface
    interface ActivePerson {
        void accept(String personKey, boolean converted);
    }

    /**
     * Hands on each person with an event from the first day's start to the last day's end (the
     * plugin's {@code $campaign_*} events aside), and whether they did {@code goal} in that time.
     */
    void forEachActivePerson(String siteId, Condition.EventMatch goal, List<Day> days, ActivePerson sink);
}
