package dev.beckon.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.ChildServer;
import dev.beckon.Json;
import dev.beckon.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file of a million rows, made while it is sent, imported into a cohort by a server whose heap is
 * {@value #HEAP}: the import finishes, its progress moves, and the cohort is then exported in full
 * as a stream. The heap limit is what shows that neither the upload, nor the import, nor the
 * export is held in memory. The same run with user properties, which is slower, is the benchmark
 * in bench/imports.
 */
class MillionRowImportTest {

    static final String HEAP = "-Xmx128m";
    static final int ROWS = 1_000_000;
    private static final Pattern HEAP_USED = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)");

    @TempDir
    Path dataDir;

    Process process;
    final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroy();
        }
    }

    @Test
    void aMillionRowFileIsImportedAndExportedInBoundedMemoryWithProgress() throws Exception {
        int port = startServer();
        String base = "http://127.0.0.1:" + port + "/api/v1/sites/demo";
        long started = System.nanoTime();

        var upload = send(HttpRequest.newBuilder(URI.create(base + "/imports?cohort=big"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedFile(ROWS))));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        String id = Json.mapper().readTree(upload.body()).get("id").asText();
        List<Long> progress = new ArrayList<>();
        JsonNode job = pollUntilFinished(base + "/imports/" + id, progress);
        double importSeconds = (System.nanoTime() - started) / 1e9;

        long exportStarted = System.nanoTime();
        HttpResponse<Stream<String>> export = client.send(
                authorised(URI.create(base + "/cohorts/big/export?format=csv")).build(),
                HttpResponse.BodyHandlers.ofLines());
        long lines;
        try (Stream<String> body = export.body()) {
            lines = body.count();
        }
        double exportSeconds = (System.nanoTime() - exportStarted) / 1e9;
        long heapUsedBytes = heapUsed(port);

        System.out.printf(
                "million-row import: %.1f s import, %.1f s export, %d progress samples, heap now %d MB%n",
                importSeconds, exportSeconds, progress.size(), heapUsedBytes / 1024 / 1024);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.get("rowsKept").asLong()).isEqualTo(ROWS);
        assertThat(job.get("cohortMembersAdded").asLong()).isEqualTo(ROWS);
        assertThat(progress).isSorted().anyMatch(read -> read > 0 && read < ROWS);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Length")).isEmpty();
        assertThat(lines).isEqualTo(ROWS + 1);
        assertThat(importSeconds).isLessThan(60);
    }

    private JsonNode pollUntilFinished(String url, List<Long> progress) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = Json.mapper()
                    .readTree(send(HttpRequest.newBuilder(URI.create(url))).body());
            progress.add(job.get("rowsRead").asLong());
            if (!job.get("status").asText().matches("queued|running")) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the import did not finish within 120 s");
    }

    private long heapUsed(int port) throws Exception {
        String metrics = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        long used = 0;
        Matcher matcher = HEAP_USED.matcher(metrics);
        while (matcher.find()) {
            used += (long) Double.parseDouble(matcher.group(1));
        }
        return used;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(authorised(request).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder authorised(URI uri) {
        return authorised(HttpRequest.newBuilder(uri));
    }

    private static HttpRequest.Builder authorised(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + TestServer.ADMIN_KEY);
    }

    private int startServer() throws IOException {
        int port = ChildServer.freePort();
        var builder = ChildServer.command(
                List.of(HEAP),
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
        process = builder.start();
        ChildServer.awaitHealthy(process, port, client);
        return port;
    }

    /** A CSV file of {@code userId,deviceId} rows, made as it is read: its size never matters. */
    static final class GeneratedFile extends InputStream {

        private final int rows;
        private int next = -1;
        private byte[] line = "userId,deviceId\n".getBytes(StandardCharsets.UTF_8);
        private int position;

        GeneratedFile(int rows) {
            this.rows = rows;
        }

        @Override
        public int read() {
            if (position == line.length && !advance()) {
                return -1;
            }
            return line[position++];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int written = 0;
            while (written < length) {
                if (position == line.length && !advance()) {
                    return written == 0 ? -1 : written;
                }
                int n = Math.min(length - written, line.length - position);
                System.arraycopy(line, position, buffer, offset + written, n);
                position += n;
                written += n;
            }
            return written;
        }

        private boolean advance() {
            if (++next >= rows) {
                return false;
            }
            line = ("user-" + next + "@example.com,d-" + next + "\n").getBytes(StandardCharsets.UTF_8);
            position = 0;
            return true;
        }
    }
}
