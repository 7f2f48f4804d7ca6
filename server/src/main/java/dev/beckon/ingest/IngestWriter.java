package dev.beckon.ingest;

import dev.beckon.event.Event;
import dev.beckon.store.EventStore;
import dev.beckon.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the events of many concurrent requests to the store with one commit per group: a single
 * writer thread takes every request that is waiting, appends them together, and then tells each
 * request which of its events were new. A commit costs a disk sync, so grouping is what lets
 * ingestion scale with concurrent clients.
 *
 * <p>Failure semantics: a request's events are acknowledged only after the commit that holds
 * them has returned, so an acknowledged event is durable. When a group's commit fails, each
 * request of the group is retried alone, so that one request's problem cannot fail the others;
 * a request whose own commit fails gets a {@link StoreException}, and none of its events was
 * kept. After {@link #close()} no request is taken; the ones already queued are written first.
 * The queue itself is not bounded: a request waits at most {@value #MAX_WAIT_SECONDS} s for its
 * commit and is then taken out of the queue and refused with {@link Behind}, a retryable status;
 * none of its events is kept. The metrics {@code beckon_ingest_queue_oldest_wait_seconds}, {@code
 * beckon_ingest_queue_events} and {@code beckon_ingest_commit_seconds} let an operator see that
 * coming (docs/operations.md, "Telling that ingestion falls behind").
 */
public final class IngestWriter implements AutoCloseable {

    /** A group commit takes whole requests until it holds at least this many events. */
    static final int MAX_EVENTS_PER_COMMIT = 5_000;

    /** How long a request waits for its commit before it is refused with a retryable status. */
    public static final int MAX_WAIT_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(IngestWriter.class);

    /**
     * The writer did not reach a request within {@value #MAX_WAIT_SECONDS} s: more arrives than it
     * commits. The request was taken out of the queue; none of its events was kept.
     */
    public static final class Behind extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Behind(int events, Duration waited) {
            super(
                    "the writer did not reach " + events + " events within " + waited.toMillis() / 1000.0 + " s",
                    null,
                    false,
                    false);
        }
    }

    private record Pending(List<Event> events, CompletableFuture<Set<String>> written, long queuedAtNanos) {}

    private final EventStore store;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final Timer commitTime;
    private final DistributionSummary eventsPerCommit;
    private final Counter commitFailures;
    private final Thread thread;
    private final Duration maxWait;
    private volatile boolean closed;
    /** Failed commits since the last one that succeeded; touched only by the writer thread. */
    private long failuresInARow;

    /** Starts the writer thread; its queue and commits are measured in {@code metrics}. */
    public IngestWriter(EventStore store, MeterRegistry metrics) {
        this(store, metrics, Duration.ofSeconds(MAX_WAIT_SECONDS));
    }

    /** As {@link #IngestWriter(EventStore, MeterRegistry)}, with another wait than the 30 s. */
    IngestWriter(EventStore store, MeterRegistry metrics, Duration maxWait) {
        this.store = store;
        this.maxWait = maxWait;
        this.commitTime = Timer.builder("beckon.ingest.commit")
                .description("Time of one group commit, including the disk sync")
                .publishPercentileHistogram()
                .register(metrics);
        this.eventsPerCommit = DistributionSummary.builder("beckon.ingest.commit.events")
                .description("Events in one group commit")
                .baseUnit("events")
                .register(metrics);
        this.commitFailures = Counter.builder("beckon.ingest.commit.failures")
                .description("Commits that failed; their requests were refused with a retryable status")
                .register(metrics);
        Gauge.builder("beckon.ingest.queue.events", queuedEvents, AtomicInteger::get)
                .description("Events waiting for a commit")
                .register(metrics);
        Gauge.builder("beckon.ingest.queue.oldest.wait", this, IngestWriter::oldestWaitSeconds)
                .description("How long the oldest waiting request has waited; refused at " + MAX_WAIT_SECONDS + " s")
                .baseUnit("seconds")
                .register(metrics);
        this.thread = Thread.ofPlatform().name("beckon-ingest-writer").start(this::run);
    }

    /**
     * Writes {@code events} durably and blocks until they are.
     *
     * @return the keys ({@link EventStore#key}) of the events that were not stored before
     * @throws StoreException when the store failed, or the writer is closed; nothing was kept
     * @throws Behind when the writer did not reach the events in time; nothing was kept
     */
    public Set<String> write(List<Event> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        var pending = new Pending(events, new CompletableFuture<>(), System.nanoTime());
        queuedEvents.addAndGet(events.size());
        if (closed || !queue.offer(pending)) {
            queuedEvents.addAndGet(-events.size());
            throw new StoreException("the server is shutting down", null);
        }
        try {
            return awaitCommit(pending);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException s ? s : new StoreException("the write failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store", e);
        }
    }

    /**
     * Waits for the commit of {@code pending}; after {@code maxWait}, takes it out of the queue if
     * the writer has not taken it yet, and else waits for the commit under way.
     */
    private Set<String> awaitCommit(Pending pending) throws ExecutionException, InterruptedException {
        try {
            return pending.written().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (queue.remove(pending)) {
                queuedEvents.addAndGet(-pending.events().size());
                throw new Behind(pending.events().size(), maxWait);
            }
            try {
                return pending.written().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                throw new StoreException(
                        "the store did not finish a commit within " + 2 * maxWait.toSeconds() + " s", e);
            }
        }
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    commit(takeGroup(first));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Seconds since the oldest waiting request was queued; 0 when none waits. */
    public double oldestWaitSeconds() {
        Pending oldest = queue.peek();
        return oldest == null ? 0 : (System.nanoTime() - oldest.queuedAtNanos()) / 1e9;
    }

    /** Events waiting for a commit now. */
    public int queuedEvents() {
        return queuedEvents.get();
    }

    private List<Pending> takeGroup(Pending first) {
        List<Pending> group = new ArrayList<>();
        group.add(first);
        int events = first.events().size();
        Pending next;
        while (events < MAX_EVENTS_PER_COMMIT && (next = queue.poll()) != null) {
            group.add(next);
            events += next.events().size();
        }
        queuedEvents.addAndGet(-events);
        return group;
    }

    private void commit(List<Pending> group) {
        long startNanos = System.nanoTime();
        commitGroup(group);
        commitTime.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        eventsPerCommit.record(group.stream().mapToInt(p -> p.events().size()).sum());
    }

    private void commitGroup(List<Pending> group) {
        if (group.size() == 1) {
            commitAlone(group.getFirst());
            return;
        }
        List<Event> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.events()));
        try {
            Set<String> inserted = store.append(all);
            succeeded();
            group.forEach(p -> p.written().complete(inserted));
        } catch (StoreException e) {
            if (failuresInARow == 0) {
                log.warn(
                        "A group commit of {} requests ({} events) failed; retrying each request alone",
                        group.size(),
                        all.size(),
                        e);
            }
            group.forEach(this::commitAlone);
        } catch (RuntimeException e) {
            commitFailures.increment();
            failed(all.size(), e);
            group.forEach(p -> p.written().completeExceptionally(e));
        }
    }

    private void commitAlone(Pending pending) {
        try {
            Set<String> inserted = store.append(pending.events());
            succeeded();
            pending.written().complete(inserted);
        } catch (RuntimeException e) {
            commitFailures.increment();
            failed(pending.events().size(), e);
            pending.written().completeExceptionally(e);
        }
    }

    /**
     * Logs the first failure of a spell in full, and the rest briefly, so that a full disk under
     * load does not flood the log with the same stack.
     */
    private void failed(int events, RuntimeException e) {
        failuresInARow++;
        if (failuresInARow == 1) {
            log.error(
                    "The store cannot write: {}. {} events were refused with a retryable status (503), and so will"
                            + " every batch be until a write succeeds; /health answers 503 meanwhile. Check the"
                            + " data folder's free space and permissions.",
                    rootMessage(e),
                    events,
                    e);
        } else {
            log.warn("The store still cannot write ({} failed commits in a row): {}", failuresInARow, rootMessage(e));
        }
    }

    private void succeeded() {
        if (failuresInARow > 0) {
            log.info("The store takes writes again, after {} failed commits", failuresInARow);
            failuresInARow = 0;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Stops taking writes, finishes the queued ones, and waits for the writer thread. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(maxWait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
