package dev.beckon.scaleout.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.beckon.Json;
import dev.beckon.event.Event;
import java.io.IOException;

/**
 * The messages of the ingestion log: one per event, its key the site and device, its value the
 * {@link Event} as JSON with the record's field names and times in UTC with milliseconds
 * ({@link Json#TIME_FORMAT}).
 *
 * <p>A reader ignores fields it does not know, so that a node one version ahead, which writes a
 * new field, does not make its messages unreadable to an older consumer.
 */
public final class EventMessages {

    private static final ObjectWriter WRITER = Json.mapper().writerFor(Event.class);
    private static final ObjectReader READER =
            Json.mapper().readerFor(Event.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EventMessages() {}

    /**
     * The partitioning key: every event of one device of one site has the same key, so they land
     * in one partition, in the order they were published. Site ids cannot hold a '/', so no two
     * pairs share a key.
     */
    public static String key(Event event) {
        return event.siteId() + "/" + event.deviceId();
    }

    /** The event as the value of its message. */
    public static byte[] value(Event event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " cannot be written as JSON", e);
        }
    }

    /**
     * The event of a message's value.
     *
     * @throws MalformedMessageException when the value is not an event's JSON, with what is wrong
     */
    public static Event event(byte[] value) {
        if (value == null) {
            throw new MalformedMessageException("the message has no value");
        }
        try {
            Event event = READER.readValue(value);
            if (event == null) {
                throw new MalformedMessageException("the message's value is JSON null");
            }
            return event;
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("the message's value is not an event: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            throw new MalformedMessageException("the message's value is not an event: " + e.getMessage());
        }
    }

    /** A message of the ingestion log that holds no event; it will never hold one. */
    public static final class MalformedMessageException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        MalformedMessageException(String message) {
            super(message);
        }
    }
}
