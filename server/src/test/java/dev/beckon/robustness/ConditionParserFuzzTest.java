package dev.beckon.robustness;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import dev.beckon.segment.ConditionParser;
import dev.beckon.segment.InvalidConditionException;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the segment condition parser with Jazzer: any JSON document either
 * parses to a condition or is refused with {@link InvalidConditionException}; any other exception,
 * or a hang, fails the test. Bounded in time under {@code mvn verify}, like BatchReaderFuzzTest.
 */
class ConditionParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyJsonIsParsedOrRefusedWithAReason(byte[] input) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(input);
        } catch (IOException e) {
            return; // not JSON (or not in any Unicode encoding): the routes refuse it before the parser
        }
        if (json == null) {
            return;
        }
        try {
            ConditionParser.parse(json);
        } catch (InvalidConditionException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a refusal without a reason for " + json, e);
            }
        }
    }
}
