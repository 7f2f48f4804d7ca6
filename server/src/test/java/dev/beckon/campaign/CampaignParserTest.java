package dev.beckon.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every field of a campaign, refused with a message that starts with its path: one change to the
 * example of docs/campaigns.md per case.
 */
class CampaignParserTest {

    @Test
    void theContractsExampleIsAcceptedAndReadsBackAsWritten() {
        ObjectNode example = CampaignFixtures.example();

        CampaignDefinition definition = CampaignParser.parse(example);
        ObjectNode written = CampaignJson.definition(definition);

        assertThat(definition.audience()).isEqualTo(Audience.EVERYONE);
        assertThat(definition.triggerCondition()).isNotNull();
        example.remove("id");
        assertThat(written.toString()).isEqualTo(example.toString());
    }

    @Test
    void omittedPartsTakeTheirDefaults() {
        CampaignDefinition definition = CampaignParser.parse(CampaignFixtures.simple("Plain"));

        assertThat(definition.kind()).isEqualTo("nudge");
        assertThat(definition.priority()).isZero();
        assertThat(definition.audience()).isEqualTo(Audience.EVERYONE);
        assertThat(definition.schedule()).isEqualTo(Schedule.ALWAYS);
        assertThat(definition.caps()).isEmpty();
        assertThat(definition.goal()).isNull();
        assertThat(definition.testDevices()).isEmpty();
    }

    @Test
    void aGoalGetsItsDefaultWindowAndStep() {
        ObjectNode campaign = CampaignFixtures.simple("Goal");
        campaign.putObject("goal").put("event", "ADD_TO_CART");

        ObjectNode goal = CampaignParser.parse(campaign).goal();

        assertThat(goal.toString())
                .isEqualTo("{\"event\":\"ADD_TO_CART\",\"where\":[],\"windowHours\":24," + "\"after\":\"shown\"}");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refused(c -> c.put("colour", "red"), "colour: is not a field of a campaign"),
                refused(c -> c.put("name", "  "), "name: must be 1 to 200 characters, without control characters"),
                refused(c -> c.put("name", "x".repeat(201)), "name: must be 1 to 200 characters"),
                refused(c -> c.put("name", "a\u0000b"), "name: must be 1 to 200 characters"),
                refused(c -> c.put("name", "Sale \u202Egpj.exe"), "name: " + CampaignParser.OVERRIDE),
                refused(
                        c -> c.with("content").put("body", "Open \u202Dgpj.exe"),
                        "content.body: " + CampaignParser.OVERRIDE),
                refused(c -> c.put("kind", "quiz"), "kind: must be one of nudge, survey, not 'quiz'"),
                refused(c -> c.put("kind", "survey"), "content.title: is not a field here"),
                refused(c -> c.put("priority", -1), "priority: must be a whole number from 0 to 1000"),
                refused(c -> c.put("priority", 1.5), "priority: must be a whole number from 0 to 1000"),
                refused(c -> c.put("audience", "all"), "audience: must be an object"),
                refused(c -> c.with("audience").put("segment", ""), "audience.segment: must be a non-empty string"),
                refused(
                        c -> c.with("audience").put("rolloutPercent", 101),
                        "audience.rolloutPercent: must be a number from 0 to 100"),
                refused(
                        c -> c.with("audience").put("rolloutPercent", 10.001),
                        "audience.rolloutPercent: must be a number from 0 to 100, in hundredths at most"),
                refused(
                        c -> c.with("audience").put("controlPercent", -5),
                        "audience.controlPercent: must be a number from 0 to 100"),
                refused(
                        c -> c.with("audience").put("controlPercent", "10"),
                        "audience.controlPercent: must be a number"),
                refused(c -> c.with("audience").put("share", 1), "audience.share: is not a field here"),
                refused(
                        c -> c.with("schedule").put("start", "tomorrow"),
                        "schedule.start: must be an ISO-8601 time with an offset"),
                refused(
                        c -> c.with("schedule").put("start", "2026-12-04T10:00:00"),
                        "schedule.start: must be an ISO-8601 time with an offset"),
                refused(
                        c -> c.with("schedule")
                                .put("start", "2026-12-05T00:00:00Z")
                                .put("end", "2026-12-04T00:00:00Z"),
                        "schedule.end: must be after schedule.start"),
                refused(c -> c.remove("trigger"), "trigger: must be an object"),
                refused(c -> c.with("trigger").remove("on"), "trigger.on: must be an object"),
                refused(
                        c -> c.with("trigger").with("on").put("kind", "hover"),
                        "trigger.on.kind: must be one of dwell, element, event, pageView, without, not 'hover'"),
                refused(
                        c -> c.with("trigger").with("on").put("event", ""),
                        "trigger.on.event: must be a non-empty string"),
                refused(c -> c.with("trigger").with("on").remove("seconds"), "trigger.on.seconds: is required"),
                refused(
                        c -> c.with("trigger").with("on").put("seconds", 0),
                        "trigger.on.seconds: must be a whole number from 1 to 86400"),
                refused(
                        c -> c.with("trigger").with("on").put("seconds", 86_401),
                        "trigger.on.seconds: must be a whole number from 1 to 86400"),
                refused(
                        c -> c.with("trigger").with("on").put("path", ""),
                        "trigger.on.path: must be a non-empty string"),
                refused(
                        c -> c.with("trigger").with("on").put("selector", "#x"),
                        "trigger.on.selector: is not a field here"),
                refused(
                        c -> c.with("trigger")
                                .with("on")
                                .putArray("where")
                                .addObject()
                                .put("property", "x")
                                .put("op", "like"),
                        "trigger.on.where[0].op: 'like' is not one of"),
                refused(
                        c -> c.with("trigger")
                                .set("on", CampaignFixtures.json("{'kind': 'event', 'event': 'A', 'occurrence': 0}")),
                        "trigger.on.occurrence: must be a whole number from 1 to 1000"),
                refused(
                        c -> c.with("trigger")
                                .set("on", CampaignFixtures.json("{'kind': 'element', 'selector': '#buy'}")),
                        "trigger.on.action: must be one of visible, click, not nothing"),
                refused(
                        c -> c.with("trigger")
                                .set(
                                        "on",
                                        CampaignFixtures.json(
                                                "{'kind': 'element', 'selector': ' ', 'action': 'click'}")),
                        "trigger.on.selector: must be a non-empty string"),
                refused(
                        c -> c.with("trigger")
                                .set(
                                        "condition",
                                        CampaignFixtures.json(
                                                "{'did': {'event': 'A', 'window': {'last': 3, 'unit': 'years'}}}")),
                        "trigger.condition.did.window.unit: must be one of minutes, hours, days, weeks"),
                refused(c -> c.with("trigger").put("when", 1), "trigger.when: is not a field here"),
                refused(c -> c.with("caps").put("total", 0), "caps.total: must be a whole number from 1 to 1000000"),
                refused(c -> c.with("caps").put("perSession", "one"), "caps.perSession: must be a whole number"),
                refused(
                        c -> c.with("caps").put("perDay", 2_000_000),
                        "caps.perDay: must be a whole number from 1 to 1000000"),
                refused(
                        c -> c.with("caps").put("cooldownSeconds", -1),
                        "caps.cooldownSeconds: must be a whole number from 0 to 31536000"),
                refused(
                        c -> c.with("caps").put("stopAfterDismiss", "yes"),
                        "caps.stopAfterDismiss: must be true or false"),
                refused(c -> c.with("caps").put("perWeek", 1), "caps.perWeek: is not a field here"),
                refused(c -> c.remove("content"), "content: must be an object"),
                refused(
                        c -> c.with("content").put("layout", "popup"),
                        "content.layout: must be one of modal, banner, tooltip, card, not 'popup'"),
                refused(c -> c.with("content").put("title", "").put("body", ""), "content: give a title or a body"),
                refused(
                        c -> c.with("content").put("title", "x".repeat(201)),
                        "content.title: is longer than 200 characters"),
                refused(
                        c -> c.with("content").put("body", "x".repeat(5001)),
                        "content.body: is longer than 5000 characters"),
                refused(
                        c -> c.with("content").put("body", "a\u0007b"),
                        "content.body: must not hold control characters"),
                refused(
                        c -> c.with("content").put("image", "javascript:alert(1)"),
                        "content.image: must be an http, https or relative URL"),
                refused(c -> c.with("content").put("anchor", "#buy"), "content.anchor: only a tooltip has an anchor"),
                refused(
                        c -> c.with("content").put("layout", "tooltip").putNull("anchor"),
                        "content.anchor: must be a non-empty string"),
                refused(
                        c -> c.with("content").put("layout", "banner").put("position", "left"),
                        "content.position: must be one of top, bottom, not 'left'"),
                refused(
                        c -> c.with("content").put("position", "middle"),
                        "content.position: must be one of top, bottom, left, right"),
                refused(
                        c -> c.with("content").with("theme").put("accent", "blue"),
                        "content.theme.accent: must be a colour such as #2457ff or #fff"),
                refused(
                        c -> c.with("content").with("theme").put("accent", "#12345"),
                        "content.theme.accent: must be a colour"),
                refused(
                        c -> c.with("content").with("theme").put("font", "Comic Sans"),
                        "content.theme.font: is not a field here"),
                refused(
                        c -> c.with("content").put("buttons", "ok"),
                        "content.buttons: must be a list of at most 4 buttons"),
                refused(
                        c -> c.with("content")
                                .withArray("buttons")
                                .add(button())
                                .add(button())
                                .add(button()),
                        "content.buttons: must be a list of at most 4 buttons"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(1))
                                .put("label", ""),
                        "content.buttons[1].label: must be a non-empty string"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(1))
                                .put("action", "close"),
                        "content.buttons[1].action: must be one of url, dismiss, next, event, not 'close'"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(0))
                                .put("url", "javascript:alert(1)"),
                        "content.buttons[0].url: must be an http, https or relative URL"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(0))
                                .put("url", " JaVaScRiPt:alert(1)"),
                        "content.buttons[0].url: must be an http, https or relative URL"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(0))
                                .put("url", "data:text/html,x"),
                        "content.buttons[0].url: must be an http, https or relative URL"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(0))
                                .put("url", "java\tscript:alert(1)"),
                        "content.buttons[0].url: must be an http, https or relative URL, without control characters"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(0))
                                .put("url", "java\nscript:alert(1)"),
                        "content.buttons[0].url: must be an http, https or relative URL, without control characters"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(0))
                                .put("url", "JAVA\rSCRIPT:alert(1)"),
                        "content.buttons[0].url: must be an http, https or relative URL, without control characters"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(0))
                                .put("url", "https://shop.example/\u0000"),
                        "content.buttons[0].url: must not hold control characters or unpaired surrogates"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(0))
                                .put("url", "/cart\u007f"),
                        "content.buttons[0].url: must not hold control characters or unpaired surrogates"),
                refused(
                        c -> c.with("content").put("image", "java\tscript:alert(1)"),
                        "content.image: must be an http, https or relative URL, without control characters"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(0))
                                .remove("url"),
                        "content.buttons[0].url: must be a non-empty string"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(1))
                                .put("url", "/x"),
                        "content.buttons[1].url: only a button whose action is url has a url"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(1))
                                .put("action", "event"),
                        "content.buttons[1].event: must be a non-empty string"),
                refused(
                        c -> ((ObjectNode)
                                        c.with("content").withArray("buttons").get(1))
                                .put("action", "event")
                                .put("event", "$campaign_goal"),
                        "content.buttons[1].event: may not start with '$'"),
                refused(
                        c -> c.with("content").putArray("steps").addObject().put("layout", "modal"),
                        "content.steps[0]: give a title or a body"),
                refused(
                        c -> c.with("content")
                                .putArray("steps")
                                .addObject()
                                .put("layout", "modal")
                                .put("title", "a")
                                .putArray("steps"),
                        "content.steps[0].steps: a step has no steps of its own"),
                refused(c -> c.put("goal", "buy"), "goal: must be an object"),
                refused(c -> c.with("goal").put("event", ""), "goal.event: must be a non-empty string"),
                refused(
                        c -> c.with("goal").put("windowHours", 0),
                        "goal.windowHours: must be a whole number from 1 to 720"),
                refused(
                        c -> c.with("goal").put("after", "triggered"),
                        "goal.after: must be one of shown, clicked, not 'triggered'"),
                refused(c -> c.with("goal").putArray("where").add(1), "goal.where[0]: must be an object"),
                refused(c -> c.put("testDevices", "d-1"), "testDevices: must be a list of at most 50 device ids"),
                refused(c -> c.withArray("testDevices").add(""), "testDevices[1]: must not be empty"),
                refused(c -> c.withArray("testDevices").add(7), "testDevices[1]: must be a device id"),
                refused(
                        c -> c.withArray("testDevices").add("x".repeat(129)),
                        "testDevices[1]: must be at most 128 characters"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void eachFieldIsRefusedWithItsPath(Consumer<ObjectNode> change, String message) {
        ObjectNode campaign = CampaignFixtures.example();
        change.accept(campaign);

        assertThatThrownBy(() -> CampaignParser.parse(campaign))
                .isInstanceOf(InvalidCampaignException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> CampaignParser.parse(Json.mapper().createArrayNode()))
                .hasMessage("body: must be an object");
    }

    @Test
    void relativeAndHttpUrlsWithPlaceholdersAreAccepted() {
        ObjectNode campaign = CampaignFixtures.example();
        var buttons = campaign.with("content").withArray("buttons");
        ((ObjectNode) buttons.get(0)).put("url", "https://shop.example/p?u={userId|}&x={price|0|number}");
        buttons.addObject().put("label", "More").put("action", "url").put("url", "guide#top");

        assertThat(CampaignParser.parse(campaign).content().get("buttons")).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "#buy",
                "a:not([href])",
                "[data-x=\"]\"]",
                "[data-x='(']",
                ".a\\]b",
                "div:has(> img)",
                "ul > li:nth-child(2n+1)",
                ".card, .tile"
            })
    void selectorsThatBrowsersReadAreAccepted(String selector) {
        ObjectNode campaign = CampaignFixtures.simple("Element");
        campaign.with("trigger").set("on", CampaignFixtures.json("{'kind': 'element', 'action': 'click'}"));
        campaign.with("trigger").with("on").put("selector", selector);

        assertThat(CampaignParser.parse(campaign)
                        .trigger()
                        .get("on")
                        .get("selector")
                        .asText())
                .isEqualTo(selector);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "div[[[ | ']' is missing",
                "a) | ')' at 2 closes nothing",
                "[data-x=(] | ']' at 10 closes nothing",
                "#x {color: red} | '{' at 4",
                "a; b | ';' at 2",
                "[title=\"x] | a quote is not closed",
                "ul > | it ends with a combinator or a comma",
                ".a, | it ends with a combinator or a comma"
            })
    void selectorsWithATypingSlipAreRefusedSayingWhere(String selector, String why) {
        ObjectNode campaign = CampaignFixtures.simple("Element");
        campaign.with("trigger").set("on", CampaignFixtures.json("{'kind': 'element', 'action': 'click'}"));
        campaign.with("trigger").with("on").put("selector", selector);

        assertThatThrownBy(() -> CampaignParser.parse(campaign))
                .isInstanceOf(InvalidCampaignException.class)
                .hasMessageStartingWith("trigger.on.selector: is not a CSS selector: ")
                .hasMessageContaining(why);
    }

    private static ObjectNode button() {
        return CampaignFixtures.json("{'label': 'x', 'action': 'dismiss'}");
    }

    private static Arguments refused(Consumer<ObjectNode> change, String message) {
        return Arguments.of(change, message);
    }
}
