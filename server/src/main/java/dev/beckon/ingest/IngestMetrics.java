package dev.beckon.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of the ingestion endpoint, as Prometheus shows them (docs/configuration.md lists
 * each). Labels come from small fixed sets, never from what a client sent, so that no client can
 * make the number of series grow.
 */
public final class IngestMetrics {

    /** The fields an event can be rejected for; any other reason counts under {@code event}. */
    static final Set<String> REJECTION_FIELDS =
            Set.of("id", "name", "deviceId", "userId", "sessionId", "version", "properties", "clientTime", "event");

    /** Why a whole request was refused before any of its events was looked at. */
    public enum Refusal {
        RATE_SITE,
        RATE_DEVICE,
        STORE_UNAVAILABLE,
        WRITER_BEHIND,
        SHUTTING_DOWN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter clientDropped;
    private final Map<String, Counter> rejectedByField = new ConcurrentHashMap<>();
    private final Map<Refusal, Counter> refusals = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = Counter.builder("beckon.ingest.events.accepted")
                .description("Events written for the first time")
                .register(registry);
        this.duplicates = Counter.builder("beckon.ingest.events.duplicates")
                .description("Events that had been written before (a retry), acknowledged again")
                .register(registry);
        this.clientDropped = Counter.builder("beckon.ingest.client.dropped.events")
                .description("Events that clients report they dropped: from a full queue, or unsent when a page closed")
                .register(registry);
        REJECTION_FIELDS.forEach(this::rejectedCounter);
        for (Refusal refusal : Refusal.values()) {
            refusals.put(
                    refusal,
                    Counter.builder("beckon.ingest.requests.refused")
                            .description("Whole requests refused with a retryable status (429 or 503)")
                            .tag("reason", refusal.label())
                            .register(registry));
        }
    }

    /** Counts the outcome of one request whose events were looked at. */
    void batchWritten(int acceptedEvents, int duplicateEvents, Batch batch) {
        accepted.increment(acceptedEvents);
        duplicates.increment(duplicateEvents);
        clientDropped.increment(batch.dropped());
        batch.rejected().forEach(r -> rejectedCounter(field(r.reason())).increment());
    }

    void refused(Refusal refusal) {
        refusals.get(refusal).increment();
    }

    /** The field a rejection reason names ({@code "properties.a.b: ..."} names properties). */
    static String field(String reason) {
        int end = 0;
        while (end < reason.length() && Character.isLetter(reason.charAt(end))) {
            end++;
        }
        String field = reason.substring(0, end);
        return REJECTION_FIELDS.contains(field) ? field : "event";
    }

    private Counter rejectedCounter(String field) {
        return rejectedByField.computeIfAbsent(
                field,
                f -> Counter.builder("beckon.ingest.events.rejected")
                        .description("Events rejected by their checks, by the field at fault; they are never retried")
                        .tag("reason", f)
                        .register(registry));
    }
}
