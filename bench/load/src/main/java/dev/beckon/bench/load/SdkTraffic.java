package dev.beckon.bench.load;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes request bodies shaped like the web SDK's: many devices, each in a session, sending batches
 * of a few to a few dozen events of a realistic mix (page views, product views with properties,
 * carts, user properties, now and then a large event), some as {@code sendBeacon} bodies.
 *
 * <p>Every event id is new, so every event is one that the store must keep. One instance per
 * client thread; not thread-safe.
 */
final class SdkTraffic {

    /** One request: its body, its content type, and how many events it carries. */
    record Request(String body, String contentType, int events) {}

    private static final String[] PATHS = {"/", "/shop", "/shop/shoes", "/shop/bags", "/cart", "/checkout", "/about"};
    private static final String[] CATEGORIES = {"shoes", "bags", "hats", "shirts", "watches"};
    private static final AtomicLong sequence = new AtomicLong();

    private final SplittableRandom random;
    private final int devices;
    private final long startMs = System.currentTimeMillis();

    SdkTraffic(long seed, int devices) {
        this.random = new SplittableRandom(seed);
        this.devices = devices;
    }

    Request next() {
        int device = random.nextInt(devices);
        boolean beacon = random.nextInt(10) == 0;
        int events = beacon ? 1 + random.nextInt(3) : batchSize();
        long now = System.currentTimeMillis();
        var body = new StringBuilder(events * 300 + 64);
        body.append("{\"sentAt\":").append(now).append(",\"events\":[");
        for (int i = 0; i < events; i++) {
            if (i > 0) {
                body.append(',');
            }
            appendEvent(body, device, now - (events - i) * 150L);
        }
        body.append("]}");
        return new Request(body.toString(), beacon ? "text/plain;charset=UTF-8" : "application/json", events);
    }

    /** Mostly small batches, as a page sends between flushes, and some full ones after an offline spell. */
    private int batchSize() {
        int pick = random.nextInt(100);
        if (pick < 55) {
            return 1 + random.nextInt(5);
        }
        if (pick < 90) {
            return 6 + random.nextInt(15);
        }
        return 30 + random.nextInt(71);
    }

    private void appendEvent(StringBuilder out, int device, long clientTimeMs) {
        long id = sequence.incrementAndGet();
        out.append("{\"id\":\"ld-").append(startMs).append('-').append(id).append('"');
        out.append(",\"deviceId\":\"d-").append(device).append('"');
        out.append(",\"sessionId\":\"s-")
                .append(device)
                .append('-')
                .append(startMs)
                .append('"');
        if (device % 3 == 0) {
            out.append(",\"userId\":\"user-").append(device).append("@example.com\"");
        }
        out.append(",\"version\":\"2.4.1\",\"clientTime\":").append(clientTimeMs);
        int kind = random.nextInt(100);
        if (kind < 35) {
            String path = PATHS[random.nextInt(PATHS.length)];
            out.append(",\"name\":\"$page_view\",\"properties\":{\"path\":\"")
                    .append(path)
                    .append("\",\"title\":\"Beckon shop\",\"referrer\":\"https://search.example/?q=shoes\"}");
        } else if (kind < 70) {
            out.append(",\"name\":\"PRODUCT_VIEWED\",\"properties\":{\"category\":\"")
                    .append(CATEGORIES[random.nextInt(CATEGORIES.length)])
                    .append("\",\"sku\":\"SKU-")
                    .append(random.nextInt(5000))
                    .append("\",\"price\":")
                    .append(random.nextInt(100, 50_000) / 100.0)
                    .append(",\"inStock\":true}");
        } else if (kind < 82) {
            out.append(",\"name\":\"ADD_TO_CART\",\"properties\":{\"value\":")
                    .append(random.nextInt(100, 100_000))
                    .append(",\"item\":\"Sony Head Phone 1201\",\"quantity\":")
                    .append(1 + random.nextInt(3))
                    .append('}');
        } else if (kind < 90) {
            out.append(",\"name\":\"$user_properties\",\"properties\":{\"plan\":\"")
                    .append(random.nextBoolean() ? "pro" : "free")
                    .append("\",\"visits\":")
                    .append(random.nextInt(500))
                    .append(",\"address\":{\"city\":\"Lisbon\",\"country\":\"PT\"}}");
        } else if (kind < 98) {
            out.append(",\"name\":\"$session_start\"");
        } else {
            out.append(",\"name\":\"SEARCH_RESULTS\",\"properties\":{\"query\":\"running shoes\",\"results\":[");
            for (int i = 0; i < 20; i++) {
                out.append(i == 0 ? "" : ",")
                        .append("{\"sku\":\"SKU-")
                        .append(i)
                        .append("\",\"score\":0.")
                        .append(i);
                out.append(",\"title\":\"A product whose title is long enough to matter\"}");
            }
            out.append("]}");
        }
        out.append('}');
    }
}
