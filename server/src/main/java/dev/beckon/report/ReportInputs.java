package dev.beckon.report;

import dev.beckon.http.HttpError;
import dev.beckon.ingest.IngestLimits;
import java.util.List;

/** The checks of a report's texts from a request: event names, property names, versions. */
final class ReportInputs {

    private ReportInputs() {}

    /**
     * A text parameter as ingestion would accept it.
     *
     * @throws HttpError 400 naming the parameter when it is empty, longer than {@code maxLength} or
     *     has control characters
     */
    static String text(String name, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw HttpError.badRequest(name + ": is required");
        }
        if (value.length() > maxLength) {
            throw HttpError.badRequest(
                    name + ": must be at most " + maxLength + " characters; it has " + value.length());
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw HttpError.badRequest(name + ": must have no control characters");
        }
        return value;
    }

    /** An event name parameter. @throws HttpError 400 as {@link #text} says */
    static String eventName(String name, String value) {
        return text(name, value, IngestLimits.MAX_NAME_LENGTH);
    }

    /** Distinct event names, at least one and at most {@code max}. @throws HttpError 400 naming the parameter */
    static List<String> eventNames(String name, List<String> values, int max) {
        List<String> names =
                values.stream().filter(v -> !v.isEmpty()).distinct().toList();
        if (names.isEmpty()) {
            throw HttpError.badRequest(name + ": give at least one event name");
        }
        if (names.size() > max) {
            throw HttpError.badRequest(name + ": give at most " + max + " event names; there are " + names.size());
        }
        for (int i = 0; i < names.size(); i++) {
            eventName(name + "[" + i + "]", names.get(i));
        }
        return names;
    }
}
