package dev.beckon.store.duckdb;

import dev.beckon.store.MetadataDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB's side of {@link MetadataDialect}. Cohort members are appended to a temporary table with
 * DuckDB's appender, the fastest way into DuckDB (an import may list a million ids), then copied
 * into {@code cohort_members} with {@code ON CONFLICT DO NOTHING}.
 */
final class DuckDbDialect implements MetadataDialect {

    @Override
    public String engine() {
        return "duckdb";
    }

    @Override
    public String schema() {
        return "main";
    }

    @Override
    public long addCohortMembers(Connection connection, String siteId, String cohort, Collection<String> userIds)
            throws SQLException {
        var duckDb = connection.unwrap(DuckDBConnection.class);
        try (Statement statement = duckDb.createStatement()) {
            statement.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS incoming_members AS" + " SELECT * FROM cohort_members LIMIT 0");
            statement.execute("DELETE FROM incoming_members");
        }
        try (DuckDBAppender appender = duckDb.createAppender("temp", "main", "incoming_members")) {
            for (String userId : userIds) {
                appender.beginRow().append(siteId).append(cohort).append(userId).endRow();
            }
        }
        try (Statement statement = duckDb.createStatement()) {
            return statement.executeUpdate(
                    "INSERT INTO cohort_members SELECT DISTINCT * FROM incoming_members ON CONFLICT DO NOTHING");
        }
    }
}
