package dev.beckon.exports;

import dev.beckon.http.HttpError;

/** The formats an export is written in, chosen with {@code ?format=}. */
public enum ExportFormat {
    /** RFC 4180 CSV in UTF-8, a header row first, formula cells neutralised. */
    CSV("csv", "text/csv; charset=utf-8"),
    /** One JSON object per line, keyed by column, values untouched. */
    JSON_LINES("jsonl", "application/x-ndjson");

    private final String parameter;
    private final String contentType;

    ExportFormat(String parameter, String contentType) {
        this.parameter = parameter;
        this.contentType = contentType;
    }

    /** The value of {@code ?format=}, also the file name's extension. */
    public String parameter() {
        return parameter;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * The format a request asks for; CSV when it names none.
     *
     * @throws HttpError 400 for any other value
     */
    public static ExportFormat of(String parameter) {
        if (parameter == null || parameter.isEmpty() || parameter.equals(CSV.parameter)) {
            return CSV;
        }
        if (parameter.equals(JSON_LINES.parameter)) {
            return JSON_LINES;
        }
        throw HttpError.badRequest("format: must be csv or jsonl, not '" + parameter + "'");
    }
}
