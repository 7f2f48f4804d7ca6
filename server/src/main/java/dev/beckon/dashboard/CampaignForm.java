package dev.beckon.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.campaign.CampaignDefinition;
import dev.beckon.campaign.CampaignParser;
import dev.beckon.http.HttpError;
import dev.beckon.http.JsonBody;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the campaign editor's form holds, one text per field, named as the form names them. {@link
 * #toJson()} turns it into the JSON form of a campaign (docs/campaigns.md), which the campaign
 * parser then checks, so the form and the admin API refuse the same things with the same messages.
 * A number that does not read as one is passed on as text, for the parser to refuse with its path.
 *
 * <p>Multi-step content has no fields here; a campaign's steps ride along unchanged in a hidden
 * field, so that editing the first step through the form keeps them. A survey's questions and
 * screens are fields of {@link SurveyForm}, in the same map.
 */
public record CampaignForm(Map<String, String> fields, List<Button> buttons) {

    /** As many button rows as a campaign may have, so that saving the form never drops one. */
    public static final int BUTTONS = CampaignParser.MAX_BUTTONS;
    /** The longest JSON text the form takes in one field; a campaign's own limits allow no more. */
    public static final int MAX_JSON_LENGTH = 100_000;

    static final List<String> TRIGGER_KINDS = List.of("pageView", "event", "dwell", "without", "element");
    static final List<String> LAYOUTS = List.of("modal", "banner", "tooltip", "card");
    static final List<String> POSITIONS = List.of("", "top", "bottom", "left", "right");
    static final List<String> ACTIONS = List.of("dismiss", "url", "next", "event");
    static final List<String> ELEMENT_ACTIONS = List.of("visible", "click");
    static final List<String> GOAL_AFTER = List.of("shown", "clicked");

    private static final List<String> FIELDS = List.of(
            "id",
            "kind",
            "name",
            "priority",
            "segment",
            "rolloutPercent",
            "controlPercent",
            "triggerKind",
            "triggerEvent",
            "triggerPath",
            "triggerSeconds",
            "triggerOccurrence",
            "triggerSelector",
            "triggerAction",
            "triggerWhere",
            "condition",
            "capTotal",
            "capPerSession",
            "capPerDay",
            "cooldownSeconds",
            "stopAfterDismiss",
            "stopAfterGoal",
            "layout",
            "position",
            "anchor",
            "title",
            "body",
            "image",
            "accent",
            "background",
            "text",
            "steps",
            "scheduleStart",
            "scheduleEnd",
            "goalEvent",
            "goalWindowHours",
            "goalAfter",
            "goalWhere",
            "testDevices");
    /** The form's times: a minute in UTC, as an HTML {@code datetime-local} input writes it. */
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");

    public CampaignForm {
        fields = Map.copyOf(fields);
        buttons = List.copyOf(buttons);
    }

    /** One button row: its label, its action, and the URL or event name the action needs. */
    public record Button(String label, String action, String target) {}

    /** The value of a field, or "" when it has none. */
    public String get(String field) {
        return fields.getOrDefault(field, "");
    }

    public boolean checked(String field) {
        return get(field).equals("true");
    }

    /** Whether the form is a survey's rather than a nudge's. */
    public boolean isSurvey() {
        return get("kind").equals(CampaignParser.SURVEY);
    }

    /** A new survey's form: one NPS question on every page view, for everyone, once. */
    public static CampaignForm blankSurvey() {
        CampaignForm nudge = blank();
        Map<String, String> fields = new LinkedHashMap<>(nudge.fields());
        fields.put("kind", CampaignParser.SURVEY);
        fields.put("capTotal", "1");
        SurveyForm.blank(fields);
        return new CampaignForm(fields, nudge.buttons());
    }

    /** A new campaign's form: a banner on every page view, for everyone. */
    public static CampaignForm blank() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("priority", "0");
        fields.put("rolloutPercent", "100");
        fields.put("controlPercent", "0");
        fields.put("triggerKind", "pageView");
        fields.put("triggerAction", "visible");
        fields.put("layout", "modal");
        fields.put("goalWindowHours", "24");
        fields.put("goalAfter", "shown");
        fields.put("stopAfterDismiss", "true");
        List<Button> buttons = new ArrayList<>();
        buttons.add(new Button("No thanks", "dismiss", ""));
        while (buttons.size() < BUTTONS) {
            buttons.add(new Button("", "dismiss", ""));
        }
        return new CampaignForm(fields, buttons);
    }

    /** The form of a saved campaign. */
    public static CampaignForm of(String id, CampaignDefinition definition) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("name", definition.name());
        fields.put("priority", Integer.toString(definition.priority()));
        fields.put(
                "segment", Optional.ofNullable(definition.audience().segment()).orElse(""));
        fields.put("rolloutPercent", percent(definition.audience().rolloutPercent()));
        fields.put("controlPercent", percent(definition.audience().controlPercent()));
        trigger(fields, definition.trigger());
        caps(fields, definition.caps());
        fields.put("kind", definition.kind());
        List<Button> buttons = content(fields, definition.content());
        if (definition.kind().equals(CampaignParser.SURVEY)) {
            SurveyForm.of(definition.content(), fields);
        }
        fields.put("scheduleStart", minute(definition.schedule().start()));
        fields.put("scheduleEnd", minute(definition.schedule().end()));
        ObjectNode goal = definition.goal();
        fields.put("goalEvent", goal == null ? "" : goal.path("event").asText());
        fields.put(
                "goalWindowHours",
                goal == null ? "24" : goal.path("windowHours").asText());
        fields.put("goalAfter", goal == null ? "shown" : goal.path("after").asText());
        JsonNode goalWhere = goal == null ? null : goal.get("where");
        fields.put("goalWhere", goalWhere == null || goalWhere.isEmpty() ? "" : pretty(goalWhere));
        fields.put("testDevices", String.join("\n", definition.testDevices()));
        return new CampaignForm(fields, buttons);
    }

    /** The form of a request's form parameters; missing fields are empty. */
    static CampaignForm read(Context ctx) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : FIELDS) {
            fields.put(field, Optional.ofNullable(ctx.formParam(field)).orElse(""));
        }
        if (CampaignParser.SURVEY.equals(fields.get("kind"))) {
            SurveyForm.read(ctx, fields);
        }
        List<Button> buttons = new ArrayList<>();
        for (int i = 0; i < BUTTONS; i++) {
            String at = "button" + i + ".";
            buttons.add(new Button(field(ctx, at + "label"), field(ctx, at + "action"), field(ctx, at + "target")));
        }
        return new CampaignForm(fields, buttons);
    }

    /**
     * The campaign of the form in its JSON form; not yet checked by the campaign parser.
     *
     * @throws HttpError 400 when a JSON field is not JSON or a time is not a time
     */
    public ObjectNode toJson() {
        ObjectNode campaign = Json.mapper().createObjectNode();
        campaign.put("name", get("name"));
        campaign.put("kind", isSurvey() ? CampaignParser.SURVEY : CampaignParser.NUDGE);
        number(campaign, "priority", get("priority"));
        ObjectNode audience = campaign.putObject("audience");
        audience.put("segment", get("segment").isBlank() ? null : get("segment"));
        number(audience, "rolloutPercent", get("rolloutPercent"));
        number(audience, "controlPercent", get("controlPercent"));
        ObjectNode schedule = campaign.putObject("schedule");
        schedule.put("start", time(get("scheduleStart"), "schedule.start"));
        schedule.put("end", time(get("scheduleEnd"), "schedule.end"));
        campaign.set("trigger", triggerJson());
        campaign.set("caps", capsJson());
        campaign.set("content", contentJson());
        if (!get("goalEvent").isBlank()) {
            ObjectNode goal = campaign.putObject("goal");
            goal.put("event", get("goalEvent").strip());
            number(goal, "windowHours", get("goalWindowHours"));
            goal.put("after", get("goalAfter"));
            if (!get("goalWhere").isBlank()) {
                goal.set("where", json(get("goalWhere"), "goal.where"));
            }
        }
        ArrayNode devices = campaign.putArray("testDevices");
        get("testDevices").lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(devices::add);
        return campaign;
    }

    /** Only the content part, for the live preview. */
    public ObjectNode contentJson() {
        if (isSurvey()) {
            return SurveyForm.contentJson(this);
        }
        ObjectNode content = Json.mapper().createObjectNode();
        content.put("layout", get("layout"));
        content.put("title", get("title"));
        content.put("body", get("body"));
        content.put("image", blankToNull(get("image")));
        content.put("anchor", get("layout").equals("tooltip") ? blankToNull(get("anchor")) : null);
        content.put("position", blankToNull(get("position")));
        ObjectNode theme = Json.mapper().createObjectNode();
        for (String colour : List.of("accent", "background", "text")) {
            if (!get(colour).isBlank()) {
                theme.put(colour, get(colour).strip());
            }
        }
        if (!theme.isEmpty()) {
            content.set("theme", theme);
        }
        ArrayNode list = content.putArray("buttons");
        for (Button button : buttons) {
            if (button.label().isBlank()) {
                continue;
            }
            ObjectNode json = list.addObject().put("label", button.label()).put("action", button.action());
            if (button.action().equals("url")) {
                json.put("url", button.target().strip());
            } else if (button.action().equals("event")) {
                json.put("event", button.target().strip());
            }
        }
        if (!get("steps").isBlank()) {
            content.set("steps", json(get("steps"), "content.steps"));
        }
        return content;
    }

    private ObjectNode triggerJson() {
        ObjectNode trigger = Json.mapper().createObjectNode();
        ObjectNode on = trigger.putObject("on");
        String kind = get("triggerKind");
        on.put("kind", kind);
        switch (kind) {
            case "event" -> {
                on.put("event", get("triggerEvent").strip());
                where(on);
                optionalNumber(on, "occurrence", get("triggerOccurrence"));
            }
            case "pageView" -> {
                optionalText(on, "path", get("triggerPath"));
                optionalNumber(on, "occurrence", get("triggerOccurrence"));
            }
            case "dwell" -> {
                number(on, "seconds", get("triggerSeconds"));
                optionalText(on, "path", get("triggerPath"));
            }
            case "without" -> {
                on.put("event", get("triggerEvent").strip());
                where(on);
                number(on, "seconds", get("triggerSeconds"));
                optionalText(on, "path", get("triggerPath"));
            }
            case "element" -> {
                on.put("selector", get("triggerSelector").strip());
                on.put("action", get("triggerAction"));
            }
            default -> {
                // The parser refuses the kind with the list of kinds.
            }
        }
        if (!get("condition").isBlank()) {
            trigger.set("condition", json(get("condition"), "trigger.condition"));
        }
        return trigger;
    }

    private void where(ObjectNode on) {
        if (!get("triggerWhere").isBlank()) {
            on.set("where", json(get("triggerWhere"), "trigger.on.where"));
        }
    }

    private ObjectNode capsJson() {
        ObjectNode caps = Json.mapper().createObjectNode();
        optionalNumber(caps, "total", get("capTotal"));
        optionalNumber(caps, "perSession", get("capPerSession"));
        optionalNumber(caps, "perDay", get("capPerDay"));
        optionalNumber(caps, "cooldownSeconds", get("cooldownSeconds"));
        caps.put("stopAfterDismiss", checked("stopAfterDismiss"));
        caps.put("stopAfterGoal", checked("stopAfterGoal"));
        return caps;
    }

    // From a saved campaign to fields

    private static void trigger(Map<String, String> fields, ObjectNode trigger) {
        JsonNode on = trigger.path("on");
        fields.put("triggerKind", on.path("kind").asText());
        fields.put("triggerEvent", on.path("event").asText(""));
        fields.put("triggerPath", on.path("path").asText(""));
        fields.put("triggerSeconds", on.has("seconds") ? on.get("seconds").asText() : "");
        fields.put(
                "triggerOccurrence", on.has("occurrence") ? on.get("occurrence").asText() : "");
        fields.put("triggerSelector", on.path("selector").asText(""));
        fields.put("triggerAction", on.path("action").asText("visible"));
        fields.put("triggerWhere", on.has("where") ? pretty(on.get("where")) : "");
        JsonNode condition = trigger.get("condition");
        fields.put("condition", condition == null || condition.isNull() ? "" : pretty(condition));
    }

    private static void caps(Map<String, String> fields, ObjectNode caps) {
        fields.put("capTotal", caps.path("total").asText(""));
        fields.put("capPerSession", caps.path("perSession").asText(""));
        fields.put("capPerDay", caps.path("perDay").asText(""));
        fields.put("cooldownSeconds", caps.path("cooldownSeconds").asText(""));
        fields.put(
                "stopAfterDismiss",
                Boolean.toString(caps.path("stopAfterDismiss").asBoolean(false)));
        fields.put("stopAfterGoal", Boolean.toString(caps.path("stopAfterGoal").asBoolean(false)));
    }

    private static List<Button> content(Map<String, String> fields, ObjectNode content) {
        for (String field : List.of("layout", "title", "body", "image", "anchor", "position")) {
            fields.put(field, content.path(field).asText(""));
        }
        for (String colour : List.of("accent", "background", "text")) {
            fields.put(colour, content.path("theme").path(colour).asText(""));
        }
        fields.put("steps", content.has("steps") ? pretty(content.get("steps")) : "");
        List<Button> buttons = new ArrayList<>();
        for (JsonNode button : content.path("buttons")) {
            String action = button.path("action").asText();
            String target = action.equals("url")
                    ? button.path("url").asText("")
                    : button.path("event").asText("");
            buttons.add(new Button(button.path("label").asText(""), action, target));
        }
        while (buttons.size() < BUTTONS) {
            buttons.add(new Button("", "dismiss", ""));
        }
        return buttons;
    }

    // Small conversions

    private static String percent(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String minute(Instant instant) {
        return instant == null ? "" : MINUTE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static String time(String text, String path) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.strip(), MINUTE)
                    .toInstant(ZoneOffset.UTC)
                    .toString();
        } catch (DateTimeParseException e) {
            throw HttpError.badRequest(
                    path + ": '" + Format.shortId(text) + "' is not a time such as 2026-12-04T10:00");
        }
    }

    private static void number(ObjectNode node, String field, String text) {
        String stripped = text.strip();
        try {
            if (stripped.matches("-?\\d{1,12}")) {
                node.put(field, Long.parseLong(stripped));
            } else {
                node.put(field, new java.math.BigDecimal(stripped));
            }
        } catch (NumberFormatException e) {
            node.put(field, stripped);
        }
    }

    private static void optionalNumber(ObjectNode node, String field, String text) {
        if (!text.isBlank()) {
            number(node, field, text);
        }
    }

    private static void optionalText(ObjectNode node, String field, String text) {
        if (!text.isBlank()) {
            node.put(field, text.strip());
        }
    }

    private static String blankToNull(String text) {
        return text.isBlank() ? null : text.strip();
    }

    private static JsonNode json(String text, String path) {
        if (text.length() > MAX_JSON_LENGTH) {
            throw HttpError.badRequest(path + ": is longer than " + MAX_JSON_LENGTH + " characters");
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest(path + ": is not valid JSON: " + JsonBody.problem(e));
        }
    }

    static String pretty(JsonNode node) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    private static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("");
    }
}
