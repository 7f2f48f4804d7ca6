package dev.beckon.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.ReservedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One site's history in a {@link SegmentStore}, written as a test reads it: {@code
 * history.did("ann", "BUY", "2026-03-28T10:00:00Z", "{'value': 10}")}, then {@code
 * history.members("{'did': {'event': 'BUY'}}")}. A person {@code "ann"} is the user ann on device
 * {@code dev-ann}; {@code "ann@phone"} is ann on device {@code phone}; {@code "d:phone"} is that
 * device while anonymous. JSON may be written
 * with single quotes.
 */
final class History {

    /** The default time of evaluation: noon UTC on the day clocks go forward in Europe. */
    static final Instant NOW = Instant.parse("2026-03-29T12:00:00Z");

    private final SegmentStore store;
    private final String siteId;
    private Instant now = NOW;
    private ZoneId zone = ZoneOffset.UTC;

    History(SegmentStore store, String siteId) {
        this.store = store;
        this.siteId = siteId;
    }

    String siteId() {
        return siteId;
    }

    /** Evaluates at {@code now}, with day windows in {@code zone}, from here on. */
    History at(String now, String zone) {
        this.now = Instant.parse(now);
        this.zone = ZoneId.of(zone);
        return this;
    }

    History did(String person, String event, String time) {
        return did(person, event, time, "{}");
    }

    History did(String person, String event, String time, String properties) {
        return did(person, event, time, object(properties));
    }

    /** The person did the event, with properties built in code (for text that JSON quoting would change). */
    History did(String person, String event, String time, ObjectNode properties) {
        boolean anonymous = person.startsWith(Person.DEVICE_PREFIX);
        int at = person.indexOf('@');
        String userId = anonymous ? null : at < 0 ? person : person.substring(0, at);
        String deviceId = anonymous
                ? person.substring(Person.DEVICE_PREFIX.length())
                : at < 0 ? "dev-" + person : person.substring(at + 1);
        store.append(siteId, event, Instant.parse(time), userId, deviceId, properties);
        return this;
    }

    /** The person set user properties at {@code time}. */
    History userProperties(String person, String time, String properties) {
        return did(person, ReservedEvent.USER_PROPERTIES, time, properties);
    }

    /** The person set session properties at {@code time}, in their session {@code s-dev-<person>}. */
    History sessionProperties(String person, String time, String properties) {
        return did(person, ReservedEvent.SESSION_PROPERTIES, time, properties);
    }

    /** The person viewed a page with that path at {@code time}. */
    History visited(String person, String path, String time) {
        ObjectNode properties = Json.mapper().createObjectNode().put("path", path);
        return did(person, ReservedEvent.PAGE_VIEW, time, properties);
    }

    History inCohort(String cohort, String... userIds) {
        store.addToCohort(siteId, cohort, List.of(userIds));
        return this;
    }

    /** The keys of the people the condition holds for, in key order. */
    List<String> members(String condition) {
        return members(ConditionParserTest.json(condition));
    }

    List<String> members(JsonNode condition) {
        return store.members(siteId, condition, now, zone);
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
