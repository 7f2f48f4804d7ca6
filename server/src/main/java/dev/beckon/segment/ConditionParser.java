package dev.beckon.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.segment.Condition.CountComparison;
import dev.beckon.segment.Condition.CountComparison.Comparison;
import dev.beckon.segment.Condition.EventMatch;
import dev.beckon.segment.PropertyFilter.Operator;
import dev.beckon.segment.PropertyFilter.Value;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the JSON form of a condition (docs/segments.md) into a {@link Condition}. Every problem is
 * reported with the path of the condition at fault, such as {@code all[1].did.count}, and what to
 * change; nothing is guessed.
 */
public final class ConditionParser {

    public static final int MAX_DEPTH = 10;
    public static final int MAX_CONDITIONS = 100;
    public static final int MAX_TEXT_LENGTH = 500;
    public static final int MAX_LIST_SIZE = 1000;

    private static final Map<String, Operator> OPERATORS = Map.ofEntries(
            Map.entry("eq", Operator.EQUALS),
            Map.entry("neq", Operator.NOT_EQUALS),
            Map.entry("gt", Operator.GREATER_THAN),
            Map.entry("gte", Operator.GREATER_OR_EQUAL),
            Map.entry("lt", Operator.LESS_THAN),
            Map.entry("lte", Operator.LESS_OR_EQUAL),
            Map.entry("contains", Operator.CONTAINS),
            Map.entry("startsWith", Operator.STARTS_WITH),
            Map.entry("in", Operator.IN),
            Map.entry("exists", Operator.EXISTS),
            Map.entry("notExists", Operator.NOT_EXISTS));

    private static final Map<String, ChronoUnit> UNITS = Map.of(
            "minutes",
            ChronoUnit.MINUTES,
            "hours",
            ChronoUnit.HOURS,
            "days",
            ChronoUnit.DAYS,
            "weeks",
            ChronoUnit.WEEKS);

    private int conditions;

    private ConditionParser() {}

    /**
     * Reads one condition tree.
     *
     * @throws InvalidConditionException naming the first problem found
     */
    public static Condition parse(JsonNode json) {
        return new ConditionParser().condition(json, "condition", 1);
    }

    private Condition condition(JsonNode node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidConditionException(path, "nested deeper than " + MAX_DEPTH + " levels");
        }
        if (++conditions > MAX_CONDITIONS) {
            throw new InvalidConditionException(path, "a segment may have at most " + MAX_CONDITIONS + " conditions");
        }
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new InvalidConditionException(
                    path,
                    "must be an object with exactly one of all, any, not,"
                            + " userProperty, sessionProperty, did, didNot, sequence, visited, inCohort");
        }
        String kind = node.fieldNames().next();
        JsonNode body = node.get(kind);
        String at = path + "." + kind;
        return switch (kind) {
            case "all" -> new Condition.All(list(body, at, depth));
            case "any" -> new Condition.Any(list(body, at, depth));
            case "not" -> new Condition.Not(condition(body, at, depth + 1));
            case "userProperty" -> new Condition.UserProperty(filter(object(body, at), at));
            case "sessionProperty" -> new Condition.SessionProperty(filter(object(body, at), at), window(body, at));
            case "did" -> behaviour(object(body, at), at, false);
            case "didNot" -> behaviour(object(body, at), at, true);
            case "sequence" -> sequence(object(body, at), at);
            case "visited" -> new Condition.PageVisited(text(object(body, at), "path", at), window(body, at));
            case "inCohort" -> new Condition.InCohort(nonEmptyText(body, at));
            default -> throw new InvalidConditionException(path, "'" + truncate(kind) + "' is not a kind of condition");
        };
    }

    private List<Condition> list(JsonNode body, String path, int depth) {
        if (body == null || !body.isArray()) {
            throw new InvalidConditionException(path, "must be a list of conditions");
        }
        List<Condition> children = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            children.add(condition(body.get(i), path + "[" + i + "]", depth + 1));
        }
        return children;
    }

    private Condition behaviour(JsonNode body, String path, boolean didNot) {
        EventMatch event = eventMatch(body, path);
        Window window = window(body, path);
        if (didNot) {
            if (body.has("count")) {
                throw new InvalidConditionException(path + ".count", "didNot takes no count; use did with atMost");
            }
            return new Condition.Behaviour(event, new CountComparison(Comparison.EXACTLY, 0), window);
        }
        return new Condition.Behaviour(event, count(body.get("count"), path + ".count"), window);
    }

    private Condition sequence(JsonNode body, String path) {
        EventMatch first = eventMatch(object(body.get("first"), path + ".first"), path + ".first");
        EventMatch then = eventMatch(object(body.get("then"), path + ".then"), path + ".then");
        JsonNode within = object(body.get("within"), path + ".within");
        long amount = wholeNumber(within.get("amount"), path + ".within.amount", 1);
        ChronoUnit unit = unit(within.get("unit"), path + ".within.unit");
        return new Condition.Sequence(
                first,
                then,
                Duration.of(amount, unit == ChronoUnit.WEEKS ? ChronoUnit.DAYS : unit)
                        .multipliedBy(unit == ChronoUnit.WEEKS ? 7 : 1),
                window(body, path));
    }

    private EventMatch eventMatch(JsonNode body, String path) {
        String name = text(body, "event", path);
        List<PropertyFilter> filters = new ArrayList<>();
        JsonNode where = body.get("where");
        if (where != null) {
            if (!where.isArray()) {
                throw new InvalidConditionException(path + ".where", "must be a list of property filters");
            }
            for (int i = 0; i < where.size(); i++) {
                String at = path + ".where[" + i + "]";
                filters.add(filter(object(where.get(i), at), at));
            }
        }
        return new EventMatch(name, filters);
    }

    private static CountComparison count(JsonNode node, String path) {
        if (node == null) {
            return new CountComparison(Comparison.AT_LEAST, 1);
        }
        if (!node.isObject() || node.size() != 1) {
            throw new InvalidConditionException(
                    path, "must be one of {\"atLeast\": n}, {\"atMost\": n}, {\"exactly\": n}");
        }
        String kind = node.fieldNames().next();
        Comparison comparison = switch (kind) {
            case "atLeast" -> Comparison.AT_LEAST;
            case "atMost" -> Comparison.AT_MOST;
            case "exactly" -> Comparison.EXACTLY;
            default ->
                throw new InvalidConditionException(path, "'" + truncate(kind) + "' is not atLeast, atMost or exactly");
        };
        return new CountComparison(comparison, wholeNumber(node.get(kind), path + "." + kind, 0));
    }

    // Property filters

    private static PropertyFilter filter(JsonNode body, String path) {
        String property = body.has("name") ? text(body, "name", path) : text(body, "property", path);
        String opName = text(body, "op", path);
        Operator operator = OPERATORS.get(opName);
        if (operator == null) {
            throw new InvalidConditionException(
                    path + ".op",
                    "'" + truncate(opName) + "' is not one of "
                            + OPERATORS.keySet().stream().sorted().toList());
        }
        return new PropertyFilter(property, operator, value(body, operator, path));
    }

    private static Value value(JsonNode body, Operator operator, String path) {
        JsonNode value = body.get("value");
        String at = path + ".value";
        if (operator == Operator.EXISTS || operator == Operator.NOT_EXISTS) {
            if (value != null) {
                throw new InvalidConditionException(at, "exists and notExists take no value");
            }
            return new Value.None();
        }
        if (value == null || value.isNull()) {
            throw new InvalidConditionException(
                    at, "is required for '" + body.get("op").asText() + "'");
        }
        if (operator == Operator.IN) {
            return textList(value, at);
        }
        if ("date".equals(body.path("type").asText(null))) {
            return new Value.Date(date(value, at));
        }
        if (value.isTextual()) {
            checkLength(value.asText(), at);
            return new Value.Text(value.asText());
        }
        if (value.isNumber()) {
            return numeric(operator, value, at);
        }
        if (value.isBoolean()) {
            return bool(operator, value, at);
        }
        throw new InvalidConditionException(at, "must be a string, a number or a boolean");
    }

    private static Value numeric(Operator operator, JsonNode value, String at) {
        if (operator == Operator.CONTAINS || operator == Operator.STARTS_WITH) {
            throw new InvalidConditionException(at, "contains and startsWith compare text; give a string");
        }
        return new Value.Number(value.asDouble());
    }

    private static Value bool(Operator operator, JsonNode value, String at) {
        if (operator != Operator.EQUALS && operator != Operator.NOT_EQUALS) {
            throw new InvalidConditionException(at, "a boolean can only be compared with eq or neq");
        }
        return new Value.Bool(value.asBoolean());
    }

    private static Value textList(JsonNode value, String at) {
        if (!value.isArray() || value.isEmpty() || value.size() > MAX_LIST_SIZE) {
            throw new InvalidConditionException(at, "'in' takes a list of 1 to " + MAX_LIST_SIZE + " values");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull()) {
                throw new InvalidConditionException(at, "'in' takes strings, numbers or booleans");
            }
            checkLength(item.asText(), at);
            values.add(item.asText());
        }
        return new Value.TextList(values);
    }

    private static Instant date(JsonNode value, String at) {
        String text = value.asText();
        try {
            return text.length() == 10
                    ? LocalDate.parse(text)
                            .atStartOfDay(java.time.ZoneOffset.UTC)
                            .toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidConditionException(
                    at, "'" + truncate(text) + "' is not a date (2026-12-03) or an ISO-8601 time with an offset");
        }
    }

    // Windows

    private static Window window(JsonNode body, String path) {
        JsonNode node = body.get("window");
        String at = path + ".window";
        if (node == null || (node.isTextual() && node.asText().equals("ever"))) {
            return new Window.Ever();
        }
        if (!node.isObject()) {
            throw new InvalidConditionException(
                    at, "must be \"ever\", {\"last\": n, \"unit\": ...} or {\"from\": day, \"to\": day}");
        }
        if (node.has("last")) {
            long amount = wholeNumber(node.get("last"), at + ".last", 1);
            ChronoUnit unit = unit(node.get("unit"), at + ".unit");
            boolean calendar = node.path("calendar").asBoolean(false);
            return new Window.Last(amount, unit, calendar);
        }
        if (node.has("from") && node.has("to")) {
            LocalDate from = day(node.get("from"), at + ".from");
            LocalDate to = day(node.get("to"), at + ".to");
            if (to.isBefore(from)) {
                throw new InvalidConditionException(at, "'to' is before 'from'");
            }
            return new Window.Between(from, to);
        }
        throw new InvalidConditionException(at, "give either 'last' and 'unit', or 'from' and 'to'");
    }

    private static ChronoUnit unit(JsonNode node, String path) {
        ChronoUnit unit = node == null ? null : UNITS.get(node.asText().toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw new InvalidConditionException(path, "must be one of minutes, hours, days, weeks");
        }
        return unit;
    }

    private static LocalDate day(JsonNode node, String path) {
        try {
            return LocalDate.parse(node.asText());
        } catch (DateTimeException e) {
            throw new InvalidConditionException(
                    path, "'" + truncate(node.asText()) + "' is not a day such as 2026-12-03");
        }
    }

    // Small checks

    private static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidConditionException(path, "must be an object");
        }
        return node;
    }

    private static String text(JsonNode body, String field, String path) {
        return nonEmptyText(body.get(field), path + "." + field);
    }

    private static String nonEmptyText(JsonNode node, String path) {
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new InvalidConditionException(path, "must be a non-empty string");
        }
        checkLength(node.asText(), path);
        return node.asText();
    }

    private static long wholeNumber(JsonNode node, String path, long min) {
        if (node == null
                || !node.canConvertToExactIntegral()
                || node.asLong() < min
                || node.asLong() > 1_000_000_000L) {
            throw new InvalidConditionException(path, "must be a whole number from " + min + " to 1000000000");
        }
        return node.asLong();
    }

    private static void checkLength(String text, String path) {
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new InvalidConditionException(path, "is longer than " + MAX_TEXT_LENGTH + " characters");
        }
    }

    private static String truncate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
