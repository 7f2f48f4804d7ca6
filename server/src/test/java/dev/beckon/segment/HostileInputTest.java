package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property names, values, event names, cohorts and paths that would break a query built from
 * text: quotes, backslashes, NUL and control characters, SQL, JSON and JSON path characters, emoji
 * and odd Unicode. Each is a value of the query (a bound parameter in DuckDB, external data in
 * ClickHouse) and matches itself, literally, and nothing else. The events are all still there
 * afterwards.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(SegmentEngine.class)
class HostileInputTest {

    /** The engine of this run of the class's tests. */
    @Parameter
    SegmentEngine engine;

    static final String INJECTION = "'; DROP TABLE events; --";

    @TempDir
    static Path dataDir;

    static SegmentStore store;
    static final AtomicInteger sites = new AtomicInteger();

    @BeforeParameterizedClassInvocation
    static void open(SegmentEngine engine) {
        store = engine.open(dataDir);
    }

    @AfterParameterizedClassInvocation
    static void close() {
        store.close();
    }

    @ParameterizedTest(name = "property {0}")
    @ValueSource(
            strings = {
                INJECTION,
                "it's \"quoted\"",
                "back\\slash\\",
                "$",
                "$.path",
                "a.b",
                "items[0]",
                "\"",
                "/",
                "~1",
                "a/b~0c",
                "😀 emoji 🙂‍↔️",
                "SELECT * FROM events",
                "%_*",
                " ",
                "nul\u0000char",
                "line\nbreak\ttab\r\u0001\u001f",
                "ends with a backslash\\",
                "\\\"",
                "\"}:{\"a\":\"",
                "\":",
                "\u202Eright to left\u202C",
                "\uFEFFzero\u200Bwidth",
                "\u2028line separator",
                "e\u0301 (e and a combining accent)",
                "𝔲𝔫𝔦𝔠𝔬𝔡𝔢 \uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
                "union select"
            })
    void anyPropertyNameAndValueMatchLiterally(String hostile) {
        History history = history();
        history.did("ann", "V", "2026-03-28T10:00:00Z", properties(hostile, hostile));
        history.did("bob", "V", "2026-03-28T10:00:00Z", properties(hostile, hostile + "x"));
        history.did("carl", "V", "2026-03-28T10:00:00Z", properties("other", hostile));
        history.did("ann", "$user_properties", "2026-03-28T10:00:00Z", properties(hostile, hostile));
        history.did("bob", "$user_properties", "2026-03-28T10:00:00Z", properties(hostile + "x", hostile));

        assertThat(history.members(did("V", filter(hostile, "eq", hostile)))).containsExactly("u:ann");
        assertThat(history.members(did("V", filter(hostile, "startsWith", hostile))))
                .containsExactly("u:ann", "u:bob");
        assertThat(history.members(did("V", filter(hostile, "contains", hostile + "x"))))
                .containsExactly("u:bob");
        assertThat(history.members(did("V", filter(hostile, "in", List.of(hostile)))))
                .containsExactly("u:ann");
        assertThat(history.members(userProperty(filter(hostile, "eq", hostile))))
                .containsExactly("u:ann");
        assertThat(history.members(userProperty(filter(hostile, "notExists", null))))
                .containsExactly("u:bob", "u:carl");
        assertThat(history.members(all())).containsExactly("u:ann", "u:bob", "u:carl");
    }

    @Test
    void eventNamesCohortsAndPathsAreDataToo() {
        History history = history()
                .did("ann", INJECTION, "2026-03-28T10:00:00Z")
                .did("bob", "'", "2026-03-28T10:00:00Z")
                .visited("ann", "/p/" + INJECTION, "2026-03-28T10:00:00Z")
                .visited("bob", "/p/'", "2026-03-28T10:00:00Z")
                .inCohort(INJECTION, "carl");
        ObjectNode visited = Json.mapper().createObjectNode();
        visited.putObject("visited").put("path", "/p/" + INJECTION);
        ObjectNode cohort = Json.mapper().createObjectNode().put("inCohort", INJECTION);

        assertThat(history.members(did(INJECTION, null))).containsExactly("u:ann");
        assertThat(history.members(visited)).containsExactly("u:ann");
        assertThat(history.members(cohort)).containsExactly("u:carl");
        assertThat(history.members(all())).containsExactly("u:ann", "u:bob", "u:carl");
    }

    @Test
    void userIdsAndDeviceIdsWithQuotesAndSeparatorsStayWhole() {
        History history = history()
                .did("o'brien\nu:x", "V", "2026-03-28T10:00:00Z")
                .did("d:dev' OR '1'='1", "V", "2026-03-28T10:00:00Z");

        assertThat(history.members(did("V", null))).containsExactly("d:dev' OR '1'='1", "u:o'brien\nu:x");
    }

    // Helpers

    private static History history() {
        return new History(store, "hostile-" + sites.incrementAndGet());
    }

    private static ObjectNode properties(String name, String value) {
        return Json.mapper().createObjectNode().put(name, value);
    }

    private static ObjectNode filter(String property, String op, Object value) {
        ObjectNode filter =
                Json.mapper().createObjectNode().put("property", property).put("op", op);
        if (value != null) {
            filter.set("value", Json.mapper().valueToTree(value));
        }
        return filter;
    }

    private static JsonNode did(String event, ObjectNode filter) {
        ObjectNode condition = Json.mapper().createObjectNode();
        ObjectNode did = condition.putObject("did").put("event", event);
        if (filter != null) {
            did.putArray("where").add(filter);
        }
        return condition;
    }

    private static JsonNode userProperty(ObjectNode filter) {
        ObjectNode condition = Json.mapper().createObjectNode();
        condition.set("userProperty", filter);
        return condition;
    }

    private static JsonNode all() {
        ObjectNode condition = Json.mapper().createObjectNode();
        condition.putArray("all");
        return condition;
    }
}
