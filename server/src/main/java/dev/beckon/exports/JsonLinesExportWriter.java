package dev.beckon.exports;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.beckon.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** JSON lines: one object per row, keyed by column, then a line feed; values are written as they are. */
final class JsonLinesExportWriter implements ExportWriter {

    private final JsonGenerator json;
    private final List<String> columns;

    JsonLinesExportWriter(OutputStream out, List<String> columns) throws IOException {
        this.json = Json.mapper().getFactory().createGenerator(out);
        this.json.setRootValueSeparator(null);
        this.columns = List.copyOf(columns);
    }

    @Override
    public void row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(
                    "a row of " + values.length + " values for " + columns.size() + " columns");
        }
        try {
            json.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                json.writeFieldName(columns.get(i));
                value(values[i]);
            }
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void value(Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String text -> json.writeString(text);
            case Boolean bool -> json.writeBoolean(bool);
            case Instant time -> json.writeString(Json.TIME_FORMAT.format(time));
            case BigDecimal number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case Integer number -> json.writeNumber(number);
            case Double number -> json.writeNumber(number);
            default ->
                throw new IllegalArgumentException(
                        "no JSON form for a " + value.getClass().getSimpleName());
        }
    }

    @Override
    public void finish() {
        try {
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
