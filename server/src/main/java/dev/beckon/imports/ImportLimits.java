package dev.beckon.imports;

import dev.beckon.ingest.IngestLimits;

/**
 * The limits of one import (docs/imports-exports.md, "Limits"). A file over {@link #maxFileBytes}
 * is refused before it is read; a header over {@link #maxColumns} fails the import; a row over
 * {@link #maxRows} stops it, keeping the rows before; a cell over its length is a rejected row.
 *
 * @param maxFileBytes the largest upload, in bytes
 * @param maxRows the most data rows one file may have
 * @param maxColumns the most columns, the {@code userId} column included
 * @param maxCellLength the longest property cell, in UTF-16 characters
 * @param maxRecordChars the longest record as read, in characters; a longer one is nearly always a
 *     quote that is never closed, and stops the import rather than filling memory
 */
public record ImportLimits(long maxFileBytes, long maxRows, int maxColumns, int maxCellLength, int maxRecordChars) {

    public static final long MAX_FILE_BYTES = 256L * 1024 * 1024;
    public static final long MAX_ROWS = 2_000_000;
    public static final int MAX_COLUMNS = 51;
    public static final int MAX_CELL_LENGTH = 1_000;
    public static final int MAX_RECORD_CHARS = 128 * 1024;
    public static final int MAX_USER_ID_LENGTH = IngestLimits.MAX_USER_ID_LENGTH;
    public static final int MAX_COLUMN_NAME_LENGTH = IngestLimits.MAX_PROPERTY_KEY_LENGTH;
    public static final int MAX_COHORT_NAME_LENGTH = 500;

    public static final ImportLimits DEFAULT =
            new ImportLimits(MAX_FILE_BYTES, MAX_ROWS, MAX_COLUMNS, MAX_CELL_LENGTH, MAX_RECORD_CHARS);
}
