package dev.beckon.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;

/**
 * The JSON of the condition language in the one spelling that the SDK's nudges plugin reads: what
 * {@link ConditionParser} allows in other spellings is written as it reads them. A property filter's
 * {@code name} becomes {@code property}, a unit (of a window or of a sequence's {@code within}) is
 * lower case, and a window's {@code calendar} is the boolean the parser takes it for (Jackson's
 * {@code asBoolean}: {@code true}, {@code "true"} or a non-zero integer).
 *
 * <p>The config endpoint sends campaigns' trigger conditions and filters this way, so that the
 * plugin's evaluator carries no reading of the other spellings; the SDK's {@code evaluate()} turns
 * the other spellings into these itself ({@code sdk/web/src/conditions/canonical.ts}, the same
 * rules). Everything else is copied as it is. The input must have passed the parser.
 */
public final class CanonicalConditionJson {

    private CanonicalConditionJson() {}

    /** A copy of node (a condition, a trigger, a goal or a list of filters) in the one spelling; null stays null. */
    public static JsonNode of(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        rewrite(copy);
        return copy;
    }

    private static void rewrite(JsonNode node) {
        if (node instanceof ObjectNode object) {
            // A property filter is the only object of the language with an op.
            if (object.has("op") && object.has("name")) {
                object.set("property", object.remove("name"));
            }
            if (object.get("unit") instanceof TextNode unit) {
                object.put("unit", unit.asText().toLowerCase(Locale.ROOT));
            }
            if (object.has("calendar")) {
                object.put("calendar", object.get("calendar").asBoolean(false));
            }
        }
        node.forEach(CanonicalConditionJson::rewrite);
    }
}
