package dev.beckon.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beckon.Json;
import dev.beckon.store.MetadataDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saved campaigns and who was served them, in the metadata database: the same statements for
 * DuckDB and PostgreSQL.
 */
public final class CampaignRepository {

    private final MetadataDatabase database;

    public CampaignRepository(MetadataDatabase database) {
        this.database = database;
    }

    /** Saves the campaign, replacing one with the same site and id. */
    public void save(Campaign campaign) {
        update(
                "INSERT INTO campaigns (site_id, id, name, kind, status, priority, version, definition, created_at,"
                        + " updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS JSON), ?, ?, ?)"
                        + " ON CONFLICT (site_id, id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
                        + " status = EXCLUDED.status, priority = EXCLUDED.priority, version = EXCLUDED.version,"
                        + " definition = EXCLUDED.definition, created_at = EXCLUDED.created_at,"
                        + " updated_at = EXCLUDED.updated_at, published_at = EXCLUDED.published_at",
                campaign.siteId(),
                campaign.id(),
                campaign.definition().name(),
                campaign.definition().kind(),
                campaign.status().wire(),
                campaign.definition().priority(),
                campaign.version(),
                json(campaign.definition()),
                timestamp(campaign.createdAt()),
                timestamp(campaign.updatedAt()),
                timestamp(campaign.publishedAt()));
    }

    /** Deletes the campaign and its exposures; returns whether it existed. */
    public boolean delete(String siteId, String id) {
        update("DELETE FROM campaign_exposures WHERE site_id = ? AND campaign_id = ?", siteId, id);
        return update("DELETE FROM campaigns WHERE site_id = ? AND id = ?", siteId, id) > 0;
    }

    /** Every campaign of every site. */
    public List<Campaign> everySite() {
        return select("SELECT * FROM campaigns ORDER BY site_id, id");
    }

    /**
     * Records that the person was served the campaign, unless they were before; returns whether
     * this was the first time.
     */
    public boolean recordExposure(String siteId, String campaignId, String person, String variant, Instant time) {
        return update(
                        "INSERT INTO campaign_exposures (site_id, campaign_id, person, variant, first_time)"
                                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        siteId,
                        campaignId,
                        person,
                        variant,
                        timestamp(time))
                > 0;
    }

    /** How many people were served the campaign, by variant. */
    public Map<String, Long> exposureCounts(String siteId, String campaignId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        query(
                "SELECT variant, count(*) FROM campaign_exposures WHERE site_id = ? AND campaign_id = ?"
                        + " GROUP BY variant ORDER BY variant",
                rows -> counts.put(rows.getString(1), rows.getLong(2)),
                siteId,
                campaignId);
        return counts;
    }

    /** When the person was first served the campaign, and in which variant; empty if never. */
    public Optional<Exposure> exposure(String siteId, String campaignId, String person) {
        List<Exposure> found = new ArrayList<>();
        query(
                "SELECT variant, first_time FROM campaign_exposures"
                        + " WHERE site_id = ? AND campaign_id = ? AND person = ?",
                rows -> found.add(new Exposure(rows.getString(1), instant(rows.getTimestamp(2)))),
                siteId,
                campaignId,
                person);
        return found.stream().findFirst();
    }

    private int update(String sql, Object... parameters) {
        return database.update("campaigns", sql, parameters);
    }

    private void query(String sql, MetadataDatabase.RowReader reader, Object... parameters) {
        database.select("campaigns", reader, sql, parameters);
    }

    private List<Campaign> select(String sql, Object... parameters) {
        List<Campaign> campaigns = new ArrayList<>();
        query(
                sql,
                rows -> campaigns.add(new Campaign(
                        rows.getString("site_id"),
                        rows.getString("id"),
                        CampaignStatus.ofWire(rows.getString("status")).orElseThrow(),
                        rows.getInt("version"),
                        CampaignParser.parse(Json.mapper().readTree(rows.getString("definition"))),
                        instant(rows.getTimestamp("created_at")),
                        instant(rows.getTimestamp("updated_at")),
                        instant(rows.getTimestamp("published_at")))),
                parameters);
        return campaigns;
    }

    private static String json(CampaignDefinition definition) {
        try {
            return Json.mapper().writeValueAsString(CampaignJson.definition(definition));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a checked campaign failed to serialise", e);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
}
