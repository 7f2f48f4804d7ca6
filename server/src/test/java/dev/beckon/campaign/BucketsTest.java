package dev.beckon.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bucket hash of docs/campaigns.md, pinned by values computed apart from this code (Python's
 * hashlib), so that anyone can check a person's bucket by hand.
 */
class BucketsTest {

    @ParameterizedTest
    @CsvSource({
        "shoe-help, u:ann@example.com, 7052, 4577",
        "shoe-help, d:d-1234, 5705, 5830",
    })
    void bucketsAreTheFirst32BitsOfSha256Mod10000(String campaignId, String person, int control, int rollout) {
        assertThat(Buckets.control(campaignId, person)).isEqualTo(control);
        assertThat(Buckets.rollout(campaignId, person)).isEqualTo(rollout);
    }

    @Test
    void bucketsSpreadEvenlyAndTheTwoHashesAreIndependent() {
        int people = 20_000;
        int inTenPercent = 0;
        int inBothHalves = 0;
        for (int i = 0; i < people; i++) {
            String person = "d:device-" + i;
            int control = Buckets.control("spread", person);
            int rollout = Buckets.rollout("spread", person);
            assertThat(control).isBetween(0, Buckets.COUNT - 1);
            inTenPercent += control < 1000 ? 1 : 0;
            inBothHalves += control < 5000 && rollout < 5000 ? 1 : 0;
        }

        assertThat(inTenPercent / (double) people).isBetween(0.09, 0.11);
        assertThat(inBothHalves / (double) people).isBetween(0.23, 0.27);
    }
}
