package dev.beckon.ingest;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets ingestion requests in while the server runs and keeps count of those under way, so that a
 * shutdown can refuse new requests with a retryable status and still finish the ones it took.
 *
 * <p>Once {@link #close()} is called, {@link #enter()} refuses; a request that entered before is
 * not affected and must call {@link #exit()} when it has answered.
 */
public final class IngestGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int inFlight;
    private boolean closed;

    /**
     * Counts a request in.
     *
     * @return false when the gate is closed; the request must then be refused and not call exit
     */
    public boolean enter() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            inFlight++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a request out, once it has answered. */
    public void exit() {
        lock.lock();
        try {
            inFlight--;
            if (inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Refuses every later request. */
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    public boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Requests under way now. */
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no request is under way, at most {@code timeout}.
     *
     * @return whether every request finished in time
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long remainingNanos = timeout.toNanos();
        lock.lock();
        try {
            while (inFlight > 0 && remainingNanos > 0) {
                remainingNanos = idle.awaitNanos(remainingNanos);
            }
            return inFlight == 0;
        } finally {
            lock.unlock();
        }
    }
}
