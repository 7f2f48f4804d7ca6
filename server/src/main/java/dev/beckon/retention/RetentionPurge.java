package dev.beckon.retention;

import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.EventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes each site's events once they are older than the site's retention period
 * ({@link Site#retentionDays()}, docs/configuration.md, "Retention"), with the identity links that
 * only they held up.
 *
 * <p>An event's age counts from its server time, when the server received it, not from its event
 * time: the client's clock, and so the event time, can be off by years or be forged, and a
 * retention period is a promise about how long Beckon holds what it received. The two differ by
 * seconds for most events, and by the length of the offline spell for a batch that a browser sent
 * late. Server time also follows the order of the writes, so the events to delete lie together in
 * the oldest blocks of the table, which DuckDB finds from each block's minimum and maximum.
 *
 * <p>A background thread purges every site when it starts, then every {@code interval}. Each site
 * is deleted in batches of at most {@code batchEvents} events, one transaction each, with a pause
 * between them, so that ingestion waits for one batch at most and never for a whole purge.
 *
 * <p>Failure semantics: a batch that fails is rolled back whole and logged, and the purge goes on
 * with the next site; the events it did not delete are tried again at the next run. Nothing is
 * thrown out of the thread.
 */
public final class RetentionPurge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

    /** How often every site is purged, after the purge at start. */
    public static final Duration INTERVAL = Duration.ofHours(1);
    /** The events one transaction deletes at most; a few hundred milliseconds of the writer's time. */
    public static final int BATCH_EVENTS = 10_000;
    /** Lets ingestion's waiting writes in between two batches. */
    private static final Duration PAUSE_BETWEEN_BATCHES = Duration.ofMillis(20);
    /** How long closing waits for the batch under way. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final SiteRegistry sites;
    private final EventStore store;
    private final Clock clock;
    private final int batchEvents;
    private final Duration pauseBetweenBatches;
    private volatile boolean closed;
    /** The background thread once started; guarded by {@code this}. */
    private Thread purger;

    /**
     * A purge that runs only when {@link #purgeAll()} is called, until {@link #start} runs it in the
     * background.
     */
    public RetentionPurge(
            SiteRegistry sites, EventStore store, Clock clock, int batchEvents, Duration pauseBetweenBatches) {
        this.sites = sites;
        this.store = store;
        this.clock = clock;
        this.batchEvents = batchEvents;
        this.pauseBetweenBatches = pauseBetweenBatches;
    }

    /** Starts the purge of every site now and every {@link #INTERVAL}, on a background thread. */
    public static RetentionPurge start(SiteRegistry sites, EventStore store, Clock clock) {
        var purge = new RetentionPurge(sites, store, clock, BATCH_EVENTS, PAUSE_BETWEEN_BATCHES);
        purge.startEvery(INTERVAL);
        return purge;
    }

    /** Starts the background thread, which purges every site now and then every {@code interval}. */
    synchronized void startEvery(Duration interval) {
        if (purger != null) {
            throw new IllegalStateException("the retention purge runs already");
        }
        log.info("The retention purge runs now and every {} minutes", interval.toMinutes());
        purger = Thread.ofVirtual().name("beckon-retention-purge").start(() -> purgeForever(interval));
    }

    /**
     * Purges every site once, each up to the start of its retention period as of now.
     *
     * @return the events deleted, by site id, for every site whose purge ended without a failure
     */
    public Map<String, Long> purgeAll() {
        Map<String, Long> deletedBySite = new LinkedHashMap<>();
        for (Site site : sites.all()) {
            if (closed) {
                break;
            }
            try {
                deletedBySite.put(site.id(), purge(site));
            } catch (RuntimeException e) {
                log.warn(
                        "Site {}: the retention purge failed and is tried again in the next run; check the store if"
                                + " this repeats",
                        site.id(),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return deletedBySite;
    }

    private long purge(Site site) throws InterruptedException {
        Instant cutoff = clock.instant().minus(Duration.ofDays(site.retentionDays()));
        long deleted = 0;
        long batch;
        do {
            batch = store.deleteEventsReceivedBefore(site.id(), cutoff, batchEvents);
            deleted += batch;
            if (batch == batchEvents && !pauseBetweenBatches.isZero()) {
                Thread.sleep(pauseBetweenBatches);
            }
        } while (batch == batchEvents && !closed);
        if (deleted > 0) {
            log.info(
                    "Site {}: deleted {} events received before {}, the start of its {}-day retention period",
                    site.id(),
                    deleted,
                    cutoff,
                    site.retentionDays());
        } else {
            log.debug("Site {}: no event was received before {}; nothing to delete", site.id(), cutoff);
        }
        return deleted;
    }

    private void purgeForever(Duration interval) {
        while (!closed) {
            try {
                purgeAll();
            } catch (RuntimeException e) {
                log.warn("The retention purge failed and is tried again in {} minutes", interval.toMinutes(), e);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops the background thread, after the batch under way; waits for that batch at most 10 s. */
    @Override
    public void close() {
        closed = true;
        Thread running;
        synchronized (this) {
            running = purger;
        }
        if (running == null) {
            return;
        }
        running.interrupt();
        try {
            if (!running.join(CLOSE_TIMEOUT)) {
                log.warn("The retention purge did not stop within {} s", CLOSE_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
