package dev.beckon.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends SDK-like requests to one ingestion endpoint from many clients at once and measures what
 * came back. Closed loop: each client sends its next request when the last is answered, which finds
 * the highest throughput. Paced: each client keeps to a schedule, and a request's latency counts
 * from when it was due, so that a stall shows in the percentiles rather than hiding in a lower rate.
 */
final class LoadRun {

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+),\"duplicates\":(\\d+)");

    /** What one run achieved. Only answers with status 200 count as events delivered. */
    record Result(long requests, long events, long acknowledged, long failures, Duration elapsed, Latencies latencies) {

        double eventsPerSecond() {
            return events / (elapsed.toNanos() / 1e9);
        }

        double requestsPerSecond() {
            return requests / (elapsed.toNanos() / 1e9);
        }

        /** This run and {@code other} as one, as if their times followed each other. */
        Result plus(Result other) {
            var both = new Latencies();
            both.addAll(latencies);
            both.addAll(other.latencies);
            return new Result(
                    requests + other.requests,
                    events + other.events,
                    acknowledged + other.acknowledged,
                    failures + other.failures,
                    elapsed.plus(other.elapsed),
                    both);
        }
    }

    private final URI endpoint;
    private final int clients;
    private final int devices;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    LoadRun(URI endpoint, int clients, int devices) {
        this.endpoint = endpoint;
        this.clients = clients;
        this.devices = devices;
    }

    /** Sends as fast as answers come for {@code duration}. */
    Result closedLoop(Duration duration, long seed) throws Exception {
        return run(duration, seed, 0);
    }

    /** Sends {@code requestsPerSecond} in all, spread over the clients, for {@code duration}. */
    Result paced(Duration duration, long seed, double requestsPerSecond) throws Exception {
        return run(duration, seed, requestsPerSecond);
    }

    private Result run(Duration duration, long seed, double requestsPerSecond) throws Exception {
        var requests = new AtomicLong();
        var events = new AtomicLong();
        var acknowledged = new AtomicLong();
        var failures = new AtomicLong();
        long startNanos = System.nanoTime();
        long endNanos = startNanos + duration.toNanos();
        List<Future<Latencies>> workers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                var traffic = new SdkTraffic(seed * 1_000 + c, devices);
                long intervalNanos = requestsPerSecond > 0 ? (long) (clients * 1e9 / requestsPerSecond) : 0;
                long firstDue = startNanos + (intervalNanos > 0 ? c * intervalNanos / clients : 0);
                workers.add(pool.submit(() -> {
                    var latencies = new Latencies();
                    long due = firstDue;
                    while (true) {
                        if (intervalNanos > 0) {
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                        long sentNanos = intervalNanos > 0 ? due : System.nanoTime();
                        if (sentNanos >= endNanos) {
                            return latencies;
                        }
                        SdkTraffic.Request request = traffic.next();
                        long delivered = send(request);
                        latencies.add((System.nanoTime() - sentNanos) / 1_000);
                        requests.incrementAndGet();
                        if (delivered < 0) {
                            failures.incrementAndGet();
                        } else {
                            events.addAndGet(request.events());
                            acknowledged.addAndGet(delivered);
                        }
                        due += intervalNanos;
                    }
                }));
            }
        }
        var all = new Latencies();
        for (Future<Latencies> worker : workers) {
            all.addAll(worker.get());
        }
        Duration elapsed = Duration.ofNanos(Math.max(System.nanoTime(), endNanos) - startNanos);
        return new Result(requests.get(), events.get(), acknowledged.get(), failures.get(), elapsed, all);
    }

    /** Sends one request; returns the events the answer acknowledges, or -1 when it was not a 200. */
    private long send(SdkTraffic.Request request) throws InterruptedException {
        var httpRequest = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", request.contentType())
                .POST(HttpRequest.BodyPublishers.ofString(request.body()))
                .build();
        try {
            HttpResponse<String> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return -1;
            }
            Matcher answer = ACCEPTED.matcher(response.body());
            return answer.find() ? Long.parseLong(answer.group(1)) + Long.parseLong(answer.group(2)) : 0;
        } catch (IOException e) {
            return -1;
        }
    }
}
