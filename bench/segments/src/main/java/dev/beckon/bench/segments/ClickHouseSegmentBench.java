package dev.beckon.bench.segments;

import static dev.beckon.bench.segments.SegmentBench.medianMs;
import static dev.beckon.bench.segments.SegmentBench.say;
import static dev.beckon.bench.segments.SegmentBench.seconds;
import static dev.beckon.bench.segments.SegmentBench.timed;

import dev.beckon.Json;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseSchema;
import dev.beckon.scaleout.clickhouse.ClickHouseSettings;
import dev.beckon.segment.Condition;
import dev.beckon.segment.ConditionParser;
import dev.beckon.store.Cohorts;
import dev.beckon.store.clickhouse.ClickHouseSegmentEvaluator;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbSegmentEvaluator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The seed's segment (at least five views of shoes in the last three days) over the same generated
 * history in ClickHouse and in DuckDB (docs/BENCHMARKS.md, "Segments on ClickHouse"). Run it with
 * {@code bench/segments/run-clickhouse.sh [--name=value ...]}.
 *
 * <p>It generates {@code --events} events (10 million by default) over {@code --devices} devices
 * (200,000) and 30 days into a DuckDB file ({@link History}), copies them into a ClickHouse server
 * that it starts ({@code clickhouse-server}, Debian's 18.16, as the tests start it) or that {@code
 * --clickhouse-url} names, and then evaluates the segment through both engines' evaluators, {@code
 * --repeats} times each (9), DuckDB and ClickHouse taking turns, so that the machine's changing
 * load falls on both alike. It prints the medians, their ratio and both answers, which must agree.
 */
public final class ClickHouseSegmentBench {

    private static final String SEED_SEGMENT = "{\"did\":{\"event\":\"PRODUCT_VIEWED\","
            + "\"where\":[{\"name\":\"category\",\"op\":\"eq\",\"value\":\"shoes\"}],"
            + "\"count\":{\"atLeast\":5},\"window\":{\"last\":3,\"unit\":\"days\"}}}";
    private static final String COLUMNS =
            "site_id, id, name, device_id, user_id, session_id, properties, version, client_time_ms,"
                    + " server_time_ms, time_ms";

    private final Map<String, String> options;
    private final Instant end = Instant.parse("2026-12-01T00:00:00Z");

    private ClickHouseSegmentBench(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        new ClickHouseSegmentBench(options).run();
    }

    private void run() throws Exception {
        long events = number("events", 10_000_000);
        int devices = (int) number("devices", 200_000);
        Path folder = Files.createTempDirectory("beckon-ch-segments-");
        say(
                "%d events over %d devices and 30 days, %d cores, data in %s",
                events, devices, Runtime.getRuntime().availableProcessors(), folder);

        try (DuckDbDatabase database = DuckDbDatabase.open(folder.resolve("duckdb"));
                LocalClickHouse server = options.containsKey("clickhouse-url")
                        ? null
                        : LocalClickHouse.start(folder.resolve("clickhouse"))) {
            URI url = server == null ? URI.create(options.get("clickhouse-url")) : server.url();
            var clickHouse =
                    new ClickHouseHttp(new ClickHouseSettings(url, "beckon_bench", null, "", Duration.ofMinutes(10)));
            ClickHouseSchema.migrate(clickHouse, Clock.systemUTC());
            clickHouse.execute("TRUNCATE TABLE events");

            long started = System.nanoTime();
            try (Connection connection = database.connect()) {
                new History(devices, 30, end, 42).append(connection, events);
            }
            say("generated in DuckDB in %.1f s", seconds(started));
            started = System.nanoTime();
            copy(database, url, folder.resolve("events.csv"));
            clickHouse.execute("OPTIMIZE TABLE events FINAL");
            say(
                    "copied to ClickHouse %s in %.1f s: %s rows",
                    clickHouse.query("SELECT version() FORMAT TabSeparated").strip(),
                    seconds(started),
                    clickHouse
                            .query("SELECT count() FROM events FORMAT TabSeparated")
                            .strip());

            measure(
                    new DuckDbSegmentEvaluator(database),
                    new ClickHouseSegmentEvaluator(clickHouse, new Cohorts(database)));
        }
    }

    /** Medians of interleaved repeats of the seed's segment through both evaluators. */
    private void measure(DuckDbSegmentEvaluator duckDb, ClickHouseSegmentEvaluator clickHouse) throws Exception {
        Condition condition = ConditionParser.parse(Json.mapper().readTree(SEED_SEGMENT));
        int repeats = (int) number("repeats", 9);
        long[] duck = new long[repeats];
        long[] house = new long[repeats];
        long[] answers = new long[2];
        // One of each first, unmeasured: the first run of each reads the files into the caches.
        answers[0] = duckDb.size(History.SITE_ID, condition, end, ZoneOffset.UTC);
        answers[1] = clickHouse.size(History.SITE_ID, condition, end, ZoneOffset.UTC);
        for (int i = 0; i < repeats; i++) {
            duck[i] = timed(() -> answers[0] = duckDb.size(History.SITE_ID, condition, end, ZoneOffset.UTC));
            house[i] = timed(() -> answers[1] = clickHouse.size(History.SITE_ID, condition, end, ZoneOffset.UTC));
        }
        if (answers[0] != answers[1]) {
            say("MISMATCH: DuckDB counts %d people, ClickHouse %d", answers[0], answers[1]);
        }
        say(
                "seed segment: %d people (DuckDB), %d (ClickHouse); median of %d: DuckDB %.1f ms, ClickHouse %.1f ms:"
                        + " ClickHouse takes %.2f times DuckDB's time",
                answers[0], answers[1], repeats, medianMs(duck), medianMs(house), medianMs(house) / medianMs(duck));
        say(
                "DuckDB runs (ms): %s",
                Arrays.toString(Arrays.stream(duck).map(n -> n / 1_000_000).toArray()));
        say(
                "ClickHouse runs (ms): %s",
                Arrays.toString(Arrays.stream(house).map(n -> n / 1_000_000).toArray()));
    }

    /** The events of the DuckDB file, into ClickHouse: through a CSV file, in one INSERT. */
    private static void copy(DuckDbDatabase database, URI url, Path csv) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("COPY (SELECT site_id, id, name, device_id, user_id, session_id, properties::VARCHAR,"
                    + " version, epoch_ms(client_time), epoch_ms(server_time), epoch_ms(time) FROM events)"
                    + " TO '" + csv + "' (FORMAT CSV, HEADER false, NULLSTR '\\N')");
        }
        String insert = "INSERT INTO events (" + COLUMNS + ") FORMAT CSV";
        var request = HttpRequest.newBuilder(URI.create(url + "?database=beckon_bench&query="
                        + java.net.URLEncoder.encode(insert, java.nio.charset.StandardCharsets.UTF_8)))
                .timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.ofFile(csv))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("ClickHouse refused the copy: " + response.body());
            }
        }
        Files.delete(csv);
    }

    /** A clickhouse-server of the benchmark's own, on free loopback ports, its data in {@code folder}. */
    private record LocalClickHouse(Process process, URI url, Path folder) implements AutoCloseable {

        static LocalClickHouse start(Path folder) throws Exception {
            Files.createDirectories(folder);
            int http = freePort();
            int tcp = freePort();
            Path config = folder.resolve("config.xml");
            Files.writeString(config, """
                    <?xml version="1.0"?>
                    <yandex>
                        <logger><level>warning</level><log>%1$s/server.log</log>
                            <errorlog>%1$s/server.err.log</errorlog><size>10M</size><count>1</count></logger>
                        <listen_host>127.0.0.1</listen_host>
                        <http_port>%2$d</http_port>
                        <tcp_port>%3$d</tcp_port>
                        <path>%1$s/data/</path>
                        <tmp_path>%1$s/tmp/</tmp_path>
                        <user_files_path>%1$s/user_files/</user_files_path>
                        <format_schema_path>%1$s/format_schemas/</format_schema_path>
                        <mark_cache_size>268435456</mark_cache_size>
                        <uncompressed_cache_size>268435456</uncompressed_cache_size>
                        <users_config>users.xml</users_config>
                        <default_profile>default</default_profile>
                        <default_database>default</default_database>
                        <timezone>UTC</timezone>
                    </yandex>
                    """.formatted(folder, http, tcp));
            Files.writeString(folder.resolve("users.xml"), """
                    <?xml version="1.0"?>
                    <yandex>
                        <profiles><default><max_memory_usage>6000000000</max_memory_usage></default></profiles>
                        <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
                            <profile>default</profile><quota>default</quota></default></users>
                        <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
                            <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
                        </interval></default></quotas>
                    </yandex>
                    """);
            Process process = new ProcessBuilder("clickhouse-server", "--config-file=" + config)
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve("stdout.log").toFile())
                    .start();
            var server = new LocalClickHouse(process, URI.create("http://127.0.0.1:" + http + "/"), folder);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            try (HttpClient client = HttpClient.newHttpClient()) {
                while (System.nanoTime() < deadline) {
                    try {
                        var ping = HttpRequest.newBuilder(server.url.resolve("/ping"))
                                .build();
                        if (client.send(ping, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200) {
                            return server;
                        }
                    } catch (IOException e) {
                        Thread.sleep(100);
                    }
                }
            }
            server.close();
            throw new IllegalStateException("clickhouse-server did not answer within 60 s; see " + folder);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private static int freePort() throws IOException {
            try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }

    private long number(String name, long defaultValue) {
        return Long.parseLong(
                options.getOrDefault(name, Long.toString(defaultValue)).replace("_", ""));
    }
}
