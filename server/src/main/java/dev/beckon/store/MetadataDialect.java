package dev.beckon.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/**
 * What DuckDB and PostgreSQL do differently for the metadata, kept to this one place so that a
 * reader sees every difference at once. Every other statement of the repositories is written once,
 * for both.
 */
public interface MetadataDialect {

    /** The database's name for its engine, as the health endpoint and the logs show it. */
    String engine();

    /** The schema that holds Beckon's tables, as {@code information_schema} names it. */
    String schema();

    /**
     * Lists the custom user ids in the site's cohort, skipping those listed already, on {@code
     * connection} and within its transaction; returns how many were not listed before. The embedded
     * store appends the ids with DuckDB's appender; PostgreSQL inserts them as arrays.
     */
    long addCohortMembers(Connection connection, String siteId, String cohort, Collection<String> userIds)
            throws SQLException;
}
