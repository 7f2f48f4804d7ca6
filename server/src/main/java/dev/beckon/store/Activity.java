package dev.beckon.store;

import java.time.Instant;
import java.util.List;

/**
 * What the store knows about a subject's events as a whole.
 *
 * @param deviceIds every device id seen with the subject, most recent first
 * @param userIds every custom user id seen with the subject, most recent first
 */
public record Activity(
        List<String> deviceIds, List<String> userIds, Instant firstSeen, Instant lastSeen, long eventCount) {}
