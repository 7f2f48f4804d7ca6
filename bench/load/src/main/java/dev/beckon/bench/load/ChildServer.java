package dev.beckon.bench.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server under test in a JVM of its own, so that its memory and CPU are its own and the load
 * generator's are not counted: either Beckon's embedded deployment or the bare handler, both with
 * the same JVM options.
 */
final class ChildServer implements AutoCloseable {

    static final List<String> JVM_OPTIONS = List.of("-Xmx1g", "--enable-native-access=ALL-UNNAMED");

    private final Process process;
    private final int port;

    private ChildServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Beckon with the demo site, on {@code dataDir}, with rate limits off (the load is one site). */
    static ChildServer beckon(Path dataDir, Path log) throws Exception {
        int port = freePort();
        var env = Map.of(
                "BECKON_PORT", Integer.toString(port),
                "BECKON_HOST", "127.0.0.1",
                "BECKON_DATA_DIR", dataDir.toString(),
                "BECKON_ADMIN_KEY", LoadBench.ADMIN_KEY,
                "BECKON_LOG_LEVEL", "WARN",
                "BECKON_RATE_LIMIT_SITE", "0",
                "BECKON_RATE_LIMIT_DEVICE", "0");
        return start(List.of("dev.beckon.Beckon", "serve", "--demo"), env, port, "/health", log);
    }

    static ChildServer bare(Path log) throws Exception {
        int port = freePort();
        return start(
                List.of(BareHandler.class.getName(), Integer.toString(port)), Map.of(), port, "/ingest/probe", log);
    }

    private static ChildServer start(List<String> main, Map<String, String> env, int port, String probe, Path log)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM_OPTIONS);
        // Extra options for a profiling run, such as -XX:StartFlightRecording=...; none by default.
        String extra = System.getenv().getOrDefault("BECKON_BENCH_SERVER_JVM_OPTIONS", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.strip().split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(main);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        var child = new ChildServer(builder.start(), port);
        child.awaitUp(probe);
        return child;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The child's resident memory, from /proc, in bytes; -1 where /proc is not there. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private void awaitUp(String probe) throws Exception {
        var client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server process exited during start");
            }
            try {
                var request = probe.startsWith("/ingest")
                        ? HttpRequest.newBuilder(uri(probe)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                        : HttpRequest.newBuilder(uri(probe));
                if (client.send(request.build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not answer within 60 s");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops the server as SIGTERM does: it finishes its writes and closes its store. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
