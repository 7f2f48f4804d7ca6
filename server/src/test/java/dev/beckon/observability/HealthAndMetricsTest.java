package dev.beckon.observability;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} as docs/operations.md describes
 * them. The degraded and stopping answers of {@code /health} are in StoreFailureTest and
 * GracefulShutdownTest.
 */
class HealthAndMetricsTest {

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void liveAnswersWhileTheProcessServes() {
        var live = get("/health/live");

        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().get("status").asText()).isEqualTo("alive");
    }

    @Test
    void readyAndHealthSayTheStoreTakesEventsAndShowTheBacklog() {
        for (String path : List.of("/health", "/health/ready")) {
            var ready = get(path);

            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("status").asText()).isEqualTo("ok");
            assertThat(ready.json().at("/store/kind").asText()).isEqualTo("duckdb");
            assertThat(ready.json().at("/store/writable").asBoolean()).isTrue();
            assertThat(ready.json().at("/store/diskFreeBytes").asLong()).isPositive();
            assertThat(ready.json().at("/ingest/queuedEvents").isInt()).isTrue();
            assertThat(ready.json().at("/ingest/oldestWaitSeconds").isNumber()).isTrue();
        }
    }

    @Test
    void metricsCountAcceptedDuplicateAndRejectedEventsByReason() {
        double acceptedBefore = metric("beckon_ingest_events_accepted_total");
        double duplicatesBefore = metric("beckon_ingest_events_duplicates_total");
        double rejectedBefore = metric("beckon_ingest_events_rejected_total{reason=\"sessionId\"}");
        var good = event("COUNTED");

        server.ingest(batch(good, event("COUNTED"), event("COUNTED").put("sessionId", "")));
        server.ingest(batch(good));

        assertThat(metric("beckon_ingest_events_accepted_total") - acceptedBefore)
                .isEqualTo(2);
        assertThat(metric("beckon_ingest_events_duplicates_total") - duplicatesBefore)
                .isEqualTo(1);
        assertThat(metric("beckon_ingest_events_rejected_total{reason=\"sessionId\"}") - rejectedBefore)
                .isEqualTo(1);
    }

    @Test
    void metricsShowLatencyQueueCommitsStoreAndJvm() {
        server.ingest(batch(event("TIMED")));
        // The GC pause timer appears with the first collection after the server started; in a long
        // test run with a grown heap there may have been none yet.
        System.gc();

        var page = get("/metrics");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(page.body())
                .contains("beckon_ingest_requests_seconds_count{status=\"200\"}")
                .contains("beckon_ingest_requests_seconds_bucket{status=\"200\",le=")
                .contains("beckon_ingest_commit_seconds_count")
                .contains("beckon_ingest_commit_events_count")
                .contains("beckon_ingest_commit_failures_total")
                .contains("beckon_ingest_queue_events ")
                .contains("beckon_ingest_queue_oldest_wait_seconds ")
                .contains("beckon_ingest_requests_refused_total{reason=\"shutting_down\"}")
                .contains("beckon_ingest_requests_refused_total{reason=\"writer_behind\"}")
                .contains("beckon_ingest_client_dropped_events_total")
                .contains("beckon_store_size_bytes{file=\"database\"}")
                .contains("beckon_store_size_bytes{file=\"wal\"}")
                .contains("beckon_store_disk_free_bytes ")
                .contains("beckon_store_writable 1.0")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_gc_pause_seconds")
                .contains("process_uptime_seconds");
        assertThat(metric("beckon_store_size_bytes{file=\"database\"}")).isPositive();
    }

    @Test
    void metricsHoldNoSiteIdsOrEventNames() {
        server.ingest(batch(event("SECRET_EVENT_NAME")));

        var page = get("/metrics").body();

        assertThat(page).doesNotContain("SECRET_EVENT_NAME").doesNotContain("site=\"demo\"");
    }

    private static TestServer.Response get(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)));
    }

    private static double metric(String series) {
        return get("/metrics")
                .body()
                .lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(series + " is not on /metrics"));
    }
}
