package dev.beckon.store.duckdb;

import dev.beckon.segment.Condition;
import dev.beckon.segment.SegmentEvaluator.EventScope;
import dev.beckon.segment.SegmentEvaluator.LiveRefresh;
import dev.beckon.segment.SegmentEvaluator.MatchingEventSink;
import dev.beckon.segment.SegmentEvaluator.PersonEvent;
import dev.beckon.segment.SegmentEvaluator.TimeRange;
import dev.beckon.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One refresh of live membership over one site, on one connection and in one read transaction, so
 * that every read sees the same events (docs/segments.md, "Live membership"). The work that every
 * segment needs is done once, into temporary tables of this connection:
 *
 * <ul>
 *   <li>{@code live_stretches}: the site's stretches of identified events ({@link
 *       DuckDbSegmentSql#stretches}), through which every event is attributed;
 *   <li>{@code live_everyone}: everyone, made when a segment first needs it;
 *   <li>{@code live_people} and {@code live_events}: the people to re-evaluate, and every event of
 *       theirs, attributed, so that a segment can be evaluated for them alone.
 * </ul>
 *
 * <p>A position in the events is DuckDB's {@code rowid}, which grows as events are appended. A
 * deletion can renumber rows; {@link #countUpTo} lets the caller notice that and start over.
 */
final class DuckDbLiveRefresh implements LiveRefresh {

    private static final int CHUNK = 1000;

    private final String siteId;
    private final Connection connection;
    private final long position;
    private boolean everyoneMade;
    private int restrictions;

    DuckDbLiveRefresh(DuckDbDatabase database, String siteId) {
        this.siteId = siteId;
        try {
            this.connection = database.connect();
            connection.setAutoCommit(false);
            execute(Sql.of("CREATE TEMP TABLE live_stretches AS ").then(DuckDbSegmentSql.stretches(siteId)));
            this.position = select(Sql.of("SELECT coalesce(max(rowid), -1) FROM events"), rows -> rows.getLong(1))
                    .getFirst();
        } catch (SQLException e) {
            throw new StoreException("opening a refresh of live segments failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long countUpTo(long upTo) {
        return select(
                        Sql.of("SELECT count(*) FROM events WHERE site_id = ? AND rowid <= ?", siteId, upTo),
                        rows -> rows.getLong(1))
                .getFirst();
    }

    @Override
    public long cohortsFingerprint() {
        return select(
                        Sql.of(
                                "SELECT count(*) * 1000003 + coalesce(sum(hash(cohort, user_id)) % 1000000007, 0)"
                                        + " FROM cohort_members WHERE site_id = ?",
                                siteId),
                        rows -> rows.getLong(1))
                .getFirst();
    }

    @Override
    public Map<String, String> usersOfDevices() {
        Map<String, String> users = new HashMap<>();
        select(
                Sql.of(
                        "SELECT device_id, arg_max(user_id, last_time) FROM device_users WHERE site_id = ?"
                                + " GROUP BY device_id",
                        siteId),
                rows -> users.put(rows.getString(1), rows.getString(2)));
        return users;
    }

    @Override
    public List<PersonEvent> peopleOfEventsAfter(long after, Set<String> names) {
        Sql where = Sql.of("rowid > ?", after);
        if (names != null) {
            if (names.isEmpty()) {
                return List.of();
            }
            where = where.then(
                    " AND name IN (" + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ")",
                    names.toArray());
        }
        Sql query = Sql.of("SELECT person, name, min(time) FROM (")
                .then(attributed(where))
                .then(") GROUP BY person, name");
        return select(query, rows -> new PersonEvent(rows.getString(1), rows.getString(2), instant(rows, 3)));
    }

    @Override
    public void forEachMatchingEvent(
            List<Condition> counted, Instant since, EventScope scope, long after, MatchingEventSink sink) {
        if (counted.isEmpty()) {
            return;
        }
        var source = switch (scope) {
            case ALL -> new DuckDbSegmentSql.Source(this::attributed, Sql.of(""));
            case AFTER_POSITION ->
                new DuckDbSegmentSql.Source(
                        where -> attributed(Sql.of("rowid > ? AND ", after).then(where)), Sql.of(""));
            case GATHERED -> tableSource("live_events");
        };
        int conditions = counted.size();
        try (PreparedStatement statement = prepare(DuckDbSegmentSql.matchingTimes(siteId, counted, since, source));
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String person = rows.getString(1);
                long micros = rows.getLong(2);
                for (int i = 0; i < conditions; i++) {
                    if (rows.getBoolean(3 + i)) {
                        sink.accept(person, micros, i);
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("refreshing live segments failed: " + e.getMessage(), e);
        }
    }

    /** Attributed events read from a temporary table of this refresh, which has their columns. */
    private static DuckDbSegmentSql.Source tableSource(String table) {
        return new DuckDbSegmentSql.Source(
                where -> Sql.of("SELECT person, session_id, name, time, server_time, id, properties FROM " + table
                                + " WHERE ")
                        .then(where),
                Sql.of(""));
    }

    /**
     * For each device with identified events after the position, its anonymous events up to the last
     * of them are attributed twice, to the next identified event written up to the position and to
     * the next one now; the people of each event whose owner changed are returned. Anonymous events
     * after a device's last new identified event keep their owner, and so do those at or before the
     * device's last old identified event that is earlier than its first new one (their next
     * identified event is old and earlier than every new one), so neither is read.
     */
    @Override
    public Set<String> peopleOfDevicesIdentifiedAfter(long after) {
        Sql query = Sql.of("""
                WITH touched AS (SELECT device_id, min(time) AS earliest, max(time) AS until FROM events
                  WHERE site_id = ? AND rowid > ? AND user_id IS NOT NULL GROUP BY device_id),
                identified AS (SELECT device_id, time, user_id, rowid <= ? AS old FROM events
                  WHERE site_id = ? AND user_id IS NOT NULL AND device_id IN (SELECT device_id FROM touched)),
                bounds AS (SELECT t.device_id, t.until, max(i.time) FILTER (WHERE i.old AND i.time < t.earliest)
                  AS settled FROM touched t LEFT JOIN identified i ON i.device_id = t.device_id
                  GROUP BY t.device_id, t.until),
                anonymous AS (SELECT e.device_id, e.time FROM events e JOIN bounds b ON e.device_id = b.device_id
                  WHERE e.site_id = ? AND e.user_id IS NULL AND e.time <= b.until
                  AND (b.settled IS NULL OR e.time > b.settled)),
                before AS (SELECT a.device_id, a.time, o.user_id FROM anonymous a
                  ASOF LEFT JOIN (SELECT * FROM identified WHERE old) o
                  ON a.device_id = o.device_id AND a.time <= o.time),
                moved AS (SELECT b.device_id, b.user_id AS was, n.user_id AS now FROM before b
                  ASOF LEFT JOIN identified n ON b.device_id = n.device_id AND b.time <= n.time
                  WHERE b.user_id IS DISTINCT FROM n.user_id)
                SELECT DISTINCT coalesce('u:' || was, 'd:' || device_id) FROM moved
                UNION SELECT coalesce('u:' || now, 'd:' || device_id) FROM moved""", siteId, after, after, siteId, siteId);
        return new HashSet<>(select(query, rows -> rows.getString(1)));
    }

    @Override
    public List<PersonEvent> peopleOfEventsIn(java.util.Collection<TimeRange> ranges) {
        if (ranges.isEmpty()) {
            return List.of();
        }
        List<Sql> each = ranges.stream()
                .map(r -> Sql.of(
                        "(name = ? AND time >= ? AND time < ?)", r.name(), timestamp(r.from()), timestamp(r.to())))
                .toList();
        Sql where = Sql.of("(").then(Sql.join(" OR ", each)).then(")");
        return select(
                Sql.of("SELECT person, name, time FROM (")
                        .then(attributed(where))
                        .then(")"),
                rows -> new PersonEvent(rows.getString(1), rows.getString(2), instant(rows, 3)));
    }

    @Override
    public Set<String> everyone() {
        makeEveryone();
        return new HashSet<>(select(Sql.of("SELECT person FROM live_everyone"), rows -> rows.getString(1)));
    }

    @Override
    public Set<String> members(Condition condition, Instant now, ZoneId zone) {
        makeEveryone();
        var source = new DuckDbSegmentSql.Source(this::attributed, Sql.of("SELECT person FROM live_everyone"));
        return keys(DuckDbSegmentSql.compile(siteId, condition, now, zone, source));
    }

    @Override
    public void gatherEventsOf(Set<String> people) {
        execute(Sql.of("DROP TABLE IF EXISTS live_people; DROP TABLE IF EXISTS live_events;"
                + " DROP TABLE IF EXISTS live_segment_people; CREATE TEMP TABLE live_people (person VARCHAR);"
                + " CREATE TEMP TABLE live_segment_people (person VARCHAR)"));
        insertPeople("live_people", people);
        Sql devices = Sql.of(
                "SELECT substr(person, 3) FROM live_people WHERE starts_with(person, 'd:')"
                        + " UNION SELECT device_id FROM device_users WHERE site_id = ?"
                        + " AND 'u:' || user_id IN (SELECT person FROM live_people)",
                siteId);
        execute(Sql.of("CREATE TEMP TABLE live_events AS SELECT * FROM (")
                .then(attributed(Sql.of("device_id IN (").then(devices).then(")")))
                .then(") WHERE person IN (SELECT person FROM live_people)"));
        restrictions = 0;
    }

    @Override
    public Set<String> membersAmong(Condition condition, Set<String> people, Instant now, ZoneId zone) {
        execute(Sql.of("DELETE FROM live_segment_people"));
        insertPeople("live_segment_people", people);
        restrictions++;
        Sql among = Sql.of("SELECT * FROM live_events WHERE person IN (SELECT person FROM live_segment_people)");
        var source = new DuckDbSegmentSql.Source(
                where -> Sql.of("SELECT person, session_id, name, time, server_time, id, properties FROM (")
                        .then(among)
                        .then(") WHERE ")
                        .then(where),
                Sql.of(
                        "SELECT person FROM live_segment_people WHERE person IN (SELECT person FROM live_events)"
                                + " OR person IN (SELECT 'u:' || user_id FROM cohort_members WHERE site_id = ?)",
                        siteId));
        return keys(DuckDbSegmentSql.compile(siteId, condition, now, zone, source));
    }

    @Override
    public void close() {
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            throw new StoreException("closing a refresh of live segments failed: " + e.getMessage(), e);
        }
    }

    private Sql attributed(Sql where) {
        return DuckDbSegmentSql.attributed(siteId, where, Sql.of("live_stretches"));
    }

    private void makeEveryone() {
        if (!everyoneMade) {
            execute(Sql.of("CREATE TEMP TABLE live_everyone AS ").then(DuckDbSegmentSql.everyone(siteId)));
            everyoneMade = true;
        }
    }

    private Set<String> keys(Sql people) {
        return new HashSet<>(select(
                Sql.of("SELECT person FROM (").then(people).then(") WHERE person IS NOT NULL"),
                rows -> rows.getString(1)));
    }

    private void insertPeople(String table, Set<String> people) {
        List<String> all = new ArrayList<>(people);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String values = String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?)"));
            execute(Sql.of("INSERT INTO " + table + " VALUES " + values, chunk.toArray()));
        }
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> List<T> select(Sql query, RowReader<T> reader) {
        try (PreparedStatement statement = prepare(query)) {
            List<T> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(reader.read(rows));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("refreshing live segments failed: " + e.getMessage(), e);
        }
    }

    private void execute(Sql statement) {
        if (statement.parameters().isEmpty()) {
            try (Statement plain = connection.createStatement()) {
                plain.execute(statement.text());
                return;
            } catch (SQLException e) {
                throw new StoreException("refreshing live segments failed: " + e.getMessage(), e);
            }
        }
        try (PreparedStatement prepared = prepare(statement)) {
            prepared.execute();
        } catch (SQLException e) {
            throw new StoreException("refreshing live segments failed: " + e.getMessage(), e);
        }
    }

    private PreparedStatement prepare(Sql query) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(query.text());
        for (int i = 0; i < query.parameters().size(); i++) {
            statement.setObject(i + 1, query.parameters().get(i));
        }
        return statement;
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        Timestamp time = rows.getTimestamp(column);
        return time == null ? null : time.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
