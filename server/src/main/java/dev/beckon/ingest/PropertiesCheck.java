package dev.beckon.ingest;

import static dev.beckon.ingest.IngestLimits.MAX_PROPERTIES_BYTES;
import static dev.beckon.ingest.IngestLimits.MAX_PROPERTY_DEPTH;
import static dev.beckon.ingest.IngestLimits.MAX_PROPERTY_KEYS;
import static dev.beckon.ingest.IngestLimits.MAX_PROPERTY_KEY_LENGTH;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.beckon.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Checks an event's properties against the limits and returns a copy that is safe to store.
 * Unpaired surrogates in keys and values become U+FFFD rather than failing the event: a browser
 * produces them from ordinary string slicing, and the rest of the value is still worth keeping.
 */
final class PropertiesCheck {

    ObjectNode check(JsonNode properties) {
        if (properties == null || properties.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!properties.isObject()) {
            throw new BatchReader.InvalidEvent("properties: must be a JSON object");
        }
        ObjectNode copy = (ObjectNode) copy(properties, 1, "properties");
        int bytes = serialisedBytes(copy);
        if (bytes > MAX_PROPERTIES_BYTES) {
            throw new BatchReader.InvalidEvent(
                    "properties: " + bytes + " bytes once serialised; the limit is " + MAX_PROPERTIES_BYTES);
        }
        return copy;
    }

    private JsonNode copy(JsonNode node, int depth, String path) {
        if (node.isObject()) {
            return copyObject(node, depth, path);
        }
        if (node.isArray()) {
            return copyArray(node, depth, path);
        }
        if (node.isTextual()) {
            return TextNode.valueOf(Text.withoutLoneSurrogates(node.asText()));
        }
        return node;
    }

    private JsonNode copyObject(JsonNode node, int depth, String path) {
        checkDepth(depth, path);
        if (node.size() > MAX_PROPERTY_KEYS) {
            throw new BatchReader.InvalidEvent(
                    path + ": has " + node.size() + " keys; the limit is " + MAX_PROPERTY_KEYS);
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = Text.withoutLoneSurrogates(field.getKey());
            // An empty key is a key: JSON has it, and the SDK sends it as the page gave it.
            if (key.length() > MAX_PROPERTY_KEY_LENGTH) {
                throw new BatchReader.InvalidEvent(
                        path + ": keys must be at most " + MAX_PROPERTY_KEY_LENGTH + " characters");
            }
            copy.set(key, copy(field.getValue(), depth + 1, path + "." + key));
        }
        return copy;
    }

    private JsonNode copyArray(JsonNode node, int depth, String path) {
        checkDepth(depth, path);
        if (node.size() > MAX_PROPERTY_KEYS) {
            throw new BatchReader.InvalidEvent(
                    path + ": has " + node.size() + " items; the limit is " + MAX_PROPERTY_KEYS);
        }
        ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
        for (JsonNode item : node) {
            copy.add(copy(item, depth + 1, path + "[]"));
        }
        return copy;
    }

    private static void checkDepth(int depth, String path) {
        if (depth > MAX_PROPERTY_DEPTH) {
            throw new BatchReader.InvalidEvent(path + ": nested deeper than " + MAX_PROPERTY_DEPTH + " levels");
        }
    }

    private static int serialisedBytes(ObjectNode properties) {
        try {
            return Json.mapper().writeValueAsString(properties).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a checked property tree failed to serialise", e);
        }
    }
}
