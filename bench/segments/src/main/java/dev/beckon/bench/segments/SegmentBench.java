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
 * {@code --events} (10 million by default) over {@code --devices} (200,000) and 30 days, and after
 * each step measures, in the same process and on the same file:
 *
 * <ul>
 *   <li>the seed's segment (at least five views of shoes in the last three days) through the engine,
 *       against the best of two hand-written DuckDB queries for the same answer: medians of {@code
 *       --repeats} runs each, interleaved;
 *   <li>the membership check of one device against 50 live segments, over {@code --checks} random
 *       devices: p50, p99 and the worst;
 *   <li>ingestion through the server's write path for {@code --ingest-seconds}: alone, while the 50
 *       segments are kept fresh at the server's cadence, and while they are refreshed without pause.
 * </ul>
 */
public final class SegmentBench {

    private static final String SEED_SEGMENT = "{\"did\":{\"event\":\"PRODUCT_VIEWED\","
            + "\"where\":[{\"name\":\"category\",\"op\":\"eq\",\"value\":\"shoes\"}],"
            + "\"count\":{\"atLeast\":5},\"window\":{\"last\":3,\"unit\":\"days\"}}}";
    private static final String[] CATEGORIES = {"shoes", "bags", "shirts", "hats", "socks"};
    private static final String[] EVENTS = {"PRODUCT_VIEWED", "ADD_TO_CART", "CHECKOUT", "SEARCH", "$page_view"};

    /** The seed's segment by hand, as the engine's attribution of events to people has it. */
    private static final String HAND_WRITTEN_ASOF = """
            SELECT count(*) FROM (
              SELECT coalesce('u:' || coalesce(e.user_id, l.user_id), 'd:' || e.device_id) AS person
              FROM (SELECT device_id, user_id, time FROM events
                    WHERE site_id = ? AND name = 'PRODUCT_VIEWED' AND time >= ?
                      AND json_extract_string(properties, '$.category') = 'shoes') e
              ASOF LEFT JOIN (SELECT device_id, user_id, last_time FROM device_users WHERE site_id = ?) l
                ON e.device_id = l.device_id AND e.time <= l.last_time
              GROUP BY person HAVING count(*) >= 5)""";

    /** The same, counting per device first and attributing only the devices that pass. */
    private static final String HAND_WRITTEN_PER_DEVICE = """
            WITH views AS (
              SELECT device_id, user_id, time FROM events
              WHERE site_id = ? AND name = 'PRODUCT_VIEWED' AND time >= ?
                AND json_extract_string(properties, '$.category') = 'shoes'),
            attributed AS (
              SELECT coalesce('u:' || coalesce(v.user_id, l.user_id), 'd:' || v.device_id) AS person
              FROM views v ASOF LEFT JOIN (SELECT device_id, user_id, last_time FROM device_users
                                           WHERE site_id = ?) l
                ON v.device_id = l.device_id AND v.time <= l.last_time)
            SELECT count(*) FROM (SELECT person FROM attributed GROUP BY person HAVING count(*) >= 5)""";

    private static final int CLIENTS = 32;

    private final Map<String, String> options;
    private final Instant end = Instant.parse("2026-12-01T00:00:00Z");
    private final Clock clock = Clock.fixed(end, ZoneOffset.UTC);

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
            for (long step : steps(events)) {
                try (Connection connection = database.connect()) {
                    long started = System.nanoTime();
                    written = history.append(connection, step - written);
                    say("%n== %,d events (generated in %.1f s)", written, seconds(started));
                }
                measureSeedSegment(database, evaluator);
                measureMembership(database, repository, evaluator, devices);
                measureIngestion(database, repository, evaluator, devices);
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
        long[] perDevice = new long[repeats];
        long[] answers = new long[3];
        for (int i = 0; i < repeats; i++) {
            engine[i] = timed(() -> answers[0] = evaluator.size(History.SITE_ID, condition, end, ZoneOffset.UTC));
            asof[i] = timed(() -> answers[1] = count(database, HAND_WRITTEN_ASOF, since));
            perDevice[i] = timed(() -> answers[2] = count(database, HAND_WRITTEN_PER_DEVICE, since));
        }
        if (answers[0] != answers[1] || answers[1] != answers[2]) {
            say(
                    "MISMATCH: the engine counts %d people, the hand-written queries %d and %d",
                    answers[0], answers[1], answers[2]);
        }
        double engineMs = medianMs(engine);
        double handMs = Math.min(medianMs(asof), medianMs(perDevice));
        say(
                "seed segment: %d people; engine %.1f ms, best hand-written %.1f ms (asof %.1f, per device %.1f):"
                        + " %.2f times",
                answers[0], engineMs, handMs, medianMs(asof), medianMs(perDevice), engineMs / handMs);
    }

    private static long count(DuckDbDatabase database, String sql, Instant since) {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, History.SITE_ID);
            statement.setTimestamp(2, Timestamp.from(since));
            statement.setString(3, History.SITE_ID);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // Membership of one device in 50 live segments

    private void measureMembership(
            DuckDbDatabase database, SegmentRepository repository, DuckDbSegmentEvaluator evaluator, int devices) {
        List<Segment> live = repository.all(History.SITE_ID);
        try (var membership = liveMembership(repository, evaluator)) {
            long started = System.nanoTime();
            membership.refreshIdentities(History.SITE_ID);
            live.forEach(membership::refresh);
            say("refreshing %d live segments: %.1f s", live.size(), seconds(started));
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
        }
    }

    private LiveMembership liveMembership(SegmentRepository repository, DuckDbSegmentEvaluator evaluator) {
        Duration refresh = Duration.ofSeconds(number("refresh-seconds", 30));
        return new LiveMembership(repository, evaluator, site -> ZoneOffset.UTC, clock, refresh);
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
     * {@value #CLIENTS} clients sending batches of 20: alone, while the 50 segments are refreshed at
     * the server's cadence ({@code --refresh-seconds}, 30 as in the server), and while they are
     * refreshed without pause, the worst case.
     */
    private void measureIngestion(
            DuckDbDatabase database, SegmentRepository repository, DuckDbSegmentEvaluator evaluator, int devices)
            throws Exception {
        var store = new DuckDbEventStore(database);
        Duration length = Duration.ofSeconds(number("ingest-seconds", 60));
        try (var writer = new IngestWriter(store, new SimpleMeterRegistry())) {
            double alone = ingest(writer, length, devices);
            double atCadence;
            try (var membership = liveMembership(repository, evaluator)) {
                atCadence = ingest(writer, length, devices);
            }
            double withoutPause;
            var refreshing = new AtomicBoolean(true);
            try (var membership = liveMembership(repository, evaluator)) {
                Thread refresher = Thread.ofPlatform().start(() -> {
                    while (refreshing.get()) {
                        membership.refreshIdentities(History.SITE_ID);
                        repository.all(History.SITE_ID).forEach(membership::refresh);
                    }
                });
                withoutPause = ingest(writer, length, devices);
                refreshing.set(false);
                refresher.join();
            }
            say(
                    "ingestion: %.0f events/s alone; %.0f events/s (%.0f%%) with 50 segments refreshed every %d s;"
                            + " %.0f events/s (%.0f%%) refreshed without pause",
                    alone,
                    atCadence,
                    100 * atCadence / alone,
                    number("refresh-seconds", 30),
                    withoutPause,
                    100 * withoutPause / alone);
        }
    }

    /** Events per second acknowledged by the writer, that is durable, over {@code length}. */
    private double ingest(IngestWriter writer, Duration length, int devices) throws Exception {
        long deadline = System.nanoTime() + length.toNanos();
        var written = new AtomicLong();
        long started = System.nanoTime();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                var random = new SplittableRandom(11 + c);
                clients.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        List<Event> batch = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            batch.add(event(random, devices, written.incrementAndGet()));
                        }
                        writer.write(batch);
                    }
                    return null;
                });
            }
        }
        return written.get() / seconds(started);
    }

    private Event event(SplittableRandom random, int devices, long n) {
        ObjectNode properties =
                Json.mapper().createObjectNode().put("category", CATEGORIES[random.nextInt(CATEGORIES.length)]);
        Instant time = end.minusMillis(random.nextInt(60_000));
        return new Event(
                History.SITE_ID,
                "live-" + System.nanoTime() + "-" + n,
                "PRODUCT_VIEWED",
                "d-" + random.nextInt(devices),
                null,
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

    private static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static double medianMs(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private long number(String name, long defaultValue) {
        return Long.parseLong(
                options.getOrDefault(name, Long.toString(defaultValue)).replace("_", ""));
    }

    private static void say(String format, Object... values) {
        System.out.println(String.format(Locale.ROOT, format, values));
    }
}
