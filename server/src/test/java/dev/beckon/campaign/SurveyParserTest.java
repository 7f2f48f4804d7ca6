package dev.beckon.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of a survey's content (docs/surveys.md), refused with a message that starts with the
 * field's path: one change to the example of docs/surveys.md per case, then the hostile inputs that
 * must pass as plain text or be refused.
 */
class SurveyParserTest {

    @Test
    void theContractsExampleIsAcceptedAndReadsBackAsWritten() {
        ObjectNode example = CampaignFixtures.survey();

        CampaignDefinition definition = CampaignParser.parse(example);

        assertThat(definition.kind()).isEqualTo("survey");
        assertThat(CampaignJson.definition(definition).toString()).isEqualTo(example.toString());
    }

    @Test
    void theSmallestSurveyIsOneQuestionWithoutScreensOrLayout() {
        ObjectNode survey = CampaignFixtures.json("{'name': 'One', 'kind': 'survey', 'trigger': {'on': {'kind':"
                + " 'pageView'}}, 'content': {'questions': [{'id': 'q', 'type': 'text', 'text': 'Why?'}]}}");

        assertThat(CampaignParser.parse(survey).content().get("questions")).hasSize(1);
        assertThat(CampaignParser.parse(survey).content().get("layout").asText())
                .as("the plugins draw only content with a layout")
                .isEqualTo("modal");
    }

    @Test
    void everyTypeAndEveryOperatorOfItsOwnIsAccepted() {
        ObjectNode survey = CampaignFixtures.survey();
        ArrayNode questions = questions(survey);
        questions.removeAll();
        questions.add(CampaignFixtures.json("{'id': 'a', 'type': 'nps', 'text': 'A', 'logic': ["
                + "{'if': {'op': 'eq', 'value': 0}, 'goTo': 'e'}, {'if': {'op': 'neq', 'value': 10}, 'goTo': 'b'},"
                + "{'if': {'op': 'lt', 'value': 5}, 'goTo': 'c'}, {'if': {'op': 'lte', 'value': 5}, 'goTo': 'd'},"
                + "{'if': {'op': 'gt', 'value': 7}, 'goTo': 'end'}, {'if': {'op': 'answered'}, 'goTo': 'e'},"
                + "{'if': {'op': 'skipped'}, 'goTo': 'e'}]}"));
        questions.add(CampaignFixtures.json("{'id': 'b', 'type': 'rating', 'scale': 'emoji', 'text': 'B',"
                + " 'required': true, 'logic': [{'if': {'op': 'gte', 'value': 5}, 'goTo': 'end'}]}"));
        questions.add(CampaignFixtures.json("{'id': 'c', 'type': 'single', 'text': 'C', 'choices': ['x', 'y'],"
                + " 'logic': [{'if': {'op': 'is', 'value': 'x'}, 'goTo': 'e'}, {'if': {'op': 'isNot', 'value': 'y'},"
                + " 'goTo': 'end'}]}"));
        questions.add(CampaignFixtures.json("{'id': 'd', 'type': 'multiple', 'text': 'D', 'choices': ['x', 'y'],"
                + " 'other': true, 'logic': [{'if': {'op': 'includes', 'value': 'y'}, 'goTo': 'e'}]}"));
        questions.add(CampaignFixtures.json("{'id': 'e', 'type': 'text', 'text': 'E', 'maxLength': 5000,"
                + " 'logic': [{'if': {'op': 'answered'}, 'goTo': 'end'}]}"));

        assertThat(CampaignParser.parse(survey).content().get("questions")).hasSize(5);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refused(c -> content(c).put("title", "Hi"), "content.title: is not a field here"),
                refused(
                        c -> content(c).put("layout", "banner"),
                        "content.layout: must be one of modal, card, not 'banner'"),
                refused(
                        c -> content(c).with("theme").put("accent", "red"),
                        "content.theme.accent: must be a colour such as #2457ff or #fff"),
                refused(c -> content(c).put("intro", "Hello"), "content.intro: must be an object"),
                refused(
                        c -> content(c).with("intro").put("title", "x".repeat(201)),
                        "content.intro.title: is longer than 200 characters"),
                refused(
                        c -> content(c).with("intro").put("body", "x".repeat(2001)),
                        "content.intro.body: is longer than 2000 characters"),
                refused(
                        c -> content(c).with("intro").put("button", "x".repeat(101)),
                        "content.intro.button: is longer than 100 characters"),
                refused(
                        c -> content(c).with("intro").put("title", "").put("body", ""),
                        "content.intro: give a title or a body"),
                refused(
                        c -> content(c).with("intro").put("title", "Two\nlines"),
                        "content.intro.title: must be one line"),
                refused(c -> content(c).with("thanks").put("button", "Close"), "content.thanks.button: is not a field"),
                refused(
                        c -> content(c).with("thanks").put("body", "a\u0007b"),
                        "content.thanks.body: must not hold control characters"),
                refused(c -> content(c).remove("questions"), "content.questions: must be a list of 1 to 20 questions"),
                refused(c -> questions(c).removeAll(), "content.questions: must be a list of 1 to 20 questions"),
                refused(
                        c -> {
                            for (int i = 0; i < 17; i++) {
                                questions(c)
                                        .add(CampaignFixtures.json(
                                                "{'id': 'q" + i + "', 'type': 'text', 'text':" + " 'Q'}"));
                            }
                        },
                        "content.questions: must be a list of 1 to 20 questions"),
                refused(c -> questions(c).add("nps"), "content.questions[4]: must be an object"),
                refused(
                        c -> question(c, 0).put("type", "slider"),
                        "content.questions[0].type: must be one of nps, rating, single, multiple, text, not 'slider'"),
                refused(c -> question(c, 0).remove("id"), "content.questions[0].id: must be 1 to 64 of a-z"),
                refused(c -> question(c, 0).put("id", "NPS"), "content.questions[0].id: must be 1 to 64 of a-z"),
                refused(
                        c -> question(c, 0).put("id", "x".repeat(65)),
                        "content.questions[0].id: must be 1 to 64 of a-z"),
                refused(c -> question(c, 0).put("id", "a b"), "content.questions[0].id: must be 1 to 64 of a-z"),
                refused(
                        c -> question(c, 0).put("id", "end"),
                        "content.questions[0].id: 'end' names the thank-you screen"),
                refused(
                        c -> question(c, 2).put("id", "why"),
                        "content.questions[2].id: 'why' is already the id of questions[1]"),
                refused(c -> question(c, 0).remove("text"), "content.questions[0].text: must be a non-empty string"),
                refused(c -> question(c, 0).put("text", " "), "content.questions[0].text: must be a non-empty string"),
                refused(
                        c -> question(c, 0).put("text", "x".repeat(501)),
                        "content.questions[0].text: is longer than 500 characters"),
                refused(c -> question(c, 0).put("text", "a\nb"), "content.questions[0].text: must be one line"),
                refused(
                        c -> question(c, 0).put("text", "Rate \u202Eus"),
                        "content.questions[0].text: " + CampaignParser.OVERRIDE),
                refused(
                        c -> question(c, 0).put("text", "\ud800 lone"),
                        "content.questions[0].text: must not hold control characters or unpaired surrogates"),
                refused(c -> question(c, 0).put("required", "yes"), "content.questions[0].required: must be true"),
                refused(c -> question(c, 0).put("scale", "stars"), "content.questions[0].scale: is not a field here"),
                refused(c -> question(c, 0).put("colour", "red"), "content.questions[0].colour: is not a field here"),
                refused(
                        c -> question(c, 0).put("lowLabel", "x".repeat(101)),
                        "content.questions[0].lowLabel: is longer than 100 characters"),
                refused(c -> question(c, 0).put("highLabel", 10), "content.questions[0].highLabel: must be a string"),
                refused(
                        c -> question(c, 1).put("lowLabel", "No"),
                        "content.questions[1].lowLabel: is not a field here"),
                refused(
                        c -> question(c, 1).remove("choices"),
                        "content.questions[1].choices: must be a list of 2 to 20 choices"),
                refused(
                        c -> question(c, 1).putArray("choices").add("Only"),
                        "content.questions[1].choices: must be a list of 2 to 20 choices"),
                refused(
                        c -> {
                            ArrayNode choices = question(c, 1).putArray("choices");
                            for (int i = 0; i < 21; i++) {
                                choices.add("c" + i);
                            }
                        },
                        "content.questions[1].choices: must be a list of 2 to 20 choices"),
                refused(
                        c -> question(c, 1).withArray("choices").add(""),
                        "content.questions[1].choices[3]: must be a non-empty string"),
                refused(
                        c -> question(c, 1).withArray("choices").add(3),
                        "content.questions[1].choices[3]: must be a non-empty string"),
                refused(
                        c -> question(c, 1).withArray("choices").add("x".repeat(201)),
                        "content.questions[1].choices[3]: is longer than 200 characters"),
                refused(
                        c -> question(c, 1).withArray("choices").add(" Price "),
                        "content.questions[1].choices[3]: is the same as choices[0]; choices must be distinct"),
                refused(c -> question(c, 1).put("other", "yes"), "content.questions[1].other: must be true or false"),
                refused(
                        c -> question(c, 2).put("scale", "hearts"),
                        "content.questions[2].scale: must be one of stars, emoji, not 'hearts'"),
                refused(c -> question(c, 2).putArray("choices"), "content.questions[2].choices: is not a field here"),
                refused(
                        c -> question(c, 3).put("maxLength", 0),
                        "content.questions[3].maxLength: must be a whole number from 1 to 5000"),
                refused(
                        c -> question(c, 3).put("maxLength", 5001),
                        "content.questions[3].maxLength: must be a whole number from 1 to 5000"),
                refused(
                        c -> question(c, 3).put("maxLength", 10.5),
                        "content.questions[3].maxLength: must be a whole number from 1 to 5000"),
                refused(
                        c -> question(c, 3).put("placeholder", "x".repeat(201)),
                        "content.questions[3].placeholder: is longer than 200 characters"),
                refused(c -> question(c, 3).put("long", 1), "content.questions[3].long: must be true or false"),
                refused(c -> question(c, 0).put("logic", "end"), "content.questions[0].logic: must be a list"),
                refused(
                        c -> {
                            ArrayNode logic = question(c, 0).putArray("logic");
                            for (int i = 0; i < 21; i++) {
                                logic.add(CampaignFixtures.json("{'if': {'op': 'answered'}, 'goTo': 'end'}"));
                            }
                        },
                        "content.questions[0].logic: must be a list of at most 20 rules"),
                refused(c -> rule(c, 0).put("then", "end"), "content.questions[0].logic[0].then: is not a field here"),
                refused(c -> rule(c, 0).remove("if"), "content.questions[0].logic[0].if: must be an object"),
                refused(
                        c -> rule(c, 0).with("if").put("op", "is"),
                        "content.questions[0].logic[0].if.op: must be one of eq, neq, lt, lte, gt, gte, answered,"
                                + " skipped, not 'is'"),
                refused(
                        c -> rule(c, 0).with("if").remove("value"),
                        "content.questions[0].logic[0].if.value: is required"),
                refused(
                        c -> rule(c, 0).with("if").put("value", 11),
                        "content.questions[0].logic[0].if.value: must be a whole number from 0 to 10"),
                refused(
                        c -> rule(c, 0).with("if").put("value", "9"),
                        "content.questions[0].logic[0].if.value: must be a whole number from 0 to 10"),
                refused(
                        c -> rule(c, 0).with("if").put("op", "skipped").remove("value"),
                        "content.questions[0].logic[0].if.op: a required question is never skipped"),
                refused(
                        c -> rule(c, 0).with("if").put("op", "answered"),
                        "content.questions[0].logic[0].if.value: is not a field here"),
                refused(
                        c -> rule(c, 0).with("if").put("values", 9),
                        "content.questions[0].logic[0].if.values: is not a field here"),
                refused(c -> rule(c, 0).remove("goTo"), "content.questions[0].logic[0].goTo: must be 'end' or the id"),
                refused(
                        c -> rule(c, 0).put("goTo", "nowhere"),
                        "content.questions[0].logic[0].goTo: 'nowhere' is not the id of a question"),
                refused(
                        c -> rule(c, 0).put("goTo", "nps"),
                        "content.questions[0].logic[0].goTo: 'nps' is not a question after 'nps'; logic only goes"
                                + " forward"),
                refused(
                        c -> question(c, 2)
                                .putArray("logic")
                                .add(CampaignFixtures.json("{'if': {'op': 'lt', 'value': 3}, 'goTo': 'why'}")),
                        "content.questions[2].logic[0].goTo: 'why' is not a question after 'stars'"),
                refused(
                        c -> question(c, 2)
                                .putArray("logic")
                                .add(CampaignFixtures.json("{'if': {'op': 'lt', 'value': 0}, 'goTo': 'end'}")),
                        "content.questions[2].logic[0].if.value: must be a whole number from 1 to 5"),
                refused(
                        c -> question(c, 1)
                                .putArray("logic")
                                .add(CampaignFixtures.json("{'if': {'op': 'is', 'value': 'Colour'}, 'goTo': 'end'}")),
                        "content.questions[1].logic[0].if.value: must be one of the question's choices [Price,"
                                + " Delivery time, Choice of sizes]"),
                refused(
                        c -> question(c, 1)
                                .putArray("logic")
                                .add(CampaignFixtures.json(
                                        "{'if': {'op': 'includes', 'value': 'Price'}, 'goTo':" + " 'end'}")),
                        "content.questions[1].logic[0].if.op: must be one of is, isNot, answered, skipped"),
                refused(
                        c -> question(c, 3)
                                .putArray("logic")
                                .add(CampaignFixtures.json("{'if': {'op': 'eq', 'value': 1}, 'goTo': 'end'}")),
                        "content.questions[3].logic[0].if.op: must be one of answered, skipped, not 'eq'"),
                refused(
                        c -> c.putObject("goal").put("event", "ORDER").put("after", "clicked"),
                        "goal.after: a survey has no clicks"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void eachRuleIsRefusedWithItsPath(Consumer<ObjectNode> change, String message) {
        ObjectNode survey = CampaignFixtures.survey();
        change.accept(survey);

        assertThatThrownBy(() -> CampaignParser.parse(survey))
                .isInstanceOf(InvalidCampaignException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void scriptAndSqlInTextsAreKeptAsTextForThePluginToDrawAsText() {
        ObjectNode survey = CampaignFixtures.survey();
        question(survey, 0).put("text", "<script>alert(1)</script> {username|<img src=x onerror=alert(1)>}");
        question(survey, 1)
                .putArray("choices")
                .add("<b onmouseover=alert(1)>Price</b>")
                .add("'; DROP TABLE events; --");

        ObjectNode content = CampaignParser.parse(survey).content();

        assertThat(content.at("/questions/0/text").asText()).startsWith("<script>alert(1)</script>");
        assertThat(content.at("/questions/1/choices/1").asText()).isEqualTo("'; DROP TABLE events; --");
    }

    @Test
    void oddUnicodeThatIsTextIsKeptAndControlsAreRefused() {
        ObjectNode survey = CampaignFixtures.survey();
        String odd = "Ça va? 😀 \u2067evil\u2069 \u202Bembedded\u202C \u200B العربية";
        question(survey, 0).put("text", odd);
        question(survey, 1).putArray("choices").add("😀").add("😀\u200D");

        assertThat(CampaignParser.parse(survey)
                        .content()
                        .at("/questions/0/text")
                        .asText())
                .isEqualTo(odd);

        question(survey, 1).putArray("choices").add("a\u0000").add("b");
        assertThatThrownBy(() -> CampaignParser.parse(survey))
                .hasMessageStartingWith("content.questions[1].choices[0]: must not hold control characters");
    }

    @Test
    void hugeTextsAreRefusedAtTheirLimitsWhateverTheirSize() {
        ObjectNode survey = CampaignFixtures.survey();
        question(survey, 0).put("text", "x".repeat(MAX_BODY_BYTES));

        assertThatThrownBy(() -> CampaignParser.parse(survey))
                .hasMessage("content.questions[0].text: is longer than 500 characters");

        question(survey, 0).put("text", "x".repeat(500));
        assertThat(CampaignParser.parse(survey)
                        .content()
                        .at("/questions/0/text")
                        .asText())
                .hasSize(500);
    }

    /** About the size of the largest admin body, 256 KiB. */
    private static final int MAX_BODY_BYTES = 250_000;

    private static ObjectNode content(ObjectNode survey) {
        return survey.with("content");
    }

    private static ArrayNode questions(ObjectNode survey) {
        return content(survey).withArray("questions");
    }

    private static ObjectNode question(ObjectNode survey, int index) {
        return (ObjectNode) questions(survey).get(index);
    }

    private static ObjectNode rule(ObjectNode survey, int question) {
        return (ObjectNode) question(survey, question).withArray("logic").get(0);
    }

    private static Arguments refused(Consumer<ObjectNode> change, String message) {
        return Arguments.of(change, message);
    }
}
