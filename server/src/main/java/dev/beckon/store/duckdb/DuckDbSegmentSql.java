package dev.beckon.store.duckdb;

import dev.beckon.event.ReservedEvent;
import dev.beckon.segment.Condition;
import dev.beckon.segment.Condition.CountComparison;
import dev.beckon.segment.Condition.EventMatch;
import dev.beckon.segment.PropertyFilter;
import dev.beckon.segment.PropertyFilter.Operator;
import dev.beckon.segment.PropertyFilter.Value;
import dev.beckon.segment.Window;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Compiles a {@link Condition} into one DuckDB query that selects the keys of the people it holds
 * for, in a column {@code person}. Every value of the condition, property names included, is a
 * bound parameter; the SQL text depends only on the condition's shape.
 *
 * <p>Each event is attributed to a person by the identity rules (docs/identity.md): its own user id,
 * else the user of the next identified event on the same device, by event time, else its device.
 * The next identified event is found through the device's <em>stretches</em> ({@link #stretches}):
 * each run of consecutive identified events of one user on one device, ended by its last event. An
 * {@code ASOF JOIN} picks the first stretch that ends at or after the event. A condition that can
 * hold for people without any matching event (a negation, "at most", "did not") is computed as
 * everyone, except its violators; everyone is each person with an event and each member of an
 * imported cohort, so that a double negation is the condition itself.
 *
 * <p>Where the attributed events and everyone come from is a {@link Source}: the site's events as
 * they are now ({@link #fresh}), or tables that one refresh of live membership prepared once and
 * shares across all segments (docs/segments.md, "Live membership").
 */
final class DuckDbSegmentSql {

    private static final String DECIMAL = "\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*";
    private static final String DAY = "\\d{4}-\\d\\d-\\d\\d";
    private static final String TIME =
            "\\d{4}-\\d\\d-\\d\\d[Tt]\\d\\d:\\d\\d(:\\d\\d(\\.\\d{1,9})?)?([Zz]|[+-]\\d\\d(:\\d\\d)?)";

    /**
     * Where a compiled condition reads its events and its everyone.
     *
     * @param attributed the site's events that pass a condition on the columns of {@code events}
     *     ({@code name}, {@code time}, {@code properties}), each with its {@code person}, {@code
     *     session_id}, {@code name}, {@code time}, {@code server_time}, {@code id} and {@code
     *     properties}
     * @param everyone a query of the column {@code person}: everyone the condition is about
     */
    record Source(Function<Sql, Sql> attributed, Sql everyone) {}

    private final String siteId;
    private final Instant now;
    private final ZoneId zone;
    private final Source source;

    private DuckDbSegmentSql(String siteId, Instant now, ZoneId zone, Source source) {
        this.siteId = siteId;
        this.now = now;
        this.zone = zone;
        this.source = source;
    }

    static Sql compile(String siteId, Condition condition, Instant now, ZoneId zone) {
        return compile(siteId, condition, now, zone, fresh(siteId));
    }

    static Sql compile(String siteId, Condition condition, Instant now, ZoneId zone, Source source) {
        return new DuckDbSegmentSql(siteId, now, zone, source).people(condition);
    }

    /** The site's events and people as they are now, the stretches computed within the query. */
    static Source fresh(String siteId) {
        Sql stretches = Sql.of("(").then(stretches(siteId)).then(")");
        return new Source(where -> attributed(siteId, where, stretches), everyone(siteId));
    }

    /**
     * Each stretch of a site's identified events: a run of consecutive identified events (by event
     * time, then server time, then id) of one user on one device, in columns {@code device_id},
     * {@code user_id} and {@code last_time}, the time of the run's last event. An anonymous event
     * belongs to the user of the first stretch of its device that ends at or after it.
     *
     * <p>On most devices each identity link is one stretch: the links' spans of time, from {@code
     * device_users}, do not overlap. Only the devices whose links overlap (a shared device that went
     * back and forth, A, B, A) have their stretches computed from their identified events.
     */
    static Sql stretches(String siteId) {
        return Sql.of("""
                WITH links AS (SELECT device_id, user_id, first_time, last_time FROM device_users WHERE site_id = ?),
                shared AS (SELECT DISTINCT a.device_id FROM links a JOIN links b ON a.device_id = b.device_id
                  AND a.user_id <> b.user_id AND a.first_time <= b.last_time AND b.first_time <= a.last_time),
                marked AS (SELECT device_id, user_id, time, server_time, id, (user_id IS DISTINCT FROM
                  lag(user_id) OVER (PARTITION BY device_id ORDER BY time, server_time, id))::INTEGER AS starts
                  FROM events WHERE site_id = ? AND user_id IS NOT NULL
                  AND device_id IN (SELECT device_id FROM shared)),
                runs AS (SELECT device_id, user_id, time, sum(starts) OVER (PARTITION BY device_id
                  ORDER BY time, server_time, id ROWS UNBOUNDED PRECEDING) AS run FROM marked)
                SELECT device_id, user_id, last_time FROM links
                WHERE device_id NOT IN (SELECT device_id FROM shared)
                UNION ALL
                SELECT device_id, any_value(user_id), max(time) FROM runs GROUP BY device_id, run""", siteId, siteId);
    }

    /**
     * Every person of the site, without attributing every event: each linked user (a link exists
     * only while the user has an identified event), each device with an anonymous event after its
     * last identified one (or with no identified one), and each member of an imported cohort.
     */
    static Sql everyone(String siteId) {
        return Sql.of("""
                SELECT DISTINCT 'u:' || user_id AS person FROM device_users WHERE site_id = ?
                UNION SELECT 'd:' || a.device_id FROM (SELECT device_id, max(time) AS last_anonymous
                  FROM events WHERE site_id = ? AND user_id IS NULL GROUP BY device_id) a
                LEFT JOIN (SELECT device_id, max(last_time) AS last_identified FROM device_users
                  WHERE site_id = ? GROUP BY device_id) i ON a.device_id = i.device_id
                WHERE i.last_identified IS NULL OR a.last_anonymous > i.last_identified
                UNION SELECT 'u:' || user_id FROM cohort_members WHERE site_id = ?""", siteId, siteId, siteId, siteId);
    }

    /**
     * The site's events that pass {@code where}, each with the {@code person} it is attributed to,
     * through {@code stretches}: a parenthesised query, or the name of a table, of the columns of
     * {@link #stretches}.
     */
    static Sql attributed(String siteId, Sql where, Sql stretches) {
        return Sql.of(
                        "SELECT coalesce('u:' || coalesce(e.user_id, l.user_id), 'd:' || e.device_id) AS person,"
                                + " e.device_id, e.session_id, e.name, e.time, e.server_time, e.id, e.properties"
                                + " FROM (SELECT * FROM events WHERE site_id = ? AND ",
                        siteId)
                .then(where)
                .then(") e ASOF LEFT JOIN ")
                .then(stretches)
                .then(" l ON e.device_id = l.device_id AND e.time <= l.last_time");
    }

    /**
     * The first time of each person's events that {@code event} matches, in columns {@code person}
     * and {@code first_time}; the events are attributed as for {@link #compile}.
     */
    static Sql firstTimes(String siteId, EventMatch event, Instant now, ZoneId zone) {
        return Sql.of("SELECT person, min(time) AS first_time FROM (")
                .then(new DuckDbSegmentSql(siteId, now, zone, fresh(siteId)).matching(event, new Window.Ever()))
                .then(") GROUP BY person");
    }

    /**
     * The first time of each person's {@code then} event that follows one of their {@code first}
     * events within the sequence's time, in columns {@code person} and {@code first_time}: when a
     * goal was first reached after an exposure. Attributed as for {@link #compile}.
     */
    static Sql firstSequenceTimes(String siteId, Condition.Sequence sequence, Instant now, ZoneId zone) {
        var sql = new DuckDbSegmentSql(siteId, now, zone, fresh(siteId));
        return Sql.of("SELECT a.person, min(b.time) AS first_time FROM (")
                .then(sql.matching(sequence.first(), sequence.window()))
                .then(") a JOIN (")
                .then(sql.matching(sequence.then(), sequence.window()))
                .then(
                        ") b ON a.person = b.person AND b.time > a.time AND epoch_ms(b.time) - epoch_ms(a.time) <= ?"
                                + " GROUP BY a.person",
                        sequence.within().toMillis());
    }

    /** The site's events of {@code event} in {@code window}, attributed as for {@link #compile}. */
    static Sql matchingEvents(String siteId, EventMatch event, Window window, Instant now, ZoneId zone) {
        return new DuckDbSegmentSql(siteId, now, zone, fresh(siteId)).matching(event, window);
    }

    /**
     * The site's events that pass {@code where}, with the columns {@code person}, {@code device_id},
     * {@code session_id}, {@code name}, {@code time}, {@code server_time}, {@code id} and {@code
     * properties}, attributed as for {@link #compile}.
     */
    static Sql attributedEvents(String siteId, Sql where) {
        return new DuckDbSegmentSql(siteId, Instant.EPOCH, ZoneOffset.UTC, fresh(siteId)).attributed(where);
    }

    /**
     * The person and time of each event that one of the counted conditions matches, in columns
     * {@code person}, {@code micros} (the event time in microseconds since the epoch) and {@code m0},
     * {@code m1}, … (whether the condition of that index matches it): for a {@code did}, its event
     * and filters; for a {@code visited}, its page views whose path matches. The conditions' windows
     * and counts are not applied; {@code since}, when not null, keeps the events at or after it.
     * Only matching events are attributed, through {@code source}, as for {@link #compile}.
     */
    static Sql matchingTimes(String siteId, List<Condition> counted, Instant since, Source source) {
        var sql = new DuckDbSegmentSql(siteId, Instant.EPOCH, ZoneOffset.UTC, source);
        List<Sql> tests = counted.stream()
                .map(c -> Sql.of("(").then(sql.countedWhere(c)).then(")"))
                .toList();
        Sql where = Sql.of("(").then(Sql.join(" OR ", tests)).then(")");
        if (since != null) {
            where = where.then(" AND time >= ?", timestamp(since));
        }
        Sql select = Sql.of("SELECT person, epoch_us(time) AS micros");
        for (int i = 0; i < tests.size(); i++) {
            select = select.then(", coalesce(").then(tests.get(i)).then(", false) AS m" + i);
        }
        return select.then(" FROM (").then(sql.attributed(where)).then(")");
    }

    private Sql countedWhere(Condition counted) {
        return switch (counted) {
            case Condition.Behaviour b -> matchingWhere(b.event(), new Window.Ever());
            case Condition.PageVisited v -> pageWhere(v.pathPattern(), new Window.Ever());
            default -> throw new IllegalArgumentException("only did and visited are counted");
        };
    }

    private Sql people(Condition condition) {
        return switch (condition) {
            case Condition.All all when all.conditions().isEmpty() -> everyone();
            case Condition.All all -> combine(all.conditions(), " INTERSECT ");
            case Condition.Any any
            when any.conditions().isEmpty() -> Sql.of("SELECT NULL::VARCHAR AS person WHERE false");
            case Condition.Any any -> combine(any.conditions(), " UNION ");
            case Condition.Not not -> except(everyone(), people(not.condition()));
            case Condition.UserProperty p ->
                latestValue(p.filter(), ReservedEvent.USER_PROPERTIES, new Window.Ever(), "person");
            case Condition.SessionProperty p ->
                latestValue(p.filter(), ReservedEvent.SESSION_PROPERTIES, p.window(), "person, session_id");
            case Condition.Behaviour b -> behaviour(b);
            case Condition.Sequence s -> sequence(s);
            case Condition.PageVisited v -> pageVisited(v);
            case Condition.InCohort c ->
                Sql.of(
                        "SELECT 'u:' || user_id AS person FROM cohort_members WHERE site_id = ? AND cohort = ?",
                        siteId,
                        c.cohort());
        };
    }

    private Sql combine(List<Condition> conditions, String operator) {
        List<Sql> parts = conditions.stream()
                .map(c -> Sql.of("(").then(people(c)).then(")"))
                .toList();
        return Sql.of("SELECT person FROM (").then(Sql.join(operator, parts)).then(")");
    }

    /** Every person of the site: whoever has an event, and every member of an imported cohort. */
    private Sql everyone() {
        return source.everyone();
    }

    private static Sql except(Sql all, Sql excluded) {
        return Sql.of("(").then(all).then(") EXCEPT (").then(excluded).then(")");
    }

    /** The site's events that pass {@code where}, each with the {@code person} it is attributed to. */
    private Sql attributed(Sql where) {
        return source.attributed().apply(where);
    }

    // Conditions

    /** People for whom the latest value of the property, per {@code groupBy}, passes the filter. */
    private Sql latestValue(PropertyFilter filter, String eventName, Window window, String groupBy) {
        String pointer = pointer(filter.property());
        Sql events = attributed(Sql.of("name = ? AND json_extract(properties, ?) IS NOT NULL", eventName, pointer)
                .then(window(window)));
        // A tie in event time goes to the event received last, as on the profile page.
        Sql latest = Sql.of(
                        "SELECT " + groupBy
                                + ", arg_max(json_extract(properties, ?), (time, server_time, id)) AS v FROM (",
                        pointer)
                .then(events)
                .then(") GROUP BY " + groupBy);
        Sql havingIt = Sql.of("SELECT DISTINCT person FROM (").then(latest).then(")");
        if (filter.operator() == Operator.NOT_EXISTS) {
            // A latest value of JSON null is a property that was unset: it does not exist.
            return except(everyone(), havingIt.then(" WHERE ").then(presence("v", true)));
        }
        return havingIt.then(" WHERE ").then(valueTest("v", filter));
    }

    private Sql behaviour(Condition.Behaviour behaviour) {
        CountComparison count = behaviour.count();
        Sql counted = Sql.of("SELECT person, count(*) AS n FROM (")
                .then(matching(behaviour.event(), behaviour.window()))
                .then(") GROUP BY person");
        if (!count.holdsForZero()) {
            String test = count.comparison() == CountComparison.Comparison.EXACTLY ? "n = ?" : "n >= ?";
            return Sql.of("SELECT person FROM (").then(counted).then(") WHERE " + test, count.value());
        }
        if (count.comparison() == CountComparison.Comparison.AT_LEAST) {
            return everyone();
        }
        long allowed = count.comparison() == CountComparison.Comparison.EXACTLY ? 0 : count.value();
        Sql violators = Sql.of("SELECT person FROM (").then(counted).then(") WHERE n > ?", allowed);
        return except(everyone(), violators);
    }

    private Sql sequence(Condition.Sequence sequence) {
        return Sql.of("SELECT DISTINCT a.person FROM (")
                .then(matching(sequence.first(), sequence.window()))
                .then(") a JOIN (")
                .then(matching(sequence.then(), sequence.window()))
                .then(
                        ") b ON a.person = b.person AND b.time > a.time AND epoch_ms(b.time) - epoch_ms(a.time) <= ?",
                        sequence.within().toMillis());
    }

    private Sql pageVisited(Condition.PageVisited visited) {
        Sql where = pageWhere(visited.pathPattern(), visited.window());
        return Sql.of("SELECT DISTINCT person FROM (").then(attributed(where)).then(")");
    }

    /** The test of a page view in the window whose path matches the pattern. */
    private Sql pageWhere(String pathPattern, Window window) {
        return Sql.of(
                        "name = ? AND json_extract_string(properties, '$.path') LIKE ? ESCAPE '\\'",
                        ReservedEvent.PAGE_VIEW,
                        likePattern(pathPattern))
                .then(window(window));
    }

    /** The attributed events of one name in the window whose properties pass the filters. */
    private Sql matching(EventMatch event, Window window) {
        return attributed(matchingWhere(event, window));
    }

    /** The test of an event of one name in the window whose properties pass the filters. */
    private Sql matchingWhere(EventMatch event, Window window) {
        Sql where = Sql.of("name = ?", event.name()).then(window(window));
        for (PropertyFilter filter : event.filters()) {
            where = where.then(" AND ")
                    .then(valueTest("json_extract(properties, ?)", filter, pointer(filter.property())));
        }
        return where;
    }

    // Windows and values

    private Sql window(Window window) {
        return switch (window) {
            case Window.Ever e -> Sql.of("");
            case Window.Last l -> Sql.of(" AND time >= ?", timestamp(Window.start(window, now, zone)));
            case Window.Between b ->
                Sql.of(
                        " AND time >= ? AND time < ?",
                        timestamp(Window.start(window, now, zone)),
                        timestamp(Window.end(window, now, zone)));
        };
    }

    private static Sql valueTest(String value, PropertyFilter filter) {
        return valueTest(value, filter, new Object[0]);
    }

    /**
     * A test of a JSON value, the SQL expression {@code value} whose own placeholders take
     * {@code valueParameters} at each use. It is null or false whenever the value cannot be read as
     * the filter's type, for every operator, {@code neq} included (docs/segments.md, "Types").
     */
    private static Sql valueTest(String value, PropertyFilter filter, Object... valueParameters) {
        Sql json = Sql.of(value, valueParameters);
        Sql text = scalarText(json);
        Operator op = filter.operator();
        return switch (filter.value()) {
            case Value.None none -> presence(json, op == Operator.EXISTS);
            case Value.Text t
            when op == Operator.CONTAINS -> Sql.of("contains(").then(text).then(", ?)", t.value());
            case Value.Text t
            when op == Operator.STARTS_WITH -> Sql.of("starts_with(").then(text).then(", ?)", t.value());
            case Value.Text t -> Sql.of("(").then(text).then(" " + comparison(op) + " ?)", t.value());
            case Value.Number n -> {
                Sql number = asNumber(text);
                yield Sql.of("(isfinite(")
                        .then(number)
                        .then(") AND ")
                        .then(number)
                        .then(" " + comparison(op) + " ?)", n.value());
            }
            case Value.Bool b ->
                Sql.of("(lower(")
                        .then(text)
                        .then(") IN ('true', 'false') AND lower(")
                        .then(text)
                        .then(") " + comparison(op) + " ?)", Boolean.toString(b.value()));
            case Value.Date d ->
                Sql.of("(epoch_ms(")
                        .then(asInstant(text))
                        .then(") " + comparison(op) + " ?)", d.value().toEpochMilli());
            case Value.TextList list ->
                Sql.of("(")
                        .then(text)
                        .then(
                                " IN ("
                                        + String.join(
                                                ", ",
                                                Collections.nCopies(
                                                        list.values().size(), "?")) + "))",
                                list.values().toArray());
        };
    }

    /** The text of a JSON string, number or boolean (a number's or boolean's JSON text); else null. */
    private static Sql scalarText(Sql json) {
        return Sql.of("(CASE WHEN json_type(")
                .then(json)
                .then(") IN ('OBJECT', 'ARRAY') THEN NULL ELSE (")
                .then(json)
                .then(" ->> '$') END)");
    }

    /**
     * The number a text reads as, in the decimal notation of JSON numbers with optional sign, spaces
     * around, and a bare leading or trailing point; null for anything else, such as {@code inf},
     * {@code NaN}, {@code 0x10} or {@code 1_000}, which DuckDB's own cast would accept.
     */
    private static Sql asNumber(Sql text) {
        return Sql.of("TRY_CAST(CASE WHEN regexp_full_match(")
                .then(text)
                .then(", '" + DECIMAL + "') THEN ")
                .then(text)
                .then(" END AS DOUBLE)");
    }

    /**
     * The instant a text reads as: a day, at midnight UTC, or an ISO-8601 time with an offset. A time
     * without an offset is null, rather than read in the database's own time zone.
     */
    private static Sql asInstant(Sql text) {
        return Sql.of("TRY_CAST(CASE WHEN regexp_full_match(")
                .then(text)
                .then(", '" + DAY + "') THEN ")
                .then(text)
                .then(" || 'T00:00:00Z' WHEN regexp_full_match(")
                .then(text)
                .then(", '" + TIME + "') THEN upper(")
                .then(text)
                .then(") END AS TIMESTAMPTZ)");
    }

    /** Whether a JSON value is there and not JSON null ({@code exists}), or the opposite. */
    private static Sql presence(String value, boolean exists) {
        return presence(Sql.of(value), exists);
    }

    private static Sql presence(Sql json, boolean exists) {
        Sql there = Sql.of("(")
                .then(json)
                .then(" IS NOT NULL AND json_type(")
                .then(json)
                .then(") <> 'NULL')");
        return exists ? there : Sql.of("NOT coalesce(").then(there).then(", false)");
    }

    private static String comparison(Operator op) {
        return switch (op) {
            case EQUALS -> "=";
            case NOT_EQUALS -> "<>";
            case GREATER_THAN -> ">";
            case GREATER_OR_EQUAL -> ">=";
            case LESS_THAN -> "<";
            case LESS_OR_EQUAL -> "<=";
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    /** A JSON pointer (RFC 6901) to a top-level property; DuckDB's JSON functions accept it. */
    static String pointer(String property) {
        return "/" + property.replace("~", "~0").replace("/", "~1");
    }

    /** A LIKE pattern for a glob in which {@code *} is any text; LIKE's own wildcards are escaped. */
    static String likePattern(String glob) {
        return glob.replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_")
                .replace('*', '%');
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
