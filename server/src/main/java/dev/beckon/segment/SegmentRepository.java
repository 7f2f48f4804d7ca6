package dev.beckon.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beckon.Json;
import dev.beckon.store.MetadataDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Saved segments, in the metadata database. */
public final class SegmentRepository {

    private final MetadataDatabase database;

    public SegmentRepository(MetadataDatabase database) {
        this.database = database;
    }

    /** Saves the segment, replacing one with the same site and id. */
    public void save(Segment segment) {
        database.update(
                "segments",
                "INSERT INTO segments (site_id, id, name, condition, created_at, updated_at)"
                        + " VALUES (?, ?, ?, CAST(? AS JSON), ?, ?) ON CONFLICT (site_id, id) DO UPDATE SET"
                        + " name = EXCLUDED.name, condition = EXCLUDED.condition, created_at = EXCLUDED.created_at,"
                        + " updated_at = EXCLUDED.updated_at",
                segment.siteId(),
                segment.id(),
                segment.name(),
                json(segment),
                timestamp(segment.createdAt()),
                timestamp(segment.updatedAt()));
    }

    /** Deletes the segment; returns whether it existed. */
    public boolean delete(String siteId, String id) {
        return database.update("segments", "DELETE FROM segments WHERE site_id = ? AND id = ?", siteId, id) > 0;
    }

    public Optional<Segment> find(String siteId, String id) {
        return select("SELECT * FROM segments WHERE site_id = ? AND id = ?", siteId, id).stream()
                .findFirst();
    }

    /** Every segment of the site, by name. */
    public List<Segment> all(String siteId) {
        return select("SELECT * FROM segments WHERE site_id = ? ORDER BY name, id", siteId);
    }

    /** Every segment of every site. */
    public List<Segment> everySite() {
        return select("SELECT * FROM segments ORDER BY site_id, id");
    }

    private List<Segment> select(String sql, Object... parameters) {
        List<Segment> segments = new ArrayList<>();
        database.select(
                "segments",
                rows -> segments.add(new Segment(
                        rows.getString("site_id"),
                        rows.getString("id"),
                        rows.getString("name"),
                        Json.mapper().readTree(rows.getString("condition")),
                        instant(rows.getTimestamp("created_at")),
                        instant(rows.getTimestamp("updated_at")))),
                sql,
                parameters);
        return segments;
    }

    private static String json(Segment segment) {
        try {
            return Json.mapper().writeValueAsString(segment.condition());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed condition failed to serialise", e);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
}
