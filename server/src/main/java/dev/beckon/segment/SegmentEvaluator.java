package dev.beckon.segment;

import dev.beckon.store.MemberRow;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Evaluates conditions over a site's people and their history, as of {@code now}, with day
 * windows in {@code zone}. Implementations compile a condition to parameterised queries of their
 * store; no text of a condition is ever spliced into a query.
 */
public interface SegmentEvaluator {

    /** How many people the condition holds for. */
    long size(String siteId, Condition condition, Instant now, ZoneId zone);

    /** A page of the people the condition holds for, ordered by their key. */
    List<Person> members(String siteId, Condition condition, Instant now, ZoneId zone, int limit, int offset);

    /**
     * Hands every member to {@code sink} as it is read, once per device of the person (a user
     * without a device, and an anonymous device, once each), in person key then device id order.
     * Devices that hold imported user properties are left out. An exception from the sink stops the
     * reading and is rethrown.
     */
    void forEachMemberDevice(String siteId, Condition condition, Instant now, ZoneId zone, Consumer<MemberRow> sink);

    /** Whether the condition holds for one person. */
    boolean contains(String siteId, Condition condition, Person person, Instant now, ZoneId zone);

    /**
     * The person a device belongs to now: the user it was last identified as, or the device itself
     * when it never was.
     */
    Person personOfDevice(String siteId, String deviceId);

    /**
     * The user that each identified device of the site was last identified as, by device id; a
     * device never identified is absent. This is {@link #personOfDevice} for every device at once.
     */
    Map<String, String> usersOfDevices(String siteId);

    /**
     * Opens one refresh of live membership over a site: a consistent view of its events as they are
     * now, in which the work that all segments need (attributing events to people, everyone) is done
     * once and shared. Close it when the refresh is done.
     */
    LiveRefresh openRefresh(String siteId);

    /** An event's person, name and time, as a refresh finds the people whose events changed. */
    record PersonEvent(String person, String name, Instant time) {}

    /** A stretch of event time, of one event name: {@code from} inclusive, {@code to} exclusive. */
    record TimeRange(String name, Instant from, Instant to) {}

    /**
     * One refresh of live membership over one site (docs/segments.md, "Live membership"). Every read
     * sees the site as it was when the refresh was opened.
     */
    interface LiveRefresh extends AutoCloseable {

        /** A position in the store's events: every event written before the refresh is at or before it. */
        long position();

        /** How many of the site's events are at or before the position. */
        long countUpTo(long position);

        /** A number that changes whenever the site's imported cohorts change. */
        long cohortsFingerprint();

        /** {@link SegmentEvaluator#usersOfDevices}, as of this refresh. */
        Map<String, String> usersOfDevices();

        /**
         * The person and name of each of the site's events after the position, once per person and
         * name, of the given names only; of every name when {@code names} is null.
         */
        Collection<PersonEvent> peopleOfEventsAfter(long position, Set<String> names);

        /**
         * The people whose events may have changed hands since the position: for each device with an
         * identified event after it, the device itself and every user linked to the device.
         */
        Set<String> peopleOfDevicesIdentifiedAfter(long position);

        /** The person, name and time of each event that falls in one of the ranges. */
        Collection<PersonEvent> peopleOfEventsIn(Collection<TimeRange> ranges);

        /** The keys of everyone: each person with an event, and each member of an imported cohort. */
        Set<String> everyone();

        /** The keys of the people the condition holds for, over all the site's events. */
        Set<String> members(Condition condition, Instant now, ZoneId zone);

        /**
         * Gathers the events of these people (every event of theirs, on all their devices), so that
         * {@link #membersAmong} can evaluate conditions for them alone.
         */
        void gatherEventsOf(Set<String> people);

        /** Of {@code people}, all gathered, the keys of those the condition holds for. */
        Set<String> membersAmong(Condition condition, Set<String> people, Instant now, ZoneId zone);

        /**
         * Hands {@code sink} the person and time of each event that one of the counted conditions (a
         * {@code did} or a {@code visited}) matches, once for each condition it matches, their
         * windows and counts not applied, at or after {@code since} (null: at any time), among the
         * events of {@code scope}; {@code position} is that of {@link EventScope#AFTER_POSITION}.
         */
        void forEachMatchingEvent(
                List<Condition> counted, Instant since, EventScope scope, long position, MatchingEventSink sink);

        @Override
        void close();
    }

    /** Which events {@link LiveRefresh#forEachMatchingEvent} reads. */
    enum EventScope {
        /** Every event of the site. */
        ALL,
        /** The events written after a position. */
        AFTER_POSITION,
        /** The events gathered by the last {@link LiveRefresh#gatherEventsOf}. */
        GATHERED
    }

    /**
     * Takes one matching event: its person's key, its time in microseconds since the epoch, and the
     * index of a condition it matches.
     */
    @FunctionalInterface
    interface MatchingEventSink {
        void accept(String person, long micros, int condition);
    }
}
