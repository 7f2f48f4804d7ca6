package dev.beckon.store.duckdb;

import dev.beckon.campaign.CampaignEvents;
import dev.beckon.event.Event;
import dev.beckon.event.ReservedEvent;
import dev.beckon.segment.Condition;
import dev.beckon.segment.Person;
import dev.beckon.store.Subject;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link CampaignEvents} on the embedded store. A person's events are read through their identity
 * links ({@link DuckDbSubjectEvents}), so the cost follows that person's history, not the site's.
 *
 * <p>The outcomes of a campaign are one query: each step is the query of its condition that the
 * segment engine runs for the funnel ({@link DuckDbSegmentSql}), the people of every step and of
 * the exposures are joined by person and variant, and rows are handed on as DuckDB returns them.
 */
public final class DuckDbCampaignEvents implements CampaignEvents {

    private static final List<String> CAMPAIGN_EVENTS = List.of(
            ReservedEvent.CAMPAIGN_TRIGGERED,
            ReservedEvent.CAMPAIGN_SHOWN,
            ReservedEvent.CAMPAIGN_HELD,
            ReservedEvent.CAMPAIGN_CLICKED,
            ReservedEvent.CAMPAIGN_DISMISSED,
            ReservedEvent.CAMPAIGN_NOT_SHOWN,
            ReservedEvent.CAMPAIGN_GOAL,
            ReservedEvent.SURVEY_ANSWERED,
            ReservedEvent.SURVEY_COMPLETED);

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
    public Instant lastShown(String siteId, Person person, Collection<String> campaignIds, Instant since) {
        Sql query = DuckDbSubjectEvents.with(siteId, subject(person))
                .then(
                        "SELECT max(time) FROM subject_events WHERE name = ? AND time >= ?"
                                + " AND coalesce(json_extract_string(properties, '$.variant'), 'test') <> 'preview'",
                        ReservedEvent.CAMPAIGN_SHOWN,
                        DuckDbEventStore.timestamp(since))
                .then(
                        " AND json_extract_string(properties, '$.campaignId') IN ("
                                + String.join(", ", Collections.nCopies(campaignIds.size(), "?")) + ")",
                        campaignIds.toArray());
        List<Instant> found = new ArrayList<>();
        select(query, rows -> found.add(instantOrNull(rows.getTimestamp(1))));
        return found.getFirst();
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

    @Override
    public void forEachOutcome(
            String siteId,
            String campaignId,
            List<Step> steps,
            Map<String, Condition.EventMatch> firstShown,
            Instant now,
            ZoneId zone,
            Consumer<Outcome> sink) {
        List<String> variants = List.copyOf(firstShown.keySet());
        Sql query = outcomes(siteId, campaignId, steps, firstShown, variants, now, zone);
        select(query, rows -> {
            Person person = Person.ofKey(rows.getString(1));
            Set<String> held = new LinkedHashSet<>();
            for (int i = 0; i < steps.size(); i++) {
                if (rows.getBoolean(6 + i)) {
                    held.add(steps.get(i).name());
                }
            }
            sink.accept(new Outcome(
                    person,
                    person.userId() == null ? person.deviceId() : rows.getString(4),
                    rows.getString(2),
                    instantOrNull(rows.getTimestamp(3)),
                    held,
                    instantOrNull(rows.getTimestamp(5))));
        });
    }

    /**
     * The outcomes query. Its columns: person, variant, the exposure's first time, the user's last
     * device, the first shown time, then whether each step holds, in the order of {@code steps}.
     */
    private static Sql outcomes(
            String siteId,
            String campaignId,
            List<Step> steps,
            Map<String, Condition.EventMatch> firstShown,
            List<String> variants,
            Instant now,
            ZoneId zone) {

        // Each step's people, each variant's first shown times, and the exposures.
        Sql query = Sql.of(
                "WITH exposed AS (SELECT person, variant, first_time FROM campaign_exposures"
                        + " WHERE site_id = ? AND campaign_id = ?)",
                siteId,
                campaignId);
        for (int i = 0; i < steps.size(); i++) {
            query = query.then(", s" + i + " AS (SELECT DISTINCT person FROM (")
                    .then(DuckDbSegmentSql.compile(siteId, steps.get(i).people(), now, zone))
                    .then("))");
        }
        for (int i = 0; i < variants.size(); i++) {
            query = query.then(", f" + i + " AS (")
                    .then(DuckDbSegmentSql.firstTimes(siteId, firstShown.get(variants.get(i)), now, zone))
                    .then(")");
        }

        // Everyone eligible or in a step, once per variant.
        query = query.then(", people AS (SELECT person, variant FROM exposed");
        for (int i = 0; i < steps.size(); i++) {
            query = query.then(
                    " UNION SELECT person, ? FROM s" + i, steps.get(i).variant());
        }
        query = query.then(
                "), devices AS (SELECT user_id, arg_max(device_id, last_time) AS device_id FROM device_users"
                        + " WHERE site_id = ? AND NOT starts_with(device_id, ?) GROUP BY user_id)",
                siteId,
                DuckDbCohorts.IMPORT_DEVICE_PREFIX);

        // One row per person and variant, with what holds for them.
        List<String> firstTimes = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            firstTimes.add("f" + i + ".first_time");
        }
        firstTimes.add("NULL::TIMESTAMP");
        query = query.then("SELECT p.person, p.variant, x.first_time, d.device_id, coalesce("
                + String.join(", ", firstTimes) + ")");
        for (int i = 0; i < steps.size(); i++) {
            query = query.then(", s" + i + ".person IS NOT NULL");
        }
        query = query.then(" FROM people p LEFT JOIN exposed x ON x.person = p.person AND x.variant = p.variant");
        for (int i = 0; i < steps.size(); i++) {
            query = query.then(
                    " LEFT JOIN s" + i + " ON s" + i + ".person = p.person AND p.variant = ?",
                    steps.get(i).variant());
        }
        for (int i = 0; i < variants.size(); i++) {
            query = query.then(
                    " LEFT JOIN f" + i + " ON f" + i + ".person = p.person AND p.variant = ?", variants.get(i));
        }
        return query.then(" LEFT JOIN devices d ON starts_with(p.person, 'u:') AND d.user_id = p.person[3:]"
                + " WHERE p.person IS NOT NULL ORDER BY p.person, p.variant");
    }

    private static Instant instantOrNull(Timestamp time) {
        return time == null ? null : DuckDbEventStore.instant(time);
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

    private void select(Sql query, DuckDbDatabase.RowReader reader) {
        database.select(query, "campaign events", reader);
    }
}
