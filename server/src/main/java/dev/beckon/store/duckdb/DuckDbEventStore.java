package dev.beckon.store.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.store.Activity;
import dev.beckon.store.DeviceLink;
import dev.beckon.store.EventQuery;
import dev.beckon.store.EventStore;
import dev.beckon.store.NameCount;
import dev.beckon.store.SeenSubject;
import dev.beckon.store.SessionSummary;
import dev.beckon.store.StoreException;
import dev.beckon.store.Subject;
import dev.beckon.store.TimelineCursor;
import dev.beckon.store.TimelinePage;
import dev.beckon.store.UserErasure;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The event store of the embedded deployment, in the DuckDB file of the data folder.
 *
 * <p>Writes go through one connection, one call at a time. The events are appended straight into
 * {@code events} with DuckDB's appender; the identity links of the call, one row per device and
 * user however many events they have, are staged in a temporary table and upserted into {@code
 * device_users}; then the transaction commits. When an event id was stored before, the primary key
 * refuses the append, and the call goes down a second path: the events are staged in a temporary
 * table and copied with {@code ON CONFLICT DO NOTHING}, so that a repeated event id is skipped
 * rather than failing the group. A retry is rare, so the cheap path is the usual one
 * (docs/architecture.md, "Decisions"; docs/BENCHMARKS.md, "Ingestion"). On failure the transaction
 * is rolled back and nothing of the call is kept. Reads use connections of their own and never wait
 * for a write.
 *
 * <p>Deleting a user's data ({@link #deleteUser}) runs on the same writer connection, as one
 * transaction between two writes: it is kept whole or, on failure, rolled back like a write. So
 * does each batch of the retention purge ({@link #deleteEventsReceivedBefore}); a failed batch does
 * not mark the store unwritable, as ingestion's own next write tells that.
 *
 * <p>Times are stored as UTC {@code TIMESTAMP}s. Every value from a caller is a bound parameter.
 */
public final class DuckDbEventStore implements EventStore {

    static final String COLUMNS = "site_id, id, name, device_id, user_id, session_id, properties, version,"
            + " client_time, server_time, time";

    /**
     * Keeps the identity links (docs/identity.md) in step with the events, in the same transaction,
     * from the links of one call staged in {@code incoming_links}.
     */
    private static final String LINK_DEVICES_TO_USERS = """
            INSERT INTO device_users SELECT * FROM incoming_links
            ON CONFLICT DO UPDATE SET first_time = least(first_time, excluded.first_time),
                                      last_time = greatest(last_time, excluded.last_time)""";

    /** How DuckDB words the refusal of a row whose primary key is taken. */
    private static final String KEY_TAKEN = "violates primary key constraint";

    /**
     * The devices that hold imported user properties ({@link DuckDbCohorts#IMPORT_DEVICE_PREFIX})
     * are no browsers: they are not listed, not counted as devices, and never anyone's last device.
     */
    private static final String REAL_DEVICE =
            "NOT starts_with(device_id, '" + DuckDbCohorts.IMPORT_DEVICE_PREFIX + "')";

    private static final String RECENT_DEVICES = """
            SELECT device_id, arg_max(user_id, time) FILTER (WHERE user_id IS NOT NULL),
                   min(time), max(time), count(*)
            FROM events WHERE site_id = ? AND %s
            GROUP BY device_id ORDER BY max(time) DESC LIMIT ?""".formatted(REAL_DEVICE);

    private static final String COUNT_BY_NAME = """
            SELECT name, count(*), count(DISTINCT device_id) FILTER (WHERE %s)
            FROM events WHERE site_id = ? AND time >= ?
            GROUP BY name ORDER BY count(*) DESC, name""".formatted(REAL_DEVICE);

    /**
     * The users identified most recently, with the first and last time and the count of the events
     * that are theirs by the identity rules (docs/identity.md), anonymous history included: the
     * events of their linked devices, each attributed to its own user id, else to that of the next
     * identified event on the device, as {@link DuckDbSubjectEvents} does for one user.
     */
    private static final String RECENT_USERS = """
            WITH recent AS (
                SELECT user_id, arg_max(device_id, time) FILTER (WHERE %s) AS device_id FROM events
                WHERE site_id = ? AND user_id IS NOT NULL
                GROUP BY user_id ORDER BY max(time) DESC LIMIT ?),
            linked AS (
                SELECT * FROM events WHERE site_id = ? AND device_id IN (
                    SELECT l.device_id FROM device_users l JOIN recent r ON l.user_id = r.user_id
                    WHERE l.site_id = ?)),
            owned AS (
                SELECT coalesce(e.user_id, n.user_id) AS owner, e.time FROM linked e
                ASOF LEFT JOIN (SELECT device_id, time, user_id FROM linked WHERE user_id IS NOT NULL) n
                ON e.device_id = n.device_id AND e.time <= n.time)
            SELECT r.user_id, r.device_id, min(o.time), max(o.time), count(*)
            FROM recent r JOIN owned o ON o.owner = r.user_id
            GROUP BY r.user_id, r.device_id ORDER BY max(o.time) DESC, r.user_id""".formatted(REAL_DEVICE);

    private final DuckDbDatabase database;
    private final DuckDbSubjectReads subjects;
    /** Replaced by a fresh connection after a failed write; guarded by {@code this}. */
    private DuckDBConnection writer;

    private volatile boolean lastWriteFailed;

    public DuckDbEventStore(DuckDbDatabase database) {
        this.database = database;
        this.subjects = new DuckDbSubjectReads(database);
        this.writer = openWriter(database);
    }

    private static DuckDBConnection openWriter(DuckDbDatabase database) {
        var connection = (DuckDBConnection) database.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE incoming AS SELECT * FROM events LIMIT 0");
            statement.execute("CREATE TEMP TABLE incoming_links AS SELECT * FROM device_users LIMIT 0");
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw new StoreException("cannot prepare the event writer: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Set<String> append(List<Event> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        List<Event> distinct = distinctByKey(events);
        try {
            Set<String> inserted = insertNewOrAll(distinct);
            writer.commit();
            lastWriteFailed = false;
            return inserted;
        } catch (SQLException | RuntimeException e) {
            lastWriteFailed = true;
            rollbackQuietly(e);
            throw new StoreException("writing " + events.size() + " events failed: " + e.getMessage(), e);
        }
    }

    /**
     * Appends the events straight into {@code events}; only when one of them was stored before (a
     * client's retry, which is rare) does the key violation send the whole call down the slower path
     * that skips repeats. Then links the call's devices to their users. The caller commits.
     */
    private Set<String> insertNewOrAll(List<Event> events) throws SQLException {
        Set<String> inserted;
        try {
            emptyStaging("incoming_links");
            appendAll(events);
            inserted = new HashSet<>();
            for (Event event : events) {
                inserted.add(EventStore.key(event));
            }
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains(KEY_TAKEN)) {
                throw e;
            }
            writer.rollback();
            inserted = insertSkippingRepeats(events);
        }
        linkDevicesToUsers(events);
        return inserted;
    }

    private void appendAll(List<Event> events) throws SQLException {
        try (DuckDBAppender appender = writer.createAppender("main", "events")) {
            for (Event event : events) {
                appendRow(appender, event);
            }
            // close() would swallow a refused row; flush() throws it.
            appender.flush();
        }
    }

    /**
     * Empties a staging table. As the first statement of a write, it also opens the transaction
     * that the appenders then join: an appender that runs before any statement commits on its own.
     */
    private void emptyStaging(String table) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute("DELETE FROM " + table);
        }
    }

    /** Stages the events and copies those that are new; returns their keys. */
    private Set<String> insertSkippingRepeats(List<Event> events) throws SQLException {
        emptyStaging("incoming_links");
        emptyStaging("incoming");
        try (DuckDBAppender appender = writer.createAppender("temp", "main", "incoming")) {
            for (Event event : events) {
                appendRow(appender, event);
            }
            appender.flush();
        }
        Set<String> inserted = new HashSet<>();
        try (Statement statement = writer.createStatement();
                ResultSet rows = statement.executeQuery("INSERT INTO events SELECT " + COLUMNS
                        + " FROM incoming ON CONFLICT DO NOTHING RETURNING site_id, id")) {
            while (rows.next()) {
                inserted.add(rows.getString(1) + '\n' + rows.getString(2));
            }
        }
        return inserted;
    }

    /** Upserts one link per site, device and user of {@code events}, with their first and last time. */
    private void linkDevicesToUsers(List<Event> events) throws SQLException {
        Map<Link, Instant[]> links = new LinkedHashMap<>();
        for (Event event : events) {
            if (event.userId() != null) {
                links.merge(
                        new Link(event.siteId(), event.deviceId(), event.userId()),
                        new Instant[] {event.time(), event.time()},
                        (a, b) -> new Instant[] {min(a[0], b[0]), max(a[1], b[1])});
            }
        }
        if (links.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = writer.createAppender("temp", "main", "incoming_links")) {
            for (var link : links.entrySet()) {
                appender.beginRow()
                        .append(link.getKey().siteId())
                        .append(link.getKey().deviceId())
                        .append(link.getKey().userId())
                        .append(utc(link.getValue()[0]))
                        .append(utc(link.getValue()[1]))
                        .endRow();
            }
            appender.flush();
        }
        try (Statement statement = writer.createStatement()) {
            statement.execute(LINK_DEVICES_TO_USERS);
        }
    }

    private record Link(String siteId, String deviceId, String userId) {}

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static void appendRow(DuckDBAppender appender, Event event) throws SQLException {
        appender.beginRow()
                .append(event.siteId())
                .append(event.id())
                .append(event.name())
                .append(event.deviceId());
        if (event.userId() == null) {
            appender.appendNull();
        } else {
            appender.append(event.userId());
        }
        appender.append(event.sessionId())
                .append(toJson(event.properties()))
                .append(event.version())
                .append(utc(event.clientTime()))
                .append(utc(event.serverTime()))
                .append(utc(event.time()))
                .endRow();
    }

    private static List<Event> distinctByKey(List<Event> events) {
        Map<String, Event> firstOfEachKey = new LinkedHashMap<>();
        for (Event event : events) {
            firstOfEachKey.putIfAbsent(EventStore.key(event), event);
        }
        return new ArrayList<>(firstOfEachKey.values());
    }

    /**
     * Undoes the failed write and starts the next one on a fresh connection: a COMMIT that failed
     * (a full disk, for one) leaves the driver believing that a transaction is open while DuckDB has
     * none, and every later commit on that connection would fail too.
     */
    private void rollbackQuietly(Exception cause) {
        try {
            writer.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        try {
            writer.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        try {
            writer = openWriter(database);
        } catch (StoreException e) {
            cause.addSuppressed(e); // the next write tries again
        }
    }

    @Override
    public List<Event> find(EventQuery query) {
        var sql = new StringBuilder("SELECT " + COLUMNS + " FROM events WHERE site_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(query.siteId()));
        query.name().ifPresent(v -> condition(sql, parameters, " AND name = ?", v));
        query.deviceId().ifPresent(v -> condition(sql, parameters, " AND device_id = ?", v));
        query.userId().ifPresent(v -> condition(sql, parameters, " AND user_id = ?", v));
        query.sessionId().ifPresent(v -> condition(sql, parameters, " AND session_id = ?", v));
        query.from().ifPresent(v -> condition(sql, parameters, " AND time >= ?", timestamp(v)));
        query.to().ifPresent(v -> condition(sql, parameters, " AND time < ?", timestamp(v)));
        // Events whose time the server capped at its receive time tie; their client times keep the
        // order in which the page logged them.
        sql.append(" ORDER BY time DESC, client_time DESC, server_time DESC, id DESC LIMIT ?");
        parameters.add(query.limit());
        return select(sql.toString(), parameters, DuckDbEventStore::readEvent);
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String clause, Object value) {
        sql.append(clause);
        parameters.add(value);
    }

    @Override
    public Optional<Activity> activity(String siteId, Subject subject) {
        return subjects.activity(siteId, subject);
    }

    @Override
    public ObjectNode userProperties(String siteId, Subject subject) {
        return subjects.userProperties(siteId, subject);
    }

    @Override
    public List<SessionSummary> sessions(String siteId, Optional<Subject> subject, int limit) {
        return subjects.sessions(siteId, subject, limit);
    }

    @Override
    public List<DeviceLink> links(String siteId, Subject subject) {
        return subjects.links(siteId, subject);
    }

    @Override
    public List<String> cohorts(String siteId, String userId) {
        return subjects.cohorts(siteId, userId);
    }

    @Override
    public TimelinePage timeline(String siteId, Subject subject, Optional<TimelineCursor> after, int limit) {
        return subjects.timeline(siteId, subject, after, limit);
    }

    @Override
    public void forEachEvent(String siteId, Subject subject, Consumer<Event> sink) {
        subjects.forEachEvent(siteId, subject, sink);
    }

    @Override
    public synchronized UserErasure deleteUser(String siteId, String userId, String requestedBy, Instant requestedAt) {
        try {
            UserErasure erasure = DuckDbUserErasure.erase(writer, siteId, userId, requestedBy, requestedAt);
            writer.commit();
            lastWriteFailed = false;
            return erasure;
        } catch (SQLException | RuntimeException e) {
            lastWriteFailed = true;
            rollbackQuietly(e);
            throw new StoreException("deleting a user's data failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long deleteEventsReceivedBefore(String siteId, Instant cutoff, int maxEvents) {
        try {
            long deleted = DuckDbRetention.deleteReceivedBefore(writer, siteId, cutoff, maxEvents);
            writer.commit();
            return deleted;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw new StoreException(
                    "deleting the events of site " + siteId + " received before " + cutoff + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public List<NameCount> countByName(String siteId, Instant since) {
        return select(
                COUNT_BY_NAME,
                List.of(siteId, timestamp(since)),
                rows -> new NameCount(rows.getString(1), rows.getLong(2), rows.getLong(3)));
    }

    @Override
    public List<SeenSubject> recentDevices(String siteId, int limit) {
        return select(RECENT_DEVICES, List.of(siteId, limit), DuckDbEventStore::readSeen);
    }

    @Override
    public List<SeenSubject> recentUsers(String siteId, int limit) {
        return select(RECENT_USERS, List.of(siteId, limit, siteId, siteId), DuckDbEventStore::readSeen);
    }

    @Override
    public boolean isWritable() {
        return !lastWriteFailed && Files.isWritable(database.file().getParent());
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (SQLException e) {
            throw new StoreException("closing the event writer failed: " + e.getMessage(), e);
        }
    }

    // Reading rows

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> List<T> select(String sql, List<Object> parameters, RowReader<T> reader) {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<T> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(reader.read(rows));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("reading events failed: " + e.getMessage(), e);
        }
    }

    static Event readEvent(ResultSet rows) throws SQLException {
        return new Event(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                rows.getString(4),
                rows.getString(5),
                rows.getString(6),
                parseObject(rows.getString(7)),
                rows.getString(8),
                instant(rows.getTimestamp(9)),
                instant(rows.getTimestamp(10)),
                instant(rows.getTimestamp(11)));
    }

    private static SeenSubject readSeen(ResultSet rows) throws SQLException {
        return new SeenSubject(
                rows.getString(1),
                rows.getString(2),
                instant(rows.getTimestamp(3)),
                instant(rows.getTimestamp(4)),
                rows.getLong(5));
    }

    // Converting values

    private static String toJson(ObjectNode properties) {
        try {
            return Json.mapper().writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a property tree failed to serialise", e);
        }
    }

    static ObjectNode parseObject(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new StoreException("a stored properties value is not a JSON object", e);
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(utc(instant));
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
}
