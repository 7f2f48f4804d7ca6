package dev.beckon.segment;

import dev.beckon.scaleout.ClickHouseServer;
import dev.beckon.scaleout.clickhouse.ClickHouseEventWriter;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseSchema;
import dev.beckon.store.Cohorts;
import dev.beckon.store.clickhouse.ClickHouseSegmentEvaluator;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbEventStore;
import dev.beckon.store.duckdb.DuckDbSegmentEvaluator;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The two engines of segments, as the parameter of the segment engine's behaviour tests ({@code
 * @ParameterizedClass @EnumSource(SegmentEngine.class)}): the embedded DuckDB file, and ClickHouse,
 * whose events a {@link ClickHouseEventWriter} stores in a database of their own on the run's {@link
 * ClickHouseServer}. Either way the imported cohorts are in a DuckDB file, through {@link Cohorts},
 * the class that reads them from PostgreSQL in the scale-out deployment.
 *
 * <p>Without {@code clickhouse-server} the ClickHouse cases are skipped with a message saying so,
 * unless the environment variable {@code CI} is set: then they fail.
 */
enum SegmentEngine {
    DUCKDB {
        @Override
        SegmentStore open(Path folder) {
            DuckDbDatabase database = DuckDbDatabase.open(folder.resolve(name()));
            DuckDbEventStore events = new DuckDbEventStore(database);
            return new SegmentStore(database, new DuckDbSegmentEvaluator(database), events::append, events::close);
        }
    },
    CLICKHOUSE {
        @Override
        SegmentStore open(Path folder) {
            var clickHouse = new ClickHouseHttp(ClickHouseServer.shared().newDatabase("segments"));
            ClickHouseSchema.migrate(clickHouse, Clock.systemUTC());
            DuckDbDatabase metadata = DuckDbDatabase.open(folder.resolve(name()));
            var writer = new ClickHouseEventWriter(clickHouse);
            return new SegmentStore(
                    metadata,
                    new ClickHouseSegmentEvaluator(clickHouse, new Cohorts(metadata)),
                    writer::write,
                    () -> clickHouse.executeOnServer(
                            "DROP DATABASE IF EXISTS " + clickHouse.settings().database()));
        }
    };

    /** A fresh store of this engine for one test class; {@code folder} is the test's own. */
    abstract SegmentStore open(Path folder);
}
