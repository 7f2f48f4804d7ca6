package dev.beckon.campaign;

import java.time.Instant;

/**
 * When a campaign may reach visitors.
 *
 * @param start the first instant, or null for as soon as it is published
 * @param end the first instant after it, or null for no end
 */
public record Schedule(Instant start, Instant end) {

    public static final Schedule ALWAYS = new Schedule(null, null);

    public boolean hasStarted(Instant now) {
        return start == null || !now.isBefore(start);
    }

    public boolean hasEnded(Instant now) {
        return end != null && !now.isBefore(end);
    }
}
