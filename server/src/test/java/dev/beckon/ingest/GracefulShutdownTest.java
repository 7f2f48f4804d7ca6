package dev.beckon.ingest;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shutdown finishes the batches under way, and refuses new ones with 503 and {@code Retry-After}
 * while it does; {@code /health} says "stopping" meanwhile. After a restart the finished batch is
 * there.
 */
class GracefulShutdownTest {

    @TempDir
    Path dataDir;

    @Test
    void inFlightBatchFinishesAndNewOnesAreRefusedWithRetryableStatus() throws Exception {
        ObjectNode[] events = IntStream.range(0, 100)
                .mapToObj(i -> event("IN_FLIGHT").put("deviceId", "d-" + i))
                .toArray(ObjectNode[]::new);
        byte[] body = batch(events).getBytes(StandardCharsets.UTF_8);
        var server = TestServer.start(dataDir);
        int port = URI.create(server.baseUrl()).getPort();

        try (Socket inFlight = new Socket("127.0.0.1", port)) {
            OutputStream out = inFlight.getOutputStream();
            int half = body.length / 2;
            out.write(("POST /ingest/demo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.flush();
            Thread.sleep(300); // the handler has taken the request and waits for the rest

            var stopping = CompletableFuture.runAsync(server::close);
            Thread.sleep(300);
            var refused = server.ingest(batch(event("TOO_LATE")));
            var health = server.send(HttpRequest.newBuilder(server.uri("/health")));

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).contains("5");
            assertThat(refused.json().get("error").asText())
                    .isEqualTo("the server is shutting down; retry in a few seconds");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("stopping");
            assertThat(stopping).isNotDone();

            out.write(body, half, body.length - half);
            out.flush();
            String answer = readAll(inFlight.getInputStream());
            stopping.join();

            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"accepted\":100");
        }

        try (var restarted = TestServer.start(dataDir)) {
            assertThat(restarted
                            .admin("/api/v1/sites/demo/events?name=IN_FLIGHT&limit=1000")
                            .json()
                            .get("events"))
                    .hasSize(100);
            assertThat(restarted
                            .admin("/api/v1/sites/demo/events?name=TOO_LATE")
                            .json()
                            .get("events"))
                    .isEmpty();
        }
    }

    private static String readAll(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
