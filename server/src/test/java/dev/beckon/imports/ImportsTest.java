package dev.beckon.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.http.HttpError;
import dev.beckon.ingest.IngestWriter;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRules;
import dev.beckon.store.Cohorts;
import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.duckdb.DuckDbEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import service on a real DuckDB file: the size limit, and imports cut off by a stop. */
class ImportsTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);
    static final Site SITE = new Site(
            "demo",
            "Demo",
            List.of(),
            ZoneOffset.UTC,
            SiteRules.DEFAULT_RETENTION_DAYS,
            SiteRules.DEFAULT_RECONTACT_DAYS,
            Instant.EPOCH);

    @TempDir
    Path dataDir;

    DuckDbDatabase database;
    DuckDbEventStore store;
    IngestWriter writer;

    @BeforeEach
    void open() {
        database = DuckDbDatabase.open(dataDir);
        store = new DuckDbEventStore(database);
        writer = new IngestWriter(store, new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        writer.close();
        store.close();
        database.close();
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedWith413AndLeavesNothingBehind() throws Exception {
        var limits = new ImportLimits(100, 1000, 51, 1000, 4096);

        try (Imports imports = imports(limits)) {
            assertThatThrownBy(() -> imports.submit(SITE, "c", new ByteArrayInputStream(new byte[101])))
                    .isInstanceOf(HttpError.class)
                    .hasMessage("the file is larger than 100 bytes; split it")
                    .extracting(e -> ((HttpError) e).status())
                    .isEqualTo(413);
            assertThat(imports.recent(SITE, 10)).isEmpty();
        }
        try (var files = Files.list(dataDir.resolve("imports"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anImportThatAStopCutOffIsMarkedFailedAtTheNextStart() {
        var repository = new ImportRepository(database);
        var job = new ImportJob("demo", "cut-off", "ab".repeat(32), 10, "c", CLOCK.instant());
        job.running();
        repository.save(job);

        try (Imports imports = imports(ImportLimits.DEFAULT)) {
            ImportJob after = imports.require(SITE, "cut-off");

            assertThat(after.status()).isEqualTo(ImportJob.Status.FAILED);
            assertThat(after.error())
                    .isEqualTo("the server stopped during the import; import the file again (rows already imported"
                            + " do not change)");
        }
    }

    private Imports imports(ImportLimits limits) {
        return new Imports(
                new ImportRepository(database),
                new Cohorts(database),
                writer,
                limits,
                dataDir.resolve("imports"),
                CLOCK,
                new SecureRandom());
    }
}
