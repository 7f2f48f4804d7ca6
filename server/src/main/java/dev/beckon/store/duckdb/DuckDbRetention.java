package dev.beckon.store.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * The statements of one batch of the retention purge, run by the event store inside its write
 * transaction: the caller commits, or rolls back when any of them throws.
 *
 * <p>The batch's events are noted in a temporary table first, so that the identity links can be
 * brought in step with exactly the events that went: a link that no remaining event shows is
 * deleted, and one that remains takes the first and last time of its remaining events. Sessions,
 * profiles and segment members are computed from the events on read, so nothing else derives from
 * them.
 */
final class DuckDbRetention {

    private static final String NOTE_BATCH = """
            INSERT INTO purging SELECT id, device_id, user_id FROM events
            WHERE site_id = ? AND server_time < ? LIMIT ?""";

    private static final String DELETE_EVENTS =
            "DELETE FROM events WHERE site_id = ? AND id IN (SELECT id FROM purging)";

    private static final String DELETE_ORPHANED_LINKS = """
            DELETE FROM device_users d WHERE d.site_id = ?
            AND EXISTS (SELECT 1 FROM purging p WHERE p.device_id = d.device_id AND p.user_id = d.user_id)
            AND NOT EXISTS (SELECT 1 FROM events e
                            WHERE e.site_id = d.site_id AND e.device_id = d.device_id AND e.user_id = d.user_id)""";

    private static final String NARROW_REMAINING_LINKS = """
            UPDATE device_users SET first_time = r.first_time, last_time = r.last_time
            FROM (SELECT e.device_id, e.user_id, min(e.time) AS first_time, max(e.time) AS last_time
                  FROM events e
                  WHERE e.site_id = ? AND EXISTS (
                      SELECT 1 FROM purging p WHERE p.device_id = e.device_id AND p.user_id = e.user_id)
                  GROUP BY e.device_id, e.user_id) r
            WHERE device_users.site_id = ? AND device_users.device_id = r.device_id
            AND device_users.user_id = r.user_id""";

    private DuckDbRetention() {}

    /** Deletes at most {@code maxEvents} events of the site received before {@code cutoff}; returns how many. */
    static long deleteReceivedBefore(Connection writer, String siteId, Instant cutoff, int maxEvents)
            throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS purging (id VARCHAR, device_id VARCHAR, user_id VARCHAR)");
            statement.execute("DELETE FROM purging");
        }
        update(writer, Sql.of(NOTE_BATCH, siteId, DuckDbEventStore.timestamp(cutoff), maxEvents));
        long deleted = update(writer, Sql.of(DELETE_EVENTS, siteId));
        if (deleted > 0) {
            update(writer, Sql.of(DELETE_ORPHANED_LINKS, siteId));
            update(writer, Sql.of(NARROW_REMAINING_LINKS, siteId, siteId));
        }
        return deleted;
    }

    private static long update(Connection writer, Sql statement) throws SQLException {
        try (PreparedStatement prepared = DuckDbSubjectReads.prepare(writer, statement)) {
            return prepared.executeLargeUpdate();
        }
    }
}
