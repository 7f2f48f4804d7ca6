package dev.beckon.imports;

import dev.beckon.store.StoreException;
import dev.beckon.store.duckdb.DuckDbDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The record of every import, in the {@code imports} table of the embedded store. */
final class ImportRepository {

    private static final String COLUMNS = "site_id, id, file_sha256, file_bytes, cohort, status, error, rows_read,"
            + " rows_kept, rows_rejected, members_added, properties_added, bytes_read, created_at, finished_at";

    private final DuckDbDatabase database;

    ImportRepository(DuckDbDatabase database) {
        this.database = database;
    }

    /** Records the import as it is now, replacing its earlier record. */
    void save(ImportJob job) {
        update(
                "INSERT OR REPLACE INTO imports (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                job.siteId(),
                job.id(),
                job.fileSha256(),
                job.fileBytes(),
                job.cohort(),
                job.status().name(),
                job.error(),
                job.rowsRead(),
                job.rowsKept(),
                job.rowsRejected(),
                job.membersAdded(),
                job.propertiesAdded(),
                job.bytesRead(),
                timestamp(job.createdAt()),
                job.finishedAt() == null ? null : timestamp(job.finishedAt()));
    }

    Optional<ImportJob> find(String siteId, String id) {
        return select("SELECT " + COLUMNS + " FROM imports WHERE site_id = ? AND id = ?", siteId, id).stream()
                .findFirst();
    }

    /** The site's most recent imports, newest first. */
    List<ImportJob> recent(String siteId, int limit) {
        return select(
                "SELECT " + COLUMNS + " FROM imports WHERE site_id = ? ORDER BY created_at DESC, id LIMIT ?",
                siteId,
                limit);
    }

    /** When the site first imported a file with this digest; the import being recorded counts. */
    Instant firstImportOf(String siteId, String fileSha256) {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT min(created_at) FROM imports WHERE site_id = ? AND file_sha256 = ?")) {
            statement.setString(1, siteId);
            statement.setString(2, fileSha256);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getTimestamp(1).toLocalDateTime().toInstant(ZoneOffset.UTC);
            }
        } catch (SQLException e) {
            throw new StoreException("reading the imports failed: " + e.getMessage(), e);
        }
    }

    /** Marks the imports that a stopped server left unfinished as failed; returns how many. */
    int failUnfinished(Instant at, String message) {
        return update(
                "UPDATE imports SET status = ?, error = ?, finished_at = ? WHERE status IN (?, ?)",
                ImportJob.Status.FAILED.name(),
                message,
                timestamp(at),
                ImportJob.Status.QUEUED.name(),
                ImportJob.Status.RUNNING.name());
    }

    private List<ImportJob> select(String sql, Object... parameters) {
        try (Connection connection = database.connect();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<ImportJob> jobs = new ArrayList<>();
            while (rows.next()) {
                jobs.add(read(rows));
            }
            return jobs;
        } catch (SQLException e) {
            throw new StoreException("reading the imports failed: " + e.getMessage(), e);
        }
    }

    private static ImportJob read(ResultSet rows) throws SQLException {
        long[] counts = new long[6];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = rows.getLong(8 + i);
        }
        Timestamp finished = rows.getTimestamp(15);
        return ImportJob.recorded(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                rows.getLong(4),
                rows.getString(5),
                instant(rows.getTimestamp(14)),
                ImportJob.Status.valueOf(rows.getString(6)),
                rows.getString(7),
                counts,
                finished == null ? null : instant(finished));
    }

    private int update(String sql, Object... parameters) {
        try (Connection connection = database.connect();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording an import failed: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
}
