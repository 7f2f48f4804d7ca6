package dev.beckon.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Logs events and user properties from a JVM backend to a Beckon server, with the web SDK's method
 * names: {@code beckon.forUser("ann").logEvent("ORDER_SHIPPED", Map.of("value", 4098))}.
 *
 * <p>Calls only queue the event and return; a sender thread sends batches to {@code POST
 * /ingest/{siteId}} (docs/ingestion-protocol.md). The client is thread-safe; make one per site and
 * process, and close it when the process stops.
 *
 * <p>Failure semantics, the same as the web SDK's where they apply:
 *
 * <ul>
 *   <li>an event leaves the queue once the server has answered for it: stored, a duplicate, or
 *       rejected (a rejected event is logged at warn with the server's reason);
 *   <li>5xx, 408, 429 and network errors are retried with exponential backoff and full jitter, no
 *       sooner than {@code Retry-After}; every event keeps the id it was given when logged, so a retry
 *       never stores it twice;
 *   <li>413 splits the batch in halves; other 4xx answers drop the batch, logged at error, since it
 *       would fail again;
 *   <li>beyond {@code maxQueuedEvents} the oldest events are dropped, counted in {@link
 *       #droppedCount()} and reported to the server in the next batch;
 *   <li>{@link #close()} sends what is queued, retrying, for up to {@code closeTimeout}; what is still
 *       queued then is lost, counted and logged at error. Nothing is written to disk.
 * </ul>
 *
 * <p>Each user's server-side events are recorded on a device of their own, {@code srv-<digest of the
 * user id>}, in one session per client ({@code srv-<random>}), so that backend events never link two
 * users to one device (docs/identity.md).
 */
public final class BeckonClient implements AutoCloseable {

    /** The protocol's limits on names and user ids, checked here so that a mistake fails at the call. */
    static final int MAX_NAME_LENGTH = 200;

    static final int MAX_USER_ID_LENGTH = 256;

    private final EventQueue queue;
    private final Sender sender;
    private final Thread senderThread;
    private final Duration closeTimeout;
    private final String version;
    private final String sessionId;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private BeckonClient(Builder builder) {
        this.queue = new EventQueue(builder.maxQueuedEvents);
        this.clock = builder.clock;
        this.version = builder.version;
        this.closeTimeout = builder.closeTimeout;
        this.sessionId = "srv-" + randomId();
        this.sender = new Sender(builder, queue);
        this.senderThread =
                Thread.ofPlatform().name("beckon-client-sender").daemon(true).start(sender::run);
    }

    /** A builder for a client that sends to the Beckon server at {@code server}, for site {@code siteId}. */
    public static Builder builder(URI server, String siteId) {
        return new Builder(server, siteId);
    }

    /** The events and properties of one user, by custom user id (the web SDK's {@code setUserId}). */
    public User forUser(String userId) {
        requireText(userId, "userId", MAX_USER_ID_LENGTH);
        return new User(userId);
    }

    /** Sends what is queued now, and waits until it is answered for or {@code timeout} passes. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return sender.flush(timeout);
    }

    /** Events dropped from the full queue or lost at close, since the client started. */
    public long droppedCount() {
        return queue.droppedTotal() + sender.lostCount();
    }

    /** Events waiting to be sent or acknowledged. */
    public int queuedCount() {
        return queue.size();
    }

    /**
     * Sends what is queued, for up to the close timeout, then stops the sender thread. Later calls to
     * log events are ignored.
     */
    @Override
    public void close() {
        queue.close();
        try {
            sender.flush(closeTimeout);
            sender.stop();
            senderThread.interrupt();
            senderThread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.loseWhatRemains(closeTimeout);
    }

    /** One user's side of the client; as cheap to make as to keep. */
    public final class User {

        private final String userId;
        private final String deviceId;

        private User(String userId) {
            this.userId = userId;
            this.deviceId = "srv-" + digest(userId);
        }

        /**
         * Queues an app event of this user; {@code properties} may hold strings, numbers, booleans,
         * nulls, times (as ISO-8601), and nested maps and lists of them; anything else is its {@code
         * toString()}.
         *
         * @throws IllegalArgumentException when the name is null, empty or over 200 characters
         */
        public void logEvent(String name, Map<String, ?> properties) {
            requireText(name, "name", MAX_NAME_LENGTH);
            if (name.startsWith("$")) {
                throw new IllegalArgumentException("name: '$' starts only Beckon's reserved event names");
            }
            enqueue(name, properties);
        }

        /** Queues properties of this user, for targeting and personalisation; the latest by time wins. */
        public void setUserProperties(Map<String, ?> properties) {
            enqueue("$user_properties", Objects.requireNonNull(properties, "properties"));
        }

        private void enqueue(String name, Map<String, ?> properties) {
            String id = randomId();
            queue.add(EventJson.write(
                    id,
                    name,
                    deviceId,
                    userId,
                    sessionId,
                    version,
                    clock.millis(),
                    properties == null ? Map.of() : properties));
        }
    }

    private String randomId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String digest(String userId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(userId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void requireText(String value, String field, int maxLength) {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            throw new IllegalArgumentException(field + ": must be 1 to " + maxLength + " characters; it is "
                    + (value == null ? "null" : value.length() + " characters"));
        }
    }

    /** The client's settings; every one has a default but the server and the site. */
    public static final class Builder {

        final URI ingestUri;
        int batchSize = 100;
        Duration flushInterval = Duration.ofSeconds(1);
        int maxQueuedEvents = 100_000;
        Duration requestTimeout = Duration.ofSeconds(10);
        Duration closeTimeout = Duration.ofSeconds(10);
        Duration maxBackoff = Duration.ofMinutes(1);
        String version = "ALL";
        Clock clock = Clock.systemUTC();
        HttpClient http;

        private Builder(URI server, String siteId) {
            Objects.requireNonNull(server, "server");
            requireText(siteId, "siteId", 128);
            String base = server.toString().replaceAll("/+$", "");
            this.ingestUri = URI.create(base + "/ingest/"
                    + java.net.URLEncoder.encode(siteId, java.nio.charset.StandardCharsets.UTF_8)
                            .replace("+", "%20"));
        }

        /** A batch leaves once this many events wait (default 100); at most 500, the protocol's limit. */
        public Builder batchSize(int events) {
            this.batchSize = within("batchSize", events, 1, Sender.MAX_EVENTS_PER_BATCH);
            return this;
        }

        /** A batch leaves this long after its first event was queued at the latest (default 1 s). */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = positive("flushInterval", interval);
            return this;
        }

        /** The most events kept waiting (default 100,000); beyond, the oldest are dropped. */
        public Builder maxQueuedEvents(int events) {
            this.maxQueuedEvents = within("maxQueuedEvents", events, 1, 10_000_000);
            return this;
        }

        /** How long a request may take before it counts as failed and is retried (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /** How long {@link BeckonClient#close()} goes on sending what is queued (default 10 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /** The longest wait between two tries of a failed batch (default 1 min). */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = positive("maxBackoff", backoff);
            return this;
        }

        /** The version stamped on every event (default {@code ALL}, as the web SDK's). */
        public Builder version(String version) {
            requireText(version, "version", 100);
            this.version = version;
            return this;
        }

        /** The clock that stamps events; for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The HTTP client to send with, for a proxy or TLS settings of your own. */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        public BeckonClient build() {
            return new BeckonClient(this);
        }

        private static int within(String name, int value, int least, int most) {
            if (value < least || value > most) {
                throw new IllegalArgumentException(name + ": must be " + least + " to " + most + ", not " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": must be a positive duration, not " + value);
            }
            return value;
        }
    }
}
