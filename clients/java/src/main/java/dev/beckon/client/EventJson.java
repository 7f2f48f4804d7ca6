package dev.beckon.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import java.util.Map;

/** One event of the ingestion protocol as JSON text, written once, when it is logged. */
final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    /** Deeper values are cut, as the server refuses properties nested beyond 5 levels. */
    private static final int MAX_DEPTH = 5;

    private EventJson() {}

    static String write(
            String id,
            String name,
            String deviceId,
            String userId,
            String sessionId,
            String version,
            long clientTimeMs,
            Map<String, ?> properties) {
        var text = new StringWriter(128);
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeStringField("name", name);
            json.writeStringField("deviceId", deviceId);
            json.writeStringField("userId", userId);
            json.writeStringField("sessionId", sessionId);
            json.writeStringField("version", version);
            json.writeNumberField("clientTime", clientTimeMs);
            json.writeFieldName("properties");
            writeValue(json, properties, 1);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return text.toString();
    }

    private static void writeValue(JsonGenerator json, Object value, int depth) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String s -> json.writeString(s);
            case Boolean b -> json.writeBoolean(b);
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Double d when d.isNaN() || d.isInfinite() -> json.writeNull();
            case Float f when f.isNaN() || f.isInfinite() -> json.writeNull();
            case Number n -> json.writeNumber(n.toString());
            case Date date -> json.writeString(date.toInstant().toString());
            case Instant instant -> json.writeString(instant.toString());
            case TemporalAccessor time -> json.writeString(time.toString());
            case Map<?, ?> map when depth > MAX_DEPTH -> json.writeString("[Truncated]");
            case Iterable<?> list when depth > MAX_DEPTH -> json.writeString("[Truncated]");
            case Map<?, ?> map -> writeMap(json, map, depth);
            case Iterable<?> list -> {
                json.writeStartArray();
                for (Object item : list) {
                    writeValue(json, item, depth + 1);
                }
                json.writeEndArray();
            }
            default -> json.writeString(value.toString());
        }
    }

    private static void writeMap(JsonGenerator json, Map<?, ?> map, int depth) throws IOException {
        json.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            json.writeFieldName(String.valueOf(entry.getKey()));
            writeValue(json, entry.getValue(), depth + 1);
        }
        json.writeEndObject();
    }
}
