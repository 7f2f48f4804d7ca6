package dev.beckon.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Which events of a site to list, newest first. Every filter is optional; the ones given must all
 * hold.
 *
 * @param from inclusive lower bound on the event time
 * @param to exclusive upper bound on the event time
 * @param limit the most events to return, at least 1
 */
public record EventQuery(
        String siteId,
        Optional<String> name,
        Optional<String> deviceId,
        Optional<String> userId,
        Optional<String> sessionId,
        Optional<Instant> from,
        Optional<Instant> to,
        int limit) {

    /** All events of a site, newest first, at most {@code limit}. */
    public static EventQuery newest(String siteId, int limit) {
        return new EventQuery(
                siteId,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                limit);
    }

    public EventQuery withName(String eventName) {
        return new EventQuery(siteId, Optional.of(eventName), deviceId, userId, sessionId, from, to, limit);
    }

    public EventQuery withSubject(Subject subject) {
        return switch (subject) {
            case Subject.Device d ->
                new EventQuery(siteId, name, Optional.of(d.deviceId()), userId, sessionId, from, to, limit);
            case Subject.User u ->
                new EventQuery(siteId, name, deviceId, Optional.of(u.userId()), sessionId, from, to, limit);
        };
    }
}
