package dev.beckon.bench.move;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.config.Deployment;
import dev.beckon.event.Event;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseSchema;
import dev.beckon.scaleout.clickhouse.ClickHouseSettings;
import dev.beckon.scaleout.kafka.KafkaSettings;
import dev.beckon.scaleout.move.MoveToScaleOut;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbEventStore;
import dev.beckon.store.postgres.PostgresSettings;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.duckdb.DuckDBDriver;

/**
 * The move benchmark (docs/BENCHMARKS.md, "Moving to the scale-out deployment"), run by {@code
 * bench/move/run.sh [--events=N] [--devices=N] [--rounds=N]}. It fills an embedded store with
 * {@code --events} events (1 million by default) through the event store, then measures, in rounds
 * that alternate their order (ABBA), the whole move ({@link MoveToScaleOut}: metadata, events through
 * the once-only writer, the check) against the baseline of the same run: a bare copy that streams
 * the same events from the same file in the same order and inserts them into ClickHouse in batches
 * of the same size, with no check of what is stored and no count at the end. Each run writes into a
 * database of its own. The heap is limited by run.sh (256 MB); the peak of the heap's pools is
 * printed at the end.
 */
public final class MoveBench {

    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
    private static final String[] NAMES = {"PRODUCT_VIEWED", "ADD_TO_CART", "CHECKOUT", "SEARCH", "$page_view"};
    private static final String[] CATEGORIES = {"shoes", "bags", "shirts", "hats", "socks"};
    private static final int BATCH = 10_000;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        int events = Integer.parseInt(options.getOrDefault("events", "1000000"));
        int devices = Integer.parseInt(options.getOrDefault("devices", "50000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        Path dataDir = Path.of(options.get("data-dir"));
        String postgresBase = System.getenv("BECKON_POSTGRES_URL");
        String user = System.getenv("BECKON_POSTGRES_USER");
        String password = System.getenv("BECKON_POSTGRES_PASSWORD");
        URI clickHouseUrl = URI.create(System.getenv("BECKON_CLICKHOUSE_URL"));

        long started = System.nanoTime();
        fill(dataDir, events, devices);
        System.out.printf(
                Locale.ROOT,
                "store: %,d events of %,d devices in %.1f s, %,d MB%n",
                events,
                devices,
                (System.nanoTime() - started) / 1e9,
                Files.size(dataDir.resolve(DuckDbDatabase.FILE_NAME)) >> 20);

        List<Double> bare = new ArrayList<>();
        List<Double> move = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            boolean bareFirst = round % 2 == 1;
            for (int step = 0; step < 2; step++) {
                if (bareFirst == (step == 0)) {
                    var clickHouse = clickHouse(clickHouseUrl, "bare_" + round);
                    double seconds = bareCopy(dataDir, clickHouse);
                    bare.add(events / seconds);
                    System.out.printf(
                            Locale.ROOT,
                            "round %d, bare copy: %.1f s, %,.0f events/s%n",
                            round,
                            seconds,
                            events / seconds);
                } else {
                    createDatabase(postgresBase, user, password, "move_" + round);
                    var target = new Deployment.ScaleOut(
                            new PostgresSettings(postgresBase + "move_" + round, user, password, 4),
                            new KafkaSettings("127.0.0.1:9", "unused", Duration.ofSeconds(30)),
                            new ClickHouseSettings(clickHouseUrl, "moved_" + round, null, "", Duration.ofSeconds(120)));
                    long from = System.nanoTime();
                    MoveToScaleOut.move(dataDir, target, Clock.systemUTC(), line -> {
                        if (line.startsWith("events:") || line.startsWith("The move")) {
                            System.out.println("  " + line);
                        }
                    });
                    double seconds = (System.nanoTime() - from) / 1e9;
                    move.add(events / seconds);
                    System.out.printf(
                            Locale.ROOT, "round %d, move: %.1f s, %,.0f events/s%n", round, seconds, events / seconds);
                }
            }
        }
        double bareRate = median(bare);
        double moveRate = median(move);
        System.out.printf(
                Locale.ROOT,
                "median: move %,.0f events/s, bare copy %,.0f events/s, move / bare copy = %.2f%n",
                moveRate,
                bareRate,
                moveRate / bareRate);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "heap: at most %d MB of %d MB used (sum of the heap pools' peaks)%n",
                peak >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** One site, {@code events} events spread over {@code devices} devices and 30 days. */
    private static void fill(Path dataDir, int events, int devices) {
        var random = new SplittableRandom(42);
        Clock clock = Clock.fixed(END, ZoneOffset.UTC);
        try (var database = DuckDbDatabase.open(dataDir)) {
            new SiteRegistry(database, clock).create("shop", "Shop", List.of(), ZoneId.of("UTC"));
            var store = new DuckDbEventStore(database);
            List<Event> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < events; i++) {
                int device = random.nextInt(devices);
                Instant time =
                        END.minusMillis(random.nextLong(Duration.ofDays(30).toMillis()));
                ObjectNode properties = Json.mapper()
                        .createObjectNode()
                        .put("category", CATEGORIES[random.nextInt(CATEGORIES.length)])
                        .put("price", random.nextInt(10_000) / 100.0)
                        .put("page", "/p/" + random.nextInt(5_000));
                batch.add(new Event(
                        "shop",
                        "e-" + i,
                        NAMES[random.nextInt(NAMES.length)],
                        "device-" + device,
                        device % 3 == 0 ? "user-" + device : null,
                        "session-" + device + "-" + time.toEpochMilli() / 1_800_000,
                        properties,
                        "1.4.2",
                        time.minusMillis(5),
                        time.plusMillis(40),
                        time));
                if (batch.size() == BATCH) {
                    store.append(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                store.append(batch);
            }
            store.close();
        }
    }

    private static ClickHouseHttp clickHouse(URI url, String database) {
        var clickHouse = new ClickHouseHttp(new ClickHouseSettings(url, database, null, "", Duration.ofSeconds(120)));
        ClickHouseSchema.migrate(clickHouse, Clock.systemUTC());
        return clickHouse;
    }

    private static void createDatabase(String base, String user, String password, String name) throws Exception {
        try (Connection connection = DriverManager.getConnection(base + "postgres", user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
    }

    /**
     * The baseline: the same events, streamed from the same file in the same order and inserted in
     * batches of the same size, without the check of what ClickHouse holds.
     */
    private static double bareCopy(Path dataDir, ClickHouseHttp clickHouse) throws Exception {
        long from = System.nanoTime();
        Properties properties = new Properties();
        properties.setProperty(DuckDBDriver.JDBC_INSTANCE_CACHE, "false");
        properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        properties.setProperty("duckdb.read_only", "true");
        String insert = "INSERT INTO events (site_id, id, name, device_id, user_id, session_id, properties, version,"
                + " client_time_ms, server_time_ms, time_ms) FORMAT JSONEachRow";
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:duckdb:" + dataDir.resolve(DuckDbDatabase.FILE_NAME), properties);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT site_id, id, name, device_id, user_id, session_id,"
                        + " properties, version, client_time, server_time, time FROM events WHERE site_id = 'shop'"
                        + " ORDER BY device_id, id")) {
            var out = new ByteArrayOutputStream();
            int inBatch = 0;
            JsonGenerator json = Json.mapper().createGenerator(out);
            json.setRootValueSeparator(null);
            while (rows.next()) {
                json.writeStartObject();
                for (int column = 1; column <= 8; column++) {
                    String name = rows.getMetaData().getColumnName(column);
                    if (column == 7) {
                        // As the move does: the properties parsed, then written again as JSON text.
                        json.writeStringField(
                                name,
                                Json.mapper().writeValueAsString(Json.mapper().readTree(rows.getString(7))));
                    } else {
                        json.writeStringField(name, rows.getString(column));
                    }
                }
                json.writeNumberField("client_time_ms", millis(rows, 9));
                json.writeNumberField("server_time_ms", millis(rows, 10));
                json.writeNumberField("time_ms", millis(rows, 11));
                json.writeEndObject();
                json.writeRaw('\n');
                if (++inBatch == BATCH) {
                    json.flush();
                    clickHouse.insert(insert, out.toByteArray());
                    out.reset();
                    inBatch = 0;
                }
            }
            json.flush();
            if (inBatch > 0) {
                clickHouse.insert(insert, out.toByteArray());
            }
        }
        return (System.nanoTime() - from) / 1e9;
    }

    private static long millis(ResultSet rows, int column) throws Exception {
        return rows.getObject(column, java.time.LocalDateTime.class)
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
