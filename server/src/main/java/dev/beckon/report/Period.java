package dev.beckon.report;

import dev.beckon.http.HttpError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The days a report covers: {@code from} to {@code to}, both included, calendar days of the site's
 * time zone, as a request's {@code from} and {@code to} give them ({@code YYYY-MM-DD}); the last
 * {@link #DEFAULT_DAYS} days up to today when they are not given.
 */
public record Period(LocalDate from, LocalDate to, ZoneId zone) {

    public static final int DEFAULT_DAYS = 30;
    public static final int MAX_DAYS = 366;
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

    /**
     * The period a request asks for.
     *
     * @param from the first day as typed, or null or blank for {@code to} minus 29 days
     * @param to the last day as typed, or null or blank for today
     * @throws HttpError 400 naming the parameter, when a day is not a date, or when the period is
     *     backwards, before 2000, more than a day ahead of today or longer than {@link #MAX_DAYS}
     */
    public static Period of(String from, String to, ZoneId zone, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        LocalDate last = isBlank(to) ? today : day("to", to);
        LocalDate first = isBlank(from) ? last.minusDays(DEFAULT_DAYS - 1) : day("from", from);
        if (first.isAfter(last)) {
            throw HttpError.badRequest("from: " + first + " is after to, " + last);
        }
        if (first.isBefore(EARLIEST)) {
            throw HttpError.badRequest("from: give a day from " + EARLIEST + " on, not " + first);
        }
        if (last.isAfter(today.plusDays(1))) {
            throw HttpError.badRequest("to: give a day up to tomorrow (" + today.plusDays(1) + "), not " + last);
        }
        long days = ChronoUnit.DAYS.between(first, last) + 1;
        if (days > MAX_DAYS) {
            throw HttpError.badRequest("from, to: a report covers at most " + MAX_DAYS + " days; these are " + days);
        }
        return new Period(first, last, zone);
    }

    /** Each day of the period with the instants it spans in the zone, in order. */
    public List<ReportEvents.Day> days() {
        List<ReportEvents.Day> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            days.add(new ReportEvents.Day(
                    day,
                    day.atStartOfDay(zone).toInstant(),
                    day.plusDays(1).atStartOfDay(zone).toInstant()));
        }
        return days;
    }

    private static LocalDate day(String name, String typed) {
        String text = typed.strip();
        try {
            if (DAY.matcher(text).matches()) {
                return LocalDate.parse(text);
            }
        } catch (DateTimeParseException e) {
            // the message below says what is expected
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        throw HttpError.badRequest(name + ": give a day as YYYY-MM-DD, such as 2026-12-04, not '" + shown + "'");
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
