package dev.beckon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A real Beckon server on the embedded store, in this JVM, on a free port of 127.0.0.1, with a
 * small HTTP client for tests.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_KEY = "test-admin-key-0123456789";

    private final BeckonServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private TestServer(BeckonServer server) {
        this.server = server;
    }

    /** Starts a demo-mode server whose data lives in {@code dataDir}. */
    public static TestServer start(Path dataDir) {
        return start(dataDir, Clock.systemUTC());
    }

    public static TestServer start(Path dataDir, Clock clock) {
        return start(new ServerConfig("127.0.0.1", 0, dataDir, Optional.of(ADMIN_KEY), true), clock);
    }

    /** Starts a server of this configuration; give it {@link #ADMIN_KEY} for the helpers that use it. */
    public static TestServer start(ServerConfig config, Clock clock) {
        return new TestServer(BeckonServer.start(config, clock, new SecureRandom()));
    }

    /** Every route the server registered. */
    public List<BeckonServer.Route> routes() {
        return server.routes();
    }

    /** A request to the admin API with this key, and a JSON body unless it is null. */
    public Response api(String method, String path, String key, String jsonBody) {
        var request = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    /** The client that the helpers send with, for tests that read an answer as a stream. */
    public HttpClient client() {
        return client;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A POST to {@code /ingest/demo} with a text/plain body, as a beacon sends it. */
    public Response ingest(String body) {
        return send(HttpRequest.newBuilder(uri("/ingest/demo"))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Sends the events in one batch, as {@link #ingest(String)} does, and expects every one stored. */
    public void ingestAccepted(ObjectNode... events) {
        var answer = ingest(Batches.batch(events));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("rejected")).as(answer.body()).isEmpty();
    }

    /** A GET of an admin API path with the admin key. */
    public Response admin(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + ADMIN_KEY));
    }

    /** A DELETE of an admin API path with the admin key. */
    public Response adminDelete(String path) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .DELETE());
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException("the request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A status and a body; {@link #json()} parses the body. */
    public record Response(int status, String body, HttpResponse<String> raw) {

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AssertionError("the body is not JSON: " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }
}
