package dev.beckon.store.postgres;

import dev.beckon.store.MetadataDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * PostgreSQL's side of {@link MetadataDialect}. Cohort members go in as one array parameter per
 * statement, unnested by PostgreSQL: one round trip for {@link #MEMBERS_PER_STATEMENT} ids.
 */
final class PostgresDialect implements MetadataDialect {

    static final int MEMBERS_PER_STATEMENT = 10_000;

    private static final String ADD_MEMBERS = """
            INSERT INTO cohort_members (site_id, cohort, user_id)
            SELECT DISTINCT ?, ?, unnest(?::varchar[])
            ON CONFLICT DO NOTHING""";

    @Override
    public String engine() {
        return "postgresql";
    }

    @Override
    public String schema() {
        return "public";
    }

    @Override
    public long addCohortMembers(Connection connection, String siteId, String cohort, Collection<String> userIds)
            throws SQLException {
        long added = 0;
        try (PreparedStatement insert = connection.prepareStatement(ADD_MEMBERS)) {
            List<String> chunk = new ArrayList<>(Math.min(userIds.size(), MEMBERS_PER_STATEMENT));
            for (String userId : userIds) {
                chunk.add(userId);
                if (chunk.size() == MEMBERS_PER_STATEMENT) {
                    added += insert(connection, insert, siteId, cohort, chunk);
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                added += insert(connection, insert, siteId, cohort, chunk);
            }
        }
        return added;
    }

    private static long insert(
            Connection connection, PreparedStatement insert, String siteId, String cohort, List<String> userIds)
            throws SQLException {
        insert.setString(1, siteId);
        insert.setString(2, cohort);
        insert.setArray(3, connection.createArrayOf("varchar", userIds.toArray()));
        return insert.executeUpdate();
    }
}
