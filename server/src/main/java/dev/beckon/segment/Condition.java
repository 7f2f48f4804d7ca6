package dev.beckon.segment;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A segment's rule: a tree of {@link All}, {@link Any} and {@link Not} over conditions about a
 * person's properties and history. The JSON form and its meaning are specified in
 * docs/segments.md; {@link ConditionParser} reads it, and the store compiles it to a query.
 *
 * <p>A person is a custom user id, with every device linked to it, or a device that was never
 * identified (docs/identity.md).
 */
public sealed interface Condition {

    /** Every condition holds. An empty list always holds. */
    record All(List<Condition> conditions) implements Condition {
        public All {
            conditions = List.copyOf(conditions);
        }
    }

    /** At least one condition holds. An empty list never holds. */
    record Any(List<Condition> conditions) implements Condition {
        public Any {
            conditions = List.copyOf(conditions);
        }
    }

    /** The condition does not hold. */
    record Not(Condition condition) implements Condition {
        public Not {
            Objects.requireNonNull(condition, "condition");
        }
    }

    /** The person's latest value of a user property passes the filter. */
    record UserProperty(PropertyFilter filter) implements Condition {}

    /** The latest value of a session property, in any of the person's sessions in the window, passes. */
    record SessionProperty(PropertyFilter filter, Window window) implements Condition {}

    /**
     * The person did the event a number of times in the window; {@code count} at most 0 expresses
     * "did not do".
     */
    record Behaviour(EventMatch event, CountComparison count, Window window) implements Condition {}

    /** The person did {@code first}, then {@code then} at most {@code within} later, both in the window. */
    record Sequence(EventMatch first, EventMatch then, Duration within, Window window) implements Condition {}

    /** The person viewed a page whose path matches a glob pattern ({@code *} any text) in the window. */
    record PageVisited(String pathPattern, Window window) implements Condition {}

    /** The person's custom user id is in an imported cohort. */
    record InCohort(String cohort) implements Condition {}

    /**
     * Events of one name whose properties pass every filter.
     *
     * @param filters all must hold; empty means any event of that name
     */
    record EventMatch(String name, List<PropertyFilter> filters) {
        public EventMatch {
            filters = List.copyOf(filters);
        }
    }

    /** How many matching events count: at least, at most, or exactly {@code value}. */
    record CountComparison(Comparison comparison, long value) {

        public enum Comparison {
            AT_LEAST,
            AT_MOST,
            EXACTLY
        }

        /** Whether the condition holds for people with no matching event at all. */
        public boolean holdsForZero() {
            return switch (comparison) {
                case AT_LEAST -> value <= 0;
                case AT_MOST -> true;
                case EXACTLY -> value == 0;
            };
        }
    }
}
