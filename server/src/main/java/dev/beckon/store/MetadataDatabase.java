package dev.beckon.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The database that holds Beckon's metadata: sites, API keys, accounts, segments, campaigns and
 * their exposures, cohorts, imports. The embedded deployment keeps it in the DuckDB file beside the
 * events ({@code duckdb.DuckDbDatabase}); the scale-out deployment in PostgreSQL ({@code
 * postgres.PostgresDatabase}). Both are brought to the same schema by migrations of the same
 * numbers.
 *
 * <p>The repositories write their SQL once, for both: plain statements, {@code ON CONFLICT},
 * {@code RETURNING}, {@code CAST(? AS JSON)} for a JSON parameter, {@code VARCHAR} arrays. What the
 * two write differently is in {@link #dialect()}, and only there.
 *
 * <p>Every method that runs SQL wraps an {@link SQLException} in a {@link StoreException} whose
 * message starts with what was being done; nothing of a failed write is kept when it ran in {@link
 * #inTransaction}.
 */
public interface MetadataDatabase extends AutoCloseable {

    /** What is done with each row of a result. */
    @FunctionalInterface
    interface RowReader {
        void read(ResultSet rows) throws SQLException, IOException;
    }

    /** Work on a connection in one transaction; what it returns is returned after the commit. */
    @FunctionalInterface
    interface Transaction<T> {
        T run(Connection connection) throws SQLException;
    }

    /** The statements that differ between DuckDB and PostgreSQL. */
    MetadataDialect dialect();

    /**
     * A connection of its own, in auto-commit mode. The caller closes it.
     *
     * @throws StoreException when the database cannot be reached
     */
    Connection connect();

    /** Where the database is, for messages and logs: a file, or a PostgreSQL URL without password. */
    String describe();

    /** Closes every connection; the repositories built on this database are unusable afterwards. */
    @Override
    void close();

    /**
     * Runs {@code sql} with {@code parameters} on a connection of its own and hands each row to
     * {@code reader}.
     *
     * @param what what the query reads, for the message of a failure: "reading {@code what} failed"
     * @throws StoreException when the query or the reader fails
     */
    default void select(String what, RowReader reader, String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                reader.read(rows);
            }
        } catch (SQLException | IOException e) {
            throw new StoreException("reading " + what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs one writing statement in auto-commit mode; returns how many rows it changed.
     *
     * @param what what the statement writes, for the message of a failure: "writing {@code what} failed"
     * @throws StoreException when the statement fails
     */
    default int update(String what, String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("writing " + what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in one transaction and commits it; rolls back when it throws.
     *
     * @param what what the work does, for the message of a failure: "{@code what} failed"
     * @throws StoreException when the work or the commit fails; nothing of it is kept
     */
    default <T> T inTransaction(String what, Transaction<T> work) {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** A statement with its {@code ?} placeholders set, in order, by {@link PreparedStatement#setObject}. */
    static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
        return statement;
    }
}
