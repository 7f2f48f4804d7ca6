package dev.beckon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Beckon server in a JVM of its own, started as the launcher starts it ({@code Beckon serve}),
 * for tests that kill it, read its output, or need settings that the JVM reads once.
 */
public final class ChildServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private ChildServer() {}

    /** A process builder for {@code Beckon serve} with the test's class path and these settings. */
    public static ProcessBuilder command(Map<String, String> environment, String... arguments) {
        return command(List.of(), environment, arguments);
    }

    /** As {@link #command(Map, String...)}, with options for the child's JVM, such as its heap. */
    public static ProcessBuilder command(
            List<String> jvmOptions, Map<String, String> environment, String... arguments) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.beckon.Beckon", "serve"));
        command.addAll(List.of(arguments));
        var builder = new ProcessBuilder(command);
        builder.environment().put("BECKON_HOST", "127.0.0.1");
        builder.environment().putAll(environment);
        return builder;
    }

    /** Waits until {@code /health} answers 200, failing the test when the process exits first. */
    public static void awaitHealthy(Process process, int port, HttpClient client) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleepBriefly();
        }
        throw new AssertionError("the server did not become healthy within " + START_TIMEOUT.toSeconds() + " s");
    }

    /** A port that was free a moment ago. */
    public static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
