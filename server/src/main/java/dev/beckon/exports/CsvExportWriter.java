package dev.beckon.exports;

import dev.beckon.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * CSV as RFC 4180 writes it (Apache Commons CSV): CRLF line ends, cells quoted when they hold a
 * comma, quote or line break; text cells neutralised by {@link Spreadsheets}; null as an empty
 * cell; times as ISO-8601 UTC.
 */
final class CsvExportWriter implements ExportWriter {

    private final CSVPrinter printer;
    private final int width;

    CsvExportWriter(OutputStream out, List<String> columns) throws IOException {
        var writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        this.printer = new CSVPrinter(writer, CSVFormat.RFC4180);
        this.width = columns.size();
        printer.printRecord(columns.stream().map(Spreadsheets::neutralised).toList());
    }

    @Override
    public void row(Object... values) {
        if (values.length != width) {
            throw new IllegalArgumentException("a row of " + values.length + " values for " + width + " columns");
        }
        try {
            for (Object value : values) {
                printer.print(cell(value));
            }
            printer.println();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String cell(Object value) {
        return switch (value) {
            case null -> "";
            case String text -> Spreadsheets.neutralised(text);
            case Instant time -> Json.TIME_FORMAT.format(time);
            default -> String.valueOf(value);
        };
    }

    @Override
    public void finish() {
        try {
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
