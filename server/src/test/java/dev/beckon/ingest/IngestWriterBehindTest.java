package dev.beckon.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.store.EventStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A writer that cannot keep up refuses the requests it does not reach in time and keeps none of
 * their events, so that the client's retry is the only copy. The store here is a stand-in whose
 * commit blocks until the test lets it go: a unit test of the writer's queue, not of a store.
 */
class IngestWriterBehindTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch firstCommitStarted = new CountDownLatch(1);
    private final Queue<String> committedIds = new ConcurrentLinkedQueue<>();

    @Test
    void requestTheWriterDoesNotReachInTimeIsRefusedAndNeverWritten() throws Exception {
        var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (var writer = new IngestWriter(blockingStore(), metrics, Duration.ofMillis(300))) {
            var first = CompletableFuture.supplyAsync(() -> writer.write(List.of(event("e-first"))));
            assertThat(firstCommitStarted.await(10, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> writer.write(List.of(event("e-late-1"), event("e-late-2"))))
                    .isInstanceOf(IngestWriter.Behind.class)
                    .hasMessage("the writer did not reach 2 events within 0.3 s");
            assertThat(writer.queuedEvents()).isZero();
            assertThat(writer.oldestWaitSeconds()).isZero();

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly("demo\ne-first");
        }
        assertThat(committedIds).containsExactly("e-first");
    }

    private EventStore blockingStore() {
        return (EventStore) Proxy.newProxyInstance(
                EventStore.class.getClassLoader(), new Class<?>[] {EventStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "append" -> {
                            @SuppressWarnings("unchecked")
                            List<Event> events = (List<Event>) args[0];
                            firstCommitStarted.countDown();
                            release.await();
                            Set<String> keys = new HashSet<>();
                            events.forEach(e -> {
                                committedIds.add(e.id());
                                keys.add(EventStore.key(e));
                            });
                            return keys;
                        }
                        case "isWritable" -> {
                            return true;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static Event event(String id) {
        Instant time = Instant.parse("2026-11-01T10:00:00Z");
        return new Event(
                "demo", id, "VIEW", "d-1", null, "s-1", Json.mapper().createObjectNode(), "1", time, time, time);
    }
}
