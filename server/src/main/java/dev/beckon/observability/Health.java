package dev.beckon.observability;

import dev.beckon.ingest.IngestGate;
import dev.beckon.ingest.IngestWriter;
import dev.beckon.store.EventStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health routes. {@code /health/live} answers 200 while the process serves HTTP at all: a
 * supervisor restarts the server only when it fails. {@code /health/ready}, and {@code /health}
 * (a documented fixed point), answer 200 when the server takes events and 503 when it does not:
 * the store cannot write (disk full, data folder read-only) or the server is shutting down.
 * Both answers carry the store's state and the writer's backlog.
 */
public final class Health {

    private final EventStore store;
    private final String storeKind;
    private final Path dataDir;
    private final IngestWriter writer;
    private final IngestGate gate;

    public Health(EventStore store, String storeKind, Path dataDir, IngestWriter writer, IngestGate gate) {
        this.store = store;
        this.storeKind = storeKind;
        this.dataDir = dataDir;
        this.writer = writer;
        this.gate = gate;
    }

    public void register(JavalinConfig javalin) {
        javalin.routes.get("/health", this::ready);
        javalin.routes.get("/health/ready", this::ready);
        javalin.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "alive")));
    }

    private void ready(Context ctx) {
        boolean writable = store.isWritable();
        boolean open = gate.isOpen();
        String status = !open ? "stopping" : writable ? "ok" : "degraded";

        Map<String, Object> storeState = new LinkedHashMap<>();
        storeState.put("kind", storeKind);
        storeState.put("writable", writable);
        storeState.put("diskFreeBytes", usableSpace());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("store", storeState);
        body.put(
                "ingest",
                Map.of("queuedEvents", writer.queuedEvents(), "oldestWaitSeconds", writer.oldestWaitSeconds()));
        ctx.status(writable && open ? 200 : 503).json(body);
    }

    private long usableSpace() {
        try {
            return Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
