package dev.beckon.segment;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counts behind a segment whose condition is made of counted conditions alone, kept from one
 * refresh of live membership to the next so that a refresh costs the events written since, not the
 * events in the windows (docs/segments.md, "Live membership").
 *
 * <p>A condition is counted when it is a {@code did} that needs at least one event ("at least n"
 * with n from 1, "exactly n" with n from 1) or a {@code visited}; a segment is counted when its
 * condition is one of those, or an {@code all} (not empty) or {@code any} of counted conditions.
 * Such a condition holds for no one without a matching event, so that a person's membership is a
 * function of their counts alone: everyone, cohorts and negations do not enter.
 *
 * <p>For each counted condition ({@link Tally}) the segment keeps, per person, the number of their
 * matching events inside its window, and, for a moving window, each such event's time in a queue
 * ordered by time, so that the events that leave the window are taken off as its start passes them.
 * A refresh adds the matching events written since the last one, counts again in full the people
 * whose events changed hands, and takes off what left the windows; the people whose counts moved
 * are tested again.
 *
 * <p>Not thread-safe: one refresh at a time uses it. The members it updates are a concurrent set
 * that lookups read meanwhile; each person's membership changes at most once per refresh.
 */
final class CountedSegment {

    /** The condition the counts are for, as saved. */
    private final Condition condition;

    private final Map<Condition, Tally> tallies = new IdentityHashMap<>();
    private final Set<String> members;

    private CountedSegment(Condition condition, Set<String> members) {
        this.condition = condition;
        this.members = members;
        collect(condition);
    }

    /** Whether live membership may keep the condition by counts; see the class comment. */
    static boolean countable(Condition condition) {
        return switch (condition) {
            case Condition.All all ->
                !all.conditions().isEmpty() && all.conditions().stream().allMatch(CountedSegment::countable);
            case Condition.Any any -> any.conditions().stream().allMatch(CountedSegment::countable);
            case Condition.Behaviour b -> !b.count().holdsForZero();
            case Condition.PageVisited v -> true;
            default -> false;
        };
    }

    /** Counts for the condition, empty until {@link #rebuild}. */
    static CountedSegment of(Condition condition) {
        return new CountedSegment(condition, ConcurrentHashMap.newKeySet());
    }

    /** The members, a set that this object keeps up to date; read it from any thread. */
    Set<String> members() {
        return members;
    }

    /** The counted conditions whose events the counts need, each with the key of its events. */
    Map<Condition, Tally> tallies() {
        return tallies;
    }

    /**
     * The events a counted condition reads, without its window and count: counted conditions with
     * the same key read the same events, so that one read serves them all.
     */
    static Condition eventsKey(Condition counted) {
        return switch (counted) {
            case Condition.Behaviour b ->
                new Condition.Behaviour(
                        b.event(),
                        new Condition.CountComparison(Condition.CountComparison.Comparison.AT_LEAST, 1),
                        new Window.Ever());
            case Condition.PageVisited v -> new Condition.PageVisited(v.pathPattern(), new Window.Ever());
            default -> throw new IllegalArgumentException("not a counted condition: " + counted);
        };
    }

    /** Starts every count again, for events read in full next. */
    void clear(Instant now, ZoneId zone) {
        tallies.values().forEach(t -> t.clear(now, zone));
    }

    /** Moves every window to {@code now}: the events before each start are taken off. */
    void advance(Instant now, ZoneId zone) {
        tallies.values().forEach(t -> t.advance(now, zone));
    }

    /**
     * Tests again every person whose counts moved since the last call, and updates the members;
     * answers whether any count moved.
     */
    boolean settle() {
        Set<String> touched = new HashSet<>();
        for (Tally tally : tallies.values()) {
            touched.addAll(tally.touched);
            tally.touched.clear();
        }
        for (String person : touched) {
            if (holds(condition, person)) {
                members.add(person);
            } else {
                members.remove(person);
            }
        }
        return !touched.isEmpty();
    }

    /** How many people have a count in any of the condition's windows; for the logs. */
    int peopleCounted() {
        Set<String> people = new HashSet<>();
        tallies.values().forEach(t -> people.addAll(t.countByPerson.keySet()));
        return people.size();
    }

    private boolean holds(Condition node, String person) {
        return switch (node) {
            case Condition.All all -> all.conditions().stream().allMatch(c -> holds(c, person));
            case Condition.Any any -> any.conditions().stream().anyMatch(c -> holds(c, person));
            case Condition.Behaviour b -> {
                long n = tallies.get(node).count(person);
                yield switch (b.count().comparison()) {
                    case AT_LEAST -> n >= b.count().value();
                    case EXACTLY -> n == b.count().value();
                    case AT_MOST -> n <= b.count().value();
                };
            }
            case Condition.PageVisited v -> tallies.get(node).count(person) > 0;
            default -> throw new IllegalStateException("not a counted condition: " + node);
        };
    }

    private void collect(Condition node) {
        switch (node) {
            case Condition.All all -> all.conditions().forEach(this::collect);
            case Condition.Any any -> any.conditions().forEach(this::collect);
            case Condition.Behaviour b -> tallies.put(node, new Tally(b.window()));
            case Condition.PageVisited v -> tallies.put(node, new Tally(v.window()));
            default -> throw new IllegalArgumentException("not a counted condition: " + node);
        }
    }

    /** The condition the counts are for. */
    Condition condition() {
        return condition;
    }

    /**
     * The count of one counted condition for each person: the number of their matching events from
     * the window's start on (and before its end, for {@code between}).
     */
    static final class Tally {

        private final Window window;
        private final Map<String, Count> countByPerson = new HashMap<>();

        /** The held events of a moving window, earliest first; a count replaced since is skipped. */
        private final PriorityQueue<Held> leaving = new PriorityQueue<>();

        private final Set<String> touched = new HashSet<>();
        private long startMicros;
        private long endMicros;

        private Tally(Window window) {
            this.window = window;
        }

        /** The first instant of the window now, or null when the window has no start (ever). */
        Instant since(Instant now, ZoneId zone) {
            return window instanceof Window.Ever ? null : Window.start(window, now, zone);
        }

        /** Counts one matching event of the person, if it is inside the window. */
        void add(String person, long micros) {
            if (micros < startMicros || micros >= endMicros) {
                return;
            }
            Count count = countByPerson.computeIfAbsent(person, Count::new);
            count.value++;
            if (window instanceof Window.Last) {
                leaving.add(new Held(micros, count));
            }
            touched.add(person);
        }

        /** Forgets the person's count, to be counted again from all their events. */
        void forget(String person) {
            countByPerson.remove(person);
            touched.add(person);
        }

        private long count(String person) {
            Count count = countByPerson.get(person);
            return count == null ? 0 : count.value;
        }

        private void clear(Instant now, ZoneId zone) {
            touched.addAll(countByPerson.keySet());
            countByPerson.clear();
            leaving.clear();
            bounds(now, zone);
        }

        private void advance(Instant now, ZoneId zone) {
            bounds(now, zone);
            while (!leaving.isEmpty() && leaving.peek().micros() < startMicros) {
                Count count = leaving.poll().count();
                if (countByPerson.get(count.person) == count) {
                    count.value--;
                    touched.add(count.person);
                    if (count.value == 0) {
                        countByPerson.remove(count.person);
                    }
                }
            }
        }

        private void bounds(Instant now, ZoneId zone) {
            Instant since = since(now, zone);
            startMicros = since == null ? Long.MIN_VALUE : micros(since);
            Instant end = Window.end(window, now, zone);
            endMicros = end.equals(Instant.MAX) ? Long.MAX_VALUE : micros(end);
        }

        /** Microseconds since the epoch; instants too far to say so are before or after every event. */
        private static long micros(Instant instant) {
            try {
                return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
            } catch (ArithmeticException e) {
                return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
        }
    }

    /** One person's count in one window. */
    private static final class Count {
        private final String person;
        private long value;

        private Count(String person) {
            this.person = person;
        }
    }

    /** An event held in a moving window, by its time, until the window's start passes it. */
    private record Held(long micros, Count count) implements Comparable<Held> {
        @Override
        public int compareTo(Held other) {
            return Long.compare(micros, other.micros);
        }
    }
}
