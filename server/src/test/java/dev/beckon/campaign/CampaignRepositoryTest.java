package dev.beckon.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.MetadataEngine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Campaigns and their exposures on both metadata databases. */
class CampaignRepositoryTest {

    static final Instant CREATED = Instant.parse("2026-12-01T08:00:00Z");
    static final Instant PUBLISHED = Instant.parse("2026-12-04T10:00:00.123456Z");

    @TempDir
    Path dataDir;

    static Campaign draft(String id, String name) {
        var definition = CampaignFixtures.simple("Draft");
        definition.put("name", name);
        return new Campaign(
                "shop", id, CampaignStatus.DRAFT, 0, CampaignParser.parse(definition), CREATED, CREATED, null);
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aCampaignIsSavedReplacedAndReadBackWithItsDefinition(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var campaigns = new CampaignRepository(metadata.database());
            Campaign example = new Campaign(
                    "shop",
                    "welcome",
                    CampaignStatus.DRAFT,
                    0,
                    CampaignParser.parse(CampaignFixtures.example()),
                    CREATED,
                    CREATED,
                    null);
            campaigns.save(example);
            Campaign live = example.withStatus(CampaignStatus.LIVE, 1, PUBLISHED, PUBLISHED);
            campaigns.save(live);
            campaigns.save(draft("hostile", "Hi'); DROP TABLE campaigns;-- \\\\ \u2067\u05D0\u2069 \ud83d\ude00 =1+1"));

            var restarted = new CampaignRepository(metadata.reopen());

            assertThat(restarted.everySite())
                    .containsExactly(
                            draft("hostile", "Hi'); DROP TABLE campaigns;-- \\\\ \u2067\u05D0\u2069 \ud83d\ude00 =1+1"),
                            live);
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aPersonIsExposedOnceAndDeletingTheCampaignForgetsTheExposures(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var campaigns = new CampaignRepository(metadata.database());
            campaigns.save(draft("welcome", "Welcome"));

            assertThat(campaigns.recordExposure("shop", "welcome", "d:ann", "test", PUBLISHED))
                    .isTrue();
            assertThat(campaigns.recordExposure("shop", "welcome", "d:ann", "control", PUBLISHED.plusSeconds(5)))
                    .isFalse();
            assertThat(campaigns.recordExposure("shop", "welcome", "u:bob", "control", PUBLISHED))
                    .isTrue();

            var restarted = new CampaignRepository(metadata.reopen());
            assertThat(restarted.exposureCounts("shop", "welcome")).isEqualTo(Map.of("control", 1L, "test", 1L));
            assertThat(restarted.exposure("shop", "welcome", "d:ann")).contains(new Exposure("test", PUBLISHED));
            assertThat(restarted.exposure("shop", "welcome", "d:nobody")).isEmpty();

            assertThat(restarted.delete("shop", "welcome")).isTrue();
            assertThat(restarted.delete("shop", "welcome")).isFalse();
            assertThat(restarted.exposureCounts("shop", "welcome")).isEmpty();
        }
    }
}
