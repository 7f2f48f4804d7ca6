package dev.beckon.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.http.HttpError;
import java.time.Instant;

/**
 * Coverage-guided fuzzing of the ingestion body reader with Jazzer. Whatever the bytes, the reader
 * either refuses the body with a 4xx {@link HttpError} or returns a batch whose every event is
 * valid and storable; any other exception, or a hang, fails the test.
 *
 * <p>Under {@code mvn verify} it fuzzes for a bounded time (the {@code fuzz} execution of
 * server/pom.xml sets {@code JAZZER_FUZZ}); elsewhere it replays its seeds only.
 */
class BatchReaderFuzzTest {

    private static final Instant SERVER_TIME = Instant.parse("2026-06-01T12:00:00Z");

    private final BatchReader reader = new BatchReader();

    @FuzzTest(maxDuration = "45s")
    void anyBodyIsReadOrRefusedWithAClientError(byte[] body) {
        Batch batch;
        try {
            batch = reader.read("demo", body, SERVER_TIME);
        } catch (HttpError e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isNotBlank();
            return;
        }

        assertThat(batch.valid().size() + batch.rejected().size()).isBetween(1, IngestLimits.MAX_EVENTS_PER_BATCH);
        assertThat(batch.dropped()).isNotNegative();
        for (Event event : batch.valid()) {
            assertThat(event.id()).hasSizeBetween(IngestLimits.MIN_ID_LENGTH, IngestLimits.MAX_ID_LENGTH);
            assertThat(event.time()).isBeforeOrEqualTo(SERVER_TIME);
            assertThat(Json.mapper().valueToTree(event.properties()).toString().length())
                    .isLessThanOrEqualTo(IngestLimits.MAX_PROPERTIES_BYTES);
        }
        batch.rejected().forEach(r -> assertThat(r.reason()).isNotBlank());
    }
}
