package dev.beckon.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import dev.beckon.store.MetadataEngine;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Saved segments on both metadata databases: saved, replaced, listed, deleted, restarted. */
class SegmentRepositoryTest {

    static final Instant CREATED = Instant.parse("2026-12-01T08:00:00.250Z");
    static final Instant UPDATED = Instant.parse("2026-12-04T10:00:00.123456Z");

    @TempDir
    Path dataDir;

    static Segment segment(String siteId, String id, String name, String condition, Instant updatedAt)
            throws Exception {
        JsonNode parsed = Json.mapper().readTree(condition);
        return new Segment(siteId, id, name, parsed, CREATED, updatedAt);
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aSegmentIsSavedReplacedAndReadBackAsItWas(MetadataEngine engine) throws Exception {
        try (var metadata = engine.open(dataDir)) {
            var segments = new SegmentRepository(metadata.database());
            String hostile =
                    "{\"did\":\"BUY'); DROP TABLE segments;--\",\"where\":{\"note\":\"\\\\ \\\" \\u202e \ud83d\ude00 =1+1\"}}";
            segments.save(segment("shop", "buyers", "Buyers", "{\"did\":\"BUY\"}", CREATED));
            segments.save(segment("shop", "buyers", "Buyers \u00e9 \"quoted\"", hostile, UPDATED));
            segments.save(segment("shop", "all", "All", "{\"all\":[]}", CREATED));
            segments.save(segment("blog", "readers", "Readers", "{\"did\":\"READ\"}", CREATED));

            var restarted = new SegmentRepository(metadata.reopen());

            Segment buyers = restarted.find("shop", "buyers").orElseThrow();
            assertThat(buyers).isEqualTo(segment("shop", "buyers", "Buyers \u00e9 \"quoted\"", hostile, UPDATED));
            assertThat(restarted.all("shop")).extracting(Segment::id).containsExactly("all", "buyers");
            assertThat(restarted.everySite()).extracting(Segment::id).containsExactly("readers", "all", "buyers");
            assertThat(restarted.find("blog", "buyers")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void deletingTellsWhetherTheSegmentExisted(MetadataEngine engine) throws Exception {
        try (var metadata = engine.open(dataDir)) {
            var segments = new SegmentRepository(metadata.database());
            segments.save(segment("shop", "buyers", "Buyers", "{\"did\":\"BUY\"}", CREATED));

            assertThat(segments.delete("blog", "buyers")).isFalse();
            assertThat(segments.delete("shop", "buyers")).isTrue();
            assertThat(segments.delete("shop", "buyers")).isFalse();
            assertThat(new SegmentRepository(metadata.reopen()).everySite()).isEmpty();
        }
    }
}
