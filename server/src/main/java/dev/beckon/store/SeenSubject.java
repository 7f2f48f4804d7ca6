package dev.beckon.store;

import java.time.Instant;

/**
 * A device or a user seen on a site, for lists.
 *
 * @param id the device id or the custom user id
 * @param otherId for a device, its latest custom user id; for a user, their latest device id
 */
public record SeenSubject(String id, String otherId, Instant firstSeen, Instant lastSeen, long eventCount) {}
