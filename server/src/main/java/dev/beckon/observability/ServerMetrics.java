package dev.beckon.observability;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The server's Prometheus metrics, served at {@code GET /metrics} in the text exposition format:
 * the JVM's figures, the store's size and free space, and the latency of ingestion requests by
 * status. The ingestion counters and the writer's queue register themselves in {@link #registry()}.
 * docs/configuration.md lists every metric and the thresholds that mean ingestion falls behind.
 *
 * <p>The page holds no customer data (no site ids, no event names), so it is served without a key
 * on the listen address, like {@code /health}.
 */
public final class ServerMetrics implements AutoCloseable {

    private static final String INGEST_PATH = "/ingest/";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final JvmHeapPressureMetrics heapPressureMetrics = new JvmHeapPressureMetrics();

    /**
     * Registers the JVM's and the store's figures.
     *
     * @param databaseFile the store's file; its write-ahead log is {@code <file>.wal}
     * @param storeWritable whether the store takes writes now
     */
    public ServerMetrics(Path databaseFile, BooleanSupplier storeWritable) {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        heapPressureMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        registerStore(databaseFile, storeWritable);
    }

    private void registerStore(Path databaseFile, BooleanSupplier storeWritable) {
        Path wal = databaseFile.resolveSibling(databaseFile.getFileName() + ".wal");
        Gauge.builder("beckon.store.size", databaseFile, ServerMetrics::sizeOrZero)
                .description("Size of the store's files")
                .tag("file", "database")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
        Gauge.builder("beckon.store.size", wal, ServerMetrics::sizeOrZero)
                .description("Size of the store's files")
                .tag("file", "wal")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
        Gauge.builder("beckon.store.disk.free", databaseFile.getParent(), ServerMetrics::usableSpaceOrZero)
                .description("Space left for the store on the data folder's file system")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
        Gauge.builder("beckon.store.writable", storeWritable, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 when the store takes writes, 0 when the last write failed or the folder is read-only")
                // Gauges hold their object weakly; these are made here and would be collected.
                .strongReference(true)
                .register(registry);
    }

    /** Where the other parts of the server register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Serves {@code /metrics} and times every ingestion request. */
    public void register(JavalinConfig javalin) {
        javalin.routes.get("/metrics", this::scrape);
        javalin.requestLogger.http(this::timeRequest);
    }

    private void scrape(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    private void timeRequest(Context ctx, Float executionTimeMs) {
        if (!ctx.path().startsWith(INGEST_PATH) || !"POST".equals(ctx.method().name())) {
            return;
        }
        Timer.builder("beckon.ingest.requests")
                .description("Time to answer an ingestion request, by status; 200 means the events are durable")
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(registry)
                .record((long) (executionTimeMs * 1_000_000), TimeUnit.NANOSECONDS);
    }

    private static double sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static double usableSpaceOrZero(Path folder) {
        try {
            return Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        gcMetrics.close();
        heapPressureMetrics.close();
        registry.close();
    }
}
