package dev.beckon.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The events waiting to be sent, oldest first, bounded in count; the sender takes batches from the
 * front and gives back, at the front, those that must be tried again. Thread-safe: every method
 * holds the queue's monitor, on which waiters are woken.
 */
final class EventQueue {

    private final int maxEvents;
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private long oldestQueuedAtNanos;
    private long droppedTotal;
    private long droppedUnreported;
    private int inFlight;
    private boolean flushRequested;
    private boolean closed;

    EventQueue(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    synchronized void add(String eventJson) {
        if (closed) {
            return;
        }
        if (events.isEmpty()) {
            oldestQueuedAtNanos = System.nanoTime();
        }
        events.addLast(eventJson);
        if (events.size() > maxEvents) {
            events.removeFirst();
            droppedTotal++;
            droppedUnreported++;
        }
        notifyAll();
    }

    /**
     * Waits until a batch is due: {@code batchSize} events wait, the oldest has waited {@code
     * interval}, a flush was asked for, or the queue was closed with events in it.
     */
    synchronized void awaitBatch(int batchSize, Duration interval) throws InterruptedException {
        while (true) {
            boolean waiting = !events.isEmpty();
            long dueInNanos = oldestQueuedAtNanos + interval.toNanos() - System.nanoTime();
            if (waiting && (events.size() >= batchSize || flushRequested || closed || dueInNanos <= 0)) {
                return;
            }
            if (waiting) {
                wait(Math.max(1, dueInNanos / 1_000_000));
            } else {
                flushRequested = false;
                wait();
            }
        }
    }

    /** Takes up to {@code maxEvents} events, together at most {@code maxBytes} of UTF-8, off the front. */
    synchronized Batch take(int maxEvents, int maxBytes) {
        List<String> taken = new ArrayList<>();
        int bytes = 0;
        while (!events.isEmpty() && taken.size() < maxEvents) {
            int size = events.peekFirst().getBytes(StandardCharsets.UTF_8).length + 1;
            if (!taken.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            taken.add(events.removeFirst());
            bytes += size;
        }
        inFlight += taken.size();
        long dropped = droppedUnreported;
        droppedUnreported = 0;
        return new Batch(taken, dropped);
    }

    /** The batch was answered for: its events leave for good. */
    synchronized void done(Batch batch) {
        inFlight -= batch.events().size();
        restartClock();
        notifyAll();
    }

    /** The batch must be tried again: its events go back to the front, in order. */
    synchronized void giveBack(Batch batch) {
        inFlight -= batch.events().size();
        for (int i = batch.events().size() - 1; i >= 0; i--) {
            events.addFirst(batch.events().get(i));
        }
        droppedUnreported += batch.dropped();
        notifyAll();
    }

    /** Whether nothing waits and nothing is in flight; waits up to {@code timeout} for it. */
    synchronized boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        flushRequested = true;
        notifyAll();
        while (!events.isEmpty() || inFlight > 0) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return false;
            }
            wait(leftMs);
        }
        return true;
    }

    /** Sleeps for {@code delay}, a backoff; the client's close interrupts it once its time is up. */
    synchronized void pause(Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + delay.toNanos();
        long leftMs;
        while ((leftMs = (deadline - System.nanoTime()) / 1_000_000) > 0) {
            wait(leftMs);
        }
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Empties the queue, for a client that gave up at close; returns how many events were lost. */
    synchronized int discard() {
        int lost = events.size();
        events.clear();
        return lost;
    }

    synchronized int size() {
        return events.size() + inFlight;
    }

    synchronized long droppedTotal() {
        return droppedTotal;
    }

    private void restartClock() {
        oldestQueuedAtNanos = System.nanoTime();
    }

    /** Events taken together, and the count of dropped events that the request reports. */
    record Batch(List<String> events, long dropped) {}
}
