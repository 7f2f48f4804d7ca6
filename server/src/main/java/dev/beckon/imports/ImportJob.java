package dev.beckon.imports;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One import of one file, and its progress. The counters move while the import runs and are read
 * by other threads for the progress answers; the rest is set by the import's own thread.
 */
public final class ImportJob {

    /** Where an import is. */
    public enum Status {
        QUEUED,
        RUNNING,
        DONE,
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String siteId;
    private final String id;
    private final String fileSha256;
    private final long fileBytes;
    private final String cohort;
    private final Instant createdAt;
    final AtomicLong rowsRead = new AtomicLong();
    final AtomicLong rowsKept = new AtomicLong();
    final AtomicLong rowsRejected = new AtomicLong();
    final AtomicLong membersAdded = new AtomicLong();
    final AtomicLong propertiesAdded = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    private volatile Status status;
    private volatile String error;
    private volatile Instant finishedAt;

    ImportJob(String siteId, String id, String fileSha256, long fileBytes, String cohort, Instant createdAt) {
        this.siteId = siteId;
        this.id = id;
        this.fileSha256 = fileSha256;
        this.fileBytes = fileBytes;
        this.cohort = cohort;
        this.createdAt = createdAt;
        this.status = Status.QUEUED;
    }

    /** A finished import as it was recorded. */
    static ImportJob recorded(
            String siteId,
            String id,
            String fileSha256,
            long fileBytes,
            String cohort,
            Instant createdAt,
            Status status,
            String error,
            long[] counts,
            Instant finishedAt) {
        var job = new ImportJob(siteId, id, fileSha256, fileBytes, cohort, createdAt);
        job.status = status;
        job.error = error;
        job.finishedAt = finishedAt;
        AtomicLong[] counters = job.counters();
        for (int i = 0; i < counters.length; i++) {
            counters[i].set(counts[i]);
        }
        return job;
    }

    /** rowsRead, rowsKept, rowsRejected, membersAdded, propertiesAdded, bytesRead, in that order. */
    AtomicLong[] counters() {
        return new AtomicLong[] {rowsRead, rowsKept, rowsRejected, membersAdded, propertiesAdded, bytesRead};
    }

    void running() {
        status = Status.RUNNING;
    }

    void finished(Instant at) {
        finishedAt = at;
        status = Status.DONE;
    }

    void failed(Instant at, String message) {
        finishedAt = at;
        error = message;
        status = Status.FAILED;
    }

    public String siteId() {
        return siteId;
    }

    public String id() {
        return id;
    }

    public String fileSha256() {
        return fileSha256;
    }

    public long fileBytes() {
        return fileBytes;
    }

    /** The cohort the ids go into, or null when the file only sets user properties. */
    public String cohort() {
        return cohort;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Status status() {
        return status;
    }

    /** Why the import stopped, or null. */
    public String error() {
        return error;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public long rowsRead() {
        return rowsRead.get();
    }

    public long rowsKept() {
        return rowsKept.get();
    }

    public long rowsRejected() {
        return rowsRejected.get();
    }

    public long membersAdded() {
        return membersAdded.get();
    }

    public long propertiesAdded() {
        return propertiesAdded.get();
    }

    public long bytesRead() {
        return Math.min(bytesRead.get(), fileBytes);
    }

    /** Whether the import no longer moves. */
    public boolean isFinished() {
        return status == Status.DONE || status == Status.FAILED;
    }

    /** How much of the file was read, from 0 to 100. */
    public int percent() {
        if (status == Status.DONE) {
            return 100;
        }
        return fileBytes == 0 ? 0 : (int) (100 * bytesRead() / fileBytes);
    }
}
