package dev.beckon.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * One session, summarised from its events (docs/identity.md, "Sessions"); in a user's sessions,
 * from the events of the session that belong to the user.
 *
 * @param start the time of the session's first event
 * @param end the time of its last event
 * @param userId the custom user id of the session's last identified event, or null; in a user's
 *     sessions, that user, also for an anonymous session that belongs to them
 * @param pageViews the number of {@code $page_view} events
 * @param eventCount the number of stored events, client events excluded (they never leave the browser)
 * @param properties the session properties, the latest value of each key winning
 * @param ended whether a {@code $session_end} event closed the session
 */
public record SessionSummary(
        String sessionId,
        String deviceId,
        String userId,
        Instant start,
        Instant end,
        long pageViews,
        long eventCount,
        ObjectNode properties,
        boolean ended) {

    public Duration duration() {
        return Duration.between(start, end);
    }

    /** The time from the first to the last event, in whole seconds. */
    @JsonProperty("durationSeconds")
    public long durationSeconds() {
        return duration().toSeconds();
    }
}
