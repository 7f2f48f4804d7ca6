package dev.beckon.imports;

import dev.beckon.store.MetadataDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The record of every import, in the {@code imports} table of the metadata database. */
final class ImportRepository {

    private static final String COLUMNS = "site_id, id, file_sha256, file_bytes, cohort, status, error, rows_read,"
            + " rows_kept, rows_rejected, members_added, properties_added, bytes_read, created_at, finished_at";

    /** Every column but the key, as the upsert of {@link #save} sets them. */
    private static final String UPDATES = Arrays.stream(COLUMNS.split(", "))
            .skip(2)
            .map(column -> column + " = EXCLUDED." + column)
            .collect(Collectors.joining(", "));

    private final MetadataDatabase database;

    ImportRepository(MetadataDatabase database) {
        this.database = database;
    }

    /** Records the import as it is now, replacing its earlier record. */
    void save(ImportJob job) {
        update(
                "INSERT INTO imports (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (site_id, id) DO UPDATE SET " + UPDATES,
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
        Instant[] first = {null};
        database.select(
                "the imports",
                rows -> first[0] = instant(rows.getTimestamp(1)),
                "SELECT min(created_at) FROM imports WHERE site_id = ? AND file_sha256 = ?",
                siteId,
                fileSha256);
        return first[0];
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
        List<ImportJob> jobs = new ArrayList<>();
        database.select("the imports", rows -> jobs.add(read(rows)), sql, parameters);
        return jobs;
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
        return database.update("an import's record", sql, parameters);
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
}
