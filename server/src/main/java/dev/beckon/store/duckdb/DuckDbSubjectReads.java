package dev.beckon.store.duckdb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.event.ReservedEvent;
import dev.beckon.store.Activity;
import dev.beckon.store.DeviceLink;
import dev.beckon.store.SessionSummary;
import dev.beckon.store.StoreException;
import dev.beckon.store.Subject;
import dev.beckon.store.TimelineCursor;
import dev.beckon.store.TimelinePage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads about one device or one user: activity, user properties, sessions, links and timeline, each
 * from {@link DuckDbSubjectEvents}. Sessions are computed from the events at each read rather than
 * kept in a table, so an event that arrives late or out of order is counted in its session at once,
 * and a session that is still open simply has no {@code $session_end} yet.
 */
final class DuckDbSubjectReads {

    private static final String SESSIONS = """
            SELECT s.session_id, arg_max(s.device_id, s.time),
                   arg_max(s.user_id, s.time) FILTER (WHERE s.user_id IS NOT NULL),
                   min(s.time), max(s.time), count(*) FILTER (WHERE s.name = ?), count(*),
                   bool_or(x.session_id IS NOT NULL)
            FROM subject_events s
            LEFT JOIN (SELECT DISTINCT session_id FROM events WHERE site_id = ? AND name = ?) x
                ON x.session_id = s.session_id
            GROUP BY s.session_id ORDER BY max(s.time) DESC, s.session_id LIMIT ?""";

    private final DuckDbDatabase database;

    DuckDbSubjectReads(DuckDbDatabase database) {
        this.database = database;
    }

    Optional<Activity> activity(String siteId, Subject subject) {
        Sql with = DuckDbSubjectEvents.with(siteId, subject);
        List<Object[]> totals = select(with.then("SELECT min(time), max(time), count(*) FROM subject_events"), rows ->
                new Object[] {rows.getTimestamp(1), rows.getTimestamp(2), rows.getLong(3)});
        long eventCount = (long) totals.getFirst()[2];
        if (eventCount == 0) {
            return Optional.empty();
        }
        List<String> deviceIds = select(
                with.then("SELECT device_id FROM subject_events GROUP BY device_id ORDER BY max(time) DESC LIMIT 100"),
                rows -> rows.getString(1));
        List<String> userIds = select(
                with.then("SELECT user_id FROM subject_events WHERE user_id IS NOT NULL"
                        + " GROUP BY user_id ORDER BY max(time) DESC LIMIT 100"),
                rows -> rows.getString(1));
        return Optional.of(new Activity(
                deviceIds,
                userIds,
                DuckDbEventStore.instant((Timestamp) totals.getFirst()[0]),
                DuckDbEventStore.instant((Timestamp) totals.getFirst()[1]),
                eventCount));
    }

    ObjectNode userProperties(String siteId, Subject subject) {
        List<ObjectNode> changes = select(
                DuckDbSubjectEvents.with(siteId, subject)
                        .then(
                                "SELECT properties FROM subject_events WHERE name = ? ORDER BY time, server_time, id",
                                ReservedEvent.USER_PROPERTIES),
                rows -> DuckDbEventStore.parseObject(rows.getString(1)));
        return mergeInOrder(changes);
    }

    List<SessionSummary> sessions(String siteId, Optional<Subject> subject, int limit) {
        Sql with = subject.map(s -> DuckDbSubjectEvents.with(siteId, s))
                .orElse(Sql.of("WITH subject_events AS (SELECT * FROM events WHERE site_id = ?) ", siteId));
        List<SessionSummary> sessions = select(
                with.then(SESSIONS, ReservedEvent.PAGE_VIEW, siteId, ReservedEvent.SESSION_END, limit),
                rows -> readSession(rows, subject));
        return withSessionProperties(with, sessions);
    }

    private static SessionSummary readSession(ResultSet rows, Optional<Subject> subject) throws SQLException {
        String userId = rows.getString(3);
        if (userId == null && subject.orElse(null) instanceof Subject.User u) {
            userId = u.userId(); // an anonymous session that belongs to the user
        }
        return new SessionSummary(
                rows.getString(1),
                rows.getString(2),
                userId,
                DuckDbEventStore.instant(rows.getTimestamp(4)),
                DuckDbEventStore.instant(rows.getTimestamp(5)),
                rows.getLong(6),
                rows.getLong(7),
                Json.mapper().createObjectNode(),
                rows.getBoolean(8));
    }

    /** The sessions with their session properties, from the same events they were summarised from. */
    private List<SessionSummary> withSessionProperties(Sql with, List<SessionSummary> sessions) {
        if (sessions.isEmpty()) {
            return sessions;
        }
        List<Object> ids = new ArrayList<>();
        sessions.forEach(s -> ids.add(s.sessionId()));
        String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
        Map<String, List<ObjectNode>> changesBySession = new LinkedHashMap<>();
        select(
                with.then(
                                "SELECT session_id, properties FROM subject_events WHERE name = ?",
                                ReservedEvent.SESSION_PROPERTIES)
                        .then(new Sql(" AND session_id IN (" + placeholders + ")", ids))
                        .then(" ORDER BY time, server_time, id"),
                rows -> changesBySession
                        .computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
                        .add(DuckDbEventStore.parseObject(rows.getString(2))));
        return sessions.stream()
                .map(s -> new SessionSummary(
                        s.sessionId(),
                        s.deviceId(),
                        s.userId(),
                        s.start(),
                        s.end(),
                        s.pageViews(),
                        s.eventCount(),
                        mergeInOrder(changesBySession.getOrDefault(s.sessionId(), List.of())),
                        s.ended()))
                .toList();
    }

    List<DeviceLink> links(String siteId, Subject subject) {
        String column = subject instanceof Subject.Device ? "device_id" : "user_id";
        String id = subject instanceof Subject.Device d ? d.deviceId() : ((Subject.User) subject).userId();
        return select(
                Sql.of(
                        "SELECT device_id, user_id, first_time, last_time FROM device_users WHERE site_id = ? AND "
                                + column + " = ? ORDER BY last_time DESC, device_id, user_id",
                        siteId,
                        id),
                rows -> new DeviceLink(
                        rows.getString(1),
                        rows.getString(2),
                        DuckDbEventStore.instant(rows.getTimestamp(3)),
                        DuckDbEventStore.instant(rows.getTimestamp(4))));
    }

    List<String> cohorts(String siteId, String userId) {
        return select(
                Sql.of(
                        "SELECT cohort FROM cohort_members WHERE site_id = ? AND user_id = ? ORDER BY cohort",
                        siteId,
                        userId),
                rows -> rows.getString(1));
    }

    TimelinePage timeline(String siteId, Subject subject, Optional<TimelineCursor> after, int limit) {
        Sql query = DuckDbSubjectEvents.with(siteId, subject)
                .then("SELECT " + DuckDbEventStore.COLUMNS + " FROM subject_events WHERE true");
        if (after.isPresent()) {
            Timestamp time = DuckDbEventStore.timestamp(after.get().time());
            Timestamp serverTime = DuckDbEventStore.timestamp(after.get().serverTime());
            query = query.then(
                    " AND (time < ? OR (time = ? AND (server_time < ? OR (server_time = ? AND id < ?))))",
                    time,
                    time,
                    serverTime,
                    serverTime,
                    after.get().eventId());
        }
        List<Event> events = select(
                query.then(" ORDER BY time DESC, server_time DESC, id DESC LIMIT ?", limit + 1),
                DuckDbEventStore::readEvent);
        if (events.size() <= limit) {
            return new TimelinePage(events, Optional.empty());
        }
        List<Event> page = events.subList(0, limit);
        return new TimelinePage(List.copyOf(page), Optional.of(TimelineCursor.after(page.getLast())));
    }

    void forEachEvent(String siteId, Subject subject, Consumer<Event> sink) {
        Sql query = DuckDbSubjectEvents.with(siteId, subject)
                .then("SELECT " + DuckDbEventStore.COLUMNS + " FROM subject_events ORDER BY time, server_time, id");
        try (Connection connection = database.connect();
                PreparedStatement statement = prepare(connection, query);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                sink.accept(DuckDbEventStore.readEvent(rows));
            }
        } catch (SQLException e) {
            throw new StoreException("reading a subject's events failed: " + e.getMessage(), e);
        }
    }

    // Reading rows

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> List<T> select(Sql query, RowReader<T> reader) {
        try (Connection connection = database.connect();
                PreparedStatement statement = prepare(connection, query);
                ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(reader.read(rows));
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("reading events failed: " + e.getMessage(), e);
        }
    }

    static PreparedStatement prepare(Connection connection, Sql query) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(query.text());
        try {
            for (int i = 0; i < query.parameters().size(); i++) {
                statement.setObject(i + 1, query.parameters().get(i));
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    static ObjectNode mergeInOrder(List<ObjectNode> changes) {
        ObjectNode merged = Json.mapper().createObjectNode();
        changes.forEach(merged::setAll);
        return merged;
    }
}
