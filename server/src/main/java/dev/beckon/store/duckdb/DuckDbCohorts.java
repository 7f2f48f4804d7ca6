package dev.beckon.store.duckdb;

import dev.beckon.store.MemberRow;
import dev.beckon.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * A cohort's members with their devices, read as a stream from the embedded store, where the
 * cohorts and the identity links are in one database. Adding and listing cohorts is {@link
 * dev.beckon.store.Cohorts}'s, on either metadata database.
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
