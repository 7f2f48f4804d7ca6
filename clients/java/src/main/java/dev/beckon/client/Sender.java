package dev.beckon.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's sender thread: takes batches off the queue and posts them, retrying as the class
 * doc of {@link BeckonClient} says. One request is in flight at a time, so events arrive in the
 * order they were logged.
 */
final class Sender {

    static final int MAX_EVENTS_PER_BATCH = 500;
    /** The server refuses bodies over 1 MiB; room is kept for the envelope. */
    private static final int MAX_BATCH_BYTES = 1000 * 1024;

    private static final Duration BASE_BACKOFF = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(BeckonClient.class);

    private final EventQueue queue;
    private final HttpClient http;
    private final BeckonClient.Builder settings;
    private final AtomicLong lost = new AtomicLong();
    private volatile boolean stopped;
    private int failures;
    private int eventLimit = MAX_EVENTS_PER_BATCH;

    Sender(BeckonClient.Builder settings, EventQueue queue) {
        this.settings = settings;
        this.queue = queue;
        this.http = settings.http != null
                ? settings.http
                : HttpClient.newBuilder()
                        .connectTimeout(settings.requestTimeout)
                        .build();
    }

    void run() {
        try {
            while (!stopped) {
                queue.awaitBatch(settings.batchSize, settings.flushInterval);
                sendOne();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean flush(Duration timeout) throws InterruptedException {
        return queue.awaitEmpty(timeout);
    }

    /** Tells the loop to end after the current request. */
    void stop() {
        stopped = true;
    }

    /** Counts what is still queued, once the thread has ended, as lost, and says so. */
    void loseWhatRemains(Duration waited) {
        int unsent = queue.discard();
        if (unsent > 0) {
            lost.addAndGet(unsent);
            log.error(
                    "Beckon client for {}: {} events were still unsent when the client closed after {}; they are lost",
                    settings.ingestUri,
                    unsent,
                    waited);
        }
    }

    long lostCount() {
        return lost.get();
    }

    private void sendOne() throws InterruptedException {
        EventQueue.Batch batch = queue.take(eventLimit, MAX_BATCH_BYTES);
        if (batch.events().isEmpty()) {
            return;
        }
        Answer answer = post(batch);
        if (answer.retryable()) {
            queue.giveBack(batch);
            backOff(answer.retryAfter());
        } else if (answer.status() == 413 && batch.events().size() > 1) {
            queue.giveBack(batch);
            eventLimit = Math.max(1, batch.events().size() / 2);
        } else {
            settle(batch, answer);
        }
    }

    private void settle(EventQueue.Batch batch, Answer answer) {
        if (answer.status() != 200) {
            lost.addAndGet(batch.events().size());
            log.error(
                    "Beckon client for {}: the server refused a batch of {} events with {}: {}; it is dropped",
                    settings.ingestUri,
                    batch.events().size(),
                    answer.status(),
                    answer.body());
        } else if (answer.body().contains("\"reason\"")) {
            log.warn("Beckon client for {}: the server rejected events: {}", settings.ingestUri, answer.body());
        }
        failures = 0;
        eventLimit = MAX_EVENTS_PER_BATCH;
        queue.done(batch);
    }

    private void backOff(Optional<Duration> retryAfter) throws InterruptedException {
        failures++;
        long ceilingMs = Math.min(settings.maxBackoff.toMillis(), BASE_BACKOFF.toMillis() << Math.min(failures, 20));
        long delayMs = ThreadLocalRandom.current().nextLong(ceilingMs + 1);
        delayMs = Math.max(delayMs, retryAfter.map(Duration::toMillis).orElse(0L));
        log.debug("Beckon client for {}: try {} failed; the next in {} ms", settings.ingestUri, failures, delayMs);
        queue.pause(Duration.ofMillis(delayMs));
    }

    private Answer post(EventQueue.Batch batch) {
        String body = "{\"sentAt\":" + settings.clock.millis() + ",\"dropped\":" + batch.dropped() + ",\"events\":["
                + String.join(",", batch.events()) + "]}";
        var request = HttpRequest.newBuilder(settings.ingestUri)
                .timeout(settings.requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Optional<Duration> retryAfter =
                    response.headers().firstValue("Retry-After").flatMap(Sender::seconds);
            return new Answer(response.statusCode(), response.body(), retryAfter);
        } catch (IOException e) {
            log.debug("Beckon client for {}: the request failed: {}", settings.ingestUri, e.toString());
            return new Answer(0, e.toString(), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted", Optional.empty());
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A status (0 when no answer came), the body, and the server's Retry-After. */
    private record Answer(int status, String body, Optional<Duration> retryAfter) {

        boolean retryable() {
            return status == 0 || status == 408 || status == 429 || status >= 500;
        }
    }
}
