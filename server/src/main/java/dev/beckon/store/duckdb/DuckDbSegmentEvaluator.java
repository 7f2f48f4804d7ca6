package dev.beckon.store.duckdb;

import dev.beckon.segment.Condition;
import dev.beckon.segment.Person;
import dev.beckon.segment.SegmentEvaluator;
import dev.beckon.store.MemberRow;
import dev.beckon.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Evaluates segment conditions on the embedded store, with queries from {@link DuckDbSegmentSql}. */
public final class DuckDbSegmentEvaluator implements SegmentEvaluator {

    private final DuckDbDatabase database;

    public DuckDbSegmentEvaluator(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public long size(String siteId, Condition condition, Instant now, ZoneId zone) {
        Sql query = Sql.of("SELECT count(*) FROM (")
                .then(DuckDbSegmentSql.compile(siteId, condition, now, zone))
                .then(")");
        return select(query, rows -> rows.getLong(1)).getFirst();
    }

    @Override
    public List<Person> members(String siteId, Condition condition, Instant now, ZoneId zone, int limit, int offset) {
        Sql query = Sql.of("SELECT person FROM (")
                .then(DuckDbSegmentSql.compile(siteId, condition, now, zone))
                .then(") WHERE person IS NOT NULL ORDER BY person LIMIT ? OFFSET ?", limit, offset);
        return select(query, rows -> Person.ofKey(rows.getString(1)));
    }

    @Override
    public void forEachMemberDevice(
            String siteId, Condition condition, Instant now, ZoneId zone, Consumer<MemberRow> sink) {
        Sql query = Sql.of("SELECT m.person, d.device_id FROM (")
                .then(DuckDbSegmentSql.compile(siteId, condition, now, zone))
                .then(
                        ") m LEFT JOIN device_users d ON d.site_id = ? AND starts_with(m.person, 'u:')"
                                + " AND d.user_id = m.person[3:] AND NOT starts_with(d.device_id, ?)"
                                + " WHERE m.person IS NOT NULL ORDER BY m.person, d.device_id",
                        siteId,
                        DuckDbCohorts.IMPORT_DEVICE_PREFIX);
        DuckDbCohorts.query(database, query, rows -> {
            Person person = Person.ofKey(rows.getString(1));
            sink.accept(
                    new MemberRow(person.userId(), person.userId() == null ? person.deviceId() : rows.getString(2)));
        });
    }

    @Override
    public boolean contains(String siteId, Condition condition, Person person, Instant now, ZoneId zone) {
        Sql query = Sql.of("SELECT count(*) FROM (")
                .then(DuckDbSegmentSql.compile(siteId, condition, now, zone))
                .then(") WHERE person = ?", person.key());
        return select(query, rows -> rows.getLong(1)).getFirst() > 0;
    }

    @Override
    public Person personOfDevice(String siteId, String deviceId) {
        List<String> users = select(
                Sql.of(
                        "SELECT user_id FROM device_users WHERE site_id = ? AND device_id = ?"
                                + " ORDER BY last_time DESC LIMIT 1",
                        siteId,
                        deviceId),
                rows -> rows.getString(1));
        return users.isEmpty() ? new Person(null, deviceId) : new Person(users.getFirst(), null);
    }

    @Override
    public Map<String, String> usersOfDevices(String siteId) {
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
    public LiveRefresh openRefresh(String siteId) {
        return new DuckDbLiveRefresh(database, siteId);
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> List<T> select(Sql query, RowReader<T> reader) {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(query.text())) {
            for (int i = 0; i < query.parameters().size(); i++) {
                statement.setObject(i + 1, query.parameters().get(i));
            }
            List<T> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(reader.read(rows));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("evaluating a segment failed: " + e.getMessage(), e);
        }
    }
}
