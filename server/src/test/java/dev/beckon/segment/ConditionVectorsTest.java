package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared vectors of the condition language (spec/condition-vectors.json), which the SDK's
 * evaluator runs too, against the DuckDB engine: each vector's events are stored in a site of its
 * own in one real database file, and the condition must hold for exactly the vector's members,
 * whichever way the segment is evaluated (members, size, or one person at a time). The server runs
 * every vector, those marked {@code serverOnly} included.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(SegmentEngine.class)
class ConditionVectorsTest {

    /** The engine of this run of the class's tests. */
    @Parameter
    SegmentEngine engine;

    static final Path VECTORS = Path.of("..", "spec", "condition-vectors.json");

    @TempDir
    static Path dataDir;

    static SegmentStore store;

    @BeforeParameterizedClassInvocation
    static void storeEveryVectorsEvents(SegmentEngine engine) throws IOException {
        store = engine.open(dataDir);
        List<JsonNode> vectors = vectors();
        for (int i = 0; i < vectors.size(); i++) {
            String siteId = siteOf(i);
            JsonNode vector = vectors.get(i);
            store.append(siteId, vector.get("events"));
            vector.path("cohorts")
                    .properties()
                    .forEach(cohort -> store.addToCohort(siteId, cohort.getKey(), texts(cohort.getValue())));
        }
    }

    @AfterParameterizedClassInvocation
    static void close() {
        store.close();
    }

    static Stream<Arguments> everyVector() throws IOException {
        List<JsonNode> vectors = vectors();
        return IntStream.range(0, vectors.size())
                .mapToObj(
                        i -> Arguments.of(i + ": " + vectors.get(i).get("name").asText(), i, vectors.get(i)));
    }

    @Test
    void theFileHoldsEveryKindOfCondition() throws IOException {
        Set<String> kinds = new TreeSet<>();
        vectors().forEach(v -> collectKinds(v.get("condition"), kinds));

        assertThat(kinds)
                .contains(
                        "all",
                        "any",
                        "not",
                        "userProperty",
                        "sessionProperty",
                        "did",
                        "didNot",
                        "sequence",
                        "visited",
                        "inCohort");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVector")
    void membersAreExactlyTheVectorsMembers(String name, int index, JsonNode vector) {
        List<String> members = store.members(siteOf(index), vector.get("condition"), now(vector), zone(vector));

        assertThat(members).as(name).containsExactlyElementsOf(sortedMembers(vector));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVector")
    void sizeCountsTheVectorsMembers(String name, int index, JsonNode vector) {
        long size = store.evaluator()
                .size(siteOf(index), ConditionParser.parse(vector.get("condition")), now(vector), zone(vector));

        assertThat(size).as(name).isEqualTo(vector.get("members").size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVector")
    void eachPersonIsInTheSegmentExactlyWhenAMember(String name, int index, JsonNode vector) {
        Condition condition = ConditionParser.parse(vector.get("condition"));
        Set<String> people = new TreeSet<>(sortedMembers(vector));
        vector.get("events").forEach(e -> people.add(personKey(e)));

        for (String key : people) {
            boolean member =
                    store.evaluator().contains(siteOf(index), condition, Person.ofKey(key), now(vector), zone(vector));

            assertThat(member)
                    .as(name + ": " + key)
                    .isEqualTo(sortedMembers(vector).contains(key));
        }
    }

    // Reading the vectors

    static List<JsonNode> vectors() throws IOException {
        JsonNode file = Json.mapper().readTree(VECTORS.toFile());
        return StreamSupport.stream(file.get("vectors").spliterator(), false).toList();
    }

    static String siteOf(int index) {
        return "vector-" + index;
    }

    private static Instant now(JsonNode vector) {
        return Instant.parse(vector.get("now").asText());
    }

    private static ZoneId zone(JsonNode vector) {
        return ZoneId.of(vector.get("timeZone").asText());
    }

    private static List<String> sortedMembers(JsonNode vector) {
        return texts(vector.get("members")).stream().sorted().toList();
    }

    /** The key of an event's own person, before identity links: its user id, else its device. */
    private static String personKey(JsonNode event) {
        return event.hasNonNull("userId")
                ? Person.USER_PREFIX + event.get("userId").asText()
                : Person.DEVICE_PREFIX + event.get("deviceId").asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static void collectKinds(JsonNode condition, Set<String> kinds) {
        if (condition == null || !condition.isObject() || condition.isEmpty()) {
            return;
        }
        String kind = condition.fieldNames().next();
        kinds.add(kind);
        JsonNode body = condition.get(kind);
        if (kind.equals("not")) {
            collectKinds(body, kinds);
        } else if (kind.equals("all") || kind.equals("any")) {
            body.forEach(child -> collectKinds(child, kinds));
        }
    }
}
