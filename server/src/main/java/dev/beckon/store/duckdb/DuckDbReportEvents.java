package dev.beckon.store.duckdb;

import dev.beckon.report.ReportEvents;
import dev.beckon.segment.Condition;
import dev.beckon.segment.Window;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ReportEvents} on the embedded store. Days are a table of bound instants joined to the
 * events, so a day is the site's calendar day across a change of summer time, and nothing depends
 * on DuckDB's own time zone data. People are attributed by {@link DuckDbSegmentSql}'s rules.
 */
public final class DuckDbReportEvents implements ReportEvents {

    /** The series key of the events beyond the most frequent values of a breakdown. */
    private static final String OTHER = "o";

    /**
     * How a breakdown's values are ordered: those that read as numbers first, by their value (so
     * that 9 comes before 10), then the others as text.
     */
    private static final String VALUE_ORDER = "TRY_CAST(%1$s AS DOUBLE) NULLS LAST, %1$s";

    private final DuckDbDatabase database;

    public DuckDbReportEvents(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public Map<String, long[]> firstTimesByDay(
            String siteId, List<Moment> moments, List<Day> days, Instant now, ZoneId zone) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Sql query = days(days);
        List<Sql> parts = new ArrayList<>();
        for (int m = 0; m < moments.size(); m++) {
            Moment moment = moments.get(m);
            counts.put(moment.name(), new long[days.size()]);
            Sql firsts = moment.conversion() != null
                    ? DuckDbSegmentSql.firstSequenceTimes(siteId, moment.conversion(), now, zone)
                    : DuckDbSegmentSql.firstTimes(siteId, moment.event(), now, zone);
            parts.add(Sql.of("SELECT ? AS m, d.i, count(*) AS n FROM (", m)
                    .then(firsts)
                    .then(") f JOIN days d ON f.first_time >= d.start_time AND f.first_time < d.end_time"
                            + " GROUP BY d.i"));
        }
        if (parts.isEmpty()) {
            return counts;
        }
        query = query.then(" ").then(Sql.join(" UNION ALL ", parts));
        select(query, rows -> counts.get(moments.get(rows.getInt(1)).name())[rows.getInt(2)] = rows.getLong(3));
        return counts;
    }

    @Override
    public List<EventSeries> eventCounts(String siteId, EventsQuery query, List<Day> days) {
        // The events of the names and days, each with the person, the day and the breakdown's value.
        Sql where = Sql.of(
                        "name IN ("
                                + String.join(
                                        ", ", Collections.nCopies(query.names().size(), "?")) + ")",
                        query.names().toArray())
                .then(
                        " AND time >= ? AND time < ?",
                        DuckDbEventStore.timestamp(days.getFirst().start()),
                        DuckDbEventStore.timestamp(days.getLast().end()));
        if (query.version() != null) {
            where = where.then(" AND version = ?", query.version());
        }
        Sql value = query.breakdown() == null
                ? Sql.of("NULL::VARCHAR")
                : Sql.of("json_extract_string(e.properties, ?)", DuckDbSegmentSql.pointer(query.breakdown()));
        Sql sql = days(days)
                .then(", e AS (SELECT e.person, e.name, d.i, ")
                .then(value)
                .then(" AS v FROM (")
                .then(DuckDbSegmentSql.attributedEvents(siteId, where))
                .then(") e JOIN days d ON e.time >= d.start_time AND e.time < d.end_time)")
                .then(
                        ", top AS (SELECT v FROM e WHERE v IS NOT NULL GROUP BY v ORDER BY count(*) DESC, "
                                + VALUE_ORDER.formatted("v") + " LIMIT ?)",
                        query.maxValues())
                .then(", k AS (SELECT person, name, i, CASE WHEN v IS NULL THEN 'n' WHEN v IN (SELECT v FROM top)"
                        + " THEN 'v' ELSE '" + OTHER + "' END AS kind, CASE WHEN v IN (SELECT v FROM top) THEN v END"
                        + " AS value FROM e)")
                .then(" SELECT name, kind, value, i, count(*), count(DISTINCT person)"
                        + " FROM k GROUP BY GROUPING SETS ((name, kind, value, i), (name, kind, value))"
                        + " ORDER BY name, CASE kind WHEN 'n' THEN 0 WHEN 'v' THEN 1 ELSE 2 END, "
                        + VALUE_ORDER.formatted("value") + ", i NULLS FIRST");

        Map<String, EventSeries> series = new LinkedHashMap<>();
        select(sql, rows -> {
            String name = rows.getString(1);
            String kind = rows.getString(2);
            String seriesValue = rows.getString(3);
            String key = name + '\u0000' + kind + '\u0000' + seriesValue;
            EventSeries one = series.computeIfAbsent(
                    key,
                    k -> new EventSeries(
                            name, seriesValue, kind.equals(OTHER), new long[days.size()], new long[days.size()], 0, 0));
            int day = rows.getInt(4);
            if (rows.wasNull()) {
                series.put(
                        key,
                        new EventSeries(
                                name,
                                seriesValue,
                                one.otherValues(),
                                one.counts(),
                                one.people(),
                                rows.getLong(5),
                                rows.getLong(6)));
            } else {
                one.counts()[day] = rows.getLong(5);
                one.people()[day] = rows.getLong(6);
            }
        });
        return new ArrayList<>(series.values());
    }

    @Override
    public void forEachActivePerson(String siteId, Condition.EventMatch goal, List<Day> days, ActivePerson sink) {
        var start = DuckDbEventStore.timestamp(days.getFirst().start());
        var end = DuckDbEventStore.timestamp(days.getLast().end());
        Sql active = DuckDbSegmentSql.attributedEvents(
                siteId, Sql.of("time >= ? AND time < ? AND NOT starts_with(name, '$campaign_')", start, end));
        Sql goals = DuckDbSegmentSql.matchingEvents(siteId, goal, new Window.Ever(), Instant.EPOCH, ZoneOffset.UTC);
        Sql query = Sql.of("WITH active AS (SELECT DISTINCT person FROM (")
                .then(active)
                .then(")), converted AS (SELECT DISTINCT person FROM (")
                .then(goals)
                .then(") WHERE time >= ? AND time < ?)", start, end)
                .then(" SELECT a.person, c.person IS NOT NULL FROM active a"
                        + " LEFT JOIN converted c ON c.person = a.person");
        select(query, rows -> sink.accept(rows.getString(1), rows.getBoolean(2)));
    }

    /** {@code WITH days(i, start_time, end_time) AS (VALUES …)}: the days, numbered from 0. */
    private static Sql days(List<Day> days) {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one day");
        }
        List<Sql> rows = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            rows.add(Sql.of(
                    "(?::INTEGER, ?::TIMESTAMP, ?::TIMESTAMP)",
                    i,
                    DuckDbEventStore.timestamp(days.get(i).start()),
                    DuckDbEventStore.timestamp(days.get(i).end())));
        }
        return Sql.of("WITH days(i, start_time, end_time) AS (VALUES ")
                .then(Sql.join(", ", rows))
                .then(")");
    }

    private void select(Sql query, DuckDbDatabase.RowReader reader) {
        database.select(query, "a report", reader);
    }
}
