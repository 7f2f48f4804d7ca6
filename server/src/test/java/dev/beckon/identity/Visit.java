package dev.beckon.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Batches;
import dev.beckon.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;

/** Events of a made-up visit, at whole seconds after {@link #T0}, for the identity tests. */
final class Visit {

    static final long T0 = 1_764_000_000_000L;

    private Visit() {}

    /** An event named {@code name} on {@code deviceId}; {@code userId} null for an anonymous one. */
    static ObjectNode event(String name, String deviceId, String userId, String sessionId, int second) {
        ObjectNode event = Batches.event(name);
        event.put("deviceId", deviceId);
        event.put("sessionId", sessionId);
        event.put("clientTime", T0 + second * 1000L);
        if (userId != null) {
            event.put("userId", userId);
        }
        return event;
    }

    /** {@code event} with one more property. */
    static ObjectNode with(ObjectNode event, String key, String value) {
        event.with("properties").put(key, value);
        return event;
    }

    static String seconds(int second) {
        return Json.TIME_FORMAT.format(java.time.Instant.ofEpochMilli(T0 + second * 1000L));
    }

    /** A path segment for a device id or a user id. */
    static String path(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The values of {@code field} in each element of {@code array}. */
    static List<String> each(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(e -> e.get(field).asText())
                .toList();
    }
}
