package dev.beckon.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.store.DeviceLink;
import dev.beckon.store.SessionSummary;
import java.time.Instant;
import java.util.List;

/**
 * What Beckon knows of one device or one user: the ids linked to it, its user properties, and its
 * most recent sessions. A user's profile is made of the events that belong to the user by the
 * identity rules (docs/identity.md); a device's, of every event of the device.
 *
 * @param deviceId the device asked about, or null for a user profile
 * @param userId the user asked about, or null for a device profile
 * @param deviceIds the devices seen with this subject, most recent first
 * @param userIds the custom user ids seen with this subject, most recent first
 * @param links the identity links: for a user, one per device; for a device, one per user id
 * @param userProperties the latest value of each user property, by event time
 * @param sessions the most recent sessions, newest first
 */
public record Profile(
        String deviceId,
        String userId,
        List<String> deviceIds,
        List<String> userIds,
        List<DeviceLink> links,
        Instant firstSeen,
        Instant lastSeen,
        long eventCount,
        ObjectNode userProperties,
        List<SessionSummary> sessions) {}
