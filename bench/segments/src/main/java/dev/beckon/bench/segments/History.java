package dev.beckon.bench.segments;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A generated event history, written straight into the embedded store's {@code events} and {@code
 * device_users} tables, shaped like a shop's traffic:
 *
 * <ul>
 *   <li>devices are active with a Zipf skew (exponent {@value #ZIPF_EXPONENT}): of 200,000 devices and
 *       10 million events, the busiest has about 30,000 events, the median and the least about 30 and 20;
 *   <li>every device's events fall in sessions of {@value #EVENTS_PER_SESSION} events on average, at
 *       random moments of the {@code days} before {@code end};
 *   <li>the mix: page views 40%, product views 35% (a third of them of shoes), add to cart 12%,
 *       search 8%, checkout 3%, user and session properties 2%;
 *   <li>{@value #IDENTIFIED_PERCENT}% of devices log in halfway through their history: their later
 *       events carry a user id, and a {@code device_users} row links them, as the writer keeps it.
 * </ul>
 *
 * <p>The same seed gives the same history, so that runs compare.
 */
final class History {

    static final String SITE_ID = "bench";
    private static final double ZIPF_EXPONENT = 0.6;
    private static final int EVENTS_PER_SESSION = 8;
    private static final int IDENTIFIED_PERCENT = 30;
    private static final String[] CATEGORIES = {
        "shoes", "shoes", "shoes", "bags", "shirts", "hats", "socks", "belts", "jackets"
    };

    private final int devices;
    private final int days;
    private final Instant end;
    private final SplittableRandom random;
    private final double[] cumulativeActivity;
    private long written;

    History(int devices, int days, Instant end, long seed) {
        this.devices = devices;
        this.days = days;
        this.end = end;
        this.random = new SplittableRandom(seed);
        this.cumulativeActivity = zipfCumulative(devices);
    }

    /** Appends {@code count} more events, continuing the history; returns the events written so far. */
    long append(Connection connection, long count) throws SQLException {
        var duck = connection.unwrap(DuckDBConnection.class);
        try (DuckDBAppender events = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
            for (long i = 0; i < count; ) {
                i += appendSession(events, count - i);
            }
        }
        linkIdentifiedDevices(connection);
        return written;
    }

    private int appendSession(DuckDBAppender events, long remaining) throws SQLException {
        int device = pickDevice();
        String deviceId = "d-" + device;
        long spanMs = Duration.ofDays(days).toMillis();
        long startMs = end.toEpochMilli() - 1 - (long) (random.nextDouble() * spanMs);
        // Identified devices log in at the middle of the history: later sessions are the user's.
        boolean identified = device % 100 < IDENTIFIED_PERCENT && startMs > end.toEpochMilli() - spanMs / 2;
        String userId = identified ? "u-" + device : null;
        String sessionId = "s-" + written;
        int length = (int) Math.min(remaining, 1 + random.nextInt(2 * EVENTS_PER_SESSION - 1));
        for (int i = 0; i < length; i++) {
            long timeMs = startMs + i * 20_000L;
            appendEvent(events, deviceId, userId, sessionId, timeMs);
        }
        return length;
    }

    private void appendEvent(DuckDBAppender events, String deviceId, String userId, String sessionId, long timeMs)
            throws SQLException {
        String[] nameAndProperties = nameAndProperties();
        LocalDateTime time = LocalDateTime.ofEpochSecond(
                Math.floorDiv(timeMs, 1000), (int) Math.floorMod(timeMs, 1000) * 1_000_000, ZoneOffset.UTC);
        events.beginRow();
        events.append(SITE_ID);
        events.append("g-" + written++);
        events.append(nameAndProperties[0]);
        events.append(deviceId);
        events.append(userId);
        events.append(sessionId);
        events.append(nameAndProperties[1]);
        events.append("1.0.0");
        events.append(time);
        events.append(time);
        events.append(time);
        events.endRow();
    }

    private String[] nameAndProperties() {
        int roll = random.nextInt(100);
        if (roll < 40) {
            return new String[] {"$page_view", "{\"path\":\"/demo/p" + random.nextInt(50) + ".html\"}"};
        }
        if (roll < 75) {
            String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
            return new String[] {
                "PRODUCT_VIEWED",
                "{\"id\":\"p" + random.nextInt(500) + "\",\"category\":\"" + category + "\",\"price\":"
                        + (500 + random.nextInt(5000)) + "}"
            };
        }
        if (roll < 87) {
            return new String[] {"ADD_TO_CART", "{\"item\":\"p" + random.nextInt(500) + "\",\"value\":1999}"};
        }
        if (roll < 95) {
            return new String[] {"SEARCH", "{\"query\":\"q" + random.nextInt(1000) + "\"}"};
        }
        if (roll < 98) {
            return new String[] {"CHECKOUT", "{\"value\":" + (1000 + random.nextInt(9000)) + "}"};
        }
        return roll < 99
                ? new String[] {
                    "$user_properties",
                    "{\"isPaidUser\":" + random.nextBoolean() + ",\"age\":" + (18 + random.nextInt(50)) + "}"
                }
                : new String[] {"$session_properties", "{\"language\":\"" + (random.nextBoolean() ? "en" : "hi") + "\"}"
                };
    }

    /** The links the event writer would have kept: one per identified device and user. */
    private static void linkIdentifiedDevices(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM device_users WHERE site_id = '" + SITE_ID + "'");
            statement.execute("INSERT INTO device_users SELECT site_id, device_id, user_id, min(time), max(time)"
                    + " FROM events WHERE site_id = '" + SITE_ID + "' AND user_id IS NOT NULL"
                    + " GROUP BY site_id, device_id, user_id");
        }
    }

    private int pickDevice() {
        double u = random.nextDouble() * cumulativeActivity[devices - 1];
        int low = 0;
        int high = devices - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulativeActivity[middle] < u) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static double[] zipfCumulative(int devices) {
        double[] cumulative = new double[devices];
        double sum = 0;
        for (int rank = 0; rank < devices; rank++) {
            sum += 1 / Math.pow(rank + 1, ZIPF_EXPONENT);
            cumulative[rank] = sum;
        }
        return cumulative;
    }
}
