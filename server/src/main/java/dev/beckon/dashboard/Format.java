package dev.beckon.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the dashboard writes values. Templates escape the results; these only shape them. */
public final class Format {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Format() {}

    public static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    public static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    /** Compact JSON of a properties tree; the template escapes it. */
    public static String json(JsonNode node) {
        if (node == null || node.isEmpty()) {
            return "";
        }
        try {
            return Json.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return "(unprintable)";
        }
    }

    /** A path segment, percent-encoded, for links to a device's or a user's page. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A percentage as people write it: {@code 10 %}, {@code 12.5 %}. */
    public static String percent(double value) {
        return (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)) + " %";
    }

    /** A share from 0 to 1 as a percentage with one decimal, or a dash when there is none. */
    public static String rate(Double share) {
        return share == null ? "–" : String.format(java.util.Locale.ROOT, "%.1f %%", share * 100);
    }

    /**
     * A difference of two rates in percentage points, signed: {@code +4.6 points}; a dash for
     * null.
     */
    public static String points(Double difference) {
        return difference == null ? "–" : String.format(java.util.Locale.ROOT, "%+.1f points", difference * 100);
    }

    public static String shortId(String id) {
        return id == null ? "" : id.length() <= 14 ? id : id.substring(0, 12) + "…";
    }
}
