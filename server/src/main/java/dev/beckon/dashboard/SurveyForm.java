package dev.beckon.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.campaign.SurveyParser;
import dev.beckon.http.HttpError;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The survey part of the campaign editor's form: the intro and thank-you screens, and one slot of
 * fields a question, named {@code q<i>.<field>} (docs/surveys.md). A slot whose id and text are
 * blank is no question, so the editor shows the survey's questions and two empty slots for more.
 * The fields are kept in {@link CampaignForm}'s map, and {@link #contentJson} turns them into the
 * survey's content, which the campaign parser then checks with its paths and messages.
 *
 * <p>Choices are typed one a line, logic one rule a line as {@code op [value] -> goTo}, such as
 * {@code gte 9 -> end} or {@code is Price -> stars}: the value is what follows the operator, up to
 * the arrow, so a choice with spaces needs no quotes.
 */
public final class SurveyForm {

    public static final int MAX_SLOTS = SurveyParser.MAX_QUESTIONS;
    static final int EMPTY_SLOTS = 2;
    static final List<String> SCREEN_FIELDS =
            List.of("introTitle", "introBody", "introButton", "thanksTitle", "thanksBody");
    static final List<String> QUESTION_FIELDS = List.of(
            "id",
            "type",
            "text",
            "required",
            "choices",
            "other",
            "scale",
            "lowLabel",
            "highLabel",
            "long",
            "placeholder",
            "maxLength",
            "logic");
    static final List<String> TYPES = List.of("nps", "rating", "single", "multiple", "text");
    private static final Pattern RULE = Pattern.compile("^\\s*([A-Za-z]+)(?:\\s+(.*?))?\\s*->\\s*(\\S+)\\s*$");

    private SurveyForm() {}

    /** How the editor names a question type. */
    public static String typeLabel(String type) {
        return switch (type) {
            case "nps" -> "NPS, 0 to 10";
            case "rating" -> "rating, 1 to 5";
            case "single" -> "single choice";
            case "multiple" -> "multiple choice";
            default -> "free text";
        };
    }

    static String field(int slot, String name) {
        return "q" + slot + "." + name;
    }

    /** Adds the survey's fields of a request's form to {@code fields}; missing ones are empty. */
    static void read(Context ctx, Map<String, String> fields) {
        for (String name : SCREEN_FIELDS) {
            fields.put(name, Optional.ofNullable(ctx.formParam(name)).orElse(""));
        }
        for (int slot = 0; slot < MAX_SLOTS; slot++) {
            for (String name : QUESTION_FIELDS) {
                fields.put(
                        field(slot, name),
                        Optional.ofNullable(ctx.formParam(field(slot, name))).orElse(""));
            }
        }
    }

    /** A new survey's fields: one NPS question and a thank-you screen. */
    static void blank(Map<String, String> fields) {
        fields.put(field(0, "id"), "nps");
        fields.put(field(0, "type"), "nps");
        fields.put(field(0, "text"), "How likely are you to recommend us to a friend?");
        fields.put(field(0, "required"), "true");
        fields.put(field(0, "lowLabel"), "Not at all");
        fields.put(field(0, "highLabel"), "Very likely");
        fields.put("thanksTitle", "Thank you!");
    }

    /** Adds the fields of a saved survey's content to {@code fields}. */
    static void of(ObjectNode content, Map<String, String> fields) {
        fields.put("introTitle", content.path("intro").path("title").asText(""));
        fields.put("introBody", content.path("intro").path("body").asText(""));
        fields.put("introButton", content.path("intro").path("button").asText(""));
        fields.put("thanksTitle", content.path("thanks").path("title").asText(""));
        fields.put("thanksBody", content.path("thanks").path("body").asText(""));
        int slot = 0;
        for (JsonNode question : content.path("questions")) {
            for (String name : List.of("id", "type", "text", "scale", "lowLabel", "highLabel", "placeholder")) {
                fields.put(field(slot, name), question.path(name).asText(""));
            }
            for (String name : List.of("required", "other", "long")) {
                fields.put(
                        field(slot, name), Boolean.toString(question.path(name).asBoolean(false)));
            }
            fields.put(
                    field(slot, "maxLength"),
                    question.has("maxLength") ? question.get("maxLength").asText() : "");
            List<String> choices = new ArrayList<>();
            question.path("choices").forEach(choice -> choices.add(choice.asText()));
            fields.put(field(slot, "choices"), String.join("\n", choices));
            List<String> rules = new ArrayList<>();
            for (JsonNode rule : question.path("logic")) {
                JsonNode value = rule.path("if").path("value");
                rules.add(rule.path("if").path("op").asText()
                        + (value.isMissingNode() || value.isNull() ? "" : " " + value.asText())
                        + " -> " + rule.path("goTo").asText());
            }
            fields.put(field(slot, "logic"), String.join("\n", rules));
            slot++;
        }
    }

    /** Whether a slot holds a question: an id or a text was typed. */
    static boolean filled(CampaignForm form, int slot) {
        return !form.get(field(slot, "id")).isBlank()
                || !form.get(field(slot, "text")).isBlank();
    }

    /** How many slots the editor shows: every filled one, and {@link #EMPTY_SLOTS} more, up to the limit. */
    public static int slots(CampaignForm form) {
        int last = -1;
        for (int slot = 0; slot < MAX_SLOTS; slot++) {
            if (filled(form, slot)) {
                last = slot;
            }
        }
        return Math.min(MAX_SLOTS, last + 1 + EMPTY_SLOTS);
    }

    /**
     * The survey's content; not yet checked by the campaign parser.
     *
     * @throws HttpError 400 for a logic line that is not a rule
     */
    static ObjectNode contentJson(CampaignForm form) {
        ObjectNode content = Json.mapper().createObjectNode();
        content.put("layout", form.get("layout").equals("card") ? "card" : "modal");
        ObjectNode theme = Json.mapper().createObjectNode();
        for (String colour : List.of("accent", "background", "text")) {
            if (!form.get(colour).isBlank()) {
                theme.put(colour, form.get(colour).strip());
            }
        }
        if (!theme.isEmpty()) {
            content.set("theme", theme);
        }
        ObjectNode intro = screen(form, "intro", List.of("title", "body", "button"));
        if (intro != null) {
            content.set("intro", intro);
        }
        ArrayNode questions = content.putArray("questions");
        for (int slot = 0; slot < MAX_SLOTS; slot++) {
            if (filled(form, slot)) {
                questions.add(question(form, slot, questions.size()));
            }
        }
        ObjectNode thanks = screen(form, "thanks", List.of("title", "body"));
        if (thanks != null) {
            content.set("thanks", thanks);
        }
        return content;
    }

    private static ObjectNode screen(CampaignForm form, String prefix, List<String> names) {
        ObjectNode screen = Json.mapper().createObjectNode();
        for (String name : names) {
            String value = form.get(prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1));
            if (!value.isBlank()) {
                screen.put(name, value.strip());
            }
        }
        return screen.isEmpty() ? null : screen;
    }

    private static ObjectNode question(CampaignForm form, int slot, int position) {
        ObjectNode question = Json.mapper().createObjectNode();
        String type = form.get(field(slot, "type"));
        question.put("id", form.get(field(slot, "id")).strip());
        question.put("type", type);
        question.put("text", form.get(field(slot, "text")).strip());
        question.put("required", form.checked(field(slot, "required")));
        switch (type) {
            case "nps" -> {
                optional(question, "lowLabel", form.get(field(slot, "lowLabel")));
                optional(question, "highLabel", form.get(field(slot, "highLabel")));
            }
            case "rating" ->
                question.put("scale", form.get(field(slot, "scale")).equals("emoji") ? "emoji" : "stars");
            case "single", "multiple" -> {
                ArrayNode choices = question.putArray("choices");
                form.get(field(slot, "choices"))
                        .lines()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty())
                        .forEach(choices::add);
                question.put("other", form.checked(field(slot, "other")));
            }
            case "text" -> {
                question.put("long", form.checked(field(slot, "long")));
                optional(question, "placeholder", form.get(field(slot, "placeholder")));
                String maxLength = form.get(field(slot, "maxLength")).strip();
                if (!maxLength.isEmpty()) {
                    question.put("maxLength", maxLength.matches("\\d{1,9}") ? Integer.parseInt(maxLength) : -1);
                }
            }
            default -> {
                // The parser refuses the type with the list of types.
            }
        }
        String logic = form.get(field(slot, "logic"));
        if (!logic.isBlank()) {
            question.set("logic", logic(logic, type, "content.questions[" + position + "].logic"));
        }
        return question;
    }

    private static ArrayNode logic(String text, String type, String path) {
        ArrayNode rules = Json.mapper().createArrayNode();
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher rule = RULE.matcher(lines.get(i));
            if (!rule.matches()) {
                throw HttpError.badRequest(path + "[" + i + "]: write a rule as 'op value -> question id or end',"
                        + " such as 'gte 9 -> end' or 'skipped -> end', not '" + Format.shortId(lines.get(i)) + "'");
            }
            ObjectNode json = rules.addObject();
            ObjectNode condition = json.putObject("if").put("op", rule.group(1));
            String value = rule.group(2);
            if (value != null && !value.isEmpty()) {
                boolean score = type.equals("nps") || type.equals("rating");
                if (score && value.matches("-?\\d{1,9}")) {
                    condition.put("value", Integer.parseInt(value));
                } else {
                    condition.put("value", value);
                }
            }
            json.put("goTo", rule.group(3));
        }
        return rules;
    }

    private static void optional(ObjectNode node, String field, String value) {
        if (!value.isBlank()) {
            node.put(field, value.strip());
        }
    }
}
