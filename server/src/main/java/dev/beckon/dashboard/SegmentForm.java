package dev.beckon.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.http.HttpError;
import dev.beckon.http.JsonBody;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the segment builder's form holds: a name, and a condition given either as rows of the
 * common kinds joined by all or any, or as JSON text in the full language (docs/segments.md). The
 * JSON text wins when it is not blank. {@link #condition()} turns the form into the JSON form of a
 * condition, refusing a row that lacks what its kind needs with a message naming the row.
 */
public record SegmentForm(String name, String match, List<Row> rows, String json) {

    public static final int ROWS = 3;
    /** The longest JSON text the builder takes: the condition limits allow no more. */
    public static final int MAX_JSON_LENGTH = 100_000;

    static final List<String> KINDS = List.of("did", "didNot", "userProperty", "sessionProperty", "visited");
    static final List<String> OPERATORS =
            List.of("eq", "neq", "gt", "gte", "lt", "lte", "contains", "startsWith", "in", "exists", "notExists");
    static final List<String> TYPES = List.of("text", "number", "boolean", "date");
    static final List<String> COUNTS = List.of("atLeast", "atMost", "exactly");
    static final List<String> UNITS = List.of("minutes", "hours", "days", "weeks");
    private static final Set<String> VALUELESS = Set.of("exists", "notExists");

    public SegmentForm {
        rows = List.copyOf(rows);
    }

    /**
     * One row of the form. {@code subject} is the event name of {@code did} and {@code didNot}, or
     * the path pattern of {@code visited}; the filter (property, operator, type, value) tests the
     * event's properties, or is the user or session property test itself.
     */
    public record Row(
            String kind,
            String subject,
            String property,
            String op,
            String type,
            String value,
            String count,
            String times,
            String last,
            String unit) {

        static Row empty() {
            return new Row("", "", "", "eq", "text", "", "atLeast", "1", "", "days");
        }

        boolean isEmpty() {
            return kind.isEmpty();
        }
    }

    /** An empty form, with rows to fill. */
    public static SegmentForm blank() {
        return new SegmentForm("", "all", List.of(Row.empty(), Row.empty(), Row.empty()), "");
    }

    /** A form showing a saved condition as JSON text. */
    public static SegmentForm of(String name, JsonNode condition) {
        return new SegmentForm(name, "all", blank().rows(), pretty(condition));
    }

    /** The form of a request's form parameters; missing fields are empty. */
    static SegmentForm read(Context ctx) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String at = "row" + i + ".";
            rows.add(new Row(
                    field(ctx, at + "kind"),
                    field(ctx, at + "subject"),
                    field(ctx, at + "property"),
                    field(ctx, at + "op"),
                    field(ctx, at + "type"),
                    field(ctx, at + "value"),
                    field(ctx, at + "count"),
                    field(ctx, at + "times"),
                    field(ctx, at + "last"),
                    field(ctx, at + "unit")));
        }
        String match = field(ctx, "match").equals("any") ? "any" : "all";
        return new SegmentForm(field(ctx, "name"), match, rows, field(ctx, "json"));
    }

    /**
     * The condition of the form, in its JSON form; not yet checked by the condition parser.
     *
     * @throws HttpError 400 naming the row or the JSON text at fault
     */
    public JsonNode condition() {
        if (!json.isBlank()) {
            return parsedJson();
        }
        ArrayNode children = Json.mapper().createArrayNode();
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).isEmpty()) {
                children.add(row(rows.get(i), "row " + (i + 1)));
            }
        }
        if (children.isEmpty()) {
            throw HttpError.badRequest("condition: choose a kind in a row, or write the condition as JSON");
        }
        ObjectNode condition = Json.mapper().createObjectNode();
        condition.set(match, children);
        return condition;
    }

    /** The JSON text of a condition, indented, for the text area. */
    static String pretty(JsonNode condition) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(condition);
        } catch (JsonProcessingException e) {
            return condition.toString();
        }
    }

    private JsonNode parsedJson() {
        if (json.length() > MAX_JSON_LENGTH) {
            throw HttpError.badRequest("condition JSON: is longer than " + MAX_JSON_LENGTH + " characters");
        }
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("condition JSON: is not valid JSON: " + JsonBody.problem(e));
        }
    }

    private static JsonNode row(Row row, String at) {
        ObjectNode body = Json.mapper().createObjectNode();
        switch (row.kind()) {
            case "did", "didNot" -> {
                body.put("event", required(row.subject(), at + ": the event"));
                if (!row.property().isBlank()) {
                    body.putArray("where").add(filter(row, at));
                }
                if (row.kind().equals("did")) {
                    body.putObject("count").put(oneOf(row.count(), COUNTS, "atLeast"), wholeNumber(row.times(), at));
                }
                window(row, body, at);
            }
            case "userProperty" -> body.setAll(filter(row, at));
            case "sessionProperty" -> {
                body.setAll(filter(row, at));
                window(row, body, at);
            }
            case "visited" -> {
                body.put("path", required(row.subject(), at + ": the page path"));
                window(row, body, at);
            }
            default -> throw HttpError.badRequest(at + ": '" + row.kind() + "' is not one of " + KINDS);
        }
        ObjectNode condition = Json.mapper().createObjectNode();
        condition.set(row.kind(), body);
        return condition;
    }

    private static ObjectNode filter(Row row, String at) {
        String op = oneOf(row.op(), OPERATORS, "eq");
        ObjectNode filter = Json.mapper().createObjectNode();
        filter.put("property", required(row.property(), at + ": the property"));
        filter.put("op", op);
        if (VALUELESS.contains(op)) {
            return filter;
        }
        if (op.equals("in")) {
            ArrayNode values = filter.putArray("value");
            for (String item : row.value().split(",", -1)) {
                values.add(item.strip());
            }
            return filter;
        }
        switch (oneOf(row.type(), TYPES, "text")) {
            case "number" -> filter.put("value", number(row.value(), at));
            case "boolean" ->
                filter.put("value", Boolean.parseBoolean(row.value().strip()));
            case "date" -> filter.put("type", "date").put("value", row.value().strip());
            default -> filter.put("value", row.value());
        }
        return filter;
    }

    private static void window(Row row, ObjectNode body, String at) {
        if (row.last().isBlank()) {
            return;
        }
        body.putObject("window").put("last", wholeNumber(row.last(), at)).put("unit", oneOf(row.unit(), UNITS, "days"));
    }

    private static String required(String text, String what) {
        if (text.isBlank()) {
            throw HttpError.badRequest(what + " is required");
        }
        return text;
    }

    private static double number(String text, String at) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(at + ": '" + Format.shortId(text) + "' is not a number");
        }
    }

    private static long wholeNumber(String text, String at) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(at + ": '" + Format.shortId(text) + "' is not a whole number");
        }
    }

    private static String oneOf(String value, List<String> allowed, String fallback) {
        return allowed.contains(value) ? value : fallback;
    }

    private static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("");
    }
}
