package dev.beckon.http;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the JSON object of a request's body and its fields, with messages that name the field at fault. */
public final class JsonBody {

    private final JsonNode body;

    private JsonBody(JsonNode body) {
        this.body = body;
    }

    /**
     * The request's body.
     *
     * @throws HttpError 400 when it is not one JSON object
     */
    public static JsonBody of(Context ctx) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(ctx.bodyAsBytes());
        } catch (StreamConstraintsException e) {
            throw HttpError.badRequest("the body is nested deeper than " + Json.MAX_NESTING_DEPTH + " levels");
        } catch (IOException e) {
            throw HttpError.badRequest("the body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw HttpError.badRequest("the body must be a JSON object");
        }
        return new JsonBody(body);
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
