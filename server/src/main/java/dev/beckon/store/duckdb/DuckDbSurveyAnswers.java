package dev.beckon.store.duckdb;

import dev.beckon.event.ReservedEvent;
import dev.beckon.store.TimelineCursor;
import dev.beckon.survey.SurveyAnswers;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link SurveyAnswers} on the embedded store. Every value, the search text included, is a bound
 * parameter; the SQL text depends only on how many questions are named. Texts are searched with
 * {@code strpos} on lower-cased text, so that {@code %}, {@code _} and quotes in a search are
 * letters, not patterns.
 */
public final class DuckDbSurveyAnswers implements SurveyAnswers {

    /** Survey events of the campaign that count: variant {@code test}, or none. */
    private static final String SURVEY_EVENT = "name IN (?, ?) AND json_extract_string(properties, '$.campaignId') = ?"
            + " AND coalesce(json_extract_string(properties, '$.variant'), 'test') = 'test'"
            + " AND json_extract_string(properties, '$.responseId') IS NOT NULL";

    /** The latest answer of each response to each question, from a CTE {@code e} of survey events. */
    private static final String LATEST = "a AS (SELECT * FROM e WHERE name = ? AND question IS NOT NULL"
            + " QUALIFY row_number() OVER (PARTITION BY response, question"
            + " ORDER BY time DESC, server_time DESC, id DESC) = 1)";

    private final DuckDbDatabase database;

    public DuckDbSurveyAnswers(DuckDbDatabase database) {
        this.database = database;
    }

    @Override
    public Totals totals(String siteId, String campaignId) {
        Sql query = Sql.of("WITH e AS (SELECT person, name, time, json_extract_string(properties, '$.responseId')"
                        + " AS response FROM (")
                .then(DuckDbSegmentSql.attributedEvents(
                        siteId,
                        Sql.of(
                                "((" + SURVEY_EVENT + ") OR (name = ?"
                                        + " AND json_extract_string(properties, '$.campaignId') = ?"
                                        + " AND json_extract_string(properties, '$.variant') = 'test'))",
                                ReservedEvent.SURVEY_ANSWERED,
                                ReservedEvent.SURVEY_COMPLETED,
                                campaignId,
                                ReservedEvent.CAMPAIGN_SHOWN,
                                campaignId)))
                .then(
                        ")), r AS (SELECT response, arg_min(person, time) AS person, bool_or(name = ?) AS completed"
                                + " FROM e WHERE name <> ? GROUP BY response)"
                                + " SELECT (SELECT count(DISTINCT person) FROM e WHERE name = ?),"
                                + " (SELECT count(*) FROM e WHERE name = ?),"
                                + " count(*), count(*) FILTER (WHERE completed), count(DISTINCT person) FROM r",
                        ReservedEvent.SURVEY_COMPLETED,
                        ReservedEvent.CAMPAIGN_SHOWN,
                        ReservedEvent.CAMPAIGN_SHOWN,
                        ReservedEvent.CAMPAIGN_SHOWN);
        List<Totals> totals = new ArrayList<>();
        select(
                query,
                rows -> totals.add(new Totals(
                        rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5))));
        return totals.getFirst();
    }

    @Override
    public void forEachAnswer(String siteId, String campaignId, Collection<String> withAnswers, Consumer<Answer> sink) {
        Sql query = surveyEvents(siteId, campaignId, true)
                .then(", " + LATEST, ReservedEvent.SURVEY_ANSWERED)
                .then(
                        ", r AS (SELECT response, arg_min(person, time) AS person,"
                                + " arg_min(device_id, time) AS device_id,"
                                + " min(time) AS started, bool_or(name = ?) AS completed FROM e GROUP BY response),"
                                + " l AS (SELECT response, arg_max(question, time) AS last_question FROM a"
                                + " GROUP BY response)"
                                + " SELECT r.response, r.person, r.device_id, r.started, r.completed, a.question,",
                        ReservedEvent.SURVEY_COMPLETED)
                .then(" CASE WHEN ")
                .then(in("a.question", withAnswers))
                .then(" THEN json_extract(a.properties, '$.answer')::VARCHAR END,"
                        + " json_extract_string(a.properties, '$.other'),"
                        + " coalesce(json_extract_string(a.properties, '$.skipped') = 'true', false)"
                        + " OR json_extract(a.properties, '$.answer') IS NULL"
                        + " OR json_type(json_extract(a.properties, '$.answer')) = 'NULL',"
                        + " coalesce(a.question = l.last_question, false), a.time"
                        + " FROM r LEFT JOIN a ON a.response = r.response LEFT JOIN l ON l.response = r.response"
                        + " ORDER BY r.response, a.question");
        select(
                query,
                rows -> sink.accept(new Answer(
                        rows.getString(1),
                        rows.getString(2),
                        rows.getString(3),
                        instant(rows.getTimestamp(4)),
                        rows.getBoolean(5),
                        rows.getString(6),
                        rows.getString(7),
                        rows.getString(8),
                        rows.getBoolean(9),
                        rows.getBoolean(10),
                        instant(rows.getTimestamp(11)))));
    }

    @Override
    public List<Text> texts(
            String siteId,
            String campaignId,
            Collection<String> answerQuestions,
            Collection<String> otherQuestions,
            String search,
            TimelineCursor after,
            int limit) {
        Sql query = surveyEvents(siteId, campaignId, false)
                .then(", " + LATEST, ReservedEvent.SURVEY_ANSWERED)
                .then(", t AS (SELECT response, question, json_extract_string(properties, '$.answer') AS text, false"
                        + " AS other, time, server_time, id FROM a WHERE ")
                .then(in("question", answerQuestions))
                .then(" UNION ALL SELECT response, question, json_extract_string(properties, '$.other'), true, time,"
                        + " server_time, id FROM a WHERE ")
                .then(in("question", otherQuestions))
                .then(") SELECT response, question, text, other, time, server_time, id FROM t"
                        + " WHERE text IS NOT NULL AND length(trim(text)) > 0");
        if (search != null) {
            query = query.then(" AND strpos(lower(text), lower(?)) > 0", search);
        }
        if (after != null) {
            Timestamp time = DuckDbEventStore.timestamp(after.time());
            Timestamp serverTime = DuckDbEventStore.timestamp(after.serverTime());
            query = query.then(
                    " AND (time < ? OR (time = ? AND (server_time < ? OR (server_time = ? AND id < ?))))",
                    time,
                    time,
                    serverTime,
                    serverTime,
                    after.eventId());
        }
        query = query.then(" ORDER BY time DESC, server_time DESC, id DESC LIMIT ?", limit);
        List<Text> texts = new ArrayList<>();
        select(query, rows -> {
            Instant time = instant(rows.getTimestamp(5));
            texts.add(new Text(
                    rows.getString(1),
                    rows.getString(2),
                    rows.getString(3),
                    rows.getBoolean(4),
                    time,
                    new TimelineCursor(time, instant(rows.getTimestamp(6)), rows.getString(7))));
        });
        return texts;
    }

    /**
     * {@code WITH e AS (...)}: the survey events of the campaign with their response and question,
     * and, when {@code people}, the person each is attributed to.
     */
    private static Sql surveyEvents(String siteId, String campaignId, boolean people) {
        Sql where = Sql.of(SURVEY_EVENT, ReservedEvent.SURVEY_ANSWERED, ReservedEvent.SURVEY_COMPLETED, campaignId);
        Sql events = people
                ? DuckDbSegmentSql.attributedEvents(siteId, where)
                : Sql.of("SELECT NULL AS person, * FROM events WHERE site_id = ? AND ", siteId)
                        .then(where);
        return Sql.of("WITH e AS (SELECT person, device_id, name, time, server_time, id, properties,"
                        + " json_extract_string(properties, '$.responseId') AS response,"
                        + " json_extract_string(properties, '$.questionId') AS question FROM (")
                .then(events)
                .then("))");
    }

    /** {@code column IN (?, …)}, or {@code false} for no values. */
    private static Sql in(String column, Collection<String> values) {
        if (values.isEmpty()) {
            return Sql.of("false");
        }
        return Sql.of(
                column + " IN (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")", values.toArray());
    }

    private static Instant instant(Timestamp time) {
        return time == null ? null : DuckDbEventStore.instant(time);
    }

    private void select(Sql query, DuckDbDatabase.RowReader reader) {
        database.select(query, "survey answers", reader);
    }
}
