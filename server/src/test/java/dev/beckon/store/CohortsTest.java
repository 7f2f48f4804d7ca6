package dev.beckon.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Imported cohorts on both metadata databases: ids listed once, counted, kept by a restart. */
class CohortsTest {

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void idsAreListedOnceHoweverOftenTheyAreAdded(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var cohorts = new Cohorts(metadata.database());
            List<String> hostile = List.of(
                    "ann",
                    "ann",
                    "o'brien",
                    "x'); DROP TABLE cohort_members;--",
                    "\\",
                    "\"",
                    "\u202e\ud83d\ude00",
                    "=1+1");

            assertThat(cohorts.add("shop", "vip", hostile)).isEqualTo(7);
            assertThat(cohorts.add("shop", "vip", hostile)).isZero();
            assertThat(cohorts.add("shop", "vip", List.of("ann", "carl"))).isEqualTo(1);
            assertThat(cohorts.add("shop", "trial", List.of("ann"))).isEqualTo(1);
            assertThat(cohorts.add("blog", "vip", List.of("dan"))).isEqualTo(1);
            assertThat(cohorts.add("shop", "empty", List.of())).isZero();

            var restarted = new Cohorts(metadata.reopen());
            assertThat(restarted.all("shop")).containsExactly(new CohortSize("trial", 1), new CohortSize("vip", 8));
            assertThat(restarted.size("shop", "vip")).isEqualTo(8);
            assertThat(restarted.size("shop", "nothing")).isZero();
            assertThat(restarted.size("blog", "vip")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aLargeCohortIsAddedWhole(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var cohorts = new Cohorts(metadata.database());
            // More than one of PostgreSQL's statements, with duplicates across them.
            List<String> ids = new ArrayList<>(
                    IntStream.range(0, 25_000).mapToObj(i -> "user-" + i).toList());
            ids.addAll(IntStream.range(0, 25_000)
                    .filter(i -> i % 2 == 0)
                    .mapToObj(i -> "user-" + i)
                    .toList());

            assertThat(cohorts.add("shop", "everyone", ids)).isEqualTo(25_000);
            assertThat(cohorts.add("shop", "everyone", ids.subList(0, 12_000))).isZero();
            assertThat(cohorts.size("shop", "everyone")).isEqualTo(25_000);
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void everyMemberOfTheSitesCohortsIsHandedOnWithItsCohort(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var cohorts = new Cohorts(metadata.database());
            cohorts.add("shop", "vip", List.of("ann", "o'brien"));
            cohorts.add("shop", "trial", List.of("ann"));
            cohorts.add("blog", "vip", List.of("dan"));
            List<String> members = new ArrayList<>();

            cohorts.forEachMember("shop", (cohort, userId) -> members.add(cohort + "/" + userId));

            assertThat(members).containsExactlyInAnyOrder("vip/ann", "vip/o'brien", "trial/ann");
        }
    }
}
