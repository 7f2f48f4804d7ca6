package dev.beckon.exports;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the rows of one export, as they come, in one of the {@link ExportFormat}s. Every export
 * (segment members, cohort members, campaign outcomes, and the survey responses to come) names
 * its columns once and hands its rows to one of these, so each format and its safety rules are
 * written once.
 *
 * <p>A value is a {@link String}, a {@link Number}, a {@link Boolean}, a {@link java.time.Instant}
 * or null. Rows are buffered only by the output stream's buffer, so an export of any length takes
 * constant memory. Nothing is written after a failure: a cut-off file is a failed export.
 */
public sealed interface ExportWriter permits CsvExportWriter, JsonLinesExportWriter {

    /** A writer of {@code format} on {@code out}, for rows of these columns. */
    static ExportWriter of(ExportFormat format, OutputStream out, List<String> columns) {
        try {
            return switch (format) {
                case CSV -> new CsvExportWriter(out, columns);
                case JSON_LINES -> new JsonLinesExportWriter(out, columns);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes one row, one value per column, in column order.
     *
     * @throws IllegalArgumentException when the row has another number of values than the columns
     * @throws UncheckedIOException when the output fails, as when the client went away
     */
    void row(Object... values);

    /** Flushes what is buffered; does not close the output stream. */
    void finish();
}
