package dev.beckon.observability;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code BECKON_LOG_FORMAT=json} every log line is one JSON object, and the records of an
 * ingestion request carry its site id and batch id as fields (docs/operations.md, "Logs"). The
 * server runs in a child JVM, since logback reads the setting once, at start; its standard output holds
 * nothing but log records.
 */
class StructuredLogsTest {

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path folder;

    @Test
    void jsonLogsAreOneObjectPerLineWithSiteIdAndBatchId() throws Exception {
        Path log = folder.resolve("server.log");
        int port = freePort();
        Process server = startServer(port, log);
        String batchId;
        try {
            awaitHealthy(server, port);

            batchId = sendBatchReportingDrops(port);
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        List<JsonNode> records = records(log);
        assertThat(records).isNotEmpty().allSatisfy(record -> {
            assertThat(record.path("level").asText()).isIn("DEBUG", "INFO", "WARN", "ERROR");
            assertThat(record.path("loggerName").asText()).isNotEmpty();
            assertThat(record.path("message").asText()).isNotEmpty();
        });
        assertThat(records)
                .filteredOn(record -> record.path("message").asText().contains("dropped from its full queue"))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.at("/mdc/siteId").asText()).isEqualTo("demo");
                    assertThat(record.at("/mdc/batchId").asText()).isEqualTo(batchId);
                });
    }

    private Process startServer(int port, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), "dev.beckon.Beckon", "serve", "--demo");
        builder.environment().put("BECKON_PORT", Integer.toString(port));
        builder.environment().put("BECKON_HOST", "127.0.0.1");
        builder.environment().put("BECKON_DATA_DIR", folder.resolve("data").toString());
        builder.environment().put("BECKON_ADMIN_KEY", TestServer.ADMIN_KEY);
        builder.environment().put("BECKON_LOG_LEVEL", "INFO");
        builder.environment().put("BECKON_LOG_FORMAT", "json");
        return builder.redirectError(folder.resolve("server.err").toFile())
                .redirectOutput(log.toFile())
                .start();
    }

    /** Sends a batch whose client says it dropped events, which the server logs at info. */
    private String sendBatchReportingDrops(int port) throws Exception {
        ObjectNode batch = Json.mapper().createObjectNode();
        batch.put("dropped", 3);
        batch.putArray("events").add(event("LOGGED"));
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ingest/demo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                .build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("Beckon-Batch-Id").orElseThrow();
    }

    private static List<JsonNode> records(Path log) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            records.add(Json.mapper().readTree(line));
        }
        return records;
    }

    private void awaitHealthy(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        var health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .build();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive())
                    .as("the server process exited during start")
                    .isTrue();
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not become healthy within 60 s");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
