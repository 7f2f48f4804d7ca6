package dev.beckon.ingest;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.ChildServer;
import dev.beckon.TestServer;
import dev.beckon.store.duckdb.DuckDbDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged event survives {@code kill -9}: the server runs in a child JVM, takes batches
 * from several clients, and is killed at a random moment while they are still sending, twenty times
 * over. A batch whose answer never came is sent again after the restart, as the SDK does, so that
 * some events reach the store twice. At the end every acknowledged event is there, exactly once.
 */
class CrashDurabilityTest {

    private static final int ROUNDS = 20;
    private static final int CLIENTS = 4;
    private static final int MIN_LOAD_MS = 200;
    private static final int MAX_LOAD_MS = 1200;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    private final Random random = new Random();
    /** Batches whose answer never came; sent again, unchanged, in the next round. */
    private final Queue<List<ObjectNode>> unanswered = new ConcurrentLinkedQueue<>();

    @Test
    void acknowledgedEventsSurviveKillDashNine() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        for (int round = 0; round < ROUNDS; round++) {
            Child server = startServer();
            sendUntilKilled(server.port(), server.process(), acknowledged, random.nextInt(MIN_LOAD_MS, MAX_LOAD_MS));
            assertThat(server.process().isAlive()).isFalse();
        }

        Child restarted = startServer();
        restarted.process().destroy(); // a clean stop, so that the test can open the file itself
        assertThat(restarted.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        Map<String, Long> stored = storedIdCounts();
        assertThat(acknowledged).hasSizeGreaterThan(100);
        assertThat(stored.keySet()).containsAll(acknowledged);
        assertThat(stored.values()).allMatch(count -> count == 1);
    }

    private void sendUntilKilled(int port, Process server, Set<String> acknowledged, int loadMs)
            throws InterruptedException {
        var stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            clients.submit(() -> {
                while (!stop.get()) {
                    sendOneBatch(port, acknowledged);
                }
            });
        }
        Thread.sleep(loadMs);
        server.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
        server.waitFor();
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private void sendOneBatch(int port, Set<String> acknowledged) {
        List<ObjectNode> events = unanswered.poll();
        if (events == null) {
            events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ObjectNode e = event("CRASH_TEST");
                events.add(e.put("deviceId", "d-" + e.get("id").asText()));
            }
        }
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ingest/demo"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(batch(events.toArray(ObjectNode[]::new))))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                events.forEach(e -> acknowledged.add(e.get("id").asText()));
            } else {
                unanswered.add(events);
            }
        } catch (IOException e) {
            unanswered.add(events); // the server died under this request: nothing was acknowledged
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Long> storedIdCounts() throws Exception {
        Map<String, Long> counts = new HashMap<>();
        String url = "jdbc:duckdb:" + dataDir.resolve(DuckDbDatabase.FILE_NAME);
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT id, count(*) FROM events WHERE name = 'CRASH_TEST' GROUP BY id")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    private record Child(Process process, int port) {}

    private Child startServer() throws IOException {
        int port = ChildServer.freePort();
        var builder = ChildServer.command(
                Map.of(
                        "BECKON_PORT",
                        Integer.toString(port),
                        "BECKON_DATA_DIR",
                        dataDir.toString(),
                        "BECKON_ADMIN_KEY",
                        TestServer.ADMIN_KEY,
                        "BECKON_LOG_LEVEL",
                        "WARN"),
                "--demo");
        builder.redirectErrorStream(true)
                .redirectOutput(
                        dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile());
        Process process = builder.start();
        ChildServer.awaitHealthy(process, port, client);
        return new Child(process, port);
    }
}
