package dev.beckon.store.duckdb;

import dev.beckon.campaign.CampaignEvents;
import dev.beckon.event.Event;
import dev.beckon.event.ReservedEvent;
import dev.beckon.segment.Person;
import dev.beckon.store.StoreException;
import dev.beckon.store.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * {@link CampaignEvents} on the embedded store. A person's events are read through their identity
 * links ({@link DuckDbSubjectEvents}), so the cost follows that person's history, not the site's.
 */
public final class DuckDbCampaignEvents implements CampaignEvents {

    private static final List<String> CAMPAIGN_EVENTS = List.of(
            ReservedEvent.CAMPAIGN_TRIGGERED,
            ReservedEvent.CAMPAIGN_SHOWN,
            ReservedEvent.CAMPAIGN_HELD,
            ReservedEvent.CAMPAIGN_CLICKED,
            ReservedEvent.CAMPAIGN_DISMISSED,
            ReservedEvent.CAMPAIGN_NOT_SHOWN,
            ReservedEvent.CAMPAIGN_GOAL);

    private final DuckDbDatabase database;

    public DuckDbCampaignEvents(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public List<Event> history(String siteId, Person person, Collection<String> names, Instant since, int limit) {
        Sql query = DuckDbSubjectEvents.with(siteId, subject(person))
                .then("SELECT " + DuckDbEventStore.COLUMNS + " FROM subject_events WHERE ")
                .then(nameIn(names))
                .then(
                        " AND time >= ? ORDER BY time DESC, server_time DESC, id DESC LIMIT ?",
                        DuckDbEventStore.timestamp(since),
                        limit);
        List<Event> events = new ArrayList<>();
        select(query, rows -> events.add(DuckDbEventStore.readEvent(rows)));
        return events;
    }

    @Override
    public List<Event> ofCampaign(String siteId, Person person, String campaignId, int limit) {
        Sql query = DuckDbSubjectEvents.with(siteId, subject(person))
                .then("SELECT " + DuckDbEventStore.COLUMNS + " FROM subject_events WHERE ")
                .then(nameIn(CAMPAIGN_EVENTS))
                .then(
                        " AND json_extract_string(properties, '$.campaignId') = ?"
                                + " ORDER BY time DESC, server_time DESC, id DESC LIMIT ?",
                        campaignId,
                        limit);
        List<Event> events = new ArrayList<>();
        select(query, rows -> events.add(DuckDbEventStore.readEvent(rows)));
        return events;
    }

    @Override
    public ReasonCount notShown(String siteId, String campaignId, String reason) {
        Sql query = Sql.of(
                "SELECT count(*), max(time) FROM events WHERE site_id = ? AND name = ?"
                        + " AND json_extract_string(properties, '$.campaignId') = ?"
                        + " AND json_extract_string(properties, '$.reason') = ?",
                siteId,
                ReservedEvent.CAMPAIGN_NOT_SHOWN,
                campaignId,
                reason);
        List<ReasonCount> found = new ArrayList<>();
        select(
                query,
                rows -> found.add(new ReasonCount(
                        rows.getLong(1),
                        rows.getTimestamp(2) == null ? null : DuckDbEventStore.instant(rows.getTimestamp(2)))));
        return found.getFirst();
    }

    private static Subject subject(Person person) {
        return person.userId() != null ? new Subject.User(person.userId()) : new Subject.Device(person.deviceId());
    }

    /** {@code name IN (?, …)}: the text depends only on how many names there are. */
    private static Sql nameIn(Collection<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one event name is needed");
        }
        return Sql.of("name IN (" + String.join(", ", Collections.nCopies(names.size(), "?")) + ")", names.toArray());
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rows) throws SQLException;
    }

    private void select(Sql query, RowReader reader) {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(query.text())) {
            for (int i = 0; i < query.parameters().size(); i++) {
                statement.setObject(i + 1, query.parameters().get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading campaign events failed: " + e.getMessage(), e);
        }
    }
}
