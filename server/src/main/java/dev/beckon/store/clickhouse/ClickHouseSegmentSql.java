package dev.beckon.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beckon.Json;
import dev.beckon.event.ReservedEvent;
import dev.beckon.segment.Condition;
import dev.beckon.segment.Condition.CountComparison;
import dev.beckon.segment.Condition.EventMatch;
import dev.beckon.segment.PropertyFilter;
import dev.beckon.segment.PropertyFilter.Operator;
import dev.beckon.segment.PropertyFilter.Value;
import dev.beckon.segment.Window;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Compiles a {@link Condition} into one ClickHouse query that selects the keys of the people it holds
 * for, each once, in a column {@code person}: the ClickHouse dialect of {@code duckdb.DuckDbSegmentSql},
 * with the same meaning (docs/segments.md), in SQL that ClickHouse 18.16 and current releases both
 * accept (docs/scale-out.md, "The segment engine on ClickHouse"). Every value of the condition, property names
 * included, is a placeholder of {@link ClickHouseSql}; the SQL text depends only on the condition's
 * shape.
 *
 * <p>Each event is attributed to a person by the identity rules (docs/identity.md, rule 2): its own
 * user id, else the user of the next identified event on the same device, by event time, else its
 * device. ClickHouse 18.16 has neither {@code ASOF JOIN} nor window functions, so the device's
 * <em>stretches</em> (each run of consecutive identified events of one user, ended by its last event)
 * are arrays: the device's identified events sorted by event time, server time and id, of which the
 * last of each run is kept; an anonymous event belongs to the user of the first stretch that ends at
 * or after it ({@code arrayFirstIndex}). Only the devices with an anonymous event that the condition
 * reads get their stretches. There is no {@code INTERSECT} or {@code EXCEPT} in 18.16: {@code all} is
 * {@code IN}, {@code not} is {@code NOT IN} of everyone.
 *
 * <p>Property values are read from the JSON text of the properties ({@link JsonValue}): the character
 * after the key says the value's type; a string's text is decoded by {@code visitParamExtractString},
 * a number's or boolean's JSON text read by {@code visitParamExtractRaw}. The key is found as the JSON
 * text {@code "name":}, which is how {@link #jsonKey} writes it and how the event writer's JSON writes
 * it. {@code visitParam} functions find the first such key at any depth of the object: a property
 * whose value is an object holding the same name before it is read from there (docs/scale-out.md,
 * "Known differences from the DuckDB engine").
 *
 * <p>Imported cohorts, kept in the metadata database, reach the query as the external table {@value
 * #COHORTS} (columns {@code cohort}, {@code user_id}), with the site's members; {@link
 * Compiled#readsCohorts} says whether the query needs it.
 */
final class ClickHouseSegmentSql {

    /** The external table of the site's cohort members. */
    static final String COHORTS = "cohorts";

    private static final String DECIMAL = "^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$";
    /** The number of a decimal text without spaces or a plus sign, which {@code toFloat64OrZero} reads. */
    private static final String DECIMAL_NUMBER = "^\\s*\\+?(-?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)\\s*$";

    private static final String DAY = "^\\d{4}-\\d\\d-\\d\\d$";
    private static final String TIME =
            "^\\d{4}-\\d\\d-\\d\\d[Tt]\\d\\d:\\d\\d(:\\d\\d(\\.\\d{1,9})?)?([Zz]|[+-]\\d\\d(:\\d\\d)?)$";

    private static final String SECONDS = "^.{16}:(\\d\\d)";
    private static final String FRACTION = "^.{19}\\.(\\d+)";
    private static final String OFFSET_SIGN = "([+-])\\d\\d(:\\d\\d)?$";
    private static final String OFFSET_HOURS = "[+-](\\d\\d)(:\\d\\d)?$";
    private static final String OFFSET_MINUTES = "[+-]\\d\\d:(\\d\\d)$";

    private final String siteId;
    private final Instant now;
    private final ZoneId zone;
    private boolean readsCohorts;

    private ClickHouseSegmentSql(String siteId, Instant now, ZoneId zone) {
        this.siteId = siteId;
        this.now = now;
        this.zone = zone;
    }

    /** A compiled condition, and whether it reads the external table {@value #COHORTS}. */
    record Compiled(ClickHouseSql people, boolean readsCohorts) {}

    static Compiled compile(String siteId, Condition condition, Instant now, ZoneId zone) {
        var compiler = new ClickHouseSegmentSql(siteId, now, zone);
        ClickHouseSql people = compiler.people(condition);
        return new Compiled(people, compiler.readsCohorts);
    }

    private ClickHouseSql people(Condition condition) {
        return switch (condition) {
            case Condition.All all when all.conditions().isEmpty() -> everyone();
            case Condition.All all -> all(all.conditions());
            case Condition.Any any when any.conditions().isEmpty() -> ClickHouseSql.of("SELECT '' AS person WHERE 0");
            case Condition.Any any -> any(any.conditions());
            case Condition.Not not -> except(everyone(), people(not.condition()));
            case Condition.UserProperty p ->
                latestValue(p.filter(), ReservedEvent.USER_PROPERTIES, new Window.Ever(), "person");
            case Condition.SessionProperty p ->
                latestValue(p.filter(), ReservedEvent.SESSION_PROPERTIES, p.window(), "person, session_id");
            case Condition.Behaviour b -> behaviour(b);
            case Condition.Sequence s -> sequence(s);
            case Condition.PageVisited v -> pageVisited(v);
            case Condition.InCohort c -> {
                readsCohorts = true;
                yield ClickHouseSql.of(
                        "SELECT DISTINCT concat('u:', user_id) AS person FROM " + COHORTS + " WHERE cohort = ?",
                        c.cohort());
            }
        };
    }

    private ClickHouseSql all(List<Condition> conditions) {
        ClickHouseSql sql = ClickHouseSql.of("SELECT person FROM (")
                .then(people(conditions.getFirst()))
                .then(") WHERE 1");
        for (Condition next : conditions.subList(1, conditions.size())) {
            sql = sql.then(" AND person IN (").then(people(next)).then(")");
        }
        return sql;
    }

    private ClickHouseSql any(List<Condition> conditions) {
        List<ClickHouseSql> parts = conditions.stream()
                .map(c ->
                        ClickHouseSql.of("SELECT person FROM (").then(people(c)).then(")"))
                .toList();
        return ClickHouseSql.of("SELECT DISTINCT person FROM (")
                .then(ClickHouseSql.join(" UNION ALL ", parts))
                .then(")");
    }

    private static ClickHouseSql except(ClickHouseSql all, ClickHouseSql excluded) {
        return ClickHouseSql.of("SELECT person FROM (")
                .then(all)
                .then(") WHERE person NOT IN (SELECT person FROM (")
                .then(excluded)
                .then("))");
    }

    /**
     * Every person of the site: each user with an identified event, each device with an anonymous
     * event after its last identified one (or with no identified one), and each member of an imported
     * cohort.
     */
    private ClickHouseSql everyone() {
        readsCohorts = true;
        return ClickHouseSql.of(
                "SELECT DISTINCT person FROM ("
                        + "SELECT concat('u:', assumeNotNull(user_id)) AS person FROM events"
                        + " WHERE site_id = ? AND isNotNull(user_id) GROUP BY user_id"
                        + " UNION ALL SELECT concat('d:', device_id) AS person FROM events WHERE site_id = ?"
                        + " GROUP BY device_id HAVING countIf(isNull(user_id)) > 0"
                        + " AND (countIf(isNotNull(user_id)) = 0"
                        + " OR maxIf(time_ms, isNull(user_id)) > maxIf(time_ms, isNotNull(user_id)))"
                        + " UNION ALL SELECT concat('u:', user_id) AS person FROM " + COHORTS + ")",
                siteId,
                siteId);
    }

    /**
     * The site's events that pass {@code where} (a condition on the name and time columns of {@code
     * events}, read first, as {@code PREWHERE}) and {@code propertiesTest} (a condition on {@code
     * properties}, computed only for the rows that pass {@code where}: 18.16 computes every part of a
     * condition for every row it reads), each with the {@code person} it is attributed to, and its
     * {@code device_id}, {@code session_id}, {@code name}, {@code time_ms}, {@code server_time_ms},
     * {@code id} and {@code properties}.
     */
    private ClickHouseSql attributed(ClickHouseSql where, ClickHouseSql propertiesTest) {
        String columns = "device_id, user_id, session_id, name, time_ms, server_time_ms, id, properties";
        ClickHouseSql matching = ClickHouseSql.of(
                        "SELECT " + columns + " FROM events PREWHERE site_id = ? AND ", siteId)
                .then(where)
                .then(" WHERE ")
                .then(propertiesTest);
        return ClickHouseSql.of("SELECT multiIf(isNotNull(user_id), concat('u:', assumeNotNull(user_id)),"
                        + " owner > 0, concat('u:', tupleElement(ends[owner], 2)), concat('d:', device_id)) AS person,"
                        + " device_id, session_id, name, time_ms, server_time_ms, id, properties FROM (SELECT "
                        + columns
                        // The event time reaches the lambda as an array argument: 18.16 drops a column that a
                        // lambda captures when the outer query does not name it ("Unknown identifier").
                        + ", if(isNull(user_id), arrayFirstIndex((s, t) -> tupleElement(s, 1) >= t, ends,"
                        + " arrayResize(emptyArrayInt64(), length(ends), time_ms)), 0) AS owner, ends FROM (")
                .then(matching)
                .then(") ANY LEFT JOIN (")
                .then(stretches(where, propertiesTest))
                .then(") USING device_id)");
    }

    /**
     * The stretches of each device that has an anonymous event passing {@code where} and {@code
     * propertiesTest}: in a column
     * {@code ends}, the time and user of the last event of each run of one user's identified events,
     * in event time, server time and id order.
     */
    private ClickHouseSql stretches(ClickHouseSql where, ClickHouseSql propertiesTest) {
        return ClickHouseSql.of(
                        "SELECT device_id, arrayMap(x -> (tupleElement(x, 1), tupleElement(x, 4)),"
                                + " arrayFilter((x, i) -> i = length(ids)"
                                + " OR tupleElement(ids[i + 1], 4) != tupleElement(x, 4),"
                                + " ids, arrayEnumerate(ids))) AS ends FROM (SELECT device_id,"
                                + " arraySort(groupArray((time_ms, server_time_ms, id, assumeNotNull(user_id)))) AS ids"
                                + " FROM events PREWHERE site_id = ? AND isNotNull(user_id) AND device_id IN"
                                + " (SELECT device_id FROM events PREWHERE site_id = ? AND isNull(user_id) AND ",
                        siteId,
                        siteId)
                .then(where)
                .then(" WHERE ")
                .then(propertiesTest)
                .then(") GROUP BY device_id)");
    }

    // Conditions

    /** People for whom the latest value of the property, per {@code groupBy}, passes the filter. */
    private ClickHouseSql latestValue(PropertyFilter filter, String eventName, Window window, String groupBy) {
        JsonValue property = JsonValue.of(filter.property());
        ClickHouseSql events = attributed(
                ClickHouseSql.of("name = ?", eventName).then(window(window)),
                ClickHouseSql.of("position(properties, ?) > 0", needle(filter.property())));
        // A tie in event time goes to the event received last, as on the profile page.
        ClickHouseSql latest = ClickHouseSql.of("SELECT " + groupBy + ", argMax((")
                .then(property.kind())
                .then(", ")
                .then(property.text())
                .then("), (time_ms, server_time_ms, id)) AS v FROM (")
                .then(events)
                .then(") GROUP BY " + groupBy);
        ClickHouseSql havingIt =
                ClickHouseSql.of("SELECT DISTINCT person FROM (").then(latest).then(")");
        var value = new JsonValue(ClickHouseSql.of("tupleElement(v, 1)"), ClickHouseSql.of("tupleElement(v, 2)"));
        if (filter.operator() == Operator.NOT_EXISTS) {
            // A latest value of JSON null is a property that was unset: it does not exist.
            return except(everyone(), havingIt.then(" WHERE ").then(presence(value, true)));
        }
        return havingIt.then(" WHERE ").then(valueTest(value, filter));
    }

    private ClickHouseSql behaviour(Condition.Behaviour behaviour) {
        CountComparison count = behaviour.count();
        ClickHouseSql counted = ClickHouseSql.of("SELECT person, count() AS n FROM (")
                .then(matching(behaviour.event(), behaviour.window()))
                .then(") GROUP BY person");
        if (!count.holdsForZero()) {
            String test = count.comparison() == CountComparison.Comparison.EXACTLY ? "n = ?" : "n >= ?";
            return ClickHouseSql.of("SELECT person FROM (").then(counted).then(") WHERE " + test, count.value());
        }
        if (count.comparison() == CountComparison.Comparison.AT_LEAST) {
            return everyone();
        }
        long allowed = count.comparison() == CountComparison.Comparison.EXACTLY ? 0 : count.value();
        ClickHouseSql violators =
                ClickHouseSql.of("SELECT person FROM (").then(counted).then(") WHERE n > ?", allowed);
        return except(everyone(), violators);
    }

    /**
     * People with a {@code then} event strictly after a {@code first} one and at most {@code within}
     * later: each person's times of both, as arrays, searched pairwise.
     */
    private ClickHouseSql sequence(Condition.Sequence sequence) {
        // Each then-time on a row of its own, beside the person's first-times: 18.16 loses a column that a
        // nested lambda captures, so both reach the lambda as arrays.
        return ClickHouseSql.of("SELECT DISTINCT person FROM (SELECT person, firsts, arrayJoin(thens) AS b FROM"
                        + " (SELECT person, groupArray(time_ms) AS firsts FROM (")
                .then(matching(sequence.first(), sequence.window()))
                .then(") GROUP BY person) ALL INNER JOIN (SELECT person, groupArray(time_ms) AS thens FROM (")
                .then(matching(sequence.then(), sequence.window()))
                .then(
                        ") GROUP BY person) USING person) WHERE arrayExists((a, then) -> a < then AND then - a <= ?,"
                                + " firsts, arrayResize(emptyArrayInt64(), length(firsts), b))",
                        sequence.within().toMillis());
    }

    private ClickHouseSql pageVisited(Condition.PageVisited visited) {
        JsonValue path = JsonValue.of("path");
        ClickHouseSql where =
                ClickHouseSql.of("name = ?", ReservedEvent.PAGE_VIEW).then(window(visited.window()));
        ClickHouseSql pathTest =
                scalar(path).then(" AND ").then(path.text()).then(" LIKE ?", likePattern(visited.pathPattern()));
        return ClickHouseSql.of("SELECT DISTINCT person FROM (")
                .then(attributed(where, pathTest))
                .then(")");
    }

    /** The attributed events of one name in the window whose properties pass the filters. */
    private ClickHouseSql matching(EventMatch event, Window window) {
        ClickHouseSql where = ClickHouseSql.of("name = ?", event.name()).then(window(window));
        ClickHouseSql propertiesTest = ClickHouseSql.of("1");
        for (PropertyFilter filter : event.filters()) {
            propertiesTest = propertiesTest.then(" AND ").then(valueTest(JsonValue.of(filter.property()), filter));
        }
        return attributed(where, propertiesTest);
    }

    // Windows and values

    /**
     * The window as a test of the event time in milliseconds, and of {@code time} (whole seconds) for
     * the month partitions and the primary key's index.
     */
    private ClickHouseSql window(Window window) {
        return switch (window) {
            case Window.Ever e -> ClickHouseSql.of("");
            case Window.Last l -> start(Window.start(window, now, zone).toEpochMilli());
            case Window.Between b ->
                start(Window.start(window, now, zone).toEpochMilli())
                        .then(" AND time_ms < ?", Window.end(window, now, zone).toEpochMilli());
        };
    }

    private static ClickHouseSql start(long startMs) {
        // DateTime holds no time before 1970: an earlier start reads every partition.
        return ClickHouseSql.of(
                " AND time_ms >= ? AND time >= toDateTime(greatest(intDiv(?, 1000), 0))", startMs, startMs);
    }

    /**
     * A JSON value as two SQL expressions. {@code kind} is the first character of its JSON text: {@code
     * "} for a string, {@code n} for null, <code>{</code> or {@code [} for an object or an array, {@code
     * t}, {@code f}, a digit or {@code -} for a boolean or a number, and empty when the value is absent.
     * {@code text} is a string's text, or a number's or boolean's JSON text.
     *
     * <p>Why the kind is read after the key rather than from {@code visitParamExtractRaw}: in 18.16 that
     * function answers nothing for a string that ends with an escaped backslash, which {@code
     * visitParamExtractString} reads right.
     */
    record JsonValue(ClickHouseSql kind, ClickHouseSql text) {

        /** A top-level property of the event's properties. */
        static JsonValue of(String property) {
            String needle = needle(property);
            String key = jsonKey(property);
            ClickHouseSql kind = ClickHouseSql.of(
                    "if(position(properties, ?) = 0, '', substring(properties, position(properties, ?) + length(?), 1))",
                    needle,
                    needle,
                    needle);
            ClickHouseSql text = ClickHouseSql.of("if(")
                    .then(kind)
                    .then(
                            " = '\"', visitParamExtractString(properties, ?), visitParamExtractRaw(properties, ?))",
                            key,
                            key);
            return new JsonValue(kind, text);
        }
    }

    /**
     * A test of a JSON value. It is false whenever the value cannot be read as the filter's type, for
     * every operator, {@code neq} included (docs/segments.md, "Types").
     */
    private static ClickHouseSql valueTest(JsonValue value, PropertyFilter filter) {
        ClickHouseSql text = value.text();
        Operator op = filter.operator();
        ClickHouseSql test = switch (filter.value()) {
            case Value.None none -> null;
            case Value.Text t
            when op == Operator.CONTAINS ->
                ClickHouseSql.of("position(").then(text).then(", ?) > 0", t.value());
            case Value.Text t
            when op == Operator.STARTS_WITH ->
                ClickHouseSql.of("startsWith(").then(text).then(", ?)", t.value());
            case Value.Text t -> text.then(" " + comparison(op) + " ?", t.value());
            case Value.Number n -> {
                ClickHouseSql number =
                        ClickHouseSql.of("toFloat64OrZero(extract(").then(text).then(", ?))", DECIMAL_NUMBER);
                yield ClickHouseSql.of("match(")
                        .then(text)
                        .then(", ?) AND isFinite(", DECIMAL)
                        .then(number)
                        .then(") AND ")
                        .then(number)
                        .then(" " + comparison(op) + " ?", n.value());
            }
            case Value.Bool b ->
                ClickHouseSql.of("lower(")
                        .then(text)
                        .then(") IN ('true', 'false') AND lower(")
                        .then(text)
                        .then(") " + comparison(op) + " ?", Boolean.toString(b.value()));
            case Value.Date d ->
                isInstant(text)
                        .then(" AND ")
                        .then(instantMs(text))
                        .then(" " + comparison(op) + " ?", d.value().toEpochMilli());
            case Value.TextList list ->
                ClickHouseSql.of("has(?, ", list.values()).then(text).then(")");
        };
        if (test == null) {
            return presence(value, op == Operator.EXISTS);
        }
        return ClickHouseSql.of("(")
                .then(scalar(value))
                .then(" AND ")
                .then(test)
                .then(")");
    }

    /** Whether the JSON value is a string, number or boolean: not absent, null, an object or an array. */
    private static ClickHouseSql scalar(JsonValue value) {
        return ClickHouseSql.of("(").then(value.kind()).then(" NOT IN ('', 'n', '{', '['))");
    }

    /**
     * Whether a text is a day or an ISO-8601 time with an offset, of a day that exists (the day read
     * back is the day written) and a time of day within the day.
     */
    private static ClickHouseSql isInstant(ClickHouseSql text) {
        ClickHouseSql day = ClickHouseSql.of("substring(").then(text).then(", 1, 10)");
        return ClickHouseSql.of("((match(")
                .then(text)
                .then(", ?) OR (match(", DAY)
                .then(text)
                .then(", ?) AND ", TIME)
                .then(field(text, 12))
                .then(" < 24 AND ")
                .then(field(text, 15))
                .then(" < 60 AND ")
                .then(seconds(text))
                .then(" < 60)) AND toString(toDateOrZero(")
                .then(day)
                .then(")) = ")
                .then(day)
                .then(")");
    }

    /**
     * The instant a text that {@link #isInstant} accepts stands for, in epoch milliseconds: a day at
     * midnight UTC, or a time with its offset; a fraction beyond milliseconds is cut, as DuckDB's
     * {@code epoch_ms} cuts it.
     */
    private static ClickHouseSql instantMs(ClickHouseSql text) {
        ClickHouseSql days = ClickHouseSql.of("toInt64(toUInt16(toDateOrZero(substring(")
                .then(text)
                .then(", 1, 10))))");
        ClickHouseSql fraction = ClickHouseSql.of("toInt64OrZero(substring(concat(extract(")
                .then(text)
                .then(", ?), '000'), 1, 3))", FRACTION);
        ClickHouseSql offsetMinutes = ClickHouseSql.of("(if(extract(")
                .then(text)
                .then(", ?) = '-', -1, 1) * (toInt64OrZero(extract(", OFFSET_SIGN)
                .then(text)
                .then(", ?)) * 60 + toInt64OrZero(extract(", OFFSET_HOURS)
                .then(text)
                .then(", ?))))", OFFSET_MINUTES);
        ClickHouseSql timeOfDay = ClickHouseSql.of("if(length(")
                .then(text)
                .then(") = 10, 0, ")
                .then(field(text, 12))
                .then(" * 3600 + ")
                .then(field(text, 15))
                .then(" * 60 + ")
                .then(seconds(text))
                .then(" - ")
                .then(offsetMinutes)
                .then(" * 60)");
        return ClickHouseSql.of("((")
                .then(days)
                .then(" * 86400 + ")
                .then(timeOfDay)
                .then(") * 1000 + ")
                .then(fraction)
                .then(")");
    }

    /** Two digits of a time at a 1-based position. */
    private static ClickHouseSql field(ClickHouseSql text, int position) {
        return ClickHouseSql.of("toInt64OrZero(substring(").then(text).then(", " + position + ", 2))");
    }

    private static ClickHouseSql seconds(ClickHouseSql text) {
        return ClickHouseSql.of("toInt64OrZero(extract(").then(text).then(", ?))", SECONDS);
    }

    /** Whether a JSON value is there and not JSON null ({@code exists}), or the opposite. */
    private static ClickHouseSql presence(JsonValue value, boolean exists) {
        ClickHouseSql there = ClickHouseSql.of("(").then(value.kind()).then(" NOT IN ('', 'n'))");
        return exists ? there : ClickHouseSql.of("NOT ").then(there);
    }

    private static String comparison(Operator op) {
        return switch (op) {
            case EQUALS -> "=";
            case NOT_EQUALS -> "!=";
            case GREATER_THAN -> ">";
            case GREATER_OR_EQUAL -> ">=";
            case LESS_THAN -> "<";
            case LESS_OR_EQUAL -> "<=";
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    /**
     * A property's name as the JSON text of an object writes it as a key, without the quotes: what
     * {@code visitParam} functions look for between {@code "} and {@code ":}. Beckon's JSON writer
     * escapes {@code "}, {@code \} and control characters, and nothing else, in names and in the
     * stored properties alike.
     */
    static String jsonKey(String property) {
        try {
            String quoted = Json.mapper().writeValueAsString(property);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a property name that JSON cannot write", e);
        }
    }

    /** What the JSON text of the properties holds where the property's key is: {@code "name":}. */
    static String needle(String property) {
        return "\"" + jsonKey(property) + "\":";
    }

    /** A LIKE pattern for a glob in which {@code *} is any text; LIKE's own wildcards are escaped. */
    static String likePattern(String glob) {
        return glob.replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_")
                .replace('*', '%');
    }
}
