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

/**
 * Compiles a {@link Condition} into one DuckDB query that selects the keys of the people it holds
 * for, in a column {@code person}. Every value of the condition, property names included, is a
 * bound parameter; the SQL text depends only on the condition's shape.
 *
 * <p>Each event is attributed to a person on the fly (docs/identity.md): its own user id, else the
 * user whose identified activity on the same device ends next at or after it ({@code ASOF JOIN}
 * on {@code device_users}), else its device. A condition that can hold for people without any
 * matching event (a negation, "at most", "did not") is computed as everyone, except its violators;
 * everyone is each person with an event and each member of an imported cohort, so that a double
 * negation is the condition itself.
 */
final class DuckDbSegmentSql {

    private static final String DECIMAL = "\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*";
    private static final String DAY = "\\d{4}-\\d\\d-\\d\\d";
    private static final String TIME =
            "\\d{4}-\\d\\d-\\d\\d[Tt]\\d\\d:\\d\\d(:\\d\\d(\\.\\d{1,9})?)?([Zz]|[+-]\\d\\d(:\\d\\d)?)";

    private final String siteId;
    private final Instant now;
    private final ZoneId zone;

    private DuckDbSegmentSql(String siteId, Instant now, ZoneId zone) {
        this.siteId = siteId;
        this.now = now;
        this.zone = zone;
    }

    static Sql compile(String siteId, Condition condition, Instant now, ZoneId zone) {
        return new DuckDbSegmentSql(siteId, now, zone).people(condition);
    }

    /**
     * The first time of each person's events that {@code event} matches, in columns {@code person}
     * and {@code first_time}; the events are attributed as for {@link #compile}.
     */
    static Sql firstTimes(String siteId, EventMatch event, Instant now, ZoneId zone) {
        return Sql.of("SELECT person, min(time) AS first_time FROM (")
                .then(new DuckDbSegmentSql(siteId, now, zone).matching(event, new Window.Ever()))
                .then(") GROUP BY person");
    }

    /**
     * The site's events that pass {@code where}, every column of {@code events} and the {@code
     * person} each is attributed to, as {@link #compile} attributes them.
     */
    static Sql eventsWithPerson(String siteId, Sql where) {
        return Sql.of(
                        "SELECT coalesce('u:' || coalesce(e.user_id, l.user_id), 'd:' || e.device_id) AS person, e.*"
                                + " FROM (SELECT * FROM events WHERE site_id = ? AND ",
                        siteId)
                .then(where)
                .then(
                        ") e ASOF LEFT JOIN (SELECT device_id, user_id, last_time FROM device_users"
                                + " WHERE site_id = ?) l"
                                + " ON e.device_id = l.device_id AND e.time <= l.last_time",
                        siteId);
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
        return Sql.of("SELECT DISTINCT person FROM (")
                .then(attributed(Sql.of("true")))
                .then(") UNION SELECT 'u:' || user_id AS person FROM cohort_members WHERE site_id = ?", siteId);
    }

    private static Sql except(Sql all, Sql excluded) {
        return Sql.of("(").then(all).then(") EXCEPT (").then(excluded).then(")");
    }

    /** The site's events that pass {@code where}, each with the {@code person} it is attributed to. */
    private Sql attributed(Sql where) {
        return Sql.of(
                        "SELECT coalesce('u:' || coalesce(e.user_id, l.user_id), 'd:' || e.device_id) AS person,"
                                + " e.session_id, e.name, e.time, e.server_time, e.id, e.properties"
                                + " FROM (SELECT * FROM events WHERE site_id = ? AND ",
                        siteId)
                .then(where)
                .then(
                        ") e ASOF LEFT JOIN (SELECT device_id, user_id, last_time FROM device_users"
                                + " WHERE site_id = ?) l"
                                + " ON e.device_id = l.device_id AND e.time <= l.last_time",
                        siteId);
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
        Sql where = Sql.of(
                        "name = ? AND json_extract_string(properties, '$.path') LIKE ? ESCAPE '\\'",
                        ReservedEvent.PAGE_VIEW,
                        likePattern(visited.pathPattern()))
                .then(window(visited.window()));
        return Sql.of("SELECT DISTINCT person FROM (").then(attributed(where)).then(")");
    }

    /** The attributed events of one name in the window whose properties pass the filters. */
    private Sql matching(EventMatch event, Window window) {
        Sql where = Sql.of("name = ?", event.name()).then(window(window));
        for (PropertyFilter filter : event.filters()) {
            where = where.then(" AND ")
                    .then(valueTest("json_extract(properties, ?)", filter, pointer(filter.property())));
        }
        return attributed(where);
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
