package dev.beckon.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.http.HttpError;
import dev.beckon.store.MetadataEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sites on both metadata databases: every setting written, and read back as it was by a restart. */
class SiteRegistryTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00.654321Z"), ZoneOffset.UTC);
    static final String HOSTILE =
            "Shop'); DROP TABLE sites;-- \\ \" =SUM(A1) \u2067\u0000-free\u2069 \ud83d\uded2 \u00e9";

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void everySettingOfASiteSurvivesARestart(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var sites = new SiteRegistry(metadata.database(), CLOCK);
            sites.create("shop", "Shop", List.of("https://shop.example"), ZoneId.of("Europe/Paris"));
            sites.update("shop", HOSTILE.replace("\u0000", ""), List.of("https://a.example", "http://b.example:8080"));
            sites.setRetentionDays("shop", 30);
            sites.setRecontactDays("shop", 21);
            sites.setEngagement(
                    "shop",
                    new Engagement(
                            12.5, new Engagement.Fatigue(3, 10), 600, new Engagement.QuietHours("22:00", "07:30")));
            sites.createIfMissing("plain", "Plain", List.of());

            var restarted = new SiteRegistry(metadata.reopen(), CLOCK);

            assertThat(restarted.all()).isEqualTo(sites.all());
            Site shop = restarted.require("shop");
            assertThat(shop.name()).isEqualTo(HOSTILE.replace("\u0000", ""));
            assertThat(shop.allowedOrigins()).containsExactly("https://a.example", "http://b.example:8080");
            assertThat(shop.timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
            assertThat(shop.createdAt()).isEqualTo(CLOCK.instant());
            assertThat(restarted.require("plain").allowedOrigins()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aSiteIsCreatedOnceAndQuietHoursCanBeCleared(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var sites = new SiteRegistry(metadata.database(), CLOCK);
            sites.create("shop", "Shop", List.of(), SiteRules.DEFAULT_TIME_ZONE);
            sites.setEngagement(
                    "shop",
                    new Engagement(0, new Engagement.Fatigue(1, 2), 0, new Engagement.QuietHours("01:00", "02:00")));
            sites.setEngagement("shop", Engagement.NONE);

            assertThat(sites.createIfMissing("shop", "Another name", List.of("https://x.example"))
                            .name())
                    .isEqualTo("Shop");
            assertThatThrownBy(() -> sites.create("shop", "Again", List.of(), SiteRules.DEFAULT_TIME_ZONE))
                    .isInstanceOf(HttpError.class)
                    .hasMessageContaining("exists");

            var restarted = new SiteRegistry(metadata.reopen(), CLOCK);
            assertThat(restarted.all()).hasSize(1);
            assertThat(restarted.require("shop").name()).isEqualTo("Shop");
            assertThat(restarted.require("shop").engagement()).isEqualTo(Engagement.NONE);
        }
    }
}
