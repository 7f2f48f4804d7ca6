package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one spelling the nudges plugin reads: each form the parser allows is written as the parser
 * reads it, and what is already in that spelling is left as it is.
 */
class CanonicalConditionJsonTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{'userProperty': {'name': 'plan', 'op': 'eq', 'value': 'pro'}}"
                        + " | {'userProperty': {'op': 'eq', 'value': 'pro', 'property': 'plan'}}",
                "{'did': {'event': 'V', 'where': [{'name': 'n', 'op': 'exists'}]}}"
                        + " | {'did': {'event': 'V', 'where': [{'op': 'exists', 'property': 'n'}]}}",
                "{'did': {'event': 'V', 'window': {'last': 3, 'unit': 'Days', 'calendar': 'true'}}}"
                        + " | {'did': {'event': 'V', 'window': {'last': 3, 'unit': 'days', 'calendar': true}}}",
                "{'did': {'event': 'V', 'window': {'last': 1, 'unit': 'WEEKS', 'calendar': 7}}}"
                        + " | {'did': {'event': 'V', 'window': {'last': 1, 'unit': 'weeks', 'calendar': true}}}",
                "{'did': {'event': 'V', 'window': {'last': 1, 'unit': 'hours', 'calendar': 'yes'}}}"
                        + " | {'did': {'event': 'V', 'window': {'last': 1, 'unit': 'hours', 'calendar': false}}}",
                "{'sequence': {'first': {'event': 'A'}, 'then': {'event': 'B'}, 'within': {'amount': 2,"
                        + " 'unit': 'Minutes'}}} | {'sequence': {'first': {'event': 'A'}, 'then': {'event': 'B'},"
                        + " 'within': {'amount': 2, 'unit': 'minutes'}}}",
                "{'not': {'any': [{'visited': {'path': '/Name/*', 'window': 'ever'}}, {'inCohort': 'c'}]}}"
                        + " | {'not': {'any': [{'visited': {'path': '/Name/*', 'window': 'ever'}}, {'inCohort': 'c'}]}}",
                "{'on': {'kind': 'event', 'event': 'T', 'where': [{'name': 'p', 'op': 'gt', 'value': 1}]}}"
                        + " | {'on': {'kind': 'event', 'event': 'T', 'where': [{'op': 'gt', 'value': 1, 'property': 'p'}]}}",
            })
    void eachAllowedSpellingIsWrittenAsTheParserReadsIt(String given, String sent) {
        JsonNode input = json(given);

        JsonNode canonical = CanonicalConditionJson.of(input);

        assertThat(canonical).isEqualTo(json(sent));
        assertThat(input).as("the input is left as it was").isEqualTo(json(given));
    }

    @Test
    void noGoalStaysNone() {
        assertThat(CanonicalConditionJson.of(null)).isNull();
    }

    @Test
    void theCanonicalSpellingIsOneTheParserReadsAlike() {
        JsonNode given = json("{'all': [{'sessionProperty': {'name': 'ab', 'op': 'eq', 'value': 'b',"
                + " 'window': {'last': 2, 'unit': 'Hours', 'calendar': 1}}},"
                + " {'did': {'event': 'V', 'window': {'last': 3, 'unit': 'DAYS', 'calendar': 'true'}}}]}");

        assertThat(ConditionParser.parse(CanonicalConditionJson.of(given))).isEqualTo(ConditionParser.parse(given));
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return Json.mapper().readTree(singleQuoted.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
