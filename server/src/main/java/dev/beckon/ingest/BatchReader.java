package dev.beckon.ingest;

import static dev.beckon.ingest.IngestLimits.MAX_DEVICE_ID_LENGTH;
import static dev.beckon.ingest.IngestLimits.MAX_EVENTS_PER_BATCH;
import static dev.beckon.ingest.IngestLimits.MAX_ID_LENGTH;
import static dev.beckon.ingest.IngestLimits.MAX_NAME_LENGTH;
import static dev.beckon.ingest.IngestLimits.MAX_SESSION_ID_LENGTH;
import static dev.beckon.ingest.IngestLimits.MAX_USER_ID_LENGTH;
import static dev.beckon.ingest.IngestLimits.MAX_VERSION_LENGTH;
import static dev.beckon.ingest.IngestLimits.MIN_ID_LENGTH;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.event.ReservedEvent;
import dev.beckon.http.HttpError;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads an ingestion request body into a {@link Batch}. A body that is not a batch at all is
 * refused whole with {@link HttpError}; otherwise each event is checked on its own, so that one
 * bad event never costs the others.
 */
public final class BatchReader {

    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]+");
    /** Epoch milliseconds beyond year 9999 are no real clock's reading. */
    private static final long MAX_EPOCH_MS = 253_402_300_799_999L;

    /**
     * Reads decimal numbers as {@code BigDecimal}, which writes them back as long as the client
     * wrote them ({@code 1e-7} stays {@code 1E-7}, where a double becomes {@code 1.0E-7}), so that
     * the 32 KiB limit measures what the SDK measured.
     */
    private static final ObjectReader NUMBERS_AS_WRITTEN =
            Json.mapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final PropertiesCheck propertiesCheck = new PropertiesCheck();

    /**
     * Reads {@code body}, received at {@code serverTime}, for site {@code siteId}.
     *
     * @throws HttpError 400 when the body is not a JSON object with an {@code events} array of
     *     1 to {@value IngestLimits#MAX_EVENTS_PER_BATCH} items
     */
    public Batch read(String siteId, byte[] body, Instant serverTime) {
        JsonNode root = parse(body);
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            throw HttpError.badRequest("the body needs an 'events' array");
        }
        if (events.isEmpty() || events.size() > MAX_EVENTS_PER_BATCH) {
            throw HttpError.badRequest("'events' must hold 1 to " + MAX_EVENTS_PER_BATCH + " events; it holds "
                    + events.size() + ". Split the batch.");
        }
        long sentAtMs = optionalEpochMs(root, "sentAt");
        long skewMs = sentAtMs < 0 ? 0 : serverTime.toEpochMilli() - sentAtMs;

        List<Event> valid = new ArrayList<>();
        List<Batch.Rejection> rejected = new ArrayList<>();
        for (int index = 0; index < events.size(); index++) {
            JsonNode node = events.get(index);
            try {
                valid.add(readEvent(siteId, node, root, serverTime, skewMs));
            } catch (InvalidEvent e) {
                JsonNode id = node.get("id");
                rejected.add(
                        new Batch.Rejection(index, id != null && id.isTextual() ? id.asText() : null, e.getMessage()));
            }
        }
        return new Batch(valid, rejected, dropped(root));
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw HttpError.badRequest("the body is empty; send a JSON object with an 'events' array");
        }
        JsonNode root;
        try {
            root = NUMBERS_AS_WRITTEN.readTree(strictUtf8(body));
        } catch (StreamConstraintsException e) {
            throw HttpError.badRequest(overLimit(e));
        } catch (JacksonException e) {
            throw HttpError.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // A decimal whose exponent BigDecimal cannot hold, such as 0e88888888888888888888.
            throw HttpError.badRequest("a number in the body has an exponent out of range");
        }
        if (root == null || !root.isObject()) {
            throw HttpError.badRequest("the body must be a JSON object with an 'events' array");
        }
        return root;
    }

    /**
     * The body as text. The JSON parser alone would take overlong forms (a '<' written in two
     * bytes) and code points above U+10FFFF; the JDK's decoder refuses both, so that no text
     * reaches the store in a form other than the one a byte-level filter saw.
     */
    private static String strictUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw HttpError.badRequest("the body is not valid UTF-8: " + invalidUtf8Position(body, decoder));
        }
    }

    private static String invalidUtf8Position(byte[] body, CharsetDecoder decoder) {
        ByteBuffer bytes = ByteBuffer.wrap(body);
        decoder.reset().decode(bytes, CharBuffer.allocate(body.length), true);
        return "the bytes at offset " + bytes.position() + " are no UTF-8 character";
    }

    /** The parser's limits, in the protocol's words rather than the parser's. */
    private static String overLimit(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return "the body is nested deeper than " + Json.MAX_NESTING_DEPTH + " levels";
        }
        if (message.contains("Number value length")) {
            return "a number in the body has more than " + Json.MAX_NUMBER_DIGITS + " digits";
        }
        return "a string in the body is longer than " + Json.MAX_STRING_CHARS + " characters";
    }

    /**
     * One event. {@code batch} gives deviceId, userId, sessionId and version to each event that
     * has none of its own (docs/ingestion-protocol.md); an event's own null says "none".
     */
    private Event readEvent(String siteId, JsonNode node, JsonNode batch, Instant serverTime, long skewMs) {
        if (!node.isObject()) {
            throw new InvalidEvent("an event must be a JSON object");
        }
        // The id's own rule, below, names its length limits; no earlier check should name others.
        String id = requiredText(node, "id", Integer.MAX_VALUE);
        if (id.length() < MIN_ID_LENGTH
                || id.length() > MAX_ID_LENGTH
                || !EVENT_ID.matcher(id).matches()) {
            throw new InvalidEvent("id: must be " + MIN_ID_LENGTH + " to " + MAX_ID_LENGTH
                    + " characters of A-Z, a-z, 0-9, '-' and '_'");
        }
        String name = requiredText(node, "name", MAX_NAME_LENGTH);
        if (name.startsWith(ReservedEvent.PREFIX) && !ReservedEvent.isReserved(name)) {
            throw new InvalidEvent("name: '" + ReservedEvent.PREFIX + "' starts only reserved event names");
        }
        String deviceId = requiredText(node, batch, "deviceId", MAX_DEVICE_ID_LENGTH);
        String userId = optionalText(node, batch, "userId", MAX_USER_ID_LENGTH);
        String sessionId = requiredText(node, batch, "sessionId", MAX_SESSION_ID_LENGTH);
        String version = requiredText(node, batch, "version", MAX_VERSION_LENGTH);
        ObjectNode properties = propertiesCheck.check(node.get("properties"));
        long clientTimeMs = requiredEpochMs(node, "clientTime");

        Instant clientTime = Instant.ofEpochMilli(clientTimeMs);
        Instant corrected = Instant.ofEpochMilli(clientTimeMs + skewMs);
        Instant time = corrected.isAfter(serverTime) ? serverTime : corrected;
        return new Event(
                siteId, id, name, deviceId, userId, sessionId, properties, version, clientTime, serverTime, time);
    }

    // Field checks: each names the field and the rule it broke.

    private static String requiredText(JsonNode event, String field, int maxLength) {
        return requiredText(event, MissingNode.getInstance(), field, maxLength);
    }

    /** The event's field, or the batch's when the event has none. */
    private static String requiredText(JsonNode event, JsonNode batch, String field, int maxLength) {
        String value = optionalText(event, batch, field, maxLength);
        if (value == null) {
            throw new InvalidEvent(field + ": is required");
        }
        return value;
    }

    private static String optionalText(JsonNode event, JsonNode batch, String field, int maxLength) {
        JsonNode node = event.has(field) ? event.get(field) : batch.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidEvent(field + ": must be a string, not "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        String value = node.asText();
        if (value.isEmpty() || value.length() > maxLength) {
            throw new InvalidEvent(field + ": must be 1 to " + maxLength + " characters; it has " + value.length());
        }
        if (!Text.isClean(value)) {
            throw new InvalidEvent(field + ": must not contain control characters or unpaired surrogates");
        }
        return value;
    }

    private static long requiredEpochMs(JsonNode event, String field) {
        JsonNode node = event.get(field);
        if (node == null || !node.canConvertToExactIntegral() || !node.canConvertToLong()) {
            throw new InvalidEvent(field + ": must be an integer number of epoch milliseconds");
        }
        long value = node.asLong();
        if (value <= 0 || value > MAX_EPOCH_MS) {
            throw new InvalidEvent(field + ": " + value + " is not a time between 1970 and 9999 in epoch milliseconds");
        }
        return value;
    }

    /** The batch-level epoch field, or -1 when absent or unusable; it is only a hint for skew. */
    private static long optionalEpochMs(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.canConvertToExactIntegral() || !node.canConvertToLong()) {
            return -1;
        }
        long value = node.asLong();
        return value > 0 && value <= MAX_EPOCH_MS ? value : -1;
    }

    private static long dropped(JsonNode root) {
        JsonNode node = root.get("dropped");
        boolean count = node != null && node.canConvertToExactIntegral() && node.canConvertToLong();
        return count && node.asLong() > 0 ? node.asLong() : 0;
    }

    /** One event's failed check; its message is the reason the client sees. */
    static final class InvalidEvent extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InvalidEvent(String reason) {
            super(reason, null, false, false);
        }
    }
}
