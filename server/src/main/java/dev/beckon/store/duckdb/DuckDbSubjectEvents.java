package dev.beckon.store.duckdb;

import dev.beckon.store.Subject;

/**
 * The common table {@code subject_events}: the events of one device, or the events that belong to
 * one user by the identity rules (docs/identity.md).
 *
 * <p>A user's events are found through their identity links: on each device linked to the user,
 * every event is attributed to its own user id, else to the user id of the next identified event on
 * that device ({@code ASOF JOIN} on event time), else to nobody. The user's events are those
 * attributed to them. Only the linked devices' events are read, so the cost follows the user's own
 * history, not the site's.
 */
final class DuckDbSubjectEvents {

    private static final String LINKED_DEVICES =
            "device_id IN (SELECT device_id FROM device_users WHERE site_id = ? AND user_id = ?)";

    private DuckDbSubjectEvents() {}

    /** {@code WITH subject_events AS (...)}, to be followed by a statement that reads it. */
    static Sql with(String siteId, Subject subject) {
        return Sql.of("WITH subject_events AS (").then(select(siteId, subject)).then(") ");
    }

    /** The subject's events, every column of {@code events}. */
    static Sql select(String siteId, Subject subject) {
        return switch (subject) {
            case Subject.Device d ->
                Sql.of("SELECT * FROM events WHERE site_id = ? AND device_id = ?", siteId, d.deviceId());
            case Subject.User u -> ownedBy(siteId, u.userId());
        };
    }

    private static Sql ownedBy(String siteId, String userId) {
        return Sql.of(
                        "SELECT e.* FROM (SELECT * FROM events WHERE site_id = ? AND " + LINKED_DEVICES + ") e",
                        siteId,
                        siteId,
                        userId)
                .then(
                        " ASOF LEFT JOIN (SELECT device_id, time, user_id FROM events"
                                + " WHERE site_id = ? AND user_id IS NOT NULL AND " + LINKED_DEVICES + ") n",
                        siteId,
                        siteId,
                        userId)
                .then(
                        " ON e.device_id = n.device_id AND e.time <= n.time WHERE coalesce(e.user_id, n.user_id) = ?",
                        userId);
    }
}
