package dev.beckon.scaleout.move;

import dev.beckon.config.Deployment;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseSchema;
import dev.beckon.store.postgres.PostgresDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves an embedded installation's data into a scale-out one ({@code ./beckon move-to-scale-out},
 * docs/scale-out.md "Moving an embedded installation"): the metadata tables of the DuckDB file into
 * PostgreSQL, its events into ClickHouse, then a check that both sides hold as many rows.
 *
 * <p>The steps, in order: open the store read-only, which refuses while a Beckon server holds it and
 * keeps one from starting until the move ends; bring PostgreSQL and ClickHouse to the current schema
 * with their migrations; refuse a target that holds other data, before anything is written; copy the
 * metadata in one PostgreSQL transaction ({@link MetadataCopy}); copy the events in batches through
 * the ClickHouse writer, which stores each once ({@link EventCopy}); count both sides.
 *
 * <p>Failure semantics: a move that stops (an engine down, the process killed) leaves the metadata
 * whole or absent, and some of the events; running it again over the same target finishes the job
 * and stores nothing twice. Kafka is not used: the events go straight to ClickHouse.
 */
public final class MoveToScaleOut {

    /** How often a line of progress is printed while events are copied. */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

    /** What the move tells its operator. */
    public interface Listener {

        /** A line for the operator: progress, what was found, the check. */
        void line(String text);

        /** A batch of events is in ClickHouse: {@code copied} of the store's {@code total} are there. */
        default void eventsWritten(long copied, long total) {}
    }

    /** One line of the final check: the rows of a table, or the events of a site, on both sides. */
    public record Count(String what, long embedded, long scaleOut) {

        public boolean matches() {
            return embedded == scaleOut;
        }
    }

    private MoveToScaleOut() {}

    /**
     * Moves the store of {@code dataDir} into the engines of {@code target}, and checks the counts.
     *
     * @return the check's counts, each of which matches
     * @throws MoveException when the move is refused (nothing is written then), fails, or its check
     *     finds a difference; the message says which
     */
    public static List<Count> move(Path dataDir, Deployment.ScaleOut target, Clock clock, Listener listener) {
        try (EmbeddedSource source = EmbeddedSource.open(dataDir);
                PostgresDatabase postgres = PostgresDatabase.open(target.postgres())) {
            listener.line("Moving " + source.describe() + " into PostgreSQL " + postgres.describe() + " and ClickHouse "
                    + target.clickHouse().url() + ", database "
                    + target.clickHouse().database());
            var clickHouse = new ClickHouseHttp(target.clickHouse());
            ClickHouseSchema.migrate(clickHouse, clock);

            // Every refusal comes before the first write.
            var metadata = new MetadataCopy(source, postgres);
            var events = new EventCopy(source, clickHouse);
            Map<String, Long> eventsHere = events.sourceCounts();
            Map<String, Long> eventsThere = events.targetCounts();
            events.requireNoOtherData(eventsHere, eventsThere);
            metadata.copyOrConfirm(listener::line);

            long added = events.copy(eventsHere, eventsThere, progress(clock, listener));
            listener.line("events: " + added + " written to ClickHouse in this run");

            return check(metadata, events, listener);
        }
    }

    private static EventCopy.Progress progress(Clock clock, Listener listener) {
        long started = clock.millis();
        long[] lastLine = {started};
        return (siteId, copied, total) -> {
            listener.eventsWritten(copied, total);
            long now = clock.millis();
            if (now - lastLine[0] < PROGRESS_INTERVAL.toMillis() && copied < total) {
                return;
            }
            lastLine[0] = now;
            double seconds = Math.max(now - started, 1) / 1000.0;
            listener.line(String.format(
                    "events: %,d of %,d (%.0f%%), site '%s', %,.0f events per second",
                    copied, total, total == 0 ? 100.0 : 100.0 * copied / total, siteId, copied / seconds));
        };
    }

    /** Counts both sides, prints the counts, and throws when one differs. */
    private static List<Count> check(MetadataCopy metadata, EventCopy events, Listener listener) {
        List<Count> counts = new ArrayList<>();
        Map<String, Long> rowsThere = metadata.targetCounts();
        metadata.sourceCounts()
                .forEach((table, rows) -> counts.add(new Count("table " + table, rows, rowsThere.get(table))));
        Map<String, Long> eventsHere = events.sourceCounts();
        Map<String, Long> eventsThere = events.targetCounts();
        eventsHere.forEach((site, count) ->
                counts.add(new Count("events of site '" + site + "'", count, eventsThere.getOrDefault(site, 0L))));
        eventsThere.forEach((site, count) -> {
            if (!eventsHere.containsKey(site)) {
                counts.add(new Count("events of site '" + site + "'", 0, count));
            }
        });

        listener.line(String.format("%-48s %14s %14s", "check", "embedded", "scale-out"));
        for (Count count : counts) {
            listener.line(String.format(
                    "%-48s %,14d %,14d  %s",
                    count.what(), count.embedded(), count.scaleOut(), count.matches() ? "same" : "DIFFERENT"));
        }
        List<String> different = counts.stream()
                .filter(count -> !count.matches())
                .map(Count::what)
                .toList();
        if (!different.isEmpty()) {
            throw new MoveException("the check found different counts: " + String.join(", ", different));
        }
        listener.line("The move is complete: every table and every site's events hold as many rows on both sides.");
        return counts;
    }
}
