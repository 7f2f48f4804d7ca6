package dev.beckon.segment;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** The span of time a condition looks at, resolved to instants against a clock and a time zone. */
public sealed interface Window {

    /** All of the person's history. */
    record Ever() implements Window {}

    /**
     * The last {@code amount} minutes, hours or days.
     *
     * @param calendar false: exactly that long before now (rolling; a day is 24 hours). True: from
     *     the start of the calendar minute, hour, day or week (from Monday) {@code amount - 1}
     *     units before the current one, in the site's time zone; "the last 1 day" is today.
     */
    record Last(long amount, ChronoUnit unit, boolean calendar) implements Window {}

    /** From the start of {@code from} to the end of {@code to}, both days in the site's time zone. */
    record Between(LocalDate from, LocalDate to) implements Window {}

    /** The first instant inside the window. */
    static Instant start(Window window, Instant now, ZoneId zone) {
        return switch (window) {
            case Ever e -> Instant.EPOCH;
            case Last l
            when !l.calendar() ->
                ZonedDateTime.ofInstant(now, ZoneOffset.UTC)
                        .minus(l.amount(), l.unit())
                        .toInstant();
            case Last l
            when l.unit() == ChronoUnit.WEEKS ->
                ZonedDateTime.ofInstant(now, zone)
                        .truncatedTo(ChronoUnit.DAYS)
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .minusWeeks(l.amount() - 1)
                        .toInstant();
            case Last l ->
                ZonedDateTime.ofInstant(now, zone)
                        .truncatedTo(l.unit())
                        .minus(l.amount() - 1, l.unit())
                        .toInstant();
            case Between b -> b.from().atStartOfDay(zone).toInstant();
        };
    }

    /** The first instant after the window. */
    static Instant end(Window window, Instant now, ZoneId zone) {
        return switch (window) {
            case Ever e -> Instant.MAX;
            case Last l -> Instant.MAX;
            case Between b -> b.to().plusDays(1).atStartOfDay(zone).toInstant();
        };
    }
}
