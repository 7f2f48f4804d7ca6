package dev.beckon.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A saved segment of a site.
 *
 * @param condition the condition in its JSON form, as given (docs/segments.md)
 */
public record Segment(String siteId, String id, String name, JsonNode condition, Instant createdAt, Instant updatedAt) {

    /** The parsed condition; a stored segment was checked when it was saved, so this does not fail. */
    public Condition parsed() {
        return ConditionParser.parse(condition);
    }
}
