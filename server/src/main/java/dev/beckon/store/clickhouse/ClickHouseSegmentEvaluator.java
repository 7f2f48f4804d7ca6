package dev.beckon.store.clickhouse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import dev.beckon.scaleout.clickhouse.ClickHouseException;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp.ExternalTable;
import dev.beckon.segment.Condition;
import dev.beckon.segment.Person;
import dev.beckon.segment.SegmentEvaluator;
import dev.beckon.store.Cohorts;
import dev.beckon.store.MemberRow;
import dev.beckon.store.StoreException;
import dev.beckon.store.duckdb.DuckDbCohorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Evaluates segment conditions on the events in ClickHouse, with queries from {@link
 * ClickHouseSegmentSql}, over ClickHouse's HTTP interface. The imported cohorts are read from the
 * metadata database ({@link Cohorts}) and sent with each query that needs them, as external data.
 *
 * <p>Each call is one query (two for a condition that reads cohorts: the members from the metadata
 * database, then ClickHouse), as of the moment ClickHouse runs it. Live membership is not available
 * on ClickHouse yet: {@link #openRefresh} throws.
 */
public final class ClickHouseSegmentEvaluator implements SegmentEvaluator {

    private final ClickHouseHttp clickHouse;
    private final Cohorts cohorts;

    /**
     * @param clickHouse where the events are
     * @param cohorts the metadata database's imported cohorts
     */
    public ClickHouseSegmentEvaluator(ClickHouseHttp clickHouse, Cohorts cohorts) {
        this.clickHouse = clickHouse;
        this.cohorts = cohorts;
    }

    @Override
    public long size(String siteId, Condition condition, Instant now, ZoneId zone) {
        var compiled = ClickHouseSegmentSql.compile(siteId, condition, now, zone);
        ClickHouseSql query = ClickHouseSql.of("SELECT count() AS n FROM (")
                .then(compiled.people())
                .then(")");
        return select(siteId, query, compiled.readsCohorts())
                .getFirst()
                .get("n")
                .asLong();
    }

    @Override
    public List<Person> members(String siteId, Condition condition, Instant now, ZoneId zone, int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must not be negative: " + limit + ", " + offset);
        }
        var compiled = ClickHouseSegmentSql.compile(siteId, condition, now, zone);
        // LIMIT takes no subquery in ClickHouse 18.16; two ints, checked above, are the only numbers
        // written into a query.
        ClickHouseSql query = ClickHouseSql.of("SELECT person FROM (")
                .then(compiled.people())
                .then(") ORDER BY person LIMIT " + offset + ", " + limit);
        return select(siteId, query, compiled.readsCohorts()).stream()
                .map(row -> Person.ofKey(row.get("person").asText()))
                .toList();
    }

    @Override
    public void forEachMemberDevice(
            String siteId, Condition condition, Instant now, ZoneId zone, Consumer<MemberRow> sink) {
        var compiled = ClickHouseSegmentSql.compile(siteId, condition, now, zone);
        ClickHouseSql query = ClickHouseSql.of("SELECT person, device_id FROM (SELECT person FROM (")
                .then(compiled.people())
                .then(
                        ")) ALL LEFT JOIN (SELECT DISTINCT concat('u:', assumeNotNull(user_id)) AS person, device_id"
                                + " FROM events WHERE site_id = ? AND isNotNull(user_id)"
                                + " AND NOT startsWith(device_id, ?))"
                                + " USING person ORDER BY person, device_id",
                        siteId,
                        DuckDbCohorts.IMPORT_DEVICE_PREFIX);
        for (JsonNode row : select(siteId, query, compiled.readsCohorts())) {
            Person person = Person.ofKey(row.get("person").asText());
            String device = row.get("device_id").asText();
            sink.accept(new MemberRow(
                    person.userId(), person.userId() == null ? person.deviceId() : device.isEmpty() ? null : device));
        }
    }

    @Override
    public boolean contains(String siteId, Condition condition, Person person, Instant now, ZoneId zone) {
        var compiled = ClickHouseSegmentSql.compile(siteId, condition, now, zone);
        ClickHouseSql query = ClickHouseSql.of("SELECT count() AS n FROM (")
                .then(compiled.people())
                .then(") WHERE person = ?", person.key());
        return select(siteId, query, compiled.readsCohorts())
                        .getFirst()
                        .get("n")
                        .asLong()
                > 0;
    }

    // The user column is named last_user, not user_id: ClickHouse puts an alias's expression in place of
    // every use of its name in the query, the WHERE clause's included.

    @Override
    public Person personOfDevice(String siteId, String deviceId) {
        List<JsonNode> users = select(
                siteId,
                ClickHouseSql.of(
                        "SELECT argMax(assumeNotNull(user_id), (time_ms, server_time_ms, id)) AS last_user FROM events"
                                + " WHERE site_id = ? AND device_id = ? AND isNotNull(user_id) HAVING count() > 0",
                        siteId,
                        deviceId),
                false);
        return users.isEmpty()
                ? new Person(null, deviceId)
                : new Person(users.getFirst().get("last_user").asText(), null);
    }

    @Override
    public Map<String, String> usersOfDevices(String siteId) {
        Map<String, String> users = new HashMap<>();
        select(
                        siteId,
                        ClickHouseSql.of(
                                "SELECT device_id, argMax(assumeNotNull(user_id), (time_ms, server_time_ms, id))"
                                        + " AS last_user FROM events WHERE site_id = ? AND isNotNull(user_id)"
                                        + " GROUP BY device_id",
                                siteId),
                        false)
                .forEach(row -> users.put(
                        row.get("device_id").asText(), row.get("last_user").asText()));
        return users;
    }

    /**
     * Not available on ClickHouse yet.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public LiveRefresh openRefresh(String siteId) {
        throw new UnsupportedOperationException("live membership is not available on ClickHouse yet: segments are"
                + " evaluated fresh there (size, members, contains), docs/scale-out.md");
    }

    private List<JsonNode> select(String siteId, ClickHouseSql query, boolean readsCohorts) {
        List<ExternalTable> tables = new ArrayList<>(query.parameters());
        if (readsCohorts) {
            tables.add(cohortMembers(siteId));
        }
        String answer;
        try {
            answer = clickHouse.query(query.rendered() + " FORMAT JSONEachRow", tables);
        } catch (ClickHouseException e) {
            throw new StoreException("evaluating a segment failed: " + e.getMessage(), e);
        }
        List<JsonNode> rows = new ArrayList<>();
        for (String line : answer.lines().toList()) {
            if (!line.isBlank()) {
                try {
                    rows.add(Json.mapper().readTree(line));
                } catch (IOException e) {
                    throw new StoreException("ClickHouse answered a row that is not JSON: " + line, e);
                }
            }
        }
        return rows;
    }

    /** The site's cohort members as the external table {@link ClickHouseSegmentSql#COHORTS}. */
    private ExternalTable cohortMembers(String siteId) {
        var rows = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.mapper().createGenerator(rows)) {
            json.setRootValueSeparator(null);
            cohorts.forEachMember(siteId, (cohort, userId) -> {
                try {
                    json.writeStartObject();
                    json.writeStringField("cohort", cohort);
                    json.writeStringField("user_id", userId);
                    json.writeEndObject();
                    json.writeRaw('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ExternalTable(ClickHouseSegmentSql.COHORTS, "cohort String, user_id String", rows.toByteArray());
    }
}
