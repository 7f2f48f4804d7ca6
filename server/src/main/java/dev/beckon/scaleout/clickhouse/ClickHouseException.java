package dev.beckon.scaleout.clickhouse;

/**
 * ClickHouse refused a statement, or could not be reached. The message names which, with the first
 * part of ClickHouse's own message; it is meant for the log, not for a client of Beckon. Nothing
 * says how much of a failed INSERT was kept: callers that retry must be idempotent.
 */
public final class ClickHouseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClickHouseException(String message, Throwable cause) {
        super(message, cause);
    }

    public ClickHouseException(String message) {
        super(message);
    }
}
