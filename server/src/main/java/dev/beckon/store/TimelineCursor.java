package dev.beckon.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a page of a timeline ended: the last event shown, by the timeline's order (time, then server
 * time, then event id, all descending). The next page holds the events after it in that order, so
 * that paging stays exact while new events arrive. As text, the cursor is {@code
 * <time µs>.<server time µs>.<event id>}; clients treat it as opaque.
 */
public record TimelineCursor(Instant time, Instant serverTime, String eventId) {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,16})\\.(\\d{1,16})\\.([A-Za-z0-9_-]{8,64})");

    public TimelineCursor {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(serverTime, "serverTime");
        Objects.requireNonNull(eventId, "eventId");
    }

    /** The cursor after {@code event}'s position. */
    public static TimelineCursor after(dev.beckon.event.Event event) {
        return new TimelineCursor(event.time(), event.serverTime(), event.id());
    }

    /** The cursor that {@code text} spells, or empty when it is not one that {@link #toString} wrote. */
    public static Optional<TimelineCursor> parse(String text) {
        var match = TEXT.matcher(text);
        if (!match.matches()) {
            return Optional.empty();
        }
        return Optional.of(new TimelineCursor(
                micros(Long.parseLong(match.group(1))), micros(Long.parseLong(match.group(2))), match.group(3)));
    }

    @Override
    public String toString() {
        return micros(time) + "." + micros(serverTime) + "." + eventId;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000);
    }
}
