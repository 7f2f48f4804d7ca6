package dev.beckon.observability;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.ChildServer;
import dev.beckon.Json;
import dev.beckon.TestServer;
import java.io.IOException;
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
import java.util.Map;
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
        int port = ChildServer.freePort();
        Process server = startServer(port, log);
        String batchId;
        try {
            ChildServer.awaitHealthy(server, port, client);

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
                .filteredOn(record -> record.path("message").asText().contains("events dropped: its queue was full"))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.at("/mdc/siteId").asText()).isEqualTo("demo");
                    assertThat(record.at("/mdc/batchId").asText()).isEqualTo(batchId);
                });
    }

    private Process startServer(int port, Path log) throws IOException {
        var builder = ChildServer.command(
                Map.of(
                        "BECKON_PORT",
                        Integer.toString(port),
                        "BECKON_DATA_DIR",
                        folder.resolve("data").toString(),
                        "BECKON_ADMIN_KEY",
                        TestServer.ADMIN_KEY,
                        "BECKON_LOG_LEVEL",
                        "INFO",
                        "BECKON_LOG_FORMAT",
                        "json"),
                "--demo");
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
}
