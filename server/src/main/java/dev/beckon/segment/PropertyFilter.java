package dev.beckon.segment;

import java.time.Instant;
import java.util.List;

/**
 * A test of one property's value. The value's type decides how the property compares
 * (docs/segments.md, "Types"): never by throwing, always by matching or not.
 *
 * @param property the property's name, any text; it is never spliced into a query
 */
public record PropertyFilter(String property, Operator operator, Value value) {

    /** How the property's value is compared with the filter's. */
    public enum Operator {
        EQUALS,
        NOT_EQUALS,
        GREATER_THAN,
        GREATER_OR_EQUAL,
        LESS_THAN,
        LESS_OR_EQUAL,
        CONTAINS,
        STARTS_WITH,
        IN,
        EXISTS,
        NOT_EXISTS
    }

    /** A typed value to compare with. */
    public sealed interface Value {

        record Text(String value) implements Value {}

        record Number(double value) implements Value {}

        record Bool(boolean value) implements Value {}

        record Date(Instant value) implements Value {}

        record TextList(List<String> values) implements Value {
            public TextList {
                values = List.copyOf(values);
            }
        }

        /** The value of {@code exists} and {@code notExists}, which compare with nothing. */
        record None() implements Value {}
    }
}
