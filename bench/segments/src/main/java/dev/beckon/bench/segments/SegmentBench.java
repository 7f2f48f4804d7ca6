package dev.beckon.bench.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.ingest.IngestWriter;
import dev.beckon.segment.ConditionParser;
import dev.beckon.segment.LiveMembership;
import dev.beckon.segment.Segment;
import dev.beckon.segment.SegmentRepository;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbEventStore;
import dev.beckon.store.duckdb.DuckDbSegmentEvaluator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The segment benchmark of issue 4 (docs/BENCHMARKS.md, "Segments"). Run it with {@code
 * bench/segments/run.sh [--name=value ...]}. It generates a history ({@link History}) in steps up to
 * {@code --events} (10 million by default; or in the steps of {@code --steps}, such as {@code
 * 1000000,10000000}) over {@code --devices} (200,000) and 30 days, and after
 * each step measures, in the same process and on the same file:
 *
 * <ul>
 *   <li>the seed's segment (at least five views of shoes in the last three days) through the engine,
 *       against the best of two hand-written DuckDB queries for the same answer: medians of {@code
 *       --repeats} runs each, interleaved;
 *   <li>the membership check of one device against 50 live segments, over {@code --checks} random
 *       devices: p50, p99 and the worst;
 *   <li>ingestion through the server's write path in alternating slices: alone, and while the 50
 *       segments are kept fresh at the server's cadence; then while they are refreshed without pause
 *       ({@link #measureIngestion}).
 * </ul>
 */
public final class SegmentBench {

    private static final String SEED_SEGMENT = "{\"did\":{\"event\":\"PRODUCT_VIEWED\","
            + "\"where\":[{\"name\":\"category\",\"op\":\"eq\",\"value\":\"shoes\"}],"
            + "\"count\":{\"atLeast\":5},\"window\":{\"last\":3,\"unit\":\"days\"}}}";
    private static final String[] CATEGORIES = {"shoes", "bags", "shirts", "hats", "socks"};
    private static final String[] EVENTS = {"PRODUCT_VIEWED", "ADD_TO_CART", "CHECKOUT", "SEARCH", "$page_view"};

    /**
     * The stretches of identified events by hand (docs/identity.md, rule 2): each identity link is
     * one stretch, except on devices whose links overlap in time, whose runs of one user are computed
     * from their identified events.
     */
    private static final String STRETCHES = """
            links AS (SELECT device_id, user_id, first_time, last_time FROM device_users WHERE site_id = $1),
            shared AS (SELECT DISTINCT a.device_id FROM links a JOIN links b ON a.device_id = b.device_id
              AND a.user_id <> b.user_id AND a.first_time <= b.last_time AND b.first_time <= a.last_time),
            marked AS (SELECT device_id, user_id, time, server_time, id, (user_id IS DISTINCT FROM
              lag(user_id) OVER (PARTITION BY device_id ORDER BY time, server_time, id))::INTEGER AS starts
              FROM events WHERE site_id = $1 AND user_id IS NOT NULL AND device_id IN (SELECT device_id FROM shared)),
            runs AS (SELECT device_id, user_id, time, sum(starts) OVER (PARTITION BY device_id
              ORDER BY time, server_time, id ROWS UNBOUNDED PRECEDING) AS run FROM marked),
            stretches AS (SELECT device_id, user_id, last_time FROM links
              WHERE device_id NOT IN (SELECT device_id FROM shared)
              UNION ALL SELECT device_id, any_value(user_id), max(time) FROM runs GROUP BY device_id, run)""";

    /** The seed's segment by hand, with the same attribution: every view through the stretches. */
    private static final String HAND_WRITTEN_ASOF = "WITH " + STRETCHES + """
            SELECT count(*) FROM (
              SELECT coalesce('u:' || coalesce(e.user_id, l.user_id), 'd:' || e.device_id) AS person
              FROM (SELECT device_id, user_id, time FROM events
                    WHERE site_id = $1 AND name = 'PRODUCT_VIEWED' AND time >= $2
                      AND json_extract_string(properties, '$.category') = 'shoes') e
              ASOF LEFT JOIN stretches l ON e.device_id = l.device_id AND e.time <= l.last_time
              GROUP BY person HAVING count(*) >= 5)""";

    /**
     * The same, attributing through the stretches only the anonymous views of devices that have a
     * link: an identified view is its user's, an anonymous view of a device never linked is the
     * device's.
     */
    private static final String HAND_WRITTEN_SPLIT = "WITH " + STRETCHES + """
            , views AS (
              SELECT device_id, user_id, time FROM events
              WHERE site_id = $1 AND name = 'PRODUCT_VIEWED' AND time >= $2
                AND json_extract_string(properties, '$.category') = 'shoes'),
            attributed AS (
              SELECT 'u:' || user_id AS person FROM views WHERE user_id IS NOT NULL
              UNION ALL
              SELECT 'd:' || device_id FROM views
              WHERE user_id IS NULL AND device_id NOT IN (SELECT device_id FROM links)
              UNION ALL
              SELECT coalesce('u:' || l.user_id, 'd:' || v.device_id)
              FROM (SELECT * FROM views WHERE user_id IS NULL AND device_id IN (SELECT device_id FROM links)) v
              ASOF LEFT JOIN stretches l ON v.device_id = l.device_id AND v.time <= l.last_time)
            SELECT count(*) FROM (SELECT person FROM attributed GROUP BY person HAVING count(*) >= 5)""";

    private static final int CLIENTS = 32;

    private final Map<String, String> options;
    private final Instant end = Instant.parse("2026-12-01T00:00:00Z");
    private final Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), end));

    private SegmentBench(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        new SegmentBench(options).run();
    }

    private void run() throws Exception {
        long events = number("events", 10_000_000);
        int devices = (int) number("devices", 200_000);
        Path dataDir = options.containsKey("data-dir")
                ? Path.of(options.get("data-dir"))
                : Files.createTempDirectory("beckon-segments-");
        say(
                "%d events over %d devices and 30 days, %d cores, data in %s",
                events, devices, Runtime.getRuntime().availableProcessors(), dataDir);

        try (DuckDbDatabase database = DuckDbDatabase.open(dataDir)) {
            addSite(database);
            var history = new History(devices, 30, end, 42);
            var evaluator = new DuckDbSegmentEvaluator(database);
            var repository = new SegmentRepository(database);
            saveLiveSegments(repository);
            long written = 0;
            List<Long> steps = options.containsKey("steps")
                    ? Arrays.stream(options.get("steps").split(","))
                            .map(step -> Long.parseLong(step.replace("_", "")))
                            .toList()
                    : steps(events);
            for (long step : steps) {
                try (Connection connection = database.connect()) {
                    long started = System.nanoTime();
                    written = history.append(connection, step - written);
                    say("%n== %,d events (generated in %.1f s)", written, seconds(started));
                }
                measureSeedSegment(database, evaluator);
                LiveMembership membership = measureMembership(repository, evaluator, devices);
                measureIngestion(database, repository, evaluator, membership, devices);
                forgetIngested(database);
            }
        }
    }

    // The seed's segment: the engine against hand-written SQL

    private void measureSeedSegment(DuckDbDatabase database, DuckDbSegmentEvaluator evaluator) throws Exception {
        var condition = ConditionParser.parse(Json.mapper().readTree(SEED_SEGMENT));
        Instant since = end.minus(Duration.ofDays(3));
        int repeats = (int) number("repeats", 7);
        long[] engine = new long[repeats];
        long[] asof = new long[repeats];
        long[] split = new long[repeats];
        long[] answers = new long[3];
        for (int i = 0; i < repeats; i++) {
            engine[i] = timed(() -> answers[0] = evaluator.size(History.SITE_ID, condition, end, ZoneOffset.UTC));
            asof[i] = timed(() -> answers[1] = count(database, HAND_WRITTEN_ASOF, since));
            split[i] = timed(() -> answers[2] = count(database, HAND_WRITTEN_SPLIT, since));
        }
        if (answers[0] != answers[1] || answers[1] != answers[2]) {
            say(
                    "MISMATCH: the engine counts %d people, the hand-written queries %d and %d",
                    answers[0], answers[1], answers[2]);
        }
        double engineMs = medianMs(engine);
        double handMs = Math.min(medianMs(asof), medianMs(split));
        say(
                "seed segment: %d people; engine %.1f ms, best hand-written %.1f ms (asof %.1f, split %.1f):"
                        + " %.2f times",
                answers[0], engineMs, handMs, medianMs(asof), medianMs(split), engineMs / handMs);
    }

    private static long count(DuckDbDatabase database, String sql, Instant since) {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, History.SITE_ID);
            statement.setTimestamp(2, Timestamp.valueOf(java.time.LocalDateTime.ofInstant(since, ZoneOffset.UTC)));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // Membership of one device in 50 live segments

    /**
     * Live membership as the server keeps it: a first refresh, which evaluates every segment in full,
     * then one with nothing new, then the check of random devices against the 50 segments.
     */
    private LiveMembership measureMembership(
            SegmentRepository repository, DuckDbSegmentEvaluator evaluator, int devices) {
        List<Segment> live = repository.all(History.SITE_ID);
        var membership = liveMembership(repository, evaluator);
        long started = System.nanoTime();
        membership.refreshAll();
        say(
                "first refresh of %d live segments, in full: %.1f s (%s)",
                live.size(), seconds(started), membership.lastReport());
        started = System.nanoTime();
        membership.refreshAll();
        say("next refresh, no new events: %.2f s (%s)", seconds(started), membership.lastReport());
        List<String> ids = live.stream().map(Segment::id).toList();

        int checks = (int) number("checks", 10_000);
        var random = new SplittableRandom(7);
        long[] nanos = new long[checks];
        int memberships = 0;
        for (int i = 0; i < checks; i++) {
            String deviceId = "d-" + random.nextInt(devices);
            long start = System.nanoTime();
            memberships += membership
                    .segmentsContainingDevice(History.SITE_ID, ids, deviceId)
                    .size();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        say(
                "membership of one device in %d live segments, %d devices: p50 %.3f ms, p99 %.3f ms, worst %.3f ms"
                        + " (%.1f memberships per device)",
                live.size(),
                checks,
                nanos[checks / 2] / 1e6,
                nanos[checks * 99 / 100] / 1e6,
                nanos[checks - 1] / 1e6,
                memberships / (double) checks);
        return membership;
    }

    /** Live membership on a clock that runs from the history's end, so that windows move as in a server. */
    private LiveMembership liveMembership(SegmentRepository repository, DuckDbSegmentEvaluator evaluator) {
        return new LiveMembership(repository, evaluator, site -> ZoneOffset.UTC, clock);
    }

    /** 50 segments of the kinds a growth team keeps: behaviour, sequences, properties, pages, trees. */
    private void saveLiveSegments(SegmentRepository repository) throws Exception {
        for (int i = 0; i < 50; i++) {
            String event = EVENTS[i % EVENTS.length];
            String category = CATEGORIES[i % CATEGORIES.length];
            String condition = switch (i % 5) {
                case 0 ->
                    "{\"did\":{\"event\":\"PRODUCT_VIEWED\",\"where\":[{\"name\":\"category\",\"op\":\"eq\","
                            + "\"value\":\"" + category + "\"}],\"count\":{\"atLeast\":" + (1 + i % 7)
                            + "},\"window\":{\"last\":" + (1 + i % 14) + ",\"unit\":\"days\"}}}";
                case 1 ->
                    "{\"did\":{\"event\":\"" + event + "\",\"count\":{\"atLeast\":" + (1 + i % 4)
                            + "},\"window\":{\"last\":" + (6 + i % 48) + ",\"unit\":\"hours\"}}}";
                case 2 ->
                    "{\"all\":[{\"did\":{\"event\":\"ADD_TO_CART\",\"window\":{\"last\":7,\"unit\":\"days\"}}},"
                            + "{\"not\":{\"did\":{\"event\":\"CHECKOUT\","
                            + "\"window\":{\"last\":7,\"unit\":\"days\"}}}}]}";
                case 3 -> "{\"userProperty\":{\"name\":\"isPaidUser\",\"op\":\"eq\",\"value\":true}}";
                default ->
                    "{\"visited\":{\"path\":\"/demo/p" + (i % 50) + "*\",\"window\":{\"last\":" + (1 + i % 30)
                            + ",\"unit\":\"days\"}}}";
            };
            JsonNode parsed = Json.mapper().readTree(condition);
            ConditionParser.parse(parsed);
            repository.save(new Segment(History.SITE_ID, "live-" + i, "live " + i, parsed, end, end));
        }
    }

    // Ingestion, alone and beside live segments

    /**
     * Ingestion through the server's own write path (group commits of {@link IngestWriter}) from
     * {@value #CLIENTS} clients sending batches of 20, in alternating slices, so that the machine's
     * changing load weighs on both sides alike: a slice of ingestion alone ({@code --alone-seconds},
     * 60), then a slice beside live membership refreshing as the server does ({@code --cadences}
     * times, 2: wait {@code --refresh-seconds}, 30, then refresh the 50 segments), {@code --slices}
     * (3) times each. Before each slice beside the refreshes, with the clients stopped, a refresh
     * catches up with the events of the slice alone, as a server refreshing all along would have
     * been; each slice beside the refreshes thus has one refresh per cadence of its own events. Then
     * one slice of {@code --ingest-seconds} (30) while the segments are refreshed without pause, the
     * worst case. The process's CPU time is taken for every slice.
     */
    private void measureIngestion(
            DuckDbDatabase database,
            SegmentRepository repository,
            DuckDbSegmentEvaluator evaluator,
            LiveMembership warmed,
            int devices)
            throws Exception {
        var store = new DuckDbEventStore(database);
        Duration aloneLength = Duration.ofSeconds(number("alone-seconds", 60));
        Duration pauselessLength = Duration.ofSeconds(number("ingest-seconds", 30));
        long refreshSeconds = number("refresh-seconds", 30);
        int cadences = (int) number("cadences", 2);
        int slices = (int) number("slices", 3);
        loggedIn = evaluator.usersOfDevices(History.SITE_ID);
        try (var writer = new IngestWriter(store, new SimpleMeterRegistry());
                warmed) {
            Slice alone = new Slice();
            Slice beside = new Slice();
            var refreshTimes = new ArrayList<Double>();
            for (int slice = 0; slice < slices; slice++) {
                Slice aloneNow = ingest(writer, devices, deadline(aloneLength));

                long started = System.nanoTime();
                warmed.refreshAll();
                double catchUp = seconds(started);

                var done = new AtomicBoolean();
                Thread refresher = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < cadences; i++) {
                        sleep(refreshSeconds * 1000);
                        long cycle = System.nanoTime();
                        warmed.refreshAll();
                        synchronized (refreshTimes) {
                            refreshTimes.add(seconds(cycle));
                        }
                    }
                    done.set(true);
                });
                Slice besideNow = ingest(writer, devices, () -> !done.get());
                refresher.join();
                say(
                        "slice %d: alone %.0f events/s (%.0f%% CPU); beside refreshes %.0f events/s (%.0f%% CPU): %.0f%%"
                                + " (catch-up refresh %.1f s; last refresh: %s)",
                        slice + 1,
                        aloneNow.rate(),
                        aloneNow.cpuShare(),
                        besideNow.rate(),
                        besideNow.cpuShare(),
                        100 * besideNow.rate() / aloneNow.rate(),
                        catchUp,
                        warmed.lastReport());
                alone = alone.plus(aloneNow);
                beside = beside.plus(besideNow);
            }
            say("refreshes at the cadence: %s s each", rounded(refreshTimes));

            long started = System.nanoTime();
            warmed.refreshAll();
            say("catch-up refresh: %.1f s (%s)", seconds(started), warmed.lastReport());
            var refreshing = new AtomicBoolean(true);
            var pauselessTimes = new ArrayList<Double>();
            Thread pauselessRefresher = Thread.ofPlatform().start(() -> {
                while (refreshing.get()) {
                    long cycle = System.nanoTime();
                    warmed.refreshAll();
                    synchronized (pauselessTimes) {
                        pauselessTimes.add(seconds(cycle));
                    }
                }
            });
            Slice withoutPause = ingest(writer, devices, deadline(pauselessLength));
            refreshing.set(false);
            pauselessRefresher.join();
            say("refreshes without pause: %s s each (last: %s)", rounded(pauselessTimes), warmed.lastReport());
            say(
                    "ingestion over %d slices each: %.0f events/s alone (%.2f CPU ms per 1,000 events);"
                            + " %.0f events/s (%.1f%%) with 50 segments refreshed every %d s (%d refreshes,"
                            + " %.2f CPU ms per 1,000 events); %.0f events/s (%.0f%% of alone) refreshed without pause",
                    slices,
                    alone.rate(),
                    alone.cpuMsPerThousand(),
                    beside.rate(),
                    100 * beside.rate() / alone.rate(),
                    refreshSeconds,
                    refreshTimes.size(),
                    beside.cpuMsPerThousand(),
                    withoutPause.rate(),
                    100 * withoutPause.rate() / alone.rate());
        }
    }

    /** Events acknowledged, and the process's CPU time, over some seconds of ingestion. */
    private record Slice(long events, double seconds, double cpuSeconds) {
        Slice() {
            this(0, 0, 0);
        }

        Slice plus(Slice other) {
            return new Slice(events + other.events, seconds + other.seconds, cpuSeconds + other.cpuSeconds);
        }

        double rate() {
            return events / seconds;
        }

        /** The process's CPU time as a share of one core, in percent. */
        double cpuShare() {
            return 100 * cpuSeconds / seconds;
        }

        double cpuMsPerThousand() {
            return 1e6 * cpuSeconds / events;
        }
    }

    private static java.util.function.BooleanSupplier deadline(Duration length) {
        long deadline = System.nanoTime() + length.toNanos();
        return () -> System.nanoTime() < deadline;
    }

    private static double processCpuSeconds() {
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() / 1e9;
    }

    /** Removes the events that the ingestion measure wrote, so that each step holds its own number of events. */
    private static void forgetIngested(DuckDbDatabase database) throws Exception {
        try (Connection connection = database.connect();
                var statement =
                        connection.prepareStatement("DELETE FROM events WHERE site_id = ? AND session_id = 's-live'")) {
            statement.setString(1, History.SITE_ID);
            say("removed the %,d ingested events", statement.executeUpdate());
        }
    }

    private static String rounded(List<Double> seconds) {
        synchronized (seconds) {
            return seconds.stream()
                    .map(s -> String.format(Locale.ROOT, "%.1f", s))
                    .toList()
                    .toString();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The events acknowledged by the writer, that is durable, while {@code running} holds. */
    private Slice ingest(IngestWriter writer, int devices, java.util.function.BooleanSupplier running)
            throws Exception {
        var written = new AtomicLong();
        long started = System.nanoTime();
        double cpu = processCpuSeconds();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                var random = new SplittableRandom(11 + c + written.get());
                clients.submit(() -> {
                    while (running.getAsBoolean()) {
                        List<Event> batch = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            batch.add(event(random, devices, sequence.incrementAndGet()));
                        }
                        writer.write(batch);
                        written.addAndGet(batch.size());
                    }
                    return null;
                });
            }
        }
        return new Slice(written.get(), seconds(started), processCpuSeconds() - cpu);
    }

    /** Numbers each ingested event, so that every event id is new. */
    private final AtomicLong sequence = new AtomicLong();

    /**
     * The user each device is logged in as, as the SDK stamps its events: the user it was last
     * identified as in the history; taken before each step's ingestion.
     */
    private Map<String, String> loggedIn = Map.of();

    private Event event(SplittableRandom random, int devices, long n) {
        ObjectNode properties =
                Json.mapper().createObjectNode().put("category", CATEGORIES[random.nextInt(CATEGORIES.length)]);
        Instant time = end.minusMillis(random.nextInt(60_000));
        int device = random.nextInt(devices);
        return new Event(
                History.SITE_ID,
                "live-" + System.nanoTime() + "-" + n,
                "PRODUCT_VIEWED",
                "d-" + device,
                loggedIn.get("d-" + device),
                "s-live",
                properties,
                "1.0.0",
                time,
                time,
                time);
    }

    // Helpers

    private static void addSite(DuckDbDatabase database) throws Exception {
        try (Connection connection = database.connect();
                var statement = connection.prepareStatement(
                        "INSERT INTO sites (id, name, allowed_origins, created_at) VALUES (?, 'bench', [], now())"
                                + " ON CONFLICT DO NOTHING")) {
            statement.setString(1, History.SITE_ID);
            statement.execute();
        }
    }

    private static List<Long> steps(long events) {
        List<Long> steps = new ArrayList<>();
        for (long step : new long[] {1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000}) {
            if (step < events) {
                steps.add(step);
            }
        }
        steps.add(events);
        return steps;
    }

    static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    static double medianMs(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private long number(String name, long defaultValue) {
        return Long.parseLong(
                options.getOrDefault(name, Long.toString(defaultValue)).replace("_", ""));
    }

    static void say(String format, Object... values) {
        System.out.println(String.format(Locale.ROOT, format, values));
    }
}
