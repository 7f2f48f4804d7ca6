package dev.beckon.bench.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.BeckonServer;
import dev.beckon.Json;
import dev.beckon.config.ServerConfig;
import dev.beckon.imports.ImportFileReader;
import dev.beckon.imports.ImportHeader;
import dev.beckon.imports.ImportLimits;
import dev.beckon.imports.ImportRow;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Imports a generated file (made while it is sent, never held) of {@code --rows} rows through the
 * admin API of an in-process server: into a cohort (ids only), as user properties (three typed
 * columns), the property file again (which must change nothing), then exports the cohort as CSV
 * and JSON lines. The baseline, in the same run, is reading the property file with the import's
 * parser alone, with no store: each figure is also given as a share of that rate. The JVM's heap
 * is what run.sh gives it; the highest heap use seen during each step is reported.
 */
public final class ImportBench {

    private static final String KEY = "bench-admin-key-0123456789";

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    private ImportBench(int port) {
        this.base = "http://127.0.0.1:" + port + "/api/v1/sites/demo";
    }

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000;
        for (String arg : args) {
            if (arg.startsWith("--rows=")) {
                rows = Integer.parseInt(arg.substring("--rows=".length()));
            } else {
                throw new IllegalArgumentException("unknown option " + arg + "; the one option is --rows=N");
            }
        }
        Path dataDir = Files.createTempDirectory("beckon-import-bench");
        var config = new ServerConfig("127.0.0.1", 0, dataDir, Optional.of(KEY), true);
        try (var server = BeckonServer.start(config, Clock.systemUTC(), new SecureRandom())) {
            new ImportBench(server.port()).run(rows);
        }
    }

    private void run(int rows) throws Exception {
        System.out.printf(
                "rows: %,d; heap limit %d MB; %d processors%n%n",
                rows,
                Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| step | seconds | rows per second | share of parsing alone | highest heap used, MB |");
        System.out.println("| --- | --: | --: | --: | --: |");
        Step parse = measure(() -> parseOnly(rows));
        print("parsing alone (baseline)", parse, rows, parse);
        Step cohort = measure(() -> imported(GeneratedFile::ids, rows, "?cohort=bench"));
        print("import into a cohort, ids only", cohort, rows, parse);
        Step properties = measure(() -> imported(GeneratedFile::withProperties, rows, ""));
        print("import as user properties, 3 typed columns", properties, rows, parse);
        Step again = measure(() -> imported(GeneratedFile::withProperties, rows, ""));
        print("the same property file again (" + again.result + ")", again, rows, parse);
        Step csv = measure(() -> exported("csv"));
        print("export of the cohort, CSV", csv, rows, parse);
        Step jsonl = measure(() -> exported("jsonl"));
        print("export of the cohort, JSON lines", jsonl, rows, parse);
    }

    /** What one step answered, how long it took and the most heap it was seen to use. */
    private record Step(String result, double seconds, long heapMb) {}

    @FunctionalInterface
    private interface Work {
        String run() throws Exception;
    }

    private static Step measure(Work work) throws Exception {
        System.gc();
        AtomicLong highest = new AtomicLong();
        var memory = ManagementFactory.getMemoryMXBean();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                highest.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        String result = work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        return new Step(result, seconds, highest.get() >> 20);
    }

    private static void print(String name, Step step, int rows, Step baseline) {
        System.out.printf(
                "| %s | %.1f | %,.0f | %.2f | %d |%n",
                name, step.seconds(), rows / step.seconds(), baseline.seconds() / step.seconds(), step.heapMb());
    }

    private static String parseOnly(int rows) {
        AtomicLong kept = new AtomicLong();
        new ImportFileReader(ImportLimits.DEFAULT)
                .read(GeneratedFile.withProperties(rows), new ImportFileReader.Rows() {
                    @Override
                    public void header(ImportHeader header) {}

                    @Override
                    public void kept(ImportRow row) {
                        kept.incrementAndGet();
                    }

                    @Override
                    public void rejected(long line, String reason) {
                        throw new IllegalStateException("line " + line + ": " + reason);
                    }
                });
        return kept + " rows";
    }

    private String imported(IntFunction<InputStream> file, int rows, String query) throws Exception {
        var upload = client.send(
                request(base + "/imports" + query)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> file.apply(rows)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (upload.statusCode() != 202) {
            throw new IllegalStateException("the upload was answered " + upload.statusCode() + ": " + upload.body());
        }
        String id = Json.mapper().readTree(upload.body()).get("id").asText();
        while (true) {
            JsonNode job = Json.mapper()
                    .readTree(
                            client.send(request(base + "/imports/" + id).build(), HttpResponse.BodyHandlers.ofString())
                                    .body());
            String status = job.get("status").asText();
            if (status.equals("failed")) {
                throw new IllegalStateException("the import failed: " + job);
            }
            if (status.equals("done")) {
                return job.get("cohortMembersAdded").asLong() + " members and "
                        + job.get("userPropertyEventsAdded").asLong() + " property events added";
            }
            Thread.sleep(100);
        }
    }

    private String exported(String format) throws Exception {
        HttpResponse<Stream<String>> export = client.send(
                request(base + "/cohorts/bench/export?format=" + format).build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = export.body()) {
            return lines.count() + " lines";
        }
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY);
    }

    /** A CSV file made row by row as it is read; the same bytes every time. */
    static final class GeneratedFile extends InputStream {

        private final int rows;
        private final IntFunction<String> row;
        private byte[] line;
        private int next;
        private int position;

        private GeneratedFile(String header, int rows, IntFunction<String> row) {
            this.rows = rows;
            this.row = row;
            this.line = header.getBytes(StandardCharsets.UTF_8);
        }

        static InputStream ids(int rows) {
            return new GeneratedFile("userId\n", rows, i -> "user-" + i + "@example.com\n");
        }

        static InputStream withProperties(int rows) {
            return new GeneratedFile(
                    "userId,plan,score:number,paid:boolean\n",
                    rows,
                    i -> "user-" + i + "@example.com," + (i % 3 == 0 ? "pro" : "free") + "," + (i % 1000) + ","
                            + (i % 2 == 0) + "\n");
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
            if (next >= rows) {
                return false;
            }
            line = row.apply(next++).getBytes(StandardCharsets.UTF_8);
            position = 0;
            return true;
        }
    }
}
