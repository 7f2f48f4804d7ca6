package dev.beckon.store.duckdb;

import dev.beckon.store.CohortSize;
import dev.beckon.store.MemberRow;
import dev.beckon.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Imported cohorts in the embedded store: adding custom user ids to one, listing them, and reading
 * a cohort's members with their devices as a stream.
 *
 * <p>Adding appends the ids to a temporary table, then copies them into {@code cohort_members}
 * with {@code ON CONFLICT DO NOTHING}, in one transaction: an id already listed is skipped, so
 * adding the same ids again changes nothing. On failure the transaction is rolled back and none of
 * the call's ids is kept.
 */
public final class DuckDbCohorts {

    /** Devices whose id starts so hold imported user properties, not a browser (imports-exports.md). */
    public static final String IMPORT_DEVICE_PREFIX = "$import:";

    private static final String MEMBER_DEVICES = """
            SELECT c.user_id, d.device_id FROM cohort_members c
            LEFT JOIN device_users d ON d.site_id = c.site_id AND d.user_id = c.user_id
                AND NOT starts_with(d.device_id, ?)
            WHERE c.site_id = ? AND c.cohort = ? ORDER BY c.user_id, d.device_id""";

    private final DuckDbDatabase database;

    public DuckDbCohorts(DuckDbDatabase database) {
        this.database = database;
    }

    /**
     * Lists the custom user ids in the cohort, creating it when it has none yet.
     *
     * @return how many of the ids were not listed before
     */
    public long add(String siteId, String cohort, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return 0;
        }
        try (var connection = (DuckDBConnection) database.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMP TABLE IF NOT EXISTS incoming_members AS"
                        + " SELECT * FROM cohort_members LIMIT 0");
            }
            connection.setAutoCommit(false);
            try (DuckDBAppender appender = connection.createAppender("temp", "main", "incoming_members")) {
                for (String userId : userIds) {
                    appender.beginRow()
                            .append(siteId)
                            .append(cohort)
                            .append(userId)
                            .endRow();
                }
            }
            long added;
            try (Statement statement = connection.createStatement()) {
                added = statement.executeUpdate(
                        "INSERT INTO cohort_members SELECT DISTINCT * FROM incoming_members ON CONFLICT DO NOTHING");
            }
            connection.commit();
            return added;
        } catch (SQLException e) {
            throw new StoreException("adding " + userIds.size() + " cohort members failed: " + e.getMessage(), e);
        }
    }

    /** The site's cohorts with their sizes, by name. */
    public List<CohortSize> all(String siteId) {
        List<CohortSize> cohorts = new ArrayList<>();
        query(
                Sql.of(
                        "SELECT cohort, count(*) FROM cohort_members WHERE site_id = ? GROUP BY cohort ORDER BY cohort",
                        siteId),
                rows -> cohorts.add(new CohortSize(rows.getString(1), rows.getLong(2))));
        return cohorts;
    }

    /** How many custom user ids the cohort lists; 0 when the site has no such cohort. */
    public long size(String siteId, String cohort) {
        long[] size = {0};
        query(
                Sql.of("SELECT count(*) FROM cohort_members WHERE site_id = ? AND cohort = ?", siteId, cohort),
                rows -> size[0] = rows.getLong(1));
        return size[0];
    }

    /**
     * Hands each member of the cohort to {@code sink}, once per device linked to the user, in user
     * id then device id order, reading as it goes. Devices that hold imported properties are left
     * out. An exception from the sink stops the reading and is rethrown.
     */
    public void forEachMember(String siteId, String cohort, Consumer<MemberRow> sink) {
        query(
                Sql.of(MEMBER_DEVICES, IMPORT_DEVICE_PREFIX, siteId, cohort),
                rows -> sink.accept(new MemberRow(rows.getString(1), rows.getString(2))));
    }

    @FunctionalInterface
    interface RowConsumer {
        void accept(ResultSet rows) throws SQLException;
    }

    static void query(DuckDbDatabase database, Sql query, RowConsumer consumer) {
        try (Connection connection = database.connect();
                PreparedStatement statement = DuckDbSubjectReads.prepare(connection, query);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                consumer.accept(rows);
            }
        } catch (SQLException e) {
            throw new StoreException("reading cohorts failed: " + e.getMessage(), e);
        }
    }

    private void query(Sql query, RowConsumer consumer) {
        query(database, query, consumer);
    }
}
