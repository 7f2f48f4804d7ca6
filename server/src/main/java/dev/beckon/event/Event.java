package dev.beckon.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One event of a site, as stored: an app event logged with {@code logEvent}, or one of the reserved
 * events ({@link ReservedEvent}) that the SDK logs for page views, sessions and properties.
 *
 * @param siteId the public id of the site the event belongs to
 * @param id the event id made by the client when the event was logged; unique within a site
 * @param name the event name
 * @param deviceId the device id ({@code getClientId()} in the SDK)
 * @param userId the custom user id, or null while the visitor is anonymous
 * @param sessionId the session the event happened in; never null
 * @param properties the event's properties; never null, possibly empty
 * @param version the site version stamped by the SDK
 * @param clientTime when the client logged the event, by the client's clock
 * @param serverTime when the server received the event
 * @param time the event time used for ordering and windows: client time corrected for clock skew
 */
public record Event(
        String siteId,
        String id,
        String name,
        String deviceId,
        String userId,
        String sessionId,
        ObjectNode properties,
        String version,
        Instant clientTime,
        Instant serverTime,
        Instant time) {

    public Event {
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientTime, "clientTime");
        Objects.requireNonNull(serverTime, "serverTime");
        Objects.requireNonNull(time, "time");
    }
}
