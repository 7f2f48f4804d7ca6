package dev.beckon.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.TestServer;
import dev.beckon.auth.Accounts;
import dev.beckon.auth.ApiKeys;
import dev.beckon.auth.Passwords;
import dev.beckon.auth.Principal;
import dev.beckon.auth.Role;
import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.CampaignParser;
import dev.beckon.campaign.CampaignRepository;
import dev.beckon.campaign.CampaignStatus;
import dev.beckon.config.Deployment;
import dev.beckon.dashboard.MetadataDashboardSessions;
import dev.beckon.event.Event;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseSettings;
import dev.beckon.scaleout.move.MoveException;
import dev.beckon.scaleout.move.MoveToScaleOut;
import dev.beckon.segment.Segment;
import dev.beckon.segment.SegmentRepository;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.Cohorts;
import dev.beckon.store.MetadataDatabase;
import dev.beckon.store.MetadataEngine;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbEventStore;
import dev.beckon.store.postgres.PostgresDatabase;
import dev.beckon.store.postgres.PostgresSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code move-to-scale-out} against a real DuckDB file filled through the store and the
 * repositories, a real PostgreSQL ({@link MetadataEngine#server()}) and a real clickhouse-server
 * ({@link ScaleOutEngines}): the whole move with every table non-empty and hostile text in every
 * field, an interrupted move resumed, the refusals, the final check, and the command in a JVM of its
 * own.
 */
@ExtendWith(ScaleOutEngines.class)
class MoveToScaleOutTest {

    static final Instant T0 = Instant.parse("2026-11-02T08:00:00.125Z");

    /** Text that every field must survive, byte for byte. */
    static final List<String> HOSTILE = List.of(
            "'; DROP TABLE events; --",
            "\\' OR 1=1 -- and \\\\ backslashes",
            "\"quoted\" and 'single' and `back`",
            "line\nbreak\ttab\rreturn, bell \u0007, unit separator \u001f, DEL \u007f",
            "emoji 😀🏳️‍🌈, isolates \u2067עברית\u2069 and combining e\u0301",
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "{\"not\":\"an object\"}");

    /** The metadata tables of schema version 11, which the move must copy, each holding rows. */
    static final List<String> TABLES = List.of(
            "account_sites",
            "accounts",
            "api_keys",
            "campaign_exposures",
            "campaigns",
            "cohort_members",
            "dashboard_sessions",
            "imports",
            "segments",
            "sites",
            "user_deletions");

    @TempDir
    Path dataDir;

    private final List<PostgresSettings> databases = new ArrayList<>();

    @AfterEach
    void dropDatabases() {
        databases.forEach(settings -> MetadataEngine.server().dropDatabase(settings));
    }

    @Test
    void everyTableAndEveryEventIsMovedAsItWasAndTheCheckSaysSo() throws Exception {
        List<Event> events = fill(dataDir, 2_500);
        Deployment.ScaleOut target = target();
        var output = new Output();

        List<MoveToScaleOut.Count> counts = MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, output);

        assertThat(counts).allMatch(MoveToScaleOut.Count::matches).allMatch(count -> count.embedded() > 0);
        assertThat(counts)
                .extracting(MoveToScaleOut.Count::what)
                .containsAll(TABLES.stream().map(table -> "table " + table).toList())
                .contains("events of site 'blog'", "events of site 'shop'");
        assertThat(output.text())
                .contains("events: 2,518 of 2,518 (100%)")
                .contains("table sites")
                .contains("The move is complete");
        assertSameMetadata(target.postgres());
        ClickHouseHttp clickHouse = new ClickHouseHttp(target.clickHouse());
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(events);
        assertThat(ScaleOutFixtures.rowCount(clickHouse)).isEqualTo(events.size());
        assertThat(propertiesText(clickHouse)).isEqualTo(propertiesText(dataDir));
    }

    @Test
    void aMoveInterruptedInTheMetadataAndThenInTheEventsFinishesOnTheNextRunDoublingNothing() throws Exception {
        List<Event> events = fill(dataDir, 12_000);
        Deployment.ScaleOut target = target();
        ClickHouseHttp clickHouse = new ClickHouseHttp(target.clickHouse());

        // Stopped inside the metadata's transaction: nothing of it is kept.
        assertThatThrownBy(() -> MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, new Output() {
                    @Override
                    public void line(String text) {
                        super.line(text);
                        if (text.startsWith("metadata: campaigns")) {
                            throw new IllegalStateException("stopped in the metadata");
                        }
                    }
                }))
                .hasMessage("stopped in the metadata");
        assertThat(rowsOf(target.postgres()))
                .containsOnlyKeys(TABLES)
                .allSatisfy((table, rows) -> assertThat(rows).isZero());

        // Stopped after the first batch of events.
        assertThatThrownBy(() -> MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, new Output() {
                    @Override
                    public void eventsWritten(long copied, long total) {
                        // Site blog's 10 events come first, then site shop's in batches of 10,000.
                        if (copied > 10) {
                            throw new IllegalStateException("stopped after " + copied + " of " + total);
                        }
                    }
                }))
                .hasMessage("stopped after 10010 of 12018");
        assertThat(ScaleOutFixtures.rowCount(clickHouse)).isEqualTo(10_010);

        var output = new Output();
        List<MoveToScaleOut.Count> counts = MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, output);

        assertThat(counts).allMatch(MoveToScaleOut.Count::matches);
        assertThat(output.text())
                .contains("metadata: PostgreSQL holds every row of the embedded store already")
                .contains("events: 2008 written to ClickHouse in this run");
        assertSameMetadata(target.postgres());
        assertThat(ScaleOutFixtures.rowCount(clickHouse)).isEqualTo(events.size());
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(events);

        // And a run over a finished move changes nothing.
        var again = new Output();
        MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, again);
        assertThat(again.text()).contains("events: 0 written to ClickHouse in this run");
        assertThat(ScaleOutFixtures.rowCount(clickHouse)).isEqualTo(events.size());
    }

    @Test
    void aPostgresqlDatabaseWithOtherRowsIsRefusedNamingTheTableAndNothingIsWritten() throws Exception {
        fill(dataDir, 10);
        Deployment.ScaleOut target = target();
        try (var postgres = PostgresDatabase.open(target.postgres())) {
            new SiteRegistry(postgres, ScaleOutFixtures.CLOCK)
                    .create("elsewhere", "Another shop", List.of(), ZoneId.of("UTC"));
        }

        assertThatThrownBy(() -> MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, new Output()))
                .isInstanceOf(MoveException.class)
                .hasMessageStartingWith(
                        "PostgreSQL's database " + target.postgres().url()
                                + " already holds other data: table sites holds 1 rows there and 2 in the embedded store.");

        assertThat(rowsOf(target.postgres()).get("segments")).isZero();
        assertThat(ScaleOutFixtures.rowCount(new ClickHouseHttp(target.clickHouse())))
                .isZero();
    }

    @Test
    void aPostgresqlDatabaseWithAsManyButDifferentRowsIsRefusedNamingTheRow() throws Exception {
        fill(dataDir, 10);
        Deployment.ScaleOut target = target();
        MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, new Output());
        try (var postgres = PostgresDatabase.open(target.postgres())) {
            postgres.update("a site's name", "UPDATE sites SET name = 'Renamed' WHERE id = 'blog'");
        }

        assertThatThrownBy(() -> MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, new Output()))
                .isInstanceOf(MoveException.class)
                .hasMessageContaining("already holds other data: table sites holds the row id='blog' where the"
                        + " embedded store's row 1 in key order is the row id='blog'");
    }

    @Test
    void aClickHouseDatabaseWithOtherEventsIsRefusedBeforeAnythingIsWritten() throws Exception {
        fill(dataDir, 10);
        Deployment.ScaleOut target = target();
        ClickHouseHttp clickHouse = new ClickHouseHttp(target.clickHouse());
        dev.beckon.scaleout.clickhouse.ClickHouseSchema.migrate(clickHouse, ScaleOutFixtures.CLOCK);
        new dev.beckon.scaleout.clickhouse.ClickHouseEventWriter(clickHouse)
                .write(ScaleOutFixtures.events("another-site", 2, 2));

        assertThatThrownBy(() -> MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, new Output()))
                .isInstanceOf(MoveException.class)
                .hasMessageStartingWith(
                        "ClickHouse's database " + target.clickHouse().database() + " already holds"
                                + " other data: 4 events of site 'another-site', and the embedded store has 0.");

        assertThat(rowsOf(target.postgres()).get("sites")).isZero();
    }

    @Test
    void aNulCharacterInTheMetadataStopsTheMoveNamingItsTableRowAndColumnAndWritesNoMetadata() throws Exception {
        fill(dataDir, 10);
        try (var store = DuckDbDatabase.open(dataDir)) {
            new Cohorts(store).add("shop", "vip", List.of("nul\u0000id"));
        }
        Deployment.ScaleOut target = target();

        assertThatThrownBy(() -> MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, new Output()))
                .isInstanceOf(MoveException.class)
                .hasMessage("table cohort_members, the row site_id='shop', cohort='vip', user_id='nul\\u0000id':"
                        + " column user_id holds a NUL character, which PostgreSQL cannot store in text; nothing of"
                        + " the metadata was written");

        assertThat(rowsOf(target.postgres()))
                .allSatisfy((table, rows) -> assertThat(rows).isZero());
    }

    @Test
    void aFolderWithoutAStoreIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> MoveToScaleOut.move(dataDir, target(), ScaleOutFixtures.CLOCK, new Output()))
                .isInstanceOf(MoveException.class)
                .hasMessage("there is no embedded store to move: " + dataDir.resolve("beckon.duckdb") + " does not"
                        + " exist; set BECKON_DATA_DIR to the data folder of the embedded installation");
    }

    @Test
    void theCheckReportsEveryCountThatDiffersAndFailsTheMove() throws Exception {
        fill(dataDir, 10);
        Deployment.ScaleOut target = target();
        ClickHouseHttp clickHouse = new ClickHouseHttp(target.clickHouse());
        var output = new Output() {
            @Override
            public void eventsWritten(long copied, long total) {
                if (copied == total) {
                    // What a consumer frozen past its session could do: store an event a second time.
                    clickHouse.insert(
                            "INSERT INTO events (site_id, id, name, device_id, user_id, session_id, properties,"
                                    + " version, client_time_ms, server_time_ms, time_ms) FORMAT JSONEachRow",
                            ("{\"site_id\":\"shop\",\"id\":\"e-0\",\"name\":\"x\",\"device_id\":\"d-0\",\"user_id\":null,"
                                            + "\"session_id\":\"s\",\"properties\":\"{}\",\"version\":\"1\","
                                            + "\"client_time_ms\":0,\"server_time_ms\":0,\"time_ms\":0}\n")
                                    .getBytes(StandardCharsets.UTF_8));
                    try (var postgres = PostgresDatabase.open(target.postgres())) {
                        postgres.update("a cohort member", "DELETE FROM cohort_members WHERE user_id = 'ann'");
                    }
                }
            }
        };

        assertThatThrownBy(() -> MoveToScaleOut.move(dataDir, target, ScaleOutFixtures.CLOCK, output))
                .isInstanceOf(MoveException.class)
                .hasMessage("the check found different counts: table cohort_members, events of site 'shop'");
        assertThat(output.text())
                .containsPattern("table cohort_members +11 +10  DIFFERENT")
                .containsPattern("events of site 'shop' +18 +19  DIFFERENT")
                .containsPattern("table sites +2 +2  same");
    }

    @Test
    void theCommandMovesAStoreFromItsEnvironmentAndPrintsProgressAndTheCheck() throws Exception {
        fill(dataDir, 300);
        Deployment.ScaleOut target = target();

        Exit exit = runCommand(environment(target));

        assertThat(exit.code()).as(exit.output()).isZero();
        assertThat(exit.output())
                .contains("events: 318 of 318 (100%)")
                .containsPattern("events of site 'shop' +308 +308  same")
                .contains("The move is complete")
                .doesNotContain(PostgresSettingsPassword.VALUE);
        assertThat(ScaleOutFixtures.rowCount(new ClickHouseHttp(target.clickHouse())))
                .isEqualTo(318);
    }

    @Test
    void theCommandRefusesAStoreThatARunningServerHolds() throws Exception {
        fill(dataDir, 10);
        Deployment.ScaleOut target = target();

        Exit exit;
        try (var running = TestServer.start(dataDir)) {
            exit = runCommand(environment(target));
        }

        assertThat(exit.code()).isEqualTo(1);
        assertThat(exit.output())
                .contains("Beckon cannot move: " + dataDir.resolve("beckon.duckdb") + " is open in another process,"
                        + " most likely a running Beckon server: stop it, then run the move again")
                .doesNotContain("\tat ");
        assertThat(rowsOf(target.postgres()))
                .allSatisfy((table, rows) -> assertThat(rows).isZero());
    }

    @Test
    void theCommandNamesAMissingSetting() throws Exception {
        Map<String, String> env = environment(target());
        env.remove("BECKON_CLICKHOUSE_URL");

        Exit exit = runCommand(env);

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output())
                .contains("Beckon cannot move: BECKON_CLICKHOUSE_URL is missing")
                .doesNotContain("\tat ");
    }

    // Fixtures ----------------------------------------------------------------------------------

    /** Holds the password of the test cluster, which no output may show. */
    static final class PostgresSettingsPassword {
        static final String VALUE = dev.beckon.store.postgres.PostgresServer.PASSWORD;
    }

    /** What the move printed, kept for the assertions. */
    static class Output implements MoveToScaleOut.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void line(String line) {
            text.append(line).append('\n');
        }

        String text() {
            return text.toString();
        }
    }

    /** A fresh PostgreSQL database and a fresh ClickHouse database name. */
    Deployment.ScaleOut target() {
        PostgresSettings postgres = MetadataEngine.server().createDatabase();
        databases.add(postgres);
        ClickHouseSettings clickHouse = new ClickHouseSettings(
                ScaleOutEngines.clickHouse().url(),
                ScaleOutEngines.uniqueName("moved"),
                null,
                "",
                Duration.ofSeconds(60));
        return new Deployment.ScaleOut(postgres, ScaleOutFixtures.kafka("beckon.events"), clickHouse);
    }

    /**
     * Fills the store of {@code folder} through the repositories and the event store: two sites, an
     * API key, an account with a site, a segment, a campaign and its exposure, a cohort, an import, a
     * user's deletion; {@code perShopDevice} events of site shop and 10 of site blog, hostile text in
     * every field of some.
     *
     * @return the events that remain after the deletion, as the store holds them
     */
    static List<Event> fill(Path folder, int shopEvents) throws IOException {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < shopEvents; i++) {
            events.add(event("shop", "e-" + i, "d-" + (i % 97), i % 5 == 0 ? null : "user-" + (i % 97), i));
        }
        for (int i = 0; i < HOSTILE.size(); i++) {
            String text = HOSTILE.get(i);
            ObjectNode properties =
                    Json.mapper().createObjectNode().put(text, text).put("big", Long.MAX_VALUE);
            properties
                    .putObject("nested")
                    .putArray("list")
                    .add(text)
                    .add(1.5)
                    .addNull()
                    .add(true);
            properties.put("nul", "nul\u0000char");
            Instant time = T0.plusMillis(i * 1_001L);
            events.add(new Event(
                    "shop",
                    "hostile-" + i + text,
                    text,
                    "device " + text + " nul\u0000",
                    i % 2 == 0 ? null : text + "\u0000",
                    text,
                    properties,
                    text,
                    time.minusMillis(999),
                    time.plusMillis(1),
                    time));
        }
        for (int i = 0; i < 10; i++) {
            events.add(event("blog", "b-" + i, "reader-" + i, null, i));
        }
        // Erased below: their events go, and the deletion log keeps a row.
        List<Event> erased = List.of(event("shop", "z-1", "d-zoe", "zoe", 1), event("shop", "z-2", "d-zoe", "zoe", 2));

        try (var database = DuckDbDatabase.open(folder)) {
            var sites = new SiteRegistry(database, ScaleOutFixtures.CLOCK);
            sites.create(
                    "shop",
                    "Shop \u2067שלום\u2069 \"quoted\" 'single' \\ 😀 =1+1",
                    List.of("https://shop.example"),
                    ZoneId.of("Europe/Berlin"));
            sites.create("blog", "Blog", List.of(), ZoneId.of("UTC"));
            new ApiKeys(database, ScaleOutFixtures.CLOCK, new SecureRandom())
                    .create("ops key 'quoted' \\ \"x\" 😀", Role.EDITOR, "shop");
            var ann = new Accounts(database, new Passwords(), ScaleOutFixtures.CLOCK)
                    .create(
                            "ann@example.com",
                            "Ann \"O'Brien\" \\ \u2067אן\u2069",
                            Role.VIEWER,
                            List.of("shop"),
                            "a long enough password");
            new MetadataDashboardSessions(database, ScaleOutFixtures.CLOCK, new SecureRandom())
                    .start(Principal.Kind.ACCOUNT, ann.id());
            new SegmentRepository(database)
                    .save(new Segment(
                            "shop",
                            "buyers",
                            "Buyers 'x' \\ \"y\" 😀",
                            Json.mapper()
                                    .readTree(
                                            "{\"did\": {\"event\": \"BUY'); DROP TABLE segments;--\", \"where\": [{\"property\":"
                                                    + " \"note\", \"op\": \"eq\", \"value\":"
                                                    + " \"\\\\ \\\" \\u0000 \\u2067 \ud83d\ude00 =1+1\"}]}}"),
                            T0,
                            T0.plusMillis(1)));
            var campaigns = new CampaignRepository(database);
            ObjectNode definition = (ObjectNode)
                    Json.mapper()
                            .readTree(
                                    "{\"name\": \"Hi'); DROP TABLE campaigns;-- \\\\ \u2067\u05D0\u2069 😀 =1+1\","
                                            + " \"trigger\": {\"on\": {\"kind\": \"pageView\"}},"
                                            + " \"content\": {\"layout\": \"banner\", \"position\": \"top\", \"title\": \"Hello \\\"you\\\"\"}}");
            campaigns.save(new Campaign(
                    "shop", "welcome", CampaignStatus.LIVE, 1, CampaignParser.parse(definition), T0, T0, T0));
            campaigns.recordExposure("shop", "welcome", "d:d-1", "test", T0.plusSeconds(5));
            campaigns.recordExposure("shop", "welcome", "u:user-2", "control", T0.plusSeconds(6));
            List<String> members = new ArrayList<>(List.of("ann", "=cmd|' /C calc'!A0", "tab\there", "😀"));
            for (int i = 0; i < 7; i++) {
                members.add("member-" + i);
            }
            new Cohorts(database).add("shop", "vip 'cohort' \\", members);
            database.update(
                    "an import's record",
                    "INSERT INTO imports VALUES ('shop', 'import-1', ?, 1234, 'vip', 'done', NULL, 11, 11, 0, 11, 0,"
                            + " 1234, ?, ?)",
                    "ab".repeat(32),
                    java.sql.Timestamp.valueOf("2026-11-02 08:00:00.25"),
                    java.sql.Timestamp.valueOf("2026-11-02 08:00:01"));

            var store = new DuckDbEventStore(database);
            List<Event> all = new ArrayList<>(events);
            all.addAll(erased);
            for (int from = 0; from < all.size(); from += 1_000) {
                store.append(all.subList(from, Math.min(all.size(), from + 1_000)));
            }
            store.deleteUser("shop", "zoe", "ops key", T0.plusSeconds(60));
            store.close();
        }
        return events;
    }

    static Event event(String siteId, String id, String deviceId, String userId, int n) {
        Instant time = T0.plusSeconds(n);
        ObjectNode properties = Json.mapper().createObjectNode().put("n", n).put("page", "/p/" + n);
        return new Event(
                siteId,
                id,
                n % 2 == 0 ? "page_viewed" : "product_viewed",
                deviceId,
                userId,
                "session-" + deviceId,
                properties,
                "1.0." + (n % 3),
                time.minusMillis(7),
                time.plusMillis(40),
                time);
    }

    /**
     * The metadata in PostgreSQL is the store's: read through the repositories, the JSON documents
     * as text, and the other tables row by row.
     */
    void assertSameMetadata(PostgresSettings postgres) {
        try (var moved = PostgresDatabase.open(postgres);
                var store = DuckDbDatabase.open(dataDir)) {
            assertThat(new SiteRegistry(moved, ScaleOutFixtures.CLOCK).all())
                    .isEqualTo(new SiteRegistry(store, ScaleOutFixtures.CLOCK).all())
                    .hasSize(2);
            assertThat(new ApiKeys(moved, ScaleOutFixtures.CLOCK, new SecureRandom()).all())
                    .isEqualTo(new ApiKeys(store, ScaleOutFixtures.CLOCK, new SecureRandom()).all())
                    .hasSize(1);
            assertThat(new Accounts(moved, new Passwords(), ScaleOutFixtures.CLOCK).all())
                    .isEqualTo(new Accounts(store, new Passwords(), ScaleOutFixtures.CLOCK).all())
                    .hasSize(1);
            assertThat(new Accounts(moved, new Passwords(), ScaleOutFixtures.CLOCK)
                            .authenticate("ann@example.com", "a long enough password"))
                    .isPresent();
            assertThat(new SegmentRepository(moved).everySite())
                    .isEqualTo(new SegmentRepository(store).everySite())
                    .hasSize(1);
            assertThat(new CampaignRepository(moved).everySite())
                    .isEqualTo(new CampaignRepository(store).everySite())
                    .hasSize(1);
            assertThat(new Cohorts(moved).all("shop")).isEqualTo(new Cohorts(store).all("shop"));
            for (String sql : List.of(
                    "SELECT condition FROM segments",
                    "SELECT definition FROM campaigns",
                    "SELECT * FROM cohort_members",
                    "SELECT * FROM campaign_exposures",
                    "SELECT * FROM account_sites",
                    "SELECT * FROM imports",
                    "SELECT * FROM user_deletions",
                    "SELECT * FROM dashboard_sessions")) {
                assertThat(rows(moved, sql)).as(sql).isNotEmpty().isEqualTo(rows(store, sql));
            }
        }
    }

    /** Each row's values: timestamps as such, everything else as its text. */
    static List<List<Object>> rows(MetadataDatabase database, String sql) {
        List<List<Object>> rows = new ArrayList<>();
        database.select(
                sql,
                result -> {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                        row.add(
                                result.getMetaData().getColumnType(i) == java.sql.Types.TIMESTAMP
                                        ? result.getObject(i, java.time.LocalDateTime.class)
                                        : result.getString(i));
                    }
                    rows.add(row);
                },
                sql);
        // In one order on both sides, whatever each database's collation.
        rows.sort(java.util.Comparator.comparing(Object::toString));
        return rows;
    }

    /** Each table's rows in PostgreSQL. */
    static Map<String, Long> rowsOf(PostgresSettings postgres) {
        Map<String, Long> rows = new HashMap<>();
        try (var database = PostgresDatabase.open(postgres)) {
            for (String table : TABLES) {
                database.select("rows", result -> rows.put(table, result.getLong(1)), "SELECT count(*) FROM " + table);
            }
        }
        return rows;
    }

    /** Each event's properties as the text that ClickHouse holds, by event id. */
    static Map<String, String> propertiesText(ClickHouseHttp clickHouse) throws IOException {
        Map<String, String> text = new HashMap<>();
        for (String line : clickHouse
                .query("SELECT id, properties FROM events FORMAT JSONEachRow")
                .lines()
                .toList()) {
            var row = Json.mapper().readTree(line);
            text.put(row.get("id").asText(), row.get("properties").asText());
        }
        return text;
    }

    /** Each event's properties as the text that the embedded store holds, by event id. */
    static Map<String, String> propertiesText(Path folder) {
        Map<String, String> text = new HashMap<>();
        try (var database = DuckDbDatabase.open(folder)) {
            ((MetadataDatabase) database)
                    .select(
                            "properties",
                            rows -> text.put(rows.getString(1), rows.getString(2)),
                            "SELECT id, properties FROM events");
        }
        return text;
    }

    record Exit(int code, String output) {}

    Map<String, String> environment(Deployment.ScaleOut target) {
        Map<String, String> env = new HashMap<>();
        env.put("BECKON_DATA_DIR", dataDir.toString());
        env.put("BECKON_POSTGRES_URL", target.postgres().url());
        env.put("BECKON_POSTGRES_USER", target.postgres().user());
        env.put("BECKON_POSTGRES_PASSWORD", target.postgres().password());
        env.put("BECKON_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");
        env.put("BECKON_KAFKA_TOPIC", "beckon.events");
        env.put("BECKON_CLICKHOUSE_URL", target.clickHouse().url().toString());
        env.put("BECKON_CLICKHOUSE_DATABASE", target.clickHouse().database());
        return env;
    }

    /** {@code Beckon move-to-scale-out} in a JVM of its own, as the launcher runs it. */
    static Exit runCommand(Map<String, String> environment) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), "dev.beckon.Beckon", "move-to-scale-out");
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Exit(process.exitValue(), output);
    }
}
