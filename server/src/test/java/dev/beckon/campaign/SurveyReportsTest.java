package dev.beckon.campaign;

import static dev.beckon.Batches.event;
import static dev.beckon.campaign.CampaignFixtures.create;
import static dev.beckon.campaign.CampaignFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.TestServer;
import dev.beckon.robustness.MutableClock;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A survey's report, text answers and responses export on a real server and store, checked against
 * a small data set whose figures were worked out by hand (below). The survey is the example of
 * docs/surveys.md: nps (required; 9 or more goes to the end), why (single choice with "other"),
 * stars (rating), wish (long text).
 *
 * <pre>
 * response  person        answers (latest)                           completed
 * r1        ann (d-a1)    nps 10                                     yes
 * r2        d-b           nps 9                                      yes
 * r3        d-c           nps 7, why Price, stars 4, wish text       yes
 * r4        d-d           nps 3, why other (a formula), stars 2      no: left after stars
 * r5        d-e           nps 6                                      no: left after nps
 * r6        d-f           nps 8, why skipped, stars 5, wish formula  yes
 * r7        ann (d-a2)    nps 0 then 5, why Delivery time            no: left after why
 * r8        d-p preview   nps 0                                      yes, but a preview never counts
 * showings: one for each of r1 to r7, and d-g, who closed it at the intro: 8, by 7 people.
 *
 * started 7, completed 4, partial 3, people 6 (ann twice), completion 4/7, left before answering 1.
 * nps: 10 9 7 3 6 8 5: promoters 2, passives 2, detractors 3, NPS 100 × (2 − 3) / 7 = −14.29;
 *      mean 48/7; reached 7, left after 1 (r5).
 * why: reached 4 (r3 r4 r6 r7), answered 3, skipped 1; Price 1, Delivery time 1, sizes 0, Other 1;
 *      left after 1 (r7).
 * stars: reached 3, answered 3: 2, 4, 5; mean 11/3; left after 1 (r4).
 * wish: reached 2, answered 2, left after 0.
 * </pre>
 */
class SurveyReportsTest {

    static final String BASE = "/api/v1/sites/demo/campaigns/";
    static final String FORMULA = "=HYPERLINK(\"http://evil\",\"x\")";
    static final String OTHER_FORMULA = "+cmd|' /C calc'!A0";
    static final String WISH = "Faster delivery, 100% please";

    @TempDir
    static Path dataDir;

    static TestServer server;
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    static final Instant START = clock.instant().minus(Duration.ofHours(2));

    @BeforeAll
    static void startWithAnsweredSurvey() {
        server = TestServer.start(dataDir, clock);
        create(server, "hand", CampaignFixtures.survey());
        publish(server, "hand");
        create(server, "nudge", CampaignFixtures.simple("A nudge"));
        List<ObjectNode> events = new ArrayList<>();
        respond(events, 1, "ann", "d-a1", true, answer("nps", "nps", 10));
        respond(events, 2, null, "d-b", true, answer("nps", "nps", 9));
        respond(
                events,
                3,
                null,
                "d-c",
                true,
                answer("nps", "nps", 7),
                answer("why", "single", "Price"),
                answer("stars", "rating", 4),
                answer("wish", "text", WISH));
        ObjectNode other = answer("why", "single", OTHER_FORMULA);
        other.put("other", OTHER_FORMULA);
        respond(events, 4, null, "d-d", false, answer("nps", "nps", 3), other, answer("stars", "rating", 2));
        respond(events, 5, null, "d-e", false, answer("nps", "nps", 6));
        ObjectNode skipped = answer("why", "single", null);
        skipped.put("skipped", true);
        respond(
                events,
                6,
                null,
                "d-f",
                true,
                answer("nps", "nps", 8),
                skipped,
                answer("stars", "rating", 5),
                answer("wish", "text", FORMULA));
        respond(
                events,
                7,
                "ann",
                "d-a2",
                false,
                answer("nps", "nps", 0),
                answer("nps", "nps", 5),
                answer("why", "single", "Delivery time"));
        for (ObjectNode e : respond(new ArrayList<>(), 8, null, "d-p", true, answer("nps", "nps", 0))) {
            if (e.get("name").asText().startsWith("$survey")
                    || e.get("name").asText().equals("$campaign_shown")) {
                e.with("properties").put("variant", "preview");
            }
            events.add(e);
        }
        events.add(plugin("$campaign_shown", null, "d-g", "hand", null, at(9, 0)));
        events.add(plugin("$campaign_dismissed", null, "d-g", "hand", null, at(9, 1)));
        // An answer to another campaign.
        events.add(plugin("$survey_answered", null, "d-b", "nudge", "r-other-campaign-1", at(9, 2))
                .set(
                        "properties",
                        answer("nps", "nps", 0)
                                .put("campaignId", "nudge")
                                .put("variant", "test")
                                .put("responseId", "r-other-campaign-1")));
        server.ingestAccepted(events.toArray(ObjectNode[]::new));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theResponsesAreCountedAsWorkedOutByHand() {
        JsonNode summary = summary();

        assertThat(summary.get("shownPeople").asLong()).isEqualTo(7);
        assertThat(summary.get("showings").asLong()).isEqualTo(8);
        assertThat(summary.get("started").asLong()).isEqualTo(7);
        assertThat(summary.get("completed").asLong()).isEqualTo(4);
        assertThat(summary.get("partial").asLong()).isEqualTo(3);
        assertThat(summary.get("people").asLong()).isEqualTo(6);
        assertThat(summary.get("leftBeforeAnswering").asLong()).isEqualTo(1);
        assertThat(summary.get("completionRate").asDouble()).isCloseTo(4.0 / 7, within(1e-9));
    }

    @Test
    void theNpsIsPromotersLessDetractorsOverThoseWhoAnswered() {
        JsonNode nps = question("nps");

        assertThat(nps.at("/nps/promoters").asLong()).isEqualTo(2);
        assertThat(nps.at("/nps/passives").asLong()).isEqualTo(2);
        assertThat(nps.at("/nps/detractors").asLong()).isEqualTo(3);
        assertThat(nps.at("/nps/score").asDouble()).isCloseTo(-100.0 / 7, within(1e-9));
        assertThat(nps.get("average").asDouble()).isCloseTo(48.0 / 7, within(1e-9));
        assertThat(counts(nps))
                .isEqualTo(Map.ofEntries(
                        Map.entry("0", 0L),
                        Map.entry("1", 0L),
                        Map.entry("2", 0L),
                        Map.entry("3", 1L),
                        Map.entry("4", 0L),
                        Map.entry("5", 1L),
                        Map.entry("6", 1L),
                        Map.entry("7", 1L),
                        Map.entry("8", 1L),
                        Map.entry("9", 1L),
                        Map.entry("10", 1L)));
    }

    @Test
    void eachQuestionsDistributionAndDropOffAreAsWorkedOutByHand() {
        JsonNode nps = question("nps");
        JsonNode why = question("why");
        JsonNode stars = question("stars");
        JsonNode wish = question("wish");

        assertThat(figures(nps)).containsExactly(7L, 7L, 0L, 1L);
        assertThat(nps.get("dropOffRate").asDouble()).isCloseTo(1.0 / 7, within(1e-9));
        assertThat(figures(why)).containsExactly(4L, 3L, 1L, 1L);
        assertThat(counts(why)).isEqualTo(Map.of("Price", 1L, "Delivery time", 1L, "Choice of sizes", 0L, "Other", 1L));
        assertThat(counts(why).keySet()).containsExactly("Price", "Delivery time", "Choice of sizes", "Other");
        assertThat(why.at("/distribution/0/share").asDouble()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(why.get("nps").isNull()).isTrue();
        assertThat(figures(stars)).containsExactly(3L, 3L, 0L, 1L);
        assertThat(counts(stars)).isEqualTo(Map.of("1", 0L, "2", 1L, "3", 0L, "4", 1L, "5", 1L));
        assertThat(stars.get("average").asDouble()).isCloseTo(11.0 / 3, within(1e-9));
        assertThat(figures(wish)).containsExactly(2L, 2L, 0L, 0L);
        assertThat(wish.get("distribution")).isEmpty();
    }

    @Test
    void textAnswersAndOtherTextsComeNewestFirst() {
        JsonNode page = texts("");

        assertThat(page.get("answers").findValuesAsText("text")).containsExactly(FORMULA, OTHER_FORMULA, WISH);
        assertThat(page.get("answers").findValuesAsText("questionId")).containsExactly("wish", "why", "wish");
        assertThat(page.at("/answers/1/other").asBoolean()).isTrue();
        assertThat(page.get("next").isNull()).isTrue();
    }

    @Test
    void theSearchIsACaseInsensitiveSubstringWithNoWildcards() {
        assertThat(textsFound("DELIVERY")).containsExactly(WISH);
        assertThat(textsFound("100%")).containsExactly(WISH);
        assertThat(textsFound("%")).containsExactly(WISH);
        assertThat(textsFound("_")).isEmpty();
        assertThat(textsFound("' OR '1'='1")).isEmpty();
        assertThat(textsFound("'; DROP TABLE events; --")).isEmpty();
        assertThat(textsFound("calc'!")).containsExactly(OTHER_FORMULA);
        assertThat(summary().get("started").asLong()).isEqualTo(7);
    }

    @Test
    void textsArePagedWithTheCursorOfThePageBefore() {
        JsonNode first = server.admin(BASE + "hand/survey/answers?limit=2").json();
        JsonNode second = server.admin(BASE + "hand/survey/answers?limit=2&cursor="
                        + URLEncoder.encode(first.get("next").asText(), StandardCharsets.UTF_8))
                .json();

        assertThat(first.get("answers").findValuesAsText("text")).containsExactly(FORMULA, OTHER_FORMULA);
        assertThat(second.get("answers").findValuesAsText("text")).containsExactly(WISH);
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(first.get("answers").get(1).get("cursor").asText())
                .as("an answer's cursor is what the route takes back")
                .isEqualTo(first.get("next").asText());
    }

    @Test
    void oneQuestionsTextsAndTheRefusalsOfTheTextRoute() {
        assertThat(server.admin(BASE + "hand/survey/answers?question=why")
                        .json()
                        .get("answers")
                        .findValuesAsText("text"))
                .containsExactly(OTHER_FORMULA);
        assertError(
                server.admin(BASE + "hand/survey/answers?question=stars"),
                400,
                "question: 'stars' is no question of this survey with text answers; those are [why, wish]");
        assertError(
                server.admin(BASE + "hand/survey/answers?limit=0"), 400, "limit: must be a whole number from 1 to 200");
        assertError(
                server.admin(BASE + "hand/survey/answers?limit=-1"),
                400,
                "limit: must be a whole number from 1 to 200");
        assertError(
                server.admin(BASE + "hand/survey/answers?cursor=x'--"),
                400,
                "cursor: pass the 'next' of the page before");
        assertError(
                server.admin(BASE + "hand/survey/answers?q=" + "x".repeat(201)),
                400,
                "q: must be at most 200 characters");
        assertError(server.admin(BASE + "nudge/survey"), 400, "campaign 'nudge' is a nudge; only a survey has answers");
        assertError(server.admin(BASE + "missing/survey"), 404, "site 'demo' has no campaign 'missing'");
    }

    @Test
    void theExportHasOneRowAResponseWithEachLatestAnswer() {
        List<JsonNode> rows = jsonLines(
                server.admin(BASE + "hand/responses/export?format=jsonl").body());

        assertThat(rows).hasSize(7);
        JsonNode r7 = row(rows, "r7");
        assertThat(r7.get("userId").asText()).isEqualTo("ann");
        assertThat(r7.get("deviceId").asText()).isEqualTo("d-a2");
        assertThat(r7.get("completed").asBoolean()).isFalse();
        assertThat(r7.get("answer:nps").asInt()).isEqualTo(5);
        assertThat(r7.get("answer:why").asText()).isEqualTo("Delivery time");
        assertThat(r7.get("answer:stars").isNull()).isTrue();
        assertThat(r7.get("startedAt").asText()).isEqualTo(Json.TIME_FORMAT.format(at(7, 1)));
        assertThat(row(rows, "r4").get("other:why").asText()).isEqualTo(OTHER_FORMULA);
        assertThat(row(rows, "r6").get("answer:wish").asText()).isEqualTo(FORMULA);
        assertThat(row(rows, "r6").get("answer:why").isNull()).isTrue();
        assertThat(row(rows, "r2").get("userId").isNull()).isTrue();
    }

    @Test
    void theCsvExportNeutralisesFormulaCellsAndNothingElse() throws IOException {
        var answer = server.admin(BASE + "hand/responses/export?format=csv");
        List<CSVRecord> records = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .build()
                .parse(new StringReader(answer.body()))
                .getRecords();

        assertThat(answer.header("Content-Disposition").orElseThrow()).contains("beckon-responses-hand.csv");
        assertThat(records.getFirst().getParser().getHeaderNames())
                .containsExactly(
                        "responseId",
                        "userId",
                        "deviceId",
                        "startedAt",
                        "completed",
                        "answer:nps",
                        "answer:why",
                        "other:why",
                        "answer:stars",
                        "answer:wish");
        CSVRecord r6 = record(records, "r6");
        CSVRecord r4 = record(records, "r4");
        assertThat(r6.get("answer:wish")).isEqualTo("'" + FORMULA);
        assertThat(r4.get("other:why")).isEqualTo("'" + OTHER_FORMULA);
        assertThat(r4.get("answer:why")).isEqualTo("'" + OTHER_FORMULA);
        assertThat(record(records, "r3").get("answer:wish")).isEqualTo(WISH);
        assertThat(r4.get("answer:nps")).isEqualTo("3");
        assertThat(r4.get("completed")).isEqualTo("false");
    }

    @Test
    void theFunnelCountsAnswersWhereANudgeHasClicks() {
        JsonNode funnel = server.admin(BASE + "hand/funnel").json();

        assertThat(funnel.at("/test/clicked").asLong()).isEqualTo(6);
        assertThat(funnel.at("/test/shown").asLong()).isEqualTo(7);
    }

    @Test
    void aViewerReadsTheReportsButMayNotExportTheResponses() {
        String viewerKey = server.api(
                        "POST", "/api/v1/keys", TestServer.ADMIN_KEY, "{\"label\": \"viewer\", \"role\": \"viewer\"}")
                .json()
                .get("secret")
                .asText();

        assertThat(server.api("GET", BASE + "hand/survey", viewerKey, null).status())
                .isEqualTo(200);
        assertThat(server.api("GET", BASE + "hand/survey/answers", viewerKey, null)
                        .status())
                .isEqualTo(200);
        assertThat(server.api("GET", BASE + "hand/responses/export?format=csv", viewerKey, null)
                        .status())
                .isEqualTo(403);
    }

    // The data set

    /** The events of one response: shown, each answer, and completed when it was. */
    static List<ObjectNode> respond(
            List<ObjectNode> events, int n, String userId, String deviceId, boolean completed, ObjectNode... answers) {
        String response = "r" + n;
        events.add(plugin("$campaign_shown", userId, deviceId, "hand", null, at(n, 0)));
        for (int i = 0; i < answers.length; i++) {
            ObjectNode answered = plugin("$survey_answered", userId, deviceId, "hand", response, at(n, i + 1));
            answered.with("properties").setAll(answers[i]);
            answered.with("properties").put("index", i);
            events.add(answered);
        }
        if (completed) {
            ObjectNode done =
                    plugin("$survey_completed", userId, deviceId, "hand", response, at(n, answers.length + 1));
            done.with("properties").put("answered", answers.length);
            events.add(done);
        }
        return events;
    }

    static ObjectNode answer(String questionId, String type, Object value) {
        ObjectNode answer =
                Json.mapper().createObjectNode().put("questionId", questionId).put("questionType", type);
        switch (value) {
            case null -> {}
            case Integer score -> answer.put("answer", score);
            default -> answer.put("answer", value.toString());
        }
        return answer;
    }

    static ObjectNode plugin(
            String name, String userId, String deviceId, String campaignId, String responseId, Instant time) {
        ObjectNode event = event(name)
                .put("deviceId", deviceId)
                .put("sessionId", "s-" + deviceId)
                .put("clientTime", time.toEpochMilli());
        if (userId != null) {
            event.put("userId", userId);
        }
        ObjectNode properties = event.with("properties")
                .put("campaignId", campaignId)
                .put("campaignVersion", 1)
                .put("variant", "test");
        if (responseId != null) {
            properties.put("responseId", responseId);
        }
        return event;
    }

    /** Response {@code n}'s {@code step}th event: responses a minute apart, events ten seconds apart. */
    static Instant at(int n, int step) {
        return START.plus(Duration.ofMinutes(n)).plusSeconds(10L * step);
    }

    // Reading the answers

    static JsonNode summary() {
        var answer = server.admin(BASE + "hand/survey");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    static JsonNode question(String id) {
        for (JsonNode question : summary().get("questions")) {
            if (question.get("id").asText().equals(id)) {
                return question;
            }
        }
        throw new AssertionError("no question " + id);
    }

    /** reached, answered, skipped, left after. */
    static List<Long> figures(JsonNode question) {
        return List.of(
                question.get("reached").asLong(),
                question.get("answered").asLong(),
                question.get("skipped").asLong(),
                question.get("leftAfter").asLong());
    }

    static Map<String, Long> counts(JsonNode question) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        question.get("distribution")
                .forEach(b -> counts.put(b.get("value").asText(), b.get("count").asLong()));
        return counts;
    }

    static JsonNode texts(String query) {
        var answer = server.admin(BASE + "hand/survey/answers" + query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    static List<String> textsFound(String search) {
        return texts("?q=" + URLEncoder.encode(search, StandardCharsets.UTF_8))
                .get("answers")
                .findValuesAsText("text");
    }

    static void assertError(TestServer.Response answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error").asText()).isEqualTo(message);
    }

    static List<JsonNode> jsonLines(String body) {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            try {
                rows.add(Json.mapper().readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    static JsonNode row(List<JsonNode> rows, String responseId) {
        return rows.stream()
                .filter(r -> r.get("responseId").asText().equals(responseId))
                .findFirst()
                .orElseThrow();
    }

    static CSVRecord record(List<CSVRecord> records, String responseId) {
        return records.stream()
                .filter(r -> r.get("responseId").equals(responseId))
                .findFirst()
                .orElseThrow();
    }
}
