package dev.beckon.bench.load;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;

/**
 * The baseline: Javalin on Jetty with virtual threads, as Beckon is configured, whose ingestion
 * route reads the whole body, discards it, and answers a small JSON document. Whatever Beckon
 * costs beyond this is parsing, validation and the durable write.
 */
final class BareHandler implements AutoCloseable {

    private final Javalin http;

    private BareHandler(Javalin http) {
        this.http = http;
    }

    static BareHandler start() {
        return start(0);
    }

    static BareHandler start(int port) {
        Javalin http = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.routes.post("/ingest/{siteId}", ctx -> {
                long read = discard(ctx.req().getInputStream());
                ctx.contentType("application/json")
                        .result("{\"accepted\":" + (read > 0 ? 1 : 0) + ",\"duplicates\":0,\"rejected\":[]}");
            });
        });
        http.start("127.0.0.1", port);
        return new BareHandler(http);
    }

    private static long discard(InputStream in) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
        }
        return total;
    }

    /** Serves on the port given as the only argument until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        Javalin http = start(Integer.parseInt(args[0])).http;
        System.out.println("bare handler on port " + http.port());
        Thread.currentThread().join();
    }

    int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.stop();
    }
}
