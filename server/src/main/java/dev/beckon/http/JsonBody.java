package dev.beckon.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the JSON object of an admin API request's body and its fields, with messages that name the
 * field at fault. Every admin route that takes a JSON body reads it here, so that all of them share
 * one size limit and word a broken body alike.
 */
public final class JsonBody {

    /** How Jackson places the start of an object or array that the body never closes. */
    private static final Pattern OPENED_AT =
            Pattern.compile(" \\(start marker at \\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]\\)");

    /** Larger bodies are refused with 413 before they are parsed; no admin resource comes near it. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private final JsonNode body;

    private JsonBody(JsonNode body) {
        this.body = body;
    }

    /**
     * The request's body.
     *
     * @throws HttpError 413 when it is larger than {@link #MAX_BODY_BYTES}, 400 when it is not one
     *     JSON object
     */
    public static JsonBody of(Context ctx) {
        return new JsonBody(object(ctx));
    }

    /**
     * The request's body as a JSON object, for routes that read it as a tree of their own.
     *
     * @throws HttpError 413 when it is larger than {@link #MAX_BODY_BYTES}, 400 when it is not one
     *     JSON object; the message says what is wrong and where
     */
    public static JsonNode object(Context ctx) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(limitedBytes(ctx));
        } catch (StreamConstraintsException e) {
            throw HttpError.badRequest("the body is nested deeper than " + Json.MAX_NESTING_DEPTH + " levels");
        } catch (JacksonException e) {
            throw HttpError.badRequest("the body is not valid JSON: " + reason(e) + where(e));
        } catch (IOException e) {
            throw HttpError.badRequest("the body could not be read: the connection broke off");
        }
        if (body == null || !body.isObject()) {
            throw HttpError.badRequest("the body must be a JSON object");
        }
        return body;
    }

    /** Reads no more than one byte past the limit, so that a huge body costs no memory. */
    private static byte[] limitedBytes(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            return OversizedBodies.readAtMost(in, declared, MAX_BODY_BYTES).orElseThrow(JsonBody::tooLarge);
        }
    }

    private static HttpError tooLarge() {
        return new HttpError(
                413,
                "the body is larger than " + MAX_BODY_BYTES + " bytes; shorten it (the limit is the same for every"
                        + " admin API route)");
    }

    /**
     * Why a text is not valid JSON, and where, in our words: for a form field that holds JSON as for
     * a body.
     */
    public static String problem(JacksonException e) {
        return reason(e) + where(e);
    }

    /**
     * The parser's reason, with the position of an unclosed object or array in our words rather
     * than the parser's description of its input source.
     */
    private static String reason(JacksonException e) {
        return OPENED_AT.matcher(e.getOriginalMessage()).replaceAll(" (opened at line $1, column $2)");
    }

    /** The parser's position, as line and column of the text. */
    private static String where(JacksonException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * Refuses a body with a field not among {@code fields}, so that a misspelt setting is an error
     * rather than a setting silently left as it was.
     *
     * @param what what the body describes, for the message: "a site", "an account"
     * @throws HttpError 400 naming the first unknown field and the known ones
     */
    public JsonBody allowOnly(String what, List<String> fields) {
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                String shown = name.length() <= 100 ? name : name.substring(0, 100) + "…";
                throw HttpError.badRequest(
                        shown + ": is not a field of " + what + "; the fields are " + String.join(", ", fields));
            }
        }
        return this;
    }

    /** The body as a tree, for a part that reads its fields itself. */
    public JsonNode tree() {
        return body;
    }

    public boolean has(String field) {
        return body.hasNonNull(field);
    }

    /** A text field; empty when absent or null. @throws HttpError 400 when it is not text */
    public Optional<String> text(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw HttpError.badRequest(field + ": must be text");
        }
        return Optional.of(value.asText());
    }

    /** A text field that must be there. @throws HttpError 400 when it is absent or not text */
    public String requiredText(String field) {
        return text(field).orElseThrow(() -> HttpError.badRequest(field + ": is required"));
    }

    /**
     * A whole-number field; empty when absent or null.
     *
     * @throws HttpError 400 when it is not a whole number, or not one from {@link Long#MIN_VALUE} to
     *     {@link Long#MAX_VALUE}
     */
    public Optional<Long> wholeNumber(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral()) {
            throw HttpError.badRequest(field + ": must be a whole number, not " + value);
        }
        if (!value.canConvertToLong()) {
            throw HttpError.badRequest(field + ": " + value + " is out of range");
        }
        return Optional.of(value.longValue());
    }

    /** A list of texts; empty when absent or null. @throws HttpError 400 when it is not a list of texts */
    public Optional<List<String>> texts(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw HttpError.badRequest(field + ": must be a list of texts");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw HttpError.badRequest(field + "[" + i + "]: must be text");
            }
            texts.add(value.get(i).asText());
        }
        return Optional.of(texts);
    }
}
