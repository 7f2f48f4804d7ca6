package dev.beckon.site;

import dev.beckon.http.HttpError;
import dev.beckon.store.MetadataDatabase;
import dev.beckon.store.StoreException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sites of this Beckon server. Every ingestion request looks its site up here, so all sites
 * are held in memory and the database is read only at start and written on change.
 */
public final class SiteRegistry {

    /** The id of the demo shop's site, created when the server starts in demo mode. */
    public static final String DEMO_SITE_ID = "demo";

    private final MetadataDatabase database;
    private final Clock clock;
    private final Map<String, Site> sites = new ConcurrentHashMap<>();

    public SiteRegistry(MetadataDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
        loadAll();
    }

    public Optional<Site> find(String siteId) {
        return Optional.ofNullable(sites.get(siteId));
    }

    /**
     * The site of a request's path.
     *
     * @throws HttpError 404 when no site has the id
     */
    public Site require(String siteId) {
        return find(siteId).orElseThrow(() -> HttpError.notFound("no site has the id '" + siteId + "'"));
    }

    /** Every site, by id. */
    public List<Site> all() {
        return sites.values().stream().sorted(Comparator.comparing(Site::id)).toList();
    }

    /** Creates the site when no site has its id yet; returns the site stored under that id. */
    public Site createIfMissing(String siteId, String name, Collection<String> allowedOrigins) {
        Site existing = sites.get(siteId);
        if (existing != null) {
            return existing;
        }
        Site site = new Site(
                siteId,
                name,
                List.copyOf(allowedOrigins),
                SiteRules.DEFAULT_TIME_ZONE,
                SiteRules.DEFAULT_RETENTION_DAYS,
                SiteRules.DEFAULT_RECONTACT_DAYS,
                clock.instant());
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO sites (id, name, allowed_origins, created_at) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, site.id());
            insert.setString(2, site.name());
            insert.setObject(
                    3, connection.createArrayOf("VARCHAR", site.allowedOrigins().toArray()));
            insert.setTimestamp(4, Timestamp.valueOf(LocalDateTime.ofInstant(site.createdAt(), ZoneOffset.UTC)));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot create site " + siteId + ": " + e.getMessage(), e);
        }
        sites.put(site.id(), site);
        return site;
    }

    /**
     * Creates a site from what an admin typed.
     *
     * @throws HttpError 400 naming the field at fault, or 409 when the id is taken
     */
    public Site create(String siteId, String name, List<String> allowedOrigins, ZoneId timeZone) {
        SiteRules.checkId(siteId);
        SiteRules.checkName(name);
        SiteRules.checkOrigins(allowedOrigins);
        if (sites.containsKey(siteId)) {
            throw new HttpError(409, "id: a site with the id '" + siteId + "' exists");
        }
        createIfMissing(siteId, name.strip(), allowedOrigins);
        return timeZone.equals(SiteRules.DEFAULT_TIME_ZONE) ? require(siteId) : setTimeZone(siteId, timeZone);
    }

    /**
     * Changes a site's name and allowed origins; ingestion uses the new origins from its next
     * request.
     *
     * @throws HttpError 404 for an unknown site, 400 naming the field at fault
     */
    public Site update(String siteId, String name, List<String> allowedOrigins) {
        Site site = require(siteId);
        SiteRules.checkName(name);
        SiteRules.checkOrigins(allowedOrigins);
        try (Connection connection = database.connect();
                PreparedStatement update =
                        connection.prepareStatement("UPDATE sites SET name = ?, allowed_origins = ? WHERE id = ?")) {
            update.setString(1, name.strip());
            update.setObject(2, connection.createArrayOf("VARCHAR", allowedOrigins.toArray()));
            update.setString(3, siteId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot change site " + siteId + ": " + e.getMessage(), e);
        }
        Site changed = site.withNameAndOrigins(name.strip(), allowedOrigins);
        sites.put(siteId, changed);
        return changed;
    }

    /** Sets the time zone that the site's day windows count in; returns the changed site. */
    public Site setTimeZone(String siteId, ZoneId zone) {
        Site site = find(siteId).orElseThrow(() -> new IllegalArgumentException("no site " + siteId));
        return write(site.withTimeZone(zone), "the time zone", "time_zone = ?", zone.getId());
    }

    /**
     * Sets how many days the site's events are kept; the next purge deletes what the new period no
     * longer covers. Returns the changed site.
     *
     * @throws HttpError 404 for an unknown site, 400 when the days are outside the bounds of {@link SiteRules}
     */
    public Site setRetentionDays(String siteId, int retentionDays) {
        Site site = require(siteId);
        SiteRules.retentionDays(retentionDays);
        return write(site.withRetentionDays(retentionDays), "the retention", "retention_days = ?", retentionDays);
    }

    /**
     * Sets the recontact wait of the site's surveys; the config endpoint uses it from its next
     * config. Returns the changed site.
     *
     * @throws HttpError 404 for an unknown site, 400 when the days are outside the bounds of {@link SiteRules}
     */
    public Site setRecontactDays(String siteId, int recontactDays) {
        Site site = require(siteId);
        SiteRules.recontactDays(recontactDays);
        return write(site.withRecontactDays(recontactDays), "the recontact wait", "recontact_days = ?", recontactDays);
    }

    /**
     * Writes {@code assignments} of the site's row with {@code values}, then holds {@code changed}
     * in memory in its place. Returns it.
     *
     * @param what the setting, for the message of a failure
     */
    private Site write(Site changed, String what, String assignments, Object... values) {
        try (Connection connection = database.connect();
                PreparedStatement update =
                        connection.prepareStatement("UPDATE sites SET " + assignments + " WHERE id = ?")) {
            for (int i = 0; i < values.length; i++) {
                update.setObject(i + 1, values[i]);
            }
            update.setString(values.length + 1, changed.id());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot change " + what + " of site " + changed.id() + ": " + e.getMessage(), e);
        }
        sites.put(changed.id(), changed);
        return changed;
    }

    private void loadAll() {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT id, name, allowed_origins, created_at, time_zone, retention_days, holdout_percent,"
                                + " fatigue_per_day, fatigue_per_week, min_gap_seconds, quiet_from, quiet_to,"
                                + " recontact_days FROM sites")) {
            while (rows.next()) {
                Site site = new Site(
                        rows.getString(1),
                        rows.getString(2),
                        origins(rows.getArray(3)),
                        ZoneId.of(rows.getString(5)),
                        rows.getInt(6),
                        rows.getInt(13),
                        rows.getTimestamp(4).toLocalDateTime().toInstant(ZoneOffset.UTC),
                        engagement(rows));
                sites.put(site.id(), site);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the sites: " + e.getMessage(), e);
        }
    }

    /**
     * Sets the site's holdout and fatigue budget; the next config of each visitor carries it.
     * Returns the changed site.
     */
    public Site setEngagement(String siteId, Engagement engagement) {
        Site site = require(siteId);
        var quiet = engagement.quietHours();
        return write(
                site.withEngagement(engagement),
                "the engagement budget",
                "holdout_percent = ?, fatigue_per_day = ?, fatigue_per_week = ?, min_gap_seconds = ?,"
                        + " quiet_from = ?, quiet_to = ?",
                engagement.holdoutPercent(),
                engagement.fatigue().perDay(),
                engagement.fatigue().perWeek(),
                engagement.minGapSeconds(),
                quiet == null ? null : quiet.from(),
                quiet == null ? null : quiet.to());
    }

    private static Engagement engagement(ResultSet rows) throws SQLException {
        String from = rows.getString(11);
        return new Engagement(
                rows.getDouble(7),
                new Engagement.Fatigue(rows.getInt(8), rows.getInt(9)),
                rows.getInt(10),
                from == null ? null : new Engagement.QuietHours(from, rows.getString(12)));
    }

    private static List<String> origins(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        return Arrays.stream(values).map(String::valueOf).toList();
    }
}
