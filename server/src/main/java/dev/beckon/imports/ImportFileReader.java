package dev.beckon.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.identity.SubjectIds;
import dev.beckon.imports.ImportHeader.PropertyColumn;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an import file: UTF-8 CSV (RFC 4180, with Apache Commons CSV), a header row, then one row
 * per custom user id. Each row is handed on as it is read, so a file of any length takes the
 * memory of one record; nothing is written here.
 *
 * <p>Design notes. Invalid UTF-8 is decoded to the noncharacter U+FFFF, so that a bad byte rejects
 * its row instead of ending the file; a row that really holds U+FFFF is rejected with it. Line
 * numbers are counted by the parser, so a quoted cell that spans lines is reported at the line it
 * starts. A quote that is never closed would make the rest of the file one record; the record
 * length guard stops the import there. Blank lines are skipped. A leading byte order mark is
 * dropped. Text after a closing quote ({@code "a"b}) is kept as part of the cell, as the parser's
 * trailing-data mode reads it.
 */
public final class ImportFileReader {

    /** What invalid UTF-8 is decoded to. */
    static final char NOT_UTF_8 = '\uFFFF';

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final CSVFormat FORMAT = CSVFormat.RFC4180
            .builder()
            .setIgnoreEmptyLines(false)
            .setLenientEof(true)
            .setTrailingData(true)
            .get();

    /** Where the rows of a file go, in file order. */
    public interface Rows {

        /** The header was read; called once, before any row. */
        void header(ImportHeader header);

        /** A good row. */
        void kept(ImportRow row);

        /** A bad row: its line and why it was left out. */
        void rejected(long line, String reason);
    }

    private final ImportLimits limits;

    public ImportFileReader(ImportLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads the whole file into {@code rows}. Does not close {@code in}.
     *
     * @throws ImportFileException when the file cannot be read further; the rows before it were
     *     handed on
     * @throws UncheckedIOException when reading {@code in} fails
     */
    public void read(InputStream in, Rows rows) {
        var guard = new RecordGuard(new InputStreamReader(in, decoder()), limits.maxRecordChars());
        try {
            CSVParser parser = CSVParser.parse(guard, FORMAT);
            Iterator<CSVRecord> records = parser.iterator();
            ImportHeader header = null;
            long dataRows = 0;
            while (true) {
                long line = parser.getCurrentLineNumber() + 1;
                CSVRecord record = next(records, line, guard);
                if (record == null) {
                    break;
                }
                guard.recordEnded();
                List<String> cells = record.toList();
                if (header == null && line == 1 && !cells.isEmpty()) {
                    cells.set(0, withoutByteOrderMark(cells.getFirst()));
                }
                if (isBlank(cells)) {
                    continue;
                }
                if (header == null) {
                    header = ImportHeader.parse(cells, limits);
                    rows.header(header);
                    continue;
                }
                if (++dataRows > limits.maxRows()) {
                    throw new ImportFileException(
                            line, "the file has more than " + limits.maxRows() + " rows; split it into smaller files");
                }
                readRow(header, line, cells, rows);
            }
            if (header == null) {
                throw new ImportFileException(1, "the file is empty; its first row must be a header with userId");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CSVRecord next(Iterator<CSVRecord> records, long line, RecordGuard guard) {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof RecordTooLongException) {
                throw new ImportFileException(
                        line,
                        "a record starting at this line is longer than " + guard.maxChars()
                                + " characters; most likely a quote is not closed");
            }
            throw e;
        }
    }

    private void readRow(ImportHeader header, long line, List<String> cells, Rows rows) {
        if (cells.size() != header.width()) {
            rows.rejected(line, "has " + cells.size() + " cells; the header has " + header.width());
            return;
        }
        if (cells.stream().anyMatch(c -> c.indexOf(NOT_UTF_8) >= 0)) {
            rows.rejected(line, "is not valid UTF-8");
            return;
        }
        if (cells.equals(header.cells())) {
            rows.rejected(line, "repeats the header row");
            return;
        }
        String userId = cells.get(header.userIdColumn());
        try {
            SubjectIds.user(userId);
        } catch (SubjectIds.InvalidIdException e) {
            rows.rejected(line, e.getMessage());
            return;
        }
        ObjectNode properties = Json.mapper().createObjectNode();
        for (PropertyColumn column : header.properties()) {
            String cell = cells.get(column.index());
            if (cell.isEmpty()) {
                continue;
            }
            String problem = cellProblem(column, cell);
            if (problem != null) {
                rows.rejected(line, problem);
                return;
            }
            properties.set(column.name(), column.type().read(cell));
        }
        rows.kept(new ImportRow(line, userId, properties));
    }

    private String cellProblem(PropertyColumn column, String cell) {
        String where = column.name() + " (" + column.type().label() + "): ";
        if (cell.length() > limits.maxCellLength()) {
            return where + "has " + cell.length() + " characters; at most " + limits.maxCellLength();
        }
        try {
            column.type().read(cell);
            return null;
        } catch (IllegalArgumentException e) {
            return where + "'" + cell + "' " + e.getMessage();
        }
    }

    private static boolean isBlank(List<String> cells) {
        return cells.size() == 1 && cells.getFirst().isEmpty();
    }

    private static String withoutByteOrderMark(String cell) {
        return !cell.isEmpty() && cell.charAt(0) == BYTE_ORDER_MARK ? cell.substring(1) : cell;
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(NOT_UTF_8));
    }

    /** Thrown by {@link RecordGuard} when one record grows past the limit. */
    private static final class RecordTooLongException extends IOException {

        private static final long serialVersionUID = 1L;

        RecordTooLongException() {
            super("record too long", null);
        }
    }

    /**
     * Counts the characters the parser takes since the last record ended. The parser reads ahead by
     * its buffer, so the count is at most that much above the record's own length.
     */
    private static final class RecordGuard extends FilterReader {

        private final int maxChars;
        private long sinceRecordEnded;

        RecordGuard(Reader in, int maxChars) {
            super(in);
            this.maxChars = maxChars;
        }

        int maxChars() {
            return maxChars;
        }

        void recordEnded() {
            sinceRecordEnded = 0;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            count(c < 0 ? 0 : 1);
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int chars) throws RecordTooLongException {
            sinceRecordEnded += chars;
            if (sinceRecordEnded > maxChars) {
                throw new RecordTooLongException();
            }
        }
    }
}
