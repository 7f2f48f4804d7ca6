package dev.beckon.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.identity.SubjectIds;
import dev.beckon.ingest.Text;
import dev.beckon.segment.ConditionParser;
import dev.beckon.segment.InvalidConditionException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the JSON form of a campaign (docs/campaigns.md) into a {@link CampaignDefinition}, or
 * refuses it with a message that starts with the path of the field at fault, such as {@code
 * content.buttons[1].url: must be an http, https or relative URL}. Nothing is guessed: an unknown
 * field is refused too, so that a typing error never passes for a setting.
 *
 * <p>Filters and conditions are checked by the segment language's parser, whose messages are
 * re-rooted at the campaign's field.
 */
public final class CampaignParser {

    public static final int MAX_NAME_LENGTH = 200;

    /** Why a text with a bidirectional override is refused. */
    static final String OVERRIDE =
            "must not hold a bidirectional override (U+202D or U+202E), which shows text in the other direction";

    public static final int MAX_PRIORITY = 1000;
    public static final int MAX_TITLE_LENGTH = 200;
    public static final int MAX_BODY_LENGTH = 5000;
    public static final int MAX_LABEL_LENGTH = 100;
    public static final int MAX_URL_LENGTH = 2000;
    public static final int MAX_SELECTOR_LENGTH = 500;
    public static final int MAX_BUTTONS = 4;
    public static final int MAX_STEPS = 5;
    public static final int MAX_TEST_DEVICES = 50;
    public static final int MAX_TRIGGER_SECONDS = 86_400;
    public static final int MAX_OCCURRENCE = 1000;
    public static final int MAX_CAP = 1_000_000;
    public static final int MAX_COOLDOWN_SECONDS = 31_536_000;
    public static final int MAX_GOAL_WINDOW_HOURS = 720;
    public static final int DEFAULT_GOAL_WINDOW_HOURS = 24;
    public static final String NUDGE = "nudge";
    public static final String SURVEY = "survey";

    /** Fields of the campaign that the server sets; they may be sent back as read, and are ignored. */
    private static final Set<String> READ_ONLY =
            Set.of("id", "siteId", "status", "version", "createdAt", "updatedAt", "publishedAt");

    private static final Set<String> FIELDS = Set.of(
            "name", "kind", "priority", "audience", "schedule", "trigger", "caps", "content", "goal", "testDevices");
    private static final List<String> LAYOUTS = List.of("modal", "banner", "tooltip", "card");
    private static final List<String> POSITIONS = List.of("top", "bottom", "left", "right");
    private static final List<String> BANNER_POSITIONS = List.of("top", "bottom");
    private static final List<String> ACTIONS = List.of("url", "dismiss", "next", "event");
    private static final List<String> ELEMENT_ACTIONS = List.of("visible", "click");
    private static final List<String> GOAL_AFTER = List.of("shown", "clicked");
    private static final Map<String, Set<String>> TRIGGER_FIELDS = Map.of(
            "event", Set.of("kind", "event", "where", "occurrence"),
            "pageView", Set.of("kind", "path", "occurrence"),
            "dwell", Set.of("kind", "seconds", "path"),
            "without", Set.of("kind", "event", "where", "seconds", "path"),
            "element", Set.of("kind", "selector", "action"));
    private static final Set<String> CONTENT_FIELDS =
            Set.of("layout", "title", "body", "image", "anchor", "position", "theme", "buttons", "steps");
    private static final Pattern COLOR = Pattern.compile("#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    private static final Pattern URL_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private CampaignParser() {}

    /**
     * The definition in a request's body.
     *
     * @throws InvalidCampaignException naming the first field at fault
     */
    public static CampaignDefinition parse(JsonNode body) {
        ObjectNode root = object(body, "body");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name) && !READ_ONLY.contains(name)) {
                throw new InvalidCampaignException(name, "is not a field of a campaign");
            }
        }
        String kind = kind(root.get("kind"));
        ObjectNode goal = goal(root.get("goal"));
        if (kind.equals(SURVEY) && goal != null && goal.get("after").asText().equals("clicked")) {
            throw new InvalidCampaignException("goal.after", "a survey has no clicks; count the goal after 'shown'");
        }
        return new CampaignDefinition(
                name(root.get("name")),
                kind,
                (int) wholeNumber(root.get("priority"), "priority", 0, MAX_PRIORITY, 0),
                audience(root.get("audience")),
                schedule(root.get("schedule")),
                trigger(root.get("trigger")),
                caps(root.get("caps")),
                kind.equals(SURVEY)
                        ? SurveyParser.content(root.get("content"))
                        : content(root.get("content"), "content", true),
                goal,
                testDevices(root.get("testDevices")));
    }

    /**
     * A campaign's name without the spaces around it.
     *
     * @throws InvalidCampaignException when it is missing, blank or too long
     */
    public static String name(JsonNode node) {
        String name = node == null || !node.isTextual() ? "" : node.asText().strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !Text.isClean(name)) {
            throw new InvalidCampaignException(
                    "name", "must be 1 to " + MAX_NAME_LENGTH + " characters, without control characters");
        }
        if (Text.overridesDirection(name)) {
            throw new InvalidCampaignException("name", OVERRIDE);
        }
        return name;
    }

    private static String kind(JsonNode node) {
        return absent(node) ? NUDGE : oneOf(node, "kind", List.of(NUDGE, SURVEY));
    }

    // Audience and schedule

    private static Audience audience(JsonNode node) {
        if (absent(node)) {
            return Audience.EVERYONE;
        }
        ObjectNode audience = object(node, "audience");
        allowOnly(audience, "audience", Set.of("segment", "rolloutPercent", "controlPercent"));
        JsonNode segment = audience.get("segment");
        String segmentId = null;
        if (!absent(segment)) {
            segmentId = nonEmptyText(segment, "audience.segment", 64);
        }
        return new Audience(
                segmentId,
                percent(audience.get("rolloutPercent"), "audience.rolloutPercent", 100),
                percent(audience.get("controlPercent"), "audience.controlPercent", 0));
    }

    private static double percent(JsonNode node, String path, double fallback) {
        if (absent(node)) {
            return fallback;
        }
        if (!node.isNumber()
                || node.decimalValue().compareTo(BigDecimal.ZERO) < 0
                || node.decimalValue().compareTo(BigDecimal.valueOf(100)) > 0
                || node.decimalValue().stripTrailingZeros().scale() > 2) {
            throw new InvalidCampaignException(path, "must be a number from 0 to 100, in hundredths at most");
        }
        return node.doubleValue();
    }

    private static Schedule schedule(JsonNode node) {
        if (absent(node)) {
            return Schedule.ALWAYS;
        }
        ObjectNode schedule = object(node, "schedule");
        allowOnly(schedule, "schedule", Set.of("start", "end"));
        Instant start = time(schedule.get("start"), "schedule.start");
        Instant end = time(schedule.get("end"), "schedule.end");
        if (start != null && end != null && !end.isAfter(start)) {
            throw new InvalidCampaignException("schedule.end", "must be after schedule.start");
        }
        return new Schedule(start, end);
    }

    private static Instant time(JsonNode node, String path) {
        if (absent(node)) {
            return null;
        }
        try {
            if (node.isTextual()) {
                return OffsetDateTime.parse(node.asText()).toInstant();
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new InvalidCampaignException(
                path, "must be an ISO-8601 time with an offset, such as 2026-12-04T10:00:00Z, or null");
    }

    // Trigger

    private static ObjectNode trigger(JsonNode node) {
        ObjectNode trigger = object(node, "trigger");
        allowOnly(trigger, "trigger", Set.of("on", "condition"));
        ObjectNode on = object(trigger.get("on"), "trigger.on");
        String kind = oneOf(
                on.get("kind"),
                "trigger.on.kind",
                List.copyOf(TRIGGER_FIELDS.keySet()).stream().sorted().toList());
        allowOnly(on, "trigger.on", TRIGGER_FIELDS.get(kind));
        switch (kind) {
            case "event" -> {
                eventMatch(on, "trigger.on");
                wholeNumber(on.get("occurrence"), "trigger.on.occurrence", 1, MAX_OCCURRENCE, 1);
            }
            case "pageView" -> {
                path(on, "trigger.on");
                wholeNumber(on.get("occurrence"), "trigger.on.occurrence", 1, MAX_OCCURRENCE, 1);
            }
            case "dwell" -> {
                required(on, "seconds", "trigger.on");
                wholeNumber(on.get("seconds"), "trigger.on.seconds", 1, MAX_TRIGGER_SECONDS, 1);
                path(on, "trigger.on");
            }
            case "without" -> {
                eventMatch(on, "trigger.on");
                required(on, "seconds", "trigger.on");
                wholeNumber(on.get("seconds"), "trigger.on.seconds", 1, MAX_TRIGGER_SECONDS, 1);
                path(on, "trigger.on");
            }
            default -> {
                selector(on.get("selector"), "trigger.on.selector");
                oneOf(on.get("action"), "trigger.on.action", ELEMENT_ACTIONS);
            }
        }
        JsonNode condition = trigger.get("condition");
        if (!absent(condition)) {
            try {
                ConditionParser.parse(condition);
            } catch (InvalidConditionException e) {
                throw new InvalidCampaignException("trigger." + e.getMessage());
            }
        }
        return trigger.deepCopy();
    }

    /** Checks {@code event} and {@code where} of {@code node} with the condition language's parser. */
    private static void eventMatch(ObjectNode node, String path) {
        ObjectNode did = Json.mapper().createObjectNode();
        did.set("event", node.get("event"));
        if (node.has("where")) {
            did.set("where", node.get("where"));
        }
        checkAsCondition("did", did, path);
    }

    private static void path(ObjectNode node, String path) {
        if (absent(node.get("path"))) {
            return;
        }
        ObjectNode visited = Json.mapper().createObjectNode();
        visited.set("path", node.get("path"));
        checkAsCondition("visited", visited, path);
    }

    private static void checkAsCondition(String kind, ObjectNode body, String path) {
        ObjectNode condition = Json.mapper().createObjectNode();
        condition.set(kind, body);
        try {
            ConditionParser.parse(condition);
        } catch (InvalidConditionException e) {
            String prefix = "condition." + kind + ".";
            String message = e.getMessage();
            throw new InvalidCampaignException(
                    message.startsWith(prefix) ? path + "." + message.substring(prefix.length()) : message);
        }
    }

    // Caps and goal

    private static ObjectNode caps(JsonNode node) {
        if (absent(node)) {
            return Json.mapper().createObjectNode();
        }
        ObjectNode caps = object(node, "caps");
        allowOnly(
                caps,
                "caps",
                Set.of("total", "perSession", "perDay", "cooldownSeconds", "stopAfterDismiss", "stopAfterGoal"));
        for (String cap : List.of("total", "perSession", "perDay")) {
            if (!absent(caps.get(cap))) {
                wholeNumber(caps.get(cap), "caps." + cap, 1, MAX_CAP, 1);
            }
        }
        if (!absent(caps.get("cooldownSeconds"))) {
            wholeNumber(caps.get("cooldownSeconds"), "caps.cooldownSeconds", 0, MAX_COOLDOWN_SECONDS, 0);
        }
        for (String flag : List.of("stopAfterDismiss", "stopAfterGoal")) {
            JsonNode value = caps.get(flag);
            if (!absent(value) && !value.isBoolean()) {
                throw new InvalidCampaignException("caps." + flag, "must be true or false");
            }
        }
        return caps.deepCopy();
    }

    private static ObjectNode goal(JsonNode node) {
        if (absent(node)) {
            return null;
        }
        ObjectNode goal = object(node, "goal");
        allowOnly(goal, "goal", Set.of("event", "where", "windowHours", "after"));
        eventMatch(goal, "goal");
        ObjectNode normalised = Json.mapper().createObjectNode();
        normalised.set("event", goal.get("event"));
        normalised.set(
                "where", goal.has("where") ? goal.get("where") : Json.mapper().createArrayNode());
        normalised.put(
                "windowHours",
                wholeNumber(
                        goal.get("windowHours"),
                        "goal.windowHours",
                        1,
                        MAX_GOAL_WINDOW_HOURS,
                        DEFAULT_GOAL_WINDOW_HOURS));
        normalised.put(
                "after", absent(goal.get("after")) ? "shown" : oneOf(goal.get("after"), "goal.after", GOAL_AFTER));
        return normalised;
    }

    private static List<String> testDevices(JsonNode node) {
        if (absent(node)) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_TEST_DEVICES) {
            throw new InvalidCampaignException(
                    "testDevices", "must be a list of at most " + MAX_TEST_DEVICES + " device ids");
        }
        Set<String> devices = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "testDevices[" + i + "]";
            JsonNode device = node.get(i);
            if (!device.isTextual()) {
                throw new InvalidCampaignException(at, "must be a device id");
            }
            try {
                devices.add(SubjectIds.device(device.asText()).deviceId());
            } catch (SubjectIds.InvalidIdException e) {
                throw new InvalidCampaignException(at, e.getMessage().replaceFirst("^deviceId: ", ""));
            }
        }
        return List.copyOf(devices);
    }

    // Content

    private static ObjectNode content(JsonNode node, String path, boolean stepsAllowed) {
        ObjectNode content = object(node, path);
        allowOnly(content, path, CONTENT_FIELDS);
        String layout = oneOf(content.get("layout"), path + ".layout", LAYOUTS);
        String title = optionalText(content.get("title"), path + ".title", MAX_TITLE_LENGTH);
        String body = optionalText(content.get("body"), path + ".body", MAX_BODY_LENGTH);
        if (title.isBlank() && body.isBlank()) {
            throw new InvalidCampaignException(path, "give a title or a body");
        }
        if (!absent(content.get("image"))) {
            url(content.get("image"), path + ".image");
        }
        anchor(content, path, layout);
        if (!absent(content.get("position"))) {
            oneOf(content.get("position"), path + ".position", layout.equals("banner") ? BANNER_POSITIONS : POSITIONS);
        }
        theme(content.get("theme"), path + ".theme");
        buttons(content.get("buttons"), path + ".buttons");
        JsonNode steps = content.get("steps");
        if (!absent(steps)) {
            if (!stepsAllowed) {
                throw new InvalidCampaignException(path + ".steps", "a step has no steps of its own");
            }
            if (!steps.isArray() || steps.size() > MAX_STEPS) {
                throw new InvalidCampaignException(
                        path + ".steps", "must be a list of at most " + MAX_STEPS + " contents");
            }
            for (int i = 0; i < steps.size(); i++) {
                content(steps.get(i), path + ".steps[" + i + "]", false);
            }
        }
        return content.deepCopy();
    }

    private static void anchor(ObjectNode content, String path, String layout) {
        JsonNode anchor = content.get("anchor");
        if (layout.equals("tooltip")) {
            selector(anchor, path + ".anchor");
        } else if (!absent(anchor)) {
            throw new InvalidCampaignException(path + ".anchor", "only a tooltip has an anchor; set it to null");
        }
    }

    static void theme(JsonNode node, String path) {
        if (absent(node)) {
            return;
        }
        ObjectNode theme = object(node, path);
        allowOnly(theme, path, Set.of("accent", "background", "text"));
        for (String color : List.of("accent", "background", "text")) {
            JsonNode value = theme.get(color);
            if (!absent(value)
                    && (!value.isTextual() || !COLOR.matcher(value.asText()).matches())) {
                throw new InvalidCampaignException(path + "." + color, "must be a colour such as #2457ff or #fff");
            }
        }
    }

    private static void buttons(JsonNode node, String path) {
        if (absent(node)) {
            return;
        }
        if (!node.isArray() || node.size() > MAX_BUTTONS) {
            throw new InvalidCampaignException(path, "must be a list of at most " + MAX_BUTTONS + " buttons");
        }
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            ObjectNode button = object(node.get(i), at);
            allowOnly(button, at, Set.of("label", "action", "url", "event"));
            nonEmptyText(button.get("label"), at + ".label", MAX_LABEL_LENGTH);
            String action = oneOf(button.get("action"), at + ".action", ACTIONS);
            checkActionFields(button, at, action);
        }
    }

    private static void checkActionFields(ObjectNode button, String at, String action) {
        if (action.equals("url")) {
            url(button.get("url"), at + ".url");
        } else if (!absent(button.get("url"))) {
            throw new InvalidCampaignException(at + ".url", "only a button whose action is url has a url");
        }
        if (action.equals("event")) {
            String event = nonEmptyText(button.get("event"), at + ".event", ConditionParser.MAX_TEXT_LENGTH);
            if (event.startsWith("$")) {
                throw new InvalidCampaignException(at + ".event", "may not start with '$', which is reserved");
            }
        } else if (!absent(button.get("event"))) {
            throw new InvalidCampaignException(at + ".event", "only a button whose action is event logs an event");
        }
    }

    /**
     * An http, https or relative URL; it may hold placeholders, so it is not parsed further. A
     * control character anywhere is refused: a browser's URL parser drops tabs and line breaks, so
     * {@code java<TAB>script:} would otherwise pass the scheme check here and run as a script there.
     */
    private static void url(JsonNode node, String path) {
        String url = nonEmptyText(node, path, MAX_URL_LENGTH);
        if (url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidCampaignException(
                    path, "must be an http, https or relative URL, without control characters");
        }
        var scheme = URL_SCHEME.matcher(url);
        boolean allowedScheme = !scheme.find()
                || scheme.group().equalsIgnoreCase("http:")
                || scheme.group().equalsIgnoreCase("https:");
        if (!allowedScheme || url.contains("\\") || !url.strip().equals(url)) {
            throw new InvalidCampaignException(path, "must be an http, https or relative URL");
        }
    }

    /**
     * A CSS selector, checked for what a typing slip breaks: brackets and parentheses that close in
     * order, quotes that close, no braces or semicolons outside quotes, and no combinator or comma
     * at the end. The browser's own parser is the full check; this one catches what would make it
     * refuse the selector on every visitor's page, where nothing reports it.
     */
    private static void selector(JsonNode node, String path) {
        String selector = nonEmptyText(node, path, MAX_SELECTOR_LENGTH).strip();
        var open = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '\\') {
                i++;
            } else if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '(') {
                open.append(c == '[' ? ']' : ')');
            } else if (c == ']' || c == ')') {
                if (open.isEmpty() || open.charAt(open.length() - 1) != c) {
                    throw new InvalidCampaignException(
                            path, "is not a CSS selector: '" + c + "' at " + (i + 1) + " closes nothing");
                }
                open.setLength(open.length() - 1);
            } else if (c == '{' || c == '}' || c == ';') {
                throw new InvalidCampaignException(path, "is not a CSS selector: '" + c + "' at " + (i + 1));
            }
        }
        if (quote != 0) {
            throw new InvalidCampaignException(path, "is not a CSS selector: a quote is not closed");
        }
        if (!open.isEmpty()) {
            throw new InvalidCampaignException(
                    path, "is not a CSS selector: '" + open.charAt(open.length() - 1) + "' is missing");
        }
        if (selector.endsWith(">") || selector.endsWith("+") || selector.endsWith("~") || selector.endsWith(",")) {
            throw new InvalidCampaignException(path, "is not a CSS selector: it ends with a combinator or a comma");
        }
    }

    // Small checks

    static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    static ObjectNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidCampaignException(path, "must be an object");
        }
        return (ObjectNode) node;
    }

    static void allowOnly(ObjectNode node, String path, Set<String> fields) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new InvalidCampaignException(
                        path + "." + truncate(name),
                        "is not a field here; the fields are "
                                + fields.stream().sorted().toList());
            }
        }
    }

    private static void required(ObjectNode node, String field, String path) {
        if (absent(node.get(field))) {
            throw new InvalidCampaignException(path + "." + field, "is required");
        }
    }

    static String oneOf(JsonNode node, String path, List<String> allowed) {
        if (node == null || !node.isTextual() || !allowed.contains(node.asText())) {
            String given = node == null || node.isNull() ? "nothing" : "'" + truncate(node.asText()) + "'";
            throw new InvalidCampaignException(path, "must be one of " + String.join(", ", allowed) + ", not " + given);
        }
        return node.asText();
    }

    static String nonEmptyText(JsonNode node, String path, int maxLength) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new InvalidCampaignException(path, "must be a non-empty string");
        }
        return checkedText(node.asText(), path, maxLength);
    }

    static String optionalText(JsonNode node, String path, int maxLength) {
        if (absent(node)) {
            return "";
        }
        if (!node.isTextual()) {
            throw new InvalidCampaignException(path, "must be a string");
        }
        return checkedText(node.asText(), path, maxLength);
    }

    static String checkedText(String text, String path, int maxLength) {
        if (text.length() > maxLength) {
            throw new InvalidCampaignException(path, "is longer than " + maxLength + " characters");
        }
        // Line breaks are text in a body; every other control character is refused.
        if (!Text.isClean(text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' '))) {
            throw new InvalidCampaignException(path, "must not hold control characters or unpaired surrogates");
        }
        if (Text.overridesDirection(text)) {
            throw new InvalidCampaignException(path, OVERRIDE);
        }
        return text;
    }

    static long wholeNumber(JsonNode node, String path, long min, long max, long fallback) {
        if (absent(node)) {
            return fallback;
        }
        if (!node.canConvertToExactIntegral() || node.asLong() < min || node.asLong() > max) {
            throw new InvalidCampaignException(path, "must be a whole number from " + min + " to " + max);
        }
        return node.asLong();
    }

    static String truncate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
