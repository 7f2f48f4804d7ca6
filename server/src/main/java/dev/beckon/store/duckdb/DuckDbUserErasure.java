package dev.beckon.store.duckdb;

import dev.beckon.store.Subject;
import dev.beckon.store.UserErasure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The statements that delete one user's data, run by the event store inside its write transaction:
 * the caller commits, or rolls back when any of them throws.
 *
 * <p>The events go first, while the identity links that find the anonymous ones are still there.
 * Deleting a user never changes whom another event belongs to: a remaining anonymous event's next
 * identified event was another user's, and still is.
 */
final class DuckDbUserErasure {

    private DuckDbUserErasure() {}

    static UserErasure erase(Connection writer, String siteId, String userId, String requestedBy, Instant requestedAt)
            throws SQLException {
        Set<String> sessions = new HashSet<>();
        long events = 0;
        Sql deleteEvents = Sql.of("DELETE FROM events WHERE site_id = ? AND id IN (SELECT id FROM (", siteId)
                .then(DuckDbSubjectEvents.select(siteId, new Subject.User(userId)))
                .then(")) RETURNING session_id");
        try (PreparedStatement statement = DuckDbSubjectReads.prepare(writer, deleteEvents);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                events++;
                sessions.add(rows.getString(1));
            }
        }
        long devices =
                update(writer, Sql.of("DELETE FROM device_users WHERE site_id = ? AND user_id = ?", siteId, userId));
        long cohorts =
                update(writer, Sql.of("DELETE FROM cohort_members WHERE site_id = ? AND user_id = ?", siteId, userId));
        var erasure = new UserErasure(events, sessions.size(), devices, cohorts);
        audit(writer, siteId, userId, requestedBy, requestedAt, erasure);
        return erasure;
    }

    private static void audit(
            Connection writer, String siteId, String userId, String requestedBy, Instant at, UserErasure erasure)
            throws SQLException {
        update(
                writer,
                Sql.of(
                        "INSERT INTO user_deletions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        siteId,
                        UserErasure.userIdHash(siteId, userId),
                        requestedBy,
                        DuckDbEventStore.timestamp(at),
                        erasure.events(),
                        erasure.sessions(),
                        erasure.devices(),
                        erasure.cohortMemberships()));
    }

    private static long update(Connection writer, Sql statement) throws SQLException {
        try (PreparedStatement prepared = DuckDbSubjectReads.prepare(writer, statement)) {
            return prepared.executeLargeUpdate();
        }
    }
}
