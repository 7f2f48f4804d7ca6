package dev.beckon.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.MetadataEngine;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The record of imports on both metadata databases: saved as it goes, listed, and failed by a stop. */
class ImportRepositoryTest {

    static final Instant FIRST = Instant.parse("2026-12-01T08:00:00.000250Z");
    static final Instant LATER = Instant.parse("2026-12-04T10:00:00Z");
    static final String DIGEST = "ab".repeat(32);

    @TempDir
    Path dataDir;

    static ImportJob job(String id, Instant createdAt, ImportJob.Status status, String error, Instant finishedAt) {
        return ImportJob.recorded(
                "shop",
                id,
                DIGEST,
                1_234,
                "vip'); DROP TABLE imports;--",
                createdAt,
                status,
                error,
                new long[] {10, 8, 2, 7, 16, 1_234},
                finishedAt);
    }

    static String fields(ImportJob job) {
        return String.join(
                "|",
                job.siteId(),
                job.id(),
                job.fileSha256(),
                String.valueOf(job.fileBytes()),
                job.cohort(),
                String.valueOf(job.createdAt()),
                job.status().name(),
                String.valueOf(job.error()),
                String.valueOf(job.finishedAt()),
                job.rowsRead() + "," + job.rowsKept() + "," + job.rowsRejected() + "," + job.membersAdded() + ","
                        + job.propertiesAdded() + "," + job.bytesRead());
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void anImportIsRecordedAsItGoesAndListedNewestFirst(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var imports = new ImportRepository(metadata.database());
            imports.save(job("first", FIRST, ImportJob.Status.RUNNING, null, null));
            ImportJob done = job("first", FIRST, ImportJob.Status.DONE, null, LATER);
            imports.save(done);
            imports.save(job("second", LATER, ImportJob.Status.QUEUED, null, null));

            var restarted = new ImportRepository(metadata.reopen());

            assertThat(fields(restarted.find("shop", "first").orElseThrow())).isEqualTo(fields(done));
            assertThat(restarted.recent("shop", 10)).extracting(ImportJob::id).containsExactly("second", "first");
            assertThat(restarted.recent("shop", 1)).extracting(ImportJob::id).containsExactly("second");
            assertThat(restarted.firstImportOf("shop", DIGEST)).isEqualTo(FIRST);
            assertThat(restarted.find("blog", "first")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void theImportsThatAStopCutOffAreMarkedFailed(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var imports = new ImportRepository(metadata.database());
            imports.save(job("queued", FIRST, ImportJob.Status.QUEUED, null, null));
            imports.save(job("running", FIRST, ImportJob.Status.RUNNING, null, null));
            imports.save(job("done", FIRST, ImportJob.Status.DONE, null, FIRST));

            assertThat(imports.failUnfinished(LATER, "the server stopped \u00e9 \"quoted\""))
                    .isEqualTo(2);

            ImportJob running = imports.find("shop", "running").orElseThrow();
            assertThat(running.status()).isEqualTo(ImportJob.Status.FAILED);
            assertThat(running.error()).isEqualTo("the server stopped \u00e9 \"quoted\"");
            assertThat(running.finishedAt()).isEqualTo(LATER);
            assertThat(imports.find("shop", "done").orElseThrow().status()).isEqualTo(ImportJob.Status.DONE);
        }
    }
}
