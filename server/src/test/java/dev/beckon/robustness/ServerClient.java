package dev.beckon.robustness;

import dev.beckon.BeckonServer;
import dev.beckon.TestServer;
import dev.beckon.config.ServerConfig;
import dev.beckon.ingest.RateLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A demo-mode server started with rate limits and a clock of the test's choosing, and a small
 * client for it. {@link TestServer} serves the tests that need neither.
 */
public final class ServerClient implements AutoCloseable {

    private final BeckonServer server;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerClient(BeckonServer server) {
        this.server = server;
    }

    public static ServerClient start(Path dataDir, RateLimits limits, Clock clock) {
        var config = new ServerConfig("127.0.0.1", 0, dataDir, Optional.of(TestServer.ADMIN_KEY), true);
        return new ServerClient(BeckonServer.start(config, limits, clock, new SecureRandom()));
    }

    public BeckonServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** A POST of {@code body} to {@code /ingest/demo}, as the SDK's fetch sends it. */
    public TestServer.Response ingest(String body) {
        return send(HttpRequest.newBuilder(uri("/ingest/demo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public TestServer.Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    /** A GET of an admin API path with the admin key. */
    public TestServer.Response admin(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TestServer.ADMIN_KEY));
    }

    public TestServer.Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new TestServer.Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException("the request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
