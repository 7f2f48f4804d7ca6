package dev.beckon.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Imported cohorts, in the metadata database: adding custom user ids to one, and listing them.
 * Reading a cohort's members with their devices joins them with the identity links, which live with
 * the events: that is the event store's ({@code duckdb.DuckDbCohorts#forEachMember}).
 *
 * <p>Adding is one transaction: an id already listed is skipped, so adding the same ids again
 * changes nothing. On failure the transaction is rolled back and none of the call's ids is kept.
 */
public final class Cohorts {

    private final MetadataDatabase database;

    public Cohorts(MetadataDatabase database) {
        this.database = database;
    }

    /**
     * Lists the custom user ids in the cohort, creating it when it has none yet.
     *
     * @return how many of the ids were not listed before
     * @throws StoreException when the database fails; then none of the ids is added
     */
    public long add(String siteId, String cohort, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return 0;
        }
        return database.inTransaction(
                "adding " + userIds.size() + " cohort members",
                connection -> database.dialect().addCohortMembers(connection, siteId, cohort, userIds));
    }

    /** The site's cohorts with their sizes, by name. */
    public List<CohortSize> all(String siteId) {
        List<CohortSize> cohorts = new ArrayList<>();
        database.select(
                "cohorts",
                rows -> cohorts.add(new CohortSize(rows.getString(1), rows.getLong(2))),
                "SELECT cohort, count(*) FROM cohort_members WHERE site_id = ? GROUP BY cohort ORDER BY cohort",
                siteId);
        return cohorts;
    }

    /**
     * Hands each member of each of the site's cohorts to {@code sink}: the cohort's name, then the
     * custom user id.
     */
    public void forEachMember(String siteId, BiConsumer<String, String> sink) {
        database.select(
                "cohort members",
                rows -> sink.accept(rows.getString(1), rows.getString(2)),
                "SELECT cohort, user_id FROM cohort_members WHERE site_id = ?",
                siteId);
    }

    /** How many custom user ids the cohort lists; 0 when the site has no such cohort. */
    public long size(String siteId, String cohort) {
        long[] size = {0};
        database.select(
                "cohorts",
                rows -> size[0] = rows.getLong(1),
                "SELECT count(*) FROM cohort_members WHERE site_id = ? AND cohort = ?",
                siteId,
                cohort);
        return size[0];
    }
}
