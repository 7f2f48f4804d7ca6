package dev.beckon.campaign;

import static dev.beckon.campaign.CampaignParser.absent;
import static dev.beckon.campaign.CampaignParser.allowOnly;
import static dev.beckon.campaign.CampaignParser.nonEmptyText;
import static dev.beckon.campaign.CampaignParser.object;
import static dev.beckon.campaign.CampaignParser.oneOf;
import static dev.beckon.campaign.CampaignParser.optionalText;
import static dev.beckon.campaign.CampaignParser.truncate;
import static dev.beckon.campaign.CampaignParser.wholeNumber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.ingest.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the {@code content} of a survey (docs/surveys.md): its layout and theme, the intro and
 * thank-you screens, and 1 to 20 questions with their logic. A refusal names the field's path, such
 * as {@code content.questions[2].logic[0].goTo: 'why' is not a question after 'stars'}.
 *
 * <p>Logic only goes forward: a rule's {@code goTo} names a question after its own or {@code end},
 * so every path through a survey ends, whatever the visitor answers. That is why a question may not
 * be called {@code end}.
 *
 * <p>Texts are text: the plugin draws a question's text, its choices and labels as text, never as
 * markup, so {@code <script>} in them is accepted and shown as it was typed. Only the intro's and
 * thank-you screen's bodies take the nudges' markup subset, which the plugin sanitises.
 */
public final class SurveyParser {

    public static final int MAX_QUESTIONS = 20;
    public static final int MAX_QUESTION_TEXT_LENGTH = 500;
    public static final int MAX_ID_LENGTH = 64;
    public static final int MIN_CHOICES = 2;
    public static final int MAX_CHOICES = 20;
    public static final int MAX_CHOICE_LENGTH = 200;
    public static final int MAX_SCALE_LABEL_LENGTH = 100;
    public static final int MAX_PLACEHOLDER_LENGTH = 200;
    public static final int MAX_TEXT_ANSWER_LENGTH = 5000;
    public static final int DEFAULT_TEXT_ANSWER_LENGTH = 1000;
    public static final int MAX_RULES = 20;
    public static final int MAX_SCREEN_TITLE_LENGTH = 200;
    public static final int MAX_SCREEN_BODY_LENGTH = 2000;
    public static final int MAX_BUTTON_LENGTH = 100;
    public static final String END = "end";

    public static final String NPS = "nps";
    public static final String RATING = "rating";
    public static final String SINGLE = "single";
    public static final String MULTIPLE = "multiple";
    public static final String TEXT = "text";

    static final List<String> TYPES = List.of(NPS, RATING, SINGLE, MULTIPLE, TEXT);
    private static final List<String> LAYOUTS = List.of("modal", "card");
    private static final List<String> SCALES = List.of("stars", "emoji");
    private static final Set<String> CONTENT_FIELDS = Set.of("layout", "theme", "intro", "questions", "thanks");
    private static final Set<String> COMMON_FIELDS = Set.of("id", "type", "text", "required", "logic");
    private static final Map<String, Set<String>> OWN_FIELDS = Map.of(
            NPS, Set.of("lowLabel", "highLabel"),
            RATING, Set.of("scale"),
            SINGLE, Set.of("choices", "other"),
            MULTIPLE, Set.of("choices", "other"),
            TEXT, Set.of("long", "placeholder", "maxLength"));
    private static final List<String> NUMBER_OPS = List.of("eq", "neq", "lt", "lte", "gt", "gte");
    private static final List<String> PRESENCE_OPS = List.of("answered", "skipped");
    private static final Map<String, List<String>> OPS = Map.of(
            NPS, concat(NUMBER_OPS, PRESENCE_OPS),
            RATING, concat(NUMBER_OPS, PRESENCE_OPS),
            SINGLE, concat(List.of("is", "isNot"), PRESENCE_OPS),
            MULTIPLE, concat(List.of("includes"), PRESENCE_OPS),
            TEXT, PRESENCE_OPS);
    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1," + MAX_ID_LENGTH + "}");

    private SurveyParser() {}

    /**
     * The content of a survey, as it was written, with the layout {@code modal} when it names none,
     * so that the plugins, which draw only content with a layout, show it.
     *
     * @throws InvalidCampaignException naming the first field at fault
     */
    static ObjectNode content(JsonNode node) {
        ObjectNode content = object(node, "content");
        allowOnly(content, "content", CONTENT_FIELDS);
        if (!absent(content.get("layout"))) {
            oneOf(content.get("layout"), "content.layout", LAYOUTS);
        }
        CampaignParser.theme(content.get("theme"), "content.theme");
        screen(content.get("intro"), "content.intro", true);
        questions(content.get("questions"));
        screen(content.get("thanks"), "content.thanks", false);
        ObjectNode written = content.deepCopy();
        if (absent(written.get("layout"))) {
            written.put("layout", "modal");
        }
        return written;
    }

    private static void screen(JsonNode node, String path, boolean withButton) {
        if (absent(node)) {
            return;
        }
        ObjectNode screen = object(node, path);
        allowOnly(screen, path, withButton ? Set.of("title", "body", "button") : Set.of("title", "body"));
        String title = line(screen.get("title"), path + ".title", MAX_SCREEN_TITLE_LENGTH, false);
        String body = optionalText(screen.get("body"), path + ".body", MAX_SCREEN_BODY_LENGTH);
        if (title.isBlank() && body.isBlank()) {
            throw new InvalidCampaignException(path, "give a title or a body, or set it to null");
        }
        if (withButton) {
            line(screen.get("button"), path + ".button", MAX_BUTTON_LENGTH, false);
        }
    }

    // Questions

    /** What later questions' logic needs to know of the questions before them. */
    private record Question(String id, String type, boolean required, List<String> choices) {}

    private static void questions(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_QUESTIONS) {
            throw new InvalidCampaignException(
                    "content.questions", "must be a list of 1 to " + MAX_QUESTIONS + " questions");
        }
        List<Question> questions = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            Question question = question(node.get(i), "content.questions[" + i + "]");
            if (positions.putIfAbsent(question.id(), i) != null) {
                throw new InvalidCampaignException(
                        "content.questions[" + i + "].id",
                        "'" + question.id() + "' is already the id of questions[" + positions.get(question.id()) + "]");
            }
            questions.add(question);
        }

        // Logic is checked once every id is known, so that a goTo can name a later question.
        for (int i = 0; i < node.size(); i++) {
            logic(node.get(i).get("logic"), "content.questions[" + i + "].logic", questions.get(i), i, positions);
        }
    }

    private static Question question(JsonNode node, String path) {
        ObjectNode question = object(node, path);
        String type = oneOf(question.get("type"), path + ".type", TYPES);
        Set<String> fields = new HashSet<>(COMMON_FIELDS);
        fields.addAll(OWN_FIELDS.get(type));
        allowOnly(question, path, fields);
        String id = id(question.get("id"), path + ".id");
        line(question.get("text"), path + ".text", MAX_QUESTION_TEXT_LENGTH, true);
        boolean required = flag(question.get("required"), path + ".required");
        List<String> choices = List.of();
        switch (type) {
            case NPS -> {
                line(question.get("lowLabel"), path + ".lowLabel", MAX_SCALE_LABEL_LENGTH, false);
                line(question.get("highLabel"), path + ".highLabel", MAX_SCALE_LABEL_LENGTH, false);
            }
            case RATING -> {
                if (!absent(question.get("scale"))) {
                    oneOf(question.get("scale"), path + ".scale", SCALES);
                }
            }
            case SINGLE, MULTIPLE -> {
                choices = choices(question.get("choices"), path + ".choices");
                flag(question.get("other"), path + ".other");
            }
            default -> {
                flag(question.get("long"), path + ".long");
                line(question.get("placeholder"), path + ".placeholder", MAX_PLACEHOLDER_LENGTH, false);
                wholeNumber(
                        question.get("maxLength"),
                        path + ".maxLength",
                        1,
                        MAX_TEXT_ANSWER_LENGTH,
                        DEFAULT_TEXT_ANSWER_LENGTH);
            }
        }
        return new Question(id, type, required, choices);
    }

    private static String id(JsonNode node, String path) {
        if (node == null || !node.isTextual() || !ID.matcher(node.asText()).matches()) {
            throw new InvalidCampaignException(path, "must be 1 to " + MAX_ID_LENGTH + " of a-z, 0-9, '-' and '_'");
        }
        if (node.asText().equals(END)) {
            throw new InvalidCampaignException(path, "'end' names the thank-you screen in logic; choose another id");
        }
        return node.asText();
    }

    private static List<String> choices(JsonNode node, String path) {
        if (node == null || !node.isArray() || node.size() < MIN_CHOICES || node.size() > MAX_CHOICES) {
            throw new InvalidCampaignException(
                    path, "must be a list of " + MIN_CHOICES + " to " + MAX_CHOICES + " choices");
        }
        List<String> choices = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            String choice = line(node.get(i), at, MAX_CHOICE_LENGTH, true);
            for (int j = 0; j < choices.size(); j++) {
                if (choices.get(j).strip().equals(choice.strip())) {
                    throw new InvalidCampaignException(
                            at,
                            "is the same as " + path.substring(path.lastIndexOf('.') + 1) + "[" + j
                                    + "]; choices must be distinct");
                }
            }
            choices.add(choice);
        }
        return List.copyOf(choices);
    }

    // Logic

    private static void logic(
            JsonNode node, String path, Question question, int position, Map<String, Integer> positions) {
        if (absent(node)) {
            return;
        }
        if (!node.isArray() || node.size() > MAX_RULES) {
            throw new InvalidCampaignException(path, "must be a list of at most " + MAX_RULES + " rules");
        }
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            ObjectNode rule = object(node.get(i), at);
            allowOnly(rule, at, Set.of("if", "goTo"));
            condition(rule.get("if"), at + ".if", question);
            goTo(rule.get("goTo"), at + ".goTo", question, position, positions);
        }
    }

    private static void condition(JsonNode node, String path, Question question) {
        ObjectNode condition = object(node, path);
        String op = oneOf(condition.get("op"), path + ".op", OPS.get(question.type()));
        JsonNode value = condition.get("value");
        if (PRESENCE_OPS.contains(op)) {
            allowOnly(condition, path, Set.of("op"));
            if (op.equals("skipped") && question.required()) {
                throw new InvalidCampaignException(path + ".op", "a required question is never skipped");
            }
        } else if (NUMBER_OPS.contains(op)) {
            allowOnly(condition, path, Set.of("op", "value"));
            boolean nps = question.type().equals(NPS);
            wholeNumberValue(value, path + ".value", nps ? 0 : 1, nps ? 10 : 5);
        } else {
            allowOnly(condition, path, Set.of("op", "value"));
            if (value == null || !value.isTextual() || !question.choices().contains(value.asText())) {
                throw new InvalidCampaignException(
                        path + ".value", "must be one of the question's choices " + question.choices());
            }
        }
    }

    private static void wholeNumberValue(JsonNode node, String path, int min, int max) {
        if (absent(node)) {
            throw new InvalidCampaignException(path, "is required; give a whole number from " + min + " to " + max);
        }
        wholeNumber(node, path, min, max, min);
    }

    private static void goTo(
            JsonNode node, String path, Question question, int position, Map<String, Integer> positions) {
        if (node == null || !node.isTextual()) {
            throw new InvalidCampaignException(path, "must be 'end' or the id of a later question");
        }
        String target = node.asText();
        if (target.equals(END)) {
            return;
        }
        Integer at = positions.get(target);
        if (at == null) {
            throw new InvalidCampaignException(path, "'" + truncate(target) + "' is not the id of a question");
        }
        if (at <= position) {
            throw new InvalidCampaignException(
                    path,
                    "'" + target + "' is not a question after '" + question.id()
                            + "'; logic only goes forward, to a later question or to 'end'");
        }
    }

    // Small checks

    /**
     * A text on one line: no control characters at all, line breaks included.
     *
     * @param required whether it must be given and not blank
     * @return the text, or "" when it is optional and absent
     */
    private static String line(JsonNode node, String path, int maxLength, boolean required) {
        String text = required ? nonEmptyText(node, path, maxLength) : optionalText(node, path, maxLength);
        if (!Text.isClean(text)) {
            throw new InvalidCampaignException(path, "must be one line, without control characters");
        }
        return text;
    }

    private static boolean flag(JsonNode node, String path) {
        if (absent(node)) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidCampaignException(path, "must be true or false");
        }
        return node.booleanValue();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
