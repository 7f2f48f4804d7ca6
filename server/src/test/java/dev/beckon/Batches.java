package dev.beckon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** Builds ingestion batches for tests, shaped like the SDK's. */
public final class Batches {

    private Batches() {}

    /** A valid app event with a fresh id, on device {@code d-test} in session {@code s-test}. */
    public static ObjectNode event(String name) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("id", UUID.randomUUID().toString());
        event.put("name", name);
        event.put("deviceId", "d-test");
        event.put("sessionId", "s-test");
        event.put("version", "1.0.0");
        event.put("clientTime", System.currentTimeMillis());
        event.putObject("properties");
        return event;
    }

    /** A batch of the given events, as JSON text. */
    public static String batch(ObjectNode... events) {
        ObjectNode batch = Json.mapper().createObjectNode();
        ArrayNode array = batch.putArray("events");
        for (ObjectNode event : events) {
            array.add(event);
        }
        return batch.toString();
    }
}
