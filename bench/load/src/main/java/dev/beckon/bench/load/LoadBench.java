package dev.beckon.bench.load;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ingestion benchmark (docs/BENCHMARKS.md, "Ingestion"). Run it with {@code bench/load/run.sh
 * MODE [--name=value ...]}:
 *
 * <ul>
 *   <li>{@code compare}: the bare handler and Beckon, each at full speed for {@code --seconds} in
 *       alternating slices of {@code --slice-seconds}, and the ratio of their throughputs; then a
 *       check that every acknowledged event is in the store.
 *   <li>{@code sustained}: Beckon at 80% of the throughput it reached at full speed, for {@code
 *       --minutes}; latency percentiles and memory every {@code --window-seconds}; store bytes per
 *       million events.
 *   <li>{@code growth}: Beckon at full speed in steps of {@code --step} events up to {@code
 *       --max-events} or {@code --minutes}; throughput, store size and query latencies at each step.
 *   <li>{@code phases}: no HTTP; {@code --rounds} group commits of {@code --group-events} events,
 *       the former write path step by step against the store's own ({@link WritePhases}).
 * </ul>
 *
 * Servers run in JVMs of their own ({@link ChildServer}); the data folder is a fresh temporary one
 * unless {@code --data-dir} is given.
 */
public final class LoadBench {

    static final String ADMIN_KEY = "bench-admin-key-0123456789";

    private static final String SEGMENT_QUERY = "{\"condition\":{\"did\":{\"event\":\"PRODUCT_VIEWED\","
            + "\"where\":[{\"name\":\"category\",\"op\":\"eq\",\"value\":\"shoes\"}],"
            + "\"count\":{\"atLeast\":5},\"window\":{\"last\":3,\"unit\":\"days\"}}}}";

    private final Map<String, String> options;
    private final int clients;
    private final int devices;
    private final Path dataDir;

    private LoadBench(Map<String, String> options) throws Exception {
        this.options = options;
        this.clients = integer("clients", 64);
        this.devices = integer("devices", 50_000);
        this.dataDir = options.containsKey("data-dir")
                ? Path.of(options.get("data-dir"))
                : Files.createTempDirectory("beckon-load-");
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0
                || !List.of("compare", "sustained", "growth", "phases").contains(args[0])) {
            System.err.println("usage: bench/load/run.sh compare|sustained|growth|phases [--name=value ...]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        var bench = new LoadBench(options);
        say(
                "%s, %d clients, %d devices, %d cores, data in %s",
                args[0], bench.clients, bench.devices, Runtime.getRuntime().availableProcessors(), bench.dataDir);
        switch (args[0]) {
            case "compare" -> bench.compare();
            case "sustained" -> bench.sustained();
            case "phases" ->
                WritePhases.run(
                        bench.dataDir,
                        bench.integer("group-events", 374),
                        bench.integer("rounds", 300),
                        bench.devices,
                        LoadBench::say);
            default -> bench.growth();
        }
    }

    // Modes

    /**
     * Both servers run at once; the load goes to one and then the other in slices of {@code
     * --slice-seconds}, so that a machine shared with other work slows both alike.
     */
    private void compare() throws Exception {
        Duration measured = Duration.ofSeconds(integer("seconds", 60));
        Duration slice = Duration.ofSeconds(integer("slice-seconds", 10));
        Duration warmUp = Duration.ofSeconds(integer("warmup-seconds", 10));

        LoadRun.Result bare = null;
        LoadRun.Result beckon = null;
        long acknowledged;
        try (var bareServer = ChildServer.bare(dataDir.resolveSibling(dataDir.getFileName() + "-bare.log"));
                var beckonServer = ChildServer.beckon(dataDir, log())) {
            var bareRun = new LoadRun(bareServer.uri("/ingest/demo"), clients, devices);
            var beckonRun = new LoadRun(beckonServer.uri("/ingest/demo"), clients, devices);
            bareRun.closedLoop(warmUp, 1);
            acknowledged = beckonRun.closedLoop(warmUp, 2).acknowledged();
            long seed = 10;
            say("| slice | bare events/s | Beckon events/s | ratio |");
            for (int i = 1; i * slice.toSeconds() <= measured.toSeconds(); i++) {
                LoadRun.Result bareSlice = bareRun.closedLoop(slice, seed++);
                LoadRun.Result beckonSlice = beckonRun.closedLoop(slice, seed++);
                acknowledged += beckonSlice.acknowledged();
                say(
                        "| %d | %.0f | %.0f | %.2f |",
                        i,
                        bareSlice.eventsPerSecond(),
                        beckonSlice.eventsPerSecond(),
                        beckonSlice.eventsPerSecond() / bareSlice.eventsPerSecond());
                bare = bare == null ? bareSlice : bare.plus(bareSlice);
                beckon = beckon == null ? beckonSlice : beckon.plus(beckonSlice);
            }
            reportCommits(beckonServer);
        }
        report("bare handler", bare);
        report("Beckon embedded", beckon);
        say(
                "ratio: Beckon/bare = %.2f of events per second (target >= 0.50)",
                beckon.eventsPerSecond() / bare.eventsPerSecond());
        checkDurable(acknowledged);
    }

    private void sustained() throws Exception {
        Duration total = Duration.ofMinutes(integer("minutes", 10));
        Duration window = Duration.ofSeconds(integer("window-seconds", 60));
        try (var server = ChildServer.beckon(dataDir, log())) {
            var run = new LoadRun(server.uri("/ingest/demo"), clients, devices);
            LoadRun.Result full = run.closedLoop(Duration.ofSeconds(integer("probe-seconds", 30)), 1);
            double rate = 0.8 * full.requestsPerSecond();
            long acknowledged = full.acknowledged();
            say(
                    "full speed: %.0f requests/s, %.0f events/s; holding 80%%: %.0f requests/s",
                    full.requestsPerSecond(), full.eventsPerSecond(), rate);
            say("| minute | requests/s | events/s | p50 ms | p99 ms | p99.9 ms | failures | heap MiB | RSS MiB |"
                    + " store MiB |");
            long events = full.events();
            Instant end = Instant.now().plus(total);
            long seed = 10;
            double minute = 0;
            while (Instant.now().isBefore(end)) {
                LoadRun.Result slice = run.paced(window, seed++, rate);
                acknowledged += slice.acknowledged();
                events += slice.events();
                minute += window.toSeconds() / 60.0;
                say(
                        "| %.1f | %.0f | %.0f | %.1f | %.1f | %.1f | %d | %.0f | %.0f | %.0f |",
                        minute,
                        slice.requestsPerSecond(),
                        slice.eventsPerSecond(),
                        slice.latencies().percentileMs(50),
                        slice.latencies().percentileMs(99),
                        slice.latencies().percentileMs(99.9),
                        slice.failures(),
                        heapBytes(server) / 1048576.0,
                        server.residentBytes() / 1048576.0,
                        storeBytes() / 1048576.0);
            }
            say("events sent at 80%%: %d", events);
            server.close();
            say(
                    "store after a clean stop: %.1f MiB for %d events = %.1f MiB per million events",
                    storeBytes() / 1048576.0, acknowledged, storeBytes() / 1048576.0 / (acknowledged / 1e6));
            checkDurable(acknowledged);
        }
    }

    private void growth() throws Exception {
        long maxEvents = Long.parseLong(options.getOrDefault("max-events", "50000000"));
        long step = Long.parseLong(options.getOrDefault("step", "1000000"));
        Instant end = Instant.now().plus(Duration.ofMinutes(integer("minutes", 30)));
        long acknowledged = 0;
        try (var server = ChildServer.beckon(dataDir, log())) {
            var run = new LoadRun(server.uri("/ingest/demo"), clients, devices);
            say("| events stored | step events/s | step p99 ms | store MiB | segment preview ms | device events ms |");
            long seed = 100;
            while (acknowledged < maxEvents && Instant.now().isBefore(end)) {
                long target = Math.min(maxEvents, acknowledged + step);
                long stepEvents = 0;
                long stepNanos = 0;
                var latencies = new Latencies();
                while (acknowledged < target) {
                    LoadRun.Result slice = run.closedLoop(Duration.ofSeconds(10), seed++);
                    acknowledged += slice.acknowledged();
                    stepEvents += slice.events();
                    stepNanos += slice.elapsed().toNanos();
                    latencies.addAll(slice.latencies());
                }
                say(
                        "| %,d | %.0f | %.1f | %.0f | %.1f | %.1f |",
                        acknowledged,
                        stepEvents / (stepNanos / 1e9),
                        latencies.percentileMs(99),
                        storeBytes() / 1048576.0,
                        medianMs(server, 5, true),
                        medianMs(server, 20, false));
            }
        }
        checkDurable(acknowledged);
    }

    // Measurements

    /** The median latency of a segment preview (did at least 5 shoe views in 3 days) or a device's events. */
    private double medianMs(ChildServer server, int times, boolean segment) throws Exception {
        var client = HttpClient.newHttpClient();
        var latencies = new Latencies();
        for (int i = 0; i < times; i++) {
            var request = segment
                    ? HttpRequest.newBuilder(server.uri("/api/v1/sites/demo/segments/preview"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(SEGMENT_QUERY))
                    : HttpRequest.newBuilder(server.uri("/api/v1/sites/demo/events?limit=100&deviceId=d-" + i * 97));
            long start = System.nanoTime();
            var response = client.send(
                    request.header("Authorization", "Bearer " + ADMIN_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            latencies.add((System.nanoTime() - start) / 1_000);
            if (response.statusCode() != 200) {
                say("query failed with %d: %s", response.statusCode(), response.body());
                return Double.NaN;
            }
        }
        return latencies.percentileMs(50);
    }

    private static double heapBytes(ChildServer server) throws Exception {
        return metric(server, "jvm_memory_used_bytes{area=\"heap\"");
    }

    /** The group commits as the server's own metrics saw them: how many, how long, how large. */
    private static void reportCommits(ChildServer server) throws Exception {
        double commits = metric(server, "beckon_ingest_commit_seconds_count");
        double seconds = metric(server, "beckon_ingest_commit_seconds_sum");
        double events = metric(server, "beckon_ingest_commit_events_sum");
        say(
                "group commits: %.0f, mean %.1f ms, mean %.0f events each, %.1f s in all",
                commits, 1000 * seconds / commits, events / commits, seconds);
    }

    /** The sum of the series on {@code /metrics} whose lines start with {@code prefix}. */
    private static double metric(ChildServer server, String prefix) throws Exception {
        var page = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(server.uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        return page.lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private long storeBytes() throws Exception {
        long bytes = 0;
        for (String name : List.of("beckon.duckdb", "beckon.duckdb.wal")) {
            Path file = dataDir.resolve(name);
            bytes += Files.exists(file) ? Files.size(file) : 0;
        }
        return bytes;
    }

    /** Opens the stopped server's store and checks that it holds exactly the acknowledged events. */
    private void checkDurable(long acknowledged) throws Exception {
        try (var connection = DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve("beckon.duckdb"));
                var statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM events WHERE id LIKE 'ld-%'")) {
            rows.next();
            long stored = rows.getLong(1);
            say(
                    "durability: %d events acknowledged, %d in the store after the stop: %s",
                    acknowledged, stored, stored == acknowledged ? "none lost" : "MISMATCH");
        }
    }

    private static void report(String target, LoadRun.Result result) {
        say(
                "%s: %.0f requests/s, %.0f events/s, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, %d failed of %d",
                target,
                result.requestsPerSecond(),
                result.eventsPerSecond(),
                result.latencies().percentileMs(50),
                result.latencies().percentileMs(99),
                result.latencies().percentileMs(99.9),
                result.failures(),
                result.requests());
    }

    private Path log() {
        return dataDir.resolveSibling(dataDir.getFileName() + "-beckon.log");
    }

    private int integer(String name, int defaultValue) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(defaultValue)));
    }

    private static void say(String format, Object... values) {
        System.out.println(String.format(Locale.ROOT, format, values));
    }
}
