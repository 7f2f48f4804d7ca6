package dev.beckon.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The type of a property column, written after the column's name ({@code age:number}); a column
 * without one is {@link #STRING}. Each type reads a cell into the JSON value that the condition
 * language compares as that type (docs/segments.md, "Types and comparison").
 */
public enum PropertyType {
    /** The cell as it is, spaces and leading {@code =} included. */
    STRING,
    /** A decimal number: optional sign, digits with an optional point, optional exponent. */
    NUMBER,
    /** {@code true} or {@code false}, in any case. */
    BOOLEAN,
    /** A day ({@code 2026-03-01}) or an ISO-8601 time with an offset, kept as the text given. */
    DATE;

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,9})?");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d\\d-\\d\\d");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The name as written in a header. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of a header's suffix, in lower case, as written. */
    public static Optional<PropertyType> ofLabel(String label) {
        return Arrays.stream(values()).filter(t -> t.label().equals(label)).findFirst();
    }

    /**
     * The cell as a value of this type. Number, boolean and date cells may have spaces around.
     *
     * @throws IllegalArgumentException with a message that names what the cell should be
     */
    public JsonNode read(String cell) {
        String value = cell.strip();
        return switch (this) {
            case STRING -> NODES.textNode(cell);
            case NUMBER -> {
                if (!DECIMAL.matcher(value).matches()) {
                    throw new IllegalArgumentException("is not a number such as 42, -1.5 or 2e3");
                }
                yield NODES.numberNode(new BigDecimal(value));
            }
            case BOOLEAN -> {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("is not true or false");
                }
                yield NODES.booleanNode(value.equalsIgnoreCase("true"));
            }
            case DATE -> {
                if (!isDate(value)) {
                    throw new IllegalArgumentException(
                            "is not a day such as 2026-03-01 or a time with an offset such as 2026-03-01T10:00:00Z");
                }
                yield NODES.textNode(value);
            }
        };
    }

    private static boolean isDate(String value) {
        try {
            if (DAY.matcher(value).matches()) {
                LocalDate.parse(value);
            } else {
                OffsetDateTime.parse(value);
            }
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
