package dev.beckon.site;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.http.HttpError;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A site's engagement budget: who is held out of every campaign, and how often one visitor may be
 * shown campaigns of any kind, nudges and surveys together. The config answer carries it
 * (docs/campaigns.md, "The config answer"); the plugins obey it in the browser.
 *
 * @param holdoutPercent the share of people, 0 to 100 in hundredths, who see no campaign at all;
 *     sticky per person by {@code Buckets.holdout}
 * @param fatigue impressions of all campaigns per visitor's local day and per 7 days; 0 is no limit
 * @param minGapSeconds the least time between two impressions of any campaigns; 0 is none
 * @param quietHours when no campaign is shown, in the visitor's own time zone; null for never
 */
public record Engagement(double holdoutPercent, Fatigue fatigue, int minGapSeconds, QuietHours quietHours) {

    public static final Engagement NONE = new Engagement(0, new Fatigue(0, 0), 0, null);
    public static final int MAX_PER_DAY = 1000;
    public static final int MAX_PER_WEEK = 10_000;
    public static final int MAX_MIN_GAP_SECONDS = 7 * 86_400;
    /** The fields of a site that are this budget, as the admin API names them. */
    public static final List<String> FIELDS = List.of("holdoutPercent", "fatigue", "minGapSeconds", "quietHours");

    private static final Pattern CLOCK = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    /** Impressions allowed per visitor; 0 is no limit. */
    public record Fatigue(int perDay, int perWeek) {}

    /**
     * A daily span of the visitor's clock, from {@code from} up to but not including {@code to};
     * it runs past midnight when {@code to} is earlier than {@code from}.
     */
    public record QuietHours(String from, String to) {

        public boolean contains(LocalTime time) {
            LocalTime start = LocalTime.parse(from);
            LocalTime end = LocalTime.parse(to);
            return start.isBefore(end)
                    ? !time.isBefore(start) && time.isBefore(end)
                    : !time.isBefore(start) || time.isBefore(end);
        }
    }

    /** Whether the person of this holdout bucket (0 to 9,999) is held out of every campaign. */
    public boolean holdsOut(int bucket) {
        return bucket < Math.round(holdoutPercent * 100);
    }

    /**
     * This budget with the fields that {@code body} names changed, each checked.
     *
     * @throws HttpError 400 naming the field, what is wrong and the limit
     */
    public Engagement changedBy(JsonNode body) {
        double holdout = body.has("holdoutPercent") ? percent(body.get("holdoutPercent")) : holdoutPercent;
        Fatigue limits = body.has("fatigue") ? fatigue(body.get("fatigue")) : fatigue;
        int gap = body.has("minGapSeconds")
                ? whole(body.get("minGapSeconds"), "minGapSeconds", MAX_MIN_GAP_SECONDS)
                : minGapSeconds;
        QuietHours quiet = body.has("quietHours") ? quietHours(body.get("quietHours")) : quietHours;
        return new Engagement(holdout, limits, gap, quiet);
    }

    /**
     * The budget as the site settings form types it; a blank number is 0 and blank quiet hours none.
     *
     * @throws HttpError 400 naming the field, what is wrong and the limit
     */
    public static Engagement ofForm(Function<String, String> field) {
        var json = dev.beckon.Json.mapper().createObjectNode();
        json.put("holdoutPercent", number(field.apply("holdoutPercent"), "holdoutPercent"));
        json.putObject("fatigue")
                .put("perDay", number(field.apply("fatiguePerDay"), "fatigue.perDay"))
                .put("perWeek", number(field.apply("fatiguePerWeek"), "fatigue.perWeek"));
        json.put("minGapSeconds", number(field.apply("minGapSeconds"), "minGapSeconds"));
        String from = field.apply("quietFrom").strip();
        String to = field.apply("quietTo").strip();
        if (from.isEmpty() && to.isEmpty()) {
            json.putNull("quietHours");
        } else {
            json.putObject("quietHours").put("from", from).put("to", to);
        }
        return NONE.changedBy(json);
    }

    private static BigDecimal number(String typed, String name) {
        String text = typed.strip();
        if (text.isEmpty()) {
            return BigDecimal.ZERO;
        }
        try {
            if (text.length() > 20) {
                throw new NumberFormatException();
            }
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(
                    name + ": give a number, not '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
        }
    }

    private static double percent(JsonNode value) {
        if (value == null
                || !value.isNumber()
                || value.decimalValue().compareTo(BigDecimal.ZERO) < 0
                || value.decimalValue().compareTo(BigDecimal.valueOf(100)) > 0
                || value.decimalValue().movePointRight(2).stripTrailingZeros().scale() > 0) {
            throw HttpError.badRequest(
                    "holdoutPercent: give a number from 0 to 100, in hundredths at most, not " + value);
        }
        return value.doubleValue();
    }

    private static Fatigue fatigue(JsonNode value) {
        if (value == null || !value.isObject()) {
            throw HttpError.badRequest("fatigue: give an object such as {\"perDay\": 3, \"perWeek\": 10}");
        }
        for (var names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("perDay") && !name.equals("perWeek")) {
                throw HttpError.badRequest("fatigue." + (name.length() > 100 ? name.substring(0, 100) + "…" : name)
                        + ": is not a field of fatigue; the fields are perDay, perWeek");
            }
        }
        return new Fatigue(
                value.has("perDay") ? whole(value.get("perDay"), "fatigue.perDay", MAX_PER_DAY) : 0,
                value.has("perWeek") ? whole(value.get("perWeek"), "fatigue.perWeek", MAX_PER_WEEK) : 0);
    }

    private static int whole(JsonNode value, String name, int max) {
        if (value == null
                || !value.isNumber()
                || !value.canConvertToExactIntegral()
                || value.decimalValue().compareTo(BigDecimal.ZERO) < 0
                || value.decimalValue().compareTo(BigDecimal.valueOf(max)) > 0) {
            throw HttpError.badRequest(name + ": give a whole number from 0 (no limit) to " + max + ", not " + value);
        }
        return value.intValue();
    }

    private static QuietHours quietHours(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject() || value.size() != 2 || !value.has("from") || !value.has("to")) {
            throw HttpError.badRequest(
                    "quietHours: give null or an object with only from and to, such as {\"from\": \"22:00\","
                            + " \"to\": \"08:00\"}");
        }
        String from = clock(value.get("from"), "quietHours.from");
        String to = clock(value.get("to"), "quietHours.to");
        if (from.equals(to)) {
            throw HttpError.badRequest("quietHours: from and to are both " + from + "; give two different times");
        }
        return new QuietHours(from, to);
    }

    private static String clock(JsonNode value, String name) {
        if (value == null
                || !value.isTextual()
                || !CLOCK.matcher(value.asText()).matches()) {
            throw HttpError.badRequest(name + ": give a time of day as HH:MM, from 00:00 to 23:59, not " + value);
        }
        return value.asText();
    }
}
