package dev.beckon.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beckon.Json;
import dev.beckon.store.StoreException;
import dev.beckon.store.duckdb.DuckDbDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Saved segments, in the embedded store. */
public final class SegmentRepository {

    private final DuckDbDatabase database;

    public SegmentRepository(DuckDbDatabase database) {
        this.database = database;
    }

    /** Saves the segment, replacing one with the same site and id. */
    public void save(Segment segment) {
        update(
                "INSERT OR REPLACE INTO segments (site_id, id, name, condition, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                segment.siteId(),
                segment.id(),
                segment.name(),
                json(segment),
                timestamp(segment.createdAt()),
                timestamp(segment.updatedAt()));
    }

    /** Deletes the segment; returns whether it existed. */
    public boolean delete(String siteId, String id) {
        return update("DELETE FROM segments WHERE site_id = ? AND id = ?", siteId, id) > 0;
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

    private int update(String sql, Object... parameters) {
        try (Connection connection = database.connect();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("writing segments failed: " + e.getMessage(), e);
        }
    }

    private List<Segment> select(String sql, Object... parameters) {
        try (Connection connection = database.connect();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<Segment> segments = new ArrayList<>();
            while (rows.next()) {
                segments.add(new Segment(
                        rows.getString("site_id"),
                        rows.getString("id"),
                        rows.getString("name"),
                        Json.mapper().readTree(rows.getString("condition")),
                        instant(rows.getTimestamp("created_at")),
                        instant(rows.getTimestamp("updated_at"))));
            }
            return segments;
        } catch (SQLException | JsonProcessingException e) {
            throw new StoreException("reading segments failed: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
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
