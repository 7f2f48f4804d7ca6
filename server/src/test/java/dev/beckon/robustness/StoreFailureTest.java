package dev.beckon.robustness;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.BeckonServer;
import dev.beckon.TestServer;
import dev.beckon.config.ServerConfig;
import dev.beckon.store.StoreException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data folder's file system fills up under a running server: ingestion answers 503 with a
 * clear message and {@code Retry-After}, {@code /health} says the store cannot write, the log says
 * why, and all of it recovers once space returns, without a restart. A data folder that cannot be
 * written stops the start with a message that names it. Each test mounts a small tmpfs of its own,
 * which needs root; without root they are skipped.
 */
class StoreFailureTest {

    @TempDir
    Path temp;

    @Test
    void fullDiskRefusesBatchesWithRetryableStatusAndRecoversWhenSpaceReturns() throws Exception {
        try (var fs = Tmpfs.mount(temp.resolve("mnt"), 24);
                var logs = new LogCapture();
                var server = TestServer.start(fs.path().resolve("data"))) {
            assertThat(server.ingest(bigBatch()).status()).isEqualTo(200);

            Path filler = fs.fill();
            var refused = ingestUntilRefused(server);
            var health = health(server);

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().get("error").asText())
                    .isEqualTo("the store cannot take this request right now; retry later");
            assertThat(refused.header("Retry-After")).contains("5");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("degraded");
            assertThat(health.json().at("/store/writable").asBoolean()).isFalse();
            assertThat(logs.lines())
                    .anyMatch(line -> line.startsWith("ERROR The store cannot write")
                            && line.contains("No space left on device"));

            Files.delete(filler);
            var accepted = server.ingest(bigBatch());
            var healthy = health(server);

            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
            assertThat(accepted.json().get("accepted").asInt()).isEqualTo(200);
            assertThat(healthy.status()).isEqualTo(200);
            assertThat(healthy.json().get("status").asText()).isEqualTo("ok");
            assertThat(logs.lines()).anyMatch(line -> line.startsWith("INFO The store takes writes again"));
        }
    }

    @Test
    void readOnlyDataFolderStopsTheStartWithAMessageNamingIt() throws Exception {
        try (var fs = Tmpfs.mount(temp.resolve("ro"), 4)) {
            fs.readOnly(true);
            Path dataDir = fs.path().resolve("data");
            var config = new ServerConfig("127.0.0.1", 0, dataDir, Optional.empty(), false);

            assertThatThrownBy(() -> BeckonServer.start(config, Clock.systemUTC(), new SecureRandom()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(dataDir.toString())
                    .hasMessageContaining("Read-only file system");
        }
    }

    private static TestServer.Response health(TestServer server) {
        return server.send(HttpRequest.newBuilder(server.uri("/health")));
    }

    private static TestServer.Response ingestUntilRefused(TestServer server) {
        for (int i = 0; i < 200; i++) {
            var response = server.ingest(bigBatch());
            if (response.status() != 200) {
                return response;
            }
        }
        throw new AssertionError("200 batches were accepted on a full disk");
    }

    /** 200 events of about 2 KB each, from a few devices so that no device rate applies. */
    private static String bigBatch() {
        ObjectNode[] events = IntStream.range(0, 200)
                .mapToObj(i -> {
                    ObjectNode e = event("FILL");
                    e.put("deviceId", "d-fill-" + i);
                    e.with("properties").put("pad", "p".repeat(2000) + i);
                    return e;
                })
                .toArray(ObjectNode[]::new);
        return batch(events);
    }
}
