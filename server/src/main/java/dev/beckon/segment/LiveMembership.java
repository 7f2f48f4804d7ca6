package dev.beckon.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.event.ReservedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members of every saved segment, held in memory so that "is this device in the segment" is
 * a lookup and can serve every page load. A background thread refreshes all segments every {@code
 * refreshInterval}, so membership lags the events by at most that long plus one refresh
 * (docs/segments.md, "Live membership"). A saved or deleted segment is refreshed at once.
 *
 * <p>A refresh is incremental and shared. For each site it opens one {@link
 * SegmentEvaluator.LiveRefresh}, which attributes events to people once for all segments, and
 * finds the people whose membership may have changed since the last refresh: the people of the
 * events written since (by event name), the people of devices identified since (whose anonymous
 * events may have changed hands), and the people of events that a moving window has just left.
 * Each segment is then evaluated for the people that concern it alone, and keeps every other
 * member as it was. A segment evaluates in full when it is new or changed, when the people that
 * concern it are many, and every segment does when something else changed: the site's time zone
 * or cohorts, or events deleted or renumbered.
 *
 * <p>A counted segment ({@link CountedSegment}: {@code did} and {@code visited} conditions, and
 * trees of all and any over them) is kept by per-person counts instead of queries: a refresh adds
 * the matching events written since, takes off those its moving windows passed, and counts again
 * only the people whose events changed hands, so that its cost follows the events written since.
 *
 * <p>Which person a device belongs to (docs/identity.md) is held in memory too, one map of
 * identified devices per site, taken at each refresh, so that a check asks the store nothing. A
 * device identified since the last refresh counts as itself until the next one: the same lag as
 * the members'. A site whose map was never taken asks the store.
 *
 * <p>Failure semantics: when an evaluation fails, the previous members of that segment are kept
 * and the failure is logged, and the segment evaluates in full at the next refresh; a segment
 * never evaluated answers "not a member".
 */
public final class LiveMembership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveMembership.class);

    /** A segment evaluates in full when more people than this share of everyone concern it. */
    private static final double FULL_SHARE = 0.1;

    /**
     * The members of one segment.
     *
     * @param definition the condition they were evaluated for
     * @param evaluatedAt the time of the evaluation, the "now" of its windows
     * @param incremental whether they are exact as of the site's last refresh, so that the next one
     *     may re-evaluate only the people that changed since
     */
    private record Members(Set<String> personKeys, JsonNode definition, Instant evaluatedAt, boolean incremental) {}

    /** What one refresh of a site left for the next: where its events ended, and its everyone. */
    private record SiteState(long position, long countUpTo, long cohorts, ZoneId zone, Set<String> everyone) {}

    /**
     * How the last refresh went, for the benchmark and the logs: how many segments were evaluated in
     * full, for some people only, or not at all (nothing of theirs changed), how many failed, how
     * many people had their events gathered, and why every segment of a site went in full, if it did;
     * of all these, how many segments were kept by counts ({@link CountedSegment}), and how many
     * matching events their counts read; and the time each phase of the refresh took, in
     * milliseconds, for the benchmark (docs/BENCHMARKS.md, "Segments").
     */
    public record RefreshReport(
            int full,
            int incremental,
            int unchanged,
            int failed,
            int peopleGathered,
            String allInFullBecause,
            int counted,
            int eventsCounted,
            String phases) {}

    private final SegmentRepository segments;
    private final SegmentEvaluator evaluator;
    private final Function<String, ZoneId> zoneOfSite;
    private final Clock clock;
    private final Map<String, Members> membersBySegment = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> userOfDeviceBySite = new ConcurrentHashMap<>();
    private final Map<String, SiteState> siteStates = new ConcurrentHashMap<>();
    private final Object refreshing = new Object();
    private volatile Thread refresher;
    private volatile boolean closed;
    private final Map<String, CountedSegment> countedBySegment = new ConcurrentHashMap<>();
    private volatile RefreshReport lastReport = new RefreshReport(0, 0, 0, 0, 0, "", 0, 0, "");

    /** Live membership refreshed in the background every {@code refreshInterval}. */
    public LiveMembership(
            SegmentRepository segments,
            SegmentEvaluator evaluator,
            Function<String, ZoneId> zoneOfSite,
            Clock clock,
            Duration refreshInterval) {
        this(segments, evaluator, zoneOfSite, clock);
        startRefreshing(refreshInterval);
    }

    /** Live membership refreshed only when asked ({@link #refreshAll}), until {@link #startRefreshing}. */
    public LiveMembership(
            SegmentRepository segments, SegmentEvaluator evaluator, Function<String, ZoneId> zoneOfSite, Clock clock) {
        this.segments = segments;
        this.evaluator = evaluator;
        this.zoneOfSite = zoneOfSite;
        this.clock = clock;
    }

    /** Starts the background thread that refreshes every segment every {@code refreshInterval}. */
    public synchronized void startRefreshing(Duration refreshInterval) {
        if (refresher == null && !closed) {
            refresher =
                    Thread.ofVirtual().name("beckon-segment-refresher").start(() -> refreshForever(refreshInterval));
        }
    }

    /** Whether the person the device belongs to is a member of the segment, as of the last refresh. */
    public boolean containsDevice(String siteId, String segmentId, String deviceId) {
        return contains(siteId, segmentId, personOfDevice(siteId, deviceId));
    }

    /** Whether the person is a member of the segment, as of the last refresh; false if never evaluated. */
    public boolean contains(String siteId, String segmentId, Person person) {
        Members members = membersBySegment.get(key(siteId, segmentId));
        return members != null && members.personKeys().contains(person.key());
    }

    /** The ids of the given segments that the person the device belongs to is a member of. */
    public Set<String> segmentsContainingDevice(String siteId, Iterable<String> segmentIds, String deviceId) {
        Person person = personOfDevice(siteId, deviceId);
        Set<String> containing = new HashSet<>();
        for (String segmentId : segmentIds) {
            if (contains(siteId, segmentId, person)) {
                containing.add(segmentId);
            }
        }
        return containing;
    }

    /**
     * The person the device belongs to now, as of the last refresh of the site's identified
     * devices: the user it was last identified as, else the device itself.
     */
    public Person personOfDevice(String siteId, String deviceId) {
        Map<String, String> userOfDevice = userOfDeviceBySite.get(siteId);
        if (userOfDevice == null) {
            return evaluator.personOfDevice(siteId, deviceId);
        }
        String userId = userOfDevice.get(deviceId);
        return userId != null ? new Person(userId, null) : new Person(null, deviceId);
    }

    /** Takes the site's map of identified devices now. */
    public void refreshIdentities(String siteId) {
        userOfDeviceBySite.put(siteId, Map.copyOf(evaluator.usersOfDevices(siteId)));
    }

    /** When the segment's members were last evaluated, or null if never. */
    public Instant evaluatedAt(String siteId, String segmentId) {
        Members members = membersBySegment.get(key(siteId, segmentId));
        return members == null ? null : members.evaluatedAt();
    }

    /** How the last refresh of all segments went. */
    public RefreshReport lastReport() {
        return lastReport;
    }

    /**
     * Evaluates one segment now, in full, as when it is saved. The next refresh of its site
     * evaluates it in full again, since these members are not tied to that refresh's view.
     */
    public void refresh(Segment segment) {
        Instant now = clock.instant();
        Condition condition = segment.parsed();
        ZoneId zone = zoneOfSite.apply(segment.siteId());
        Set<String> keys = new HashSet<>();
        int pageSize = 50_000;
        for (int offset = 0; ; offset += pageSize) {
            var page = evaluator.members(segment.siteId(), condition, now, zone, pageSize, offset);
            page.forEach(p -> keys.add(p.key()));
            if (page.size() < pageSize) {
                break;
            }
        }
        synchronized (refreshing) {
            membersBySegment.put(
                    key(segment.siteId(), segment.id()),
                    new Members(Set.copyOf(keys), segment.condition(), now, false));
        }
    }

    /** Forgets a deleted segment. */
    public void forget(String siteId, String segmentId) {
        membersBySegment.remove(key(siteId, segmentId));
        countedBySegment.remove(key(siteId, segmentId));
    }

    /** Refreshes every saved segment of every site once, as the background thread does. */
    public void refreshAll() {
        List<Segment> all = segments.everySite();
        Map<String, List<Segment>> bySite = new LinkedHashMap<>();
        all.forEach(s ->
                bySite.computeIfAbsent(s.siteId(), site -> new ArrayList<>()).add(s));
        int[] totals = new int[7];
        List<String> reasons = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        bySite.forEach((siteId, saved) -> {
            try {
                RefreshReport report = refreshSite(siteId, saved);
                totals[0] += report.full();
                totals[1] += report.incremental();
                totals[2] += report.unchanged();
                totals[3] += report.failed();
                totals[4] += report.peopleGathered();
                totals[5] += report.counted();
                totals[6] += report.eventsCounted();
                phases.add(report.phases());
                if (!report.allInFullBecause().isEmpty()) {
                    reasons.add(siteId + ": " + report.allInFullBecause());
                }
            } catch (RuntimeException e) {
                totals[3] += saved.size();
                siteStates.remove(siteId);
                log.warn("The segments of site {} could not be refreshed; they keep their previous members", siteId, e);
            }
        });
        lastReport = new RefreshReport(
                totals[0],
                totals[1],
                totals[2],
                totals[3],
                totals[4],
                String.join("; ", reasons),
                totals[5],
                totals[6],
                String.join("; ", phases));
    }

    /** One refresh of the site's saved segments; see the class comment. */
    private RefreshReport refreshSite(String siteId, List<Segment> saved) {
        synchronized (refreshing) {
            Instant now = clock.instant();
            ZoneId zone = zoneOfSite.apply(siteId);
            Phases phases = new Phases();
            try (SegmentEvaluator.LiveRefresh refresh = evaluator.openRefresh(siteId)) {
                phases.end("open");
                userOfDeviceBySite.put(siteId, Map.copyOf(refresh.usersOfDevices()));
                SiteState previous = siteStates.get(siteId);
                long cohorts = refresh.cohortsFingerprint();
                String because = previous == null
                        ? "first refresh"
                        : !previous.zone().equals(zone)
                                ? "time zone changed"
                                : previous.cohorts() != cohorts
                                        ? "cohorts changed"
                                        : refresh.countUpTo(previous.position()) != previous.countUpTo()
                                                ? "events deleted or renumbered"
                                                : "";
                boolean allInFull = !because.isEmpty();
                phases.end("devices and checks");

                List<Segment> rebuilt = new ArrayList<>();
                List<Segment> advanced = new ArrayList<>();
                for (Segment segment : saved) {
                    if (CountedSegment.countable(segment.parsed())) {
                        Members members = membersBySegment.get(key(siteId, segment.id()));
                        boolean kept = !allInFull
                                && isIncremental(members, segment)
                                && countedBySegment.containsKey(key(siteId, segment.id()));
                        (kept ? advanced : rebuilt).add(segment);
                    }
                }
                List<Segment> queried = new ArrayList<>(saved);
                queried.removeAll(rebuilt);
                queried.removeAll(advanced);

                Set<String> everyone;
                Map<String, Set<String>> changedByName = new HashMap<>();
                Set<String> newcomers = new HashSet<>();
                Set<String> reidentified = new HashSet<>();
                if (allInFull) {
                    everyone = refresh.everyone();
                } else {
                    everyone = new HashSet<>(previous.everyone());
                    // Only the names the queried segments read, unless one may hold for newcomers. The
                    // everyone kept meanwhile lacks some people, so newcomers are then too many, never
                    // too few.
                    Set<String> names = new HashSet<>();
                    boolean newcomersNeeded = false;
                    for (Segment segment : queried) {
                        names.addAll(eventNames(segment.parsed()));
                        newcomersNeeded |= holdsWithoutEvents(segment.parsed());
                    }
                    for (var event : refresh.peopleOfEventsAfter(previous.position(), newcomersNeeded ? null : names)) {
                        changedByName
                                .computeIfAbsent(event.name(), n -> new HashSet<>())
                                .add(event.person());
                        if (everyone.add(event.person())) {
                            // Someone new may hold for a negation without any event of its names.
                            newcomers.add(event.person());
                        }
                    }
                    phases.end("events since");
                    reidentified.addAll(refresh.peopleOfDevicesIdentifiedAfter(previous.position()));
                    phases.end("owners changed (" + reidentified.size() + " people, " + newcomers.size() + " new)");
                }

                // The people of the events that each moving window has just left, found at once.
                Map<Segment, List<SegmentEvaluator.TimeRange>> leftBySegment = new HashMap<>();
                Set<SegmentEvaluator.TimeRange> ranges = new HashSet<>();
                if (!allInFull) {
                    for (Segment segment : queried) {
                        Members members = membersBySegment.get(key(siteId, segment.id()));
                        if (isIncremental(members, segment)) {
                            List<SegmentEvaluator.TimeRange> left =
                                    leftWindows(segment.parsed(), members.evaluatedAt(), now, zone);
                            leftBySegment.put(segment, left);
                            ranges.addAll(left);
                        }
                    }
                }
                List<SegmentEvaluator.PersonEvent> leaving = List.copyOf(refresh.peopleOfEventsIn(ranges));
                phases.end("window edges");

                List<Segment> inFull = new ArrayList<>();
                Map<Segment, Set<String>> concerned = new LinkedHashMap<>();
                int unchanged = 0;
                for (Segment segment : queried) {
                    Members members = membersBySegment.get(key(siteId, segment.id()));
                    if (allInFull || !isIncremental(members, segment)) {
                        inFull.add(segment);
                        continue;
                    }
                    Condition condition = segment.parsed();
                    Set<String> people = new HashSet<>(reidentified);
                    if (holdsWithoutEvents(condition)) {
                        people.addAll(newcomers);
                    }
                    for (String name : eventNames(condition)) {
                        people.addAll(changedByName.getOrDefault(name, Set.of()));
                    }
                    for (var event : leaving) {
                        for (var range : leftBySegment.get(segment)) {
                            if (range.name().equals(event.name())
                                    && !event.time().isBefore(range.from())
                                    && event.time().isBefore(range.to())) {
                                people.add(event.person());
                            }
                        }
                    }
                    if (people.isEmpty()) {
                        membersBySegment.put(
                                key(siteId, segment.id()),
                                new Members(members.personKeys(), members.definition(), now, true));
                        unchanged++;
                    } else if (people.size() > Math.max(1000, everyone.size() * FULL_SHARE)) {
                        inFull.add(segment);
                    } else {
                        concerned.put(segment, people);
                    }
                }

                int failed = 0;
                Set<String> union = new HashSet<>();
                concerned.values().forEach(union::addAll);
                if (!advanced.isEmpty()) {
                    union.addAll(reidentified);
                }
                if (!union.isEmpty()) {
                    refresh.gatherEventsOf(union);
                }
                phases.end("gathering");
                int[] counted = refreshCounted(
                        refresh,
                        siteId,
                        rebuilt,
                        advanced,
                        reidentified,
                        previous == null ? -1 : previous.position(),
                        now,
                        zone);
                phases.end("counting");
                failed += counted[2];
                unchanged += counted[1];
                if (!concerned.isEmpty()) {
                    for (var entry : concerned.entrySet()) {
                        Segment segment = entry.getKey();
                        try {
                            Set<String> among = refresh.membersAmong(segment.parsed(), entry.getValue(), now, zone);
                            Set<String> keys = new HashSet<>(membersBySegment
                                    .get(key(siteId, segment.id()))
                                    .personKeys());
                            keys.removeAll(entry.getValue());
                            keys.addAll(among);
                            membersBySegment.put(
                                    key(siteId, segment.id()),
                                    new Members(Set.copyOf(keys), segment.condition(), now, true));
                        } catch (RuntimeException e) {
                            failed++;
                            keepAfterFailure(segment, e);
                        }
                    }
                }
                phases.end("queried for some people");
                for (Segment segment : inFull) {
                    try {
                        Set<String> keys = refresh.members(segment.parsed(), now, zone);
                        membersBySegment.put(
                                key(siteId, segment.id()),
                                new Members(Set.copyOf(keys), segment.condition(), now, true));
                    } catch (RuntimeException e) {
                        failed++;
                        keepAfterFailure(segment, e);
                    }
                }
                phases.end("queried in full");
                long position = refresh.position();
                siteStates.put(
                        siteId,
                        new SiteState(position, refresh.countUpTo(position), cohorts, zone, Set.copyOf(everyone)));
                return new RefreshReport(
                        inFull.size() + rebuilt.size() - failed,
                        concerned.size() + advanced.size() - counted[1],
                        unchanged,
                        failed,
                        union.size(),
                        because,
                        rebuilt.size() + advanced.size() - counted[2],
                        counted[0],
                        phases.end("position").toString());
            }
        }
    }

    /**
     * Keeps the counted segments of a site's refresh ({@link CountedSegment}): those in {@code
     * rebuilt} are counted again from all the site's events in their windows; those in {@code
     * advanced} move their windows to {@code now}, count the matching events written since the last
     * refresh, and count again in full the people whose events changed hands, {@code reidentified},
     * from the events gathered for them. The events of each kind are read once for all the segments
     * that count them. Answers how many matching events were read, how many advanced segments no
     * person's count moved in, and how many segments failed.
     */
    private int[] refreshCounted(
            SegmentEvaluator.LiveRefresh refresh,
            String siteId,
            List<Segment> rebuilt,
            List<Segment> advanced,
            Set<String> reidentified,
            long position,
            Instant now,
            ZoneId zone) {
        if (rebuilt.isEmpty() && advanced.isEmpty()) {
            return new int[3];
        }
        Map<Segment, CountedSegment> fresh = new LinkedHashMap<>();
        Map<Segment, CountedSegment> kept = new LinkedHashMap<>();
        long[] read = new long[1];
        try {
            for (Segment segment : rebuilt) {
                CountedSegment counts = CountedSegment.of(segment.parsed());
                counts.clear(now, zone);
                fresh.put(segment, counts);
            }
            read[0] += count(
                    refresh, fresh.values(), SegmentEvaluator.EventScope.ALL, position, now, zone, person -> true);

            for (Segment segment : advanced) {
                CountedSegment counts = countedBySegment.get(key(siteId, segment.id()));
                counts.advance(now, zone);
                kept.put(segment, counts);
            }
            read[0] += count(
                    refresh,
                    kept.values(),
                    SegmentEvaluator.EventScope.AFTER_POSITION,
                    position,
                    now,
                    zone,
                    person -> !reidentified.contains(person));
            if (!reidentified.isEmpty()) {
                for (CountedSegment counts : kept.values()) {
                    counts.tallies().values().forEach(t -> reidentified.forEach(t::forget));
                }
                read[0] += count(
                        refresh,
                        kept.values(),
                        SegmentEvaluator.EventScope.GATHERED,
                        position,
                        now,
                        zone,
                        reidentified::contains);
            }
        } catch (RuntimeException e) {
            // Counts that missed some events are not to be trusted: the next refresh counts in full.
            for (Segment segment : advanced) {
                countedBySegment.remove(key(siteId, segment.id()));
                keepAfterFailure(segment, e);
            }
            for (Segment segment : rebuilt) {
                countedBySegment.remove(key(siteId, segment.id()));
                keepAfterFailure(segment, e);
            }
            return new int[] {(int) read[0], 0, rebuilt.size() + advanced.size()};
        }

        int untouched = 0;
        for (var entry : fresh.entrySet()) {
            Segment segment = entry.getKey();
            entry.getValue().settle();
            countedBySegment.put(key(siteId, segment.id()), entry.getValue());
            membersBySegment.put(
                    key(siteId, segment.id()), new Members(entry.getValue().members(), segment.condition(), now, true));
        }
        for (var entry : kept.entrySet()) {
            Segment segment = entry.getKey();
            if (!entry.getValue().settle()) {
                untouched++;
            }
            membersBySegment.put(
                    key(siteId, segment.id()), new Members(entry.getValue().members(), segment.condition(), now, true));
        }
        return new int[] {(int) Math.min(Integer.MAX_VALUE, read[0]), untouched, 0};
    }

    /**
     * Reads the matching events of every counted condition of {@code segments} in {@code scope}, once
     * per kind of event from the earliest start of the windows that count it, and counts those of
     * the people that {@code counted} accepts; answers how many events were read.
     */
    private static long count(
            SegmentEvaluator.LiveRefresh refresh,
            java.util.Collection<CountedSegment> segments,
            SegmentEvaluator.EventScope scope,
            long position,
            Instant now,
            ZoneId zone,
            java.util.function.Predicate<String> counted) {
        Map<Condition, List<CountedSegment.Tally>> talliesByEvents = new HashMap<>();
        for (CountedSegment segment : segments) {
            segment.tallies()
                    .forEach((condition, tally) -> talliesByEvents
                            .computeIfAbsent(CountedSegment.eventsKey(condition), k -> new ArrayList<>())
                            .add(tally));
        }
        List<Condition> keys = new ArrayList<>(talliesByEvents.keySet());
        List<List<CountedSegment.Tally>> talliesByKey = new ArrayList<>();
        Instant since = null;
        boolean ever = false;
        for (Condition key : keys) {
            talliesByKey.add(talliesByEvents.get(key));
            for (CountedSegment.Tally tally : talliesByEvents.get(key)) {
                Instant start = tally.since(now, zone);
                ever |= start == null;
                since = start == null || (since != null && since.isBefore(start)) ? since : start;
            }
        }
        long[] read = new long[1];
        refresh.forEachMatchingEvent(keys, ever ? null : since, scope, position, (person, micros, index) -> {
            read[0]++;
            if (counted.test(person)) {
                for (CountedSegment.Tally tally : talliesByKey.get(index)) {
                    tally.add(person, micros);
                }
            }
        });
        return read[0];
    }

    /** How long each phase of a refresh took, in milliseconds. */
    private static final class Phases {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        Phases end(String phase) {
            long now = System.nanoTime();
            text.append(text.isEmpty() ? "" : ", ").append(phase).append(' ').append((now - last) / 1_000_000);
            last = now;
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static boolean isIncremental(Members members, Segment segment) {
        return members != null && members.incremental() && members.definition().equals(segment.condition());
    }

    private void keepAfterFailure(Segment segment, RuntimeException e) {
        String key = key(segment.siteId(), segment.id());
        Members members = membersBySegment.get(key);
        if (members != null) {
            membersBySegment.put(
                    key, new Members(members.personKeys(), members.definition(), members.evaluatedAt(), false));
        }
        log.warn(
                "Segment {} of site {} could not be refreshed; its previous members stay",
                segment.id(),
                segment.siteId(),
                e);
    }

    /**
     * Whether the condition may hold for a person without any event of the names it reads (a
     * negation, "at most", "exactly 0", "does not exist", an empty "all"), so that someone new to the
     * site may join it.
     */
    static boolean holdsWithoutEvents(Condition condition) {
        return switch (condition) {
            case Condition.All all -> all.conditions().stream().allMatch(LiveMembership::holdsWithoutEvents);
            case Condition.Any any -> any.conditions().stream().anyMatch(LiveMembership::holdsWithoutEvents);
            case Condition.Not not -> true;
            case Condition.UserProperty p -> p.filter().operator() == PropertyFilter.Operator.NOT_EXISTS;
            case Condition.SessionProperty p -> p.filter().operator() == PropertyFilter.Operator.NOT_EXISTS;
            case Condition.Behaviour b -> b.count().holdsForZero();
            case Condition.Sequence s -> false;
            case Condition.PageVisited v -> false;
            case Condition.InCohort c -> false;
        };
    }

    /** The event names a condition reads. */
    static Set<String> eventNames(Condition condition) {
        Set<String> names = new HashSet<>();
        collectNames(condition, names);
        return names;
    }

    private static void collectNames(Condition condition, Set<String> names) {
        switch (condition) {
            case Condition.All all -> all.conditions().forEach(c -> collectNames(c, names));
            case Condition.Any any -> any.conditions().forEach(c -> collectNames(c, names));
            case Condition.Not not -> collectNames(not.condition(), names);
            case Condition.UserProperty p -> names.add(ReservedEvent.USER_PROPERTIES);
            case Condition.SessionProperty p -> names.add(ReservedEvent.SESSION_PROPERTIES);
            case Condition.Behaviour b -> names.add(b.event().name());
            case Condition.Sequence s -> {
                names.add(s.first().name());
                names.add(s.then().name());
            }
            case Condition.PageVisited v -> names.add(ReservedEvent.PAGE_VIEW);
            case Condition.InCohort c -> {}
        }
    }

    /**
     * For each windowed part of the condition, the events it no longer sees now that its window
     * starts later: from the start at {@code before} to the start at {@code now}.
     */
    static List<SegmentEvaluator.TimeRange> leftWindows(Condition condition, Instant before, Instant now, ZoneId zone) {
        List<SegmentEvaluator.TimeRange> ranges = new ArrayList<>();
        collectLeft(condition, before, now, zone, ranges);
        return ranges;
    }

    private static void collectLeft(
            Condition condition, Instant before, Instant now, ZoneId zone, List<SegmentEvaluator.TimeRange> ranges) {
        switch (condition) {
            case Condition.All all -> all.conditions().forEach(c -> collectLeft(c, before, now, zone, ranges));
            case Condition.Any any -> any.conditions().forEach(c -> collectLeft(c, before, now, zone, ranges));
            case Condition.Not not -> collectLeft(not.condition(), before, now, zone, ranges);
            case Condition.UserProperty p -> {}
            case Condition.SessionProperty p ->
                left(ReservedEvent.SESSION_PROPERTIES, p.window(), before, now, zone, ranges);
            case Condition.Behaviour b -> left(b.event().name(), b.window(), before, now, zone, ranges);
            case Condition.Sequence s -> {
                left(s.first().name(), s.window(), before, now, zone, ranges);
                left(s.then().name(), s.window(), before, now, zone, ranges);
            }
            case Condition.PageVisited v -> left(ReservedEvent.PAGE_VIEW, v.window(), before, now, zone, ranges);
            case Condition.InCohort c -> {}
        }
    }

    private static void left(
            String name,
            Window window,
            Instant before,
            Instant now,
            ZoneId zone,
            List<SegmentEvaluator.TimeRange> ranges) {
        Instant from = Window.start(window, before, zone);
        Instant to = Window.start(window, now, zone);
        if (to.isAfter(from)) {
            ranges.add(new SegmentEvaluator.TimeRange(name, from, to));
        }
    }

    private void refreshForever(Duration refreshInterval) {
        while (!closed) {
            try {
                refreshAll();
            } catch (RuntimeException e) {
                log.warn("The saved segments could not be read; every segment keeps its previous members", e);
            }
            try {
                Thread.sleep(refreshInterval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String key(String siteId, String segmentId) {
        return siteId + '\n' + segmentId;
    }

    @Override
    public void close() {
        closed = true;
        Thread thread = refresher;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
