package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import dev.beckon.segment.Condition.CountComparison.Comparison;
import dev.beckon.segment.PropertyFilter.Operator;
import dev.beckon.segment.PropertyFilter.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JSON form of conditions (docs/segments.md): what each form reads as, and the precise message,
 * naming the condition's path, for each way a definition can be wrong. The SDK's parser checks the
 * same messages (sdk/web/test/condition-vectors.test.mjs).
 */
class ConditionParserTest {

    @Test
    void didDefaultsToAtLeastOnceEver() {
        Condition condition = parse("{'did': {'event': 'A'}}");

        assertThat(condition)
                .isEqualTo(new Condition.Behaviour(
                        new Condition.EventMatch("A", java.util.List.of()),
                        new Condition.CountComparison(Comparison.AT_LEAST, 1),
                        new Window.Ever()));
    }

    @Test
    void didNotIsExactlyZero() {
        var behaviour = (Condition.Behaviour) parse("{'didNot': {'event': 'A'}}");

        assertThat(behaviour.count()).isEqualTo(new Condition.CountComparison(Comparison.EXACTLY, 0));
    }

    @Test
    void nameIsAnotherWordForProperty() {
        var property = (Condition.UserProperty) parse("{'userProperty': {'name': 'age', 'op': 'gte', 'value': 18}}");

        assertThat(property.filter())
                .isEqualTo(new PropertyFilter("age", Operator.GREATER_OR_EQUAL, new Value.Number(18)));
    }

    @Test
    void valuesAreTypedByTheirJson() {
        assertThat(filterValue("'value': 'x'")).isEqualTo(new Value.Text("x"));
        assertThat(filterValue("'value': 2.5")).isEqualTo(new Value.Number(2.5));
        assertThat(filterValue("'value': false")).isEqualTo(new Value.Bool(false));
        assertThat(filterValue("'type': 'date', 'value': '2026-03-01'"))
                .isEqualTo(new Value.Date(Instant.parse("2026-03-01T00:00:00Z")));
        assertThat(filterValue("'type': 'date', 'value': '2026-03-01T10:00:00+05:30'"))
                .isEqualTo(new Value.Date(Instant.parse("2026-03-01T04:30:00Z")));
    }

    @Test
    void inTakesStringsNumbersAndBooleansAsText() {
        var property = (Condition.UserProperty)
                parse("{'userProperty': {'property': 'p', 'op': 'in', 'value': ['a', 5, true]}}");

        assertThat(property.filter().value()).isEqualTo(new Value.TextList(java.util.List.of("a", "5", "true")));
    }

    @Test
    void windowsReadAsRollingCalendarOrBetween() {
        assertThat(window("'ever'")).isEqualTo(new Window.Ever());
        assertThat(window("{'last': 3, 'unit': 'days'}")).isEqualTo(new Window.Last(3, ChronoUnit.DAYS, false));
        assertThat(window("{'last': 2, 'unit': 'HOURS', 'calendar': true}"))
                .isEqualTo(new Window.Last(2, ChronoUnit.HOURS, true));
        assertThat(window("{'from': '2026-03-29', 'to': '2026-03-29'}"))
                .isEqualTo(new Window.Between(LocalDate.of(2026, 3, 29), LocalDate.of(2026, 3, 29)));
    }

    @Test
    void sequenceSpansAreDurationsAndAWeekIsSevenDays() {
        var sequence = (Condition.Sequence)
                parse(
                        "{'sequence': {'first': {'event': 'A'}, 'then': {'event': 'B'}, 'within': {'amount': 2, 'unit': 'weeks'}}}");

        assertThat(sequence.within()).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void theLimitsThemselvesAreAllowed() {
        String deepest = "{'not':".repeat(9) + "{'did': {'event': 'A'}}" + "}".repeat(9);
        String widest = "{'any': [" + "{'did': {'event': 'A'}},".repeat(98) + "{'did': {'event': 'A'}}]}";

        assertThat(parse(deepest)).isInstanceOf(Condition.Not.class);
        assertThat(parse(widest)).isInstanceOf(Condition.Any.class);
        assertThat(parse("{'did': {'event': '" + "x".repeat(500) + "'}}")).isInstanceOf(Condition.Behaviour.class);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
            []                                                       => condition: must be an object with exactly one of all, any, not, userProperty, sessionProperty, did, didNot, sequence, visited, inCohort
            {'did': {}, 'not': {}}                                   => condition: must be an object with exactly one of
            {'maybe': {}}                                            => condition: 'maybe' is not a kind of condition
            {'all': {}}                                              => condition.all: must be a list of conditions
            {'all': [{'did': {'event': 'A'}}, {'did': {'event': ''}}]} => condition.all[1].did.event: must be a non-empty string
            {'did': {'event': 'A', 'count': {'atLeast': -1}}}        => condition.did.count.atLeast: must be a whole number from 0 to 1000000000
            {'did': {'event': 'A', 'count': {'atMost': 1.5}}}        => condition.did.count.atMost: must be a whole number from 0 to 1000000000
            {'did': {'event': 'A', 'count': {'exactly': 1000000001}}} => condition.did.count.exactly: must be a whole number from 0 to 1000000000
            {'did': {'event': 'A', 'count': {'around': 3}}}          => condition.did.count: 'around' is not atLeast, atMost or exactly
            {'did': {'event': 'A', 'count': 3}}                      => condition.did.count: must be one of {"atLeast": n}, {"atMost": n}, {"exactly": n}
            {'didNot': {'event': 'A', 'count': {'atLeast': 1}}}      => condition.didNot.count: didNot takes no count; use did with atMost
            {'did': {'event': 'A', 'window': {'last': 0, 'unit': 'days'}}} => condition.did.window.last: must be a whole number from 1 to 1000000000
            {'did': {'event': 'A', 'window': {'last': 3, 'unit': 'fortnights'}}} => condition.did.window.unit: must be one of minutes, hours, days, weeks
            {'all': [{'any': []}, {'did': {'event': 'A', 'window': {'last': 1, 'unit': 'years'}}}]} => condition.all[1].did.window.unit: must be one of minutes, hours, days, weeks
            {'did': {'event': 'A', 'window': {'from': '2026-03-02', 'to': '2026-03-01'}}} => condition.did.window: 'to' is before 'from'
            {'did': {'event': 'A', 'window': {'from': 'yesterday', 'to': '2026-03-01'}}} => condition.did.window.from: 'yesterday' is not a day such as 2026-12-03
            {'did': {'event': 'A', 'window': {'from': '2026-02-30', 'to': '2026-03-01'}}} => condition.did.window.from: '2026-02-30' is not a day such as 2026-12-03
            {'did': {'event': 'A', 'window': {'from': '2026-03-01'}}} => condition.did.window: give either 'last' and 'unit', or 'from' and 'to'
            {'did': {'event': 'A', 'window': 'sometimes'}}           => condition.did.window: must be "ever", {"last": n, "unit": ...} or {"from": day, "to": day}
            {'did': {'event': 'A', 'where': {'property': 'p'}}}      => condition.did.where: must be a list of property filters
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'like', 'value': 'x'}]}} => condition.did.where[0].op: 'like' is not one of [contains, eq, exists, gt, gte, in, lt, lte, neq, notExists, startsWith]
            {'did': {'event': 'A', 'where': [{'op': 'eq', 'value': 'x'}]}} => condition.did.where[0].property: must be a non-empty string
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'eq'}]}} => condition.did.where[0].value: is required for 'eq'
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'eq', 'value': null}]}} => condition.did.where[0].value: is required for 'eq'
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'gt', 'value': true}]}} => condition.did.where[0].value: a boolean can only be compared with eq or neq
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'contains', 'value': 5}]}} => condition.did.where[0].value: contains and startsWith compare text; give a string
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'in', 'value': []}]}} => condition.did.where[0].value: 'in' takes a list of 1 to 1000 values
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'in', 'value': 'a'}]}} => condition.did.where[0].value: 'in' takes a list of 1 to 1000 values
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'in', 'value': [[1]]}]}} => condition.did.where[0].value: 'in' takes strings, numbers or booleans
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'exists', 'value': 1}]}} => condition.did.where[0].value: exists and notExists take no value
            {'did': {'event': 'A', 'where': [{'property': 'p', 'op': 'eq', 'value': {'a': 1}}]}} => condition.did.where[0].value: must be a string, a number or a boolean
            {'userProperty': {'property': 'd', 'op': 'gt', 'type': 'date', 'value': 'soon'}} => condition.userProperty.value: 'soon' is not a date (2026-12-03) or an ISO-8601 time with an offset
            {'userProperty': {'property': 'd', 'op': 'gt', 'type': 'date', 'value': '2026-03-01T10:00:00'}} => condition.userProperty.value: '2026-03-01T10:00:00' is not a date (2026-12-03) or an ISO-8601 time with an offset
            {'sessionProperty': {'property': 'p', 'op': 'eq', 'value': 'x', 'window': {'last': 1}}} => condition.sessionProperty.window.unit: must be one of minutes, hours, days, weeks
            {'sequence': {'first': {'event': 'A'}, 'then': {'event': 'B'}}} => condition.sequence.within: must be an object
            {'sequence': {'first': {'event': 'A'}, 'then': {'event': 'B'}, 'within': {'amount': 0, 'unit': 'hours'}}} => condition.sequence.within.amount: must be a whole number from 1 to 1000000000
            {'sequence': {'first': {'event': 'A'}, 'within': {'amount': 1, 'unit': 'hours'}}} => condition.sequence.then: must be an object
            {'visited': {}}                                          => condition.visited.path: must be a non-empty string
            {'visited': '/home'}                                     => condition.visited: must be an object
            {'inCohort': 5}                                          => condition.inCohort: must be a non-empty string
            {'not': [{'did': {'event': 'A'}}]}                       => condition.not: must be an object with exactly one of
            """)
    void invalidDefinitionsNameTheConditionAndTheProblem(String json, String message) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void deeperThanTenLevelsIsRefusedAtTheEleventh() {
        String tooDeep = "{'not':".repeat(11) + "{'did': {'event': 'A'}}" + "}".repeat(11);

        assertThatThrownBy(() -> parse(tooDeep))
                .hasMessage("condition" + ".not".repeat(10) + ": nested deeper than 10 levels");
    }

    @Test
    void moreThanAHundredConditionsAreRefusedAtTheHundredAndFirst() {
        String tooMany = "{'any': [" + "{'did': {'event': 'A'}},".repeat(100) + "{'did': {'event': 'A'}}]}";

        assertThatThrownBy(() -> parse(tooMany))
                .hasMessage("condition.any[99]: a segment may have at most 100 conditions");
    }

    @Test
    void longTextIsRefusedAndTheMessageQuotesOnlyItsStart() {
        String kind = "k".repeat(600);

        assertThatThrownBy(() -> parse("{'did': {'event': '" + "x".repeat(501) + "'}}"))
                .hasMessage("condition.did.event: is longer than 500 characters");
        assertThatThrownBy(() -> parse("{'" + kind + "': {}}"))
                .hasMessage("condition: '" + "k".repeat(40) + "…' is not a kind of condition");
    }

    // Helpers

    /** Parses JSON written with single quotes, which read better inside Java strings. */
    static Condition parse(String json) {
        return ConditionParser.parse(json(json));
    }

    static JsonNode json(String singleQuoted) {
        try {
            return Json.mapper().readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Value filterValue(String valueFields) {
        var property =
                (Condition.UserProperty) parse("{'userProperty': {'property': 'p', 'op': 'eq', " + valueFields + "}}");
        return property.filter().value();
    }

    private static Window window(String window) {
        var behaviour = (Condition.Behaviour) parse("{'did': {'event': 'A', 'window': " + window + "}}");
        return behaviour.window();
    }
}
