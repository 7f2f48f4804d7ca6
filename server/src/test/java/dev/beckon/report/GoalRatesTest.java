package dev.beckon.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The lift, its intervals and the verdict against values worked out by hand (with a pocket
 * calculator's precision, 8 digits), as docs/statistics.md does them. z = 1.959964, z² = 3.8414589.
 */
class GoalRatesTest {

    private static final double CLOSE = 1e-6;

    /*
     * Exposed 30 of 200 (p1 = 0.15), control 8 of 100 (p0 = 0.08).
     *
     * Wilson, exposed: z²/n = 0.019207294; d = 1.019207294;
     *   centre = (0.15 + 0.009603647) / d = 0.15659586;
     *   half = (1.959964 / d) * sqrt(0.15 * 0.85 / 200 + 3.8414589 / 160000)
     *        = 1.9230269 * sqrt(0.0006375 + 0.0000240091) = 1.9230269 * 0.02571982 = 0.04945993
     *   l1 = 0.10713594, u1 = 0.20605579.
     * Wilson, control: z²/n = 0.038414589; d = 1.038414589;
     *   centre = (0.08 + 0.019207294) / d = 0.09553727;
     *   half = 1.8874588 * sqrt(0.0736 / 100 + 3.8414589 / 40000) = 1.8874588 * 0.02884470 = 0.05444381
     *   l0 = 0.04109346, u0 = 0.14998108.
     * Newcombe: d = 0.07;
     *   low  = 0.07 - sqrt((0.15 - 0.10713594)² + (0.14998108 - 0.08)²)
     *        = 0.07 - sqrt(0.00183733 + 0.00489735) = 0.07 - 0.08206509 = -0.01206509;
     *   high = 0.07 + sqrt((0.20605579 - 0.15)² + (0.08 - 0.04109346)²)
     *        = 0.07 + sqrt(0.00314225 + 0.00151372) = 0.07 + 0.06823467 = 0.13823467.
     * Relative: 0.15 / 0.08 - 1 = 0.875; ln 1.875 = 0.62860866;
     *   se = sqrt(0.85 / 30 + 0.92 / 8) = sqrt(0.02833333 + 0.115) = 0.37859389;
     *   low = e^(0.62860866 - 0.74203044) - 1 = -0.10722593; high = e^(1.37063910) - 1 = 2.93786640.
     * 200 and 100 people, 38 conversions: enough; the interval spans 0: no clear difference.
     */
    @Test
    void aDifferenceWhoseIntervalSpansZeroIsNoClearDifference() {
        var result = GoalRates.compare(200, 30, 100, 8);

        assertThat(result.exposedRate()).isCloseTo(0.15, within(CLOSE));
        assertThat(result.controlRate()).isCloseTo(0.08, within(CLOSE));
        assertThat(result.difference()).isCloseTo(0.07, within(CLOSE));
        assertThat(result.low()).isCloseTo(-0.01206509, within(CLOSE));
        assertThat(result.high()).isCloseTo(0.13823467, within(CLOSE));
        assertThat(result.relative()).isCloseTo(0.875, within(CLOSE));
        assertThat(result.relativeLow()).isCloseTo(-0.10722593, within(CLOSE));
        assertThat(result.relativeHigh()).isCloseTo(2.93786640, within(CLOSE));
        assertThat(result.verdict()).isEqualTo(GoalRates.Verdict.NO_CLEAR_DIFFERENCE);
        assertThat(result.verdictWords()).isEqualTo("no clear difference");
    }

    /*
     * Exposed 60 of 300 (0.2), control 30 of 300 (0.1).
     * Wilson, n = 300: z²/n = 0.012804863, d = 1.012804863, 1.959964 / d = 1.9351842, z²/4n² = 0.0000106707.
     *   exposed: centre = (0.2 + 0.006402431) / d = 0.20379289;
     *            half = 1.9351842 * sqrt(0.16 / 300 + 0.0000106707) = 1.9351842 * 0.02332389 = 0.04513603;
     *            l1 = 0.15865686, u1 = 0.24892892.
     *   control: centre = (0.1 + 0.006402431) / d = 0.10505719;
     *            half = 1.9351842 * sqrt(0.09 / 300 + 0.0000106707) = 1.9351842 * 0.01762585 = 0.03410927;
     *            l0 = 0.07094792, u0 = 0.13916646.
     * Newcombe: low  = 0.1 - sqrt(0.04134314² + 0.03916646²) = 0.1 - 0.05694969 = 0.04305031;
     *           high = 0.1 + sqrt(0.04892892² + 0.02905209²) = 0.1 + 0.05690398 = 0.15690398.
     * Wholly above 0: the campaign raises the goal rate. Swapping the groups mirrors the interval.
     */
    @Test
    void anIntervalWhollyAboveZeroRaisesAndWhollyBelowLowers() {
        var raises = GoalRates.compare(300, 60, 300, 30);
        var lowers = GoalRates.compare(300, 30, 300, 60);

        assertThat(raises.low()).isCloseTo(0.04305031, within(CLOSE));
        assertThat(raises.high()).isCloseTo(0.15690398, within(CLOSE));
        assertThat(raises.verdictWords()).isEqualTo("the campaign raises the goal rate");
        assertThat(lowers.low()).isCloseTo(-0.15690398, within(CLOSE));
        assertThat(lowers.high()).isCloseTo(-0.04305031, within(CLOSE));
        assertThat(lowers.verdictWords()).isEqualTo("the campaign lowers it");
    }

    /*
     * Exposed 12 of 100, control 0 of 100. Control's Wilson interval is [0, z²/n / d] =
     * [0, 0.038414589 / 1.038414589] = [0, 0.03699350]; exposed's [0.06999406, 0.19812099].
     * low = 0.12 - sqrt(0.05000594² + 0.03699350²) = 0.12 - 0.06220219 = 0.05779781;
     * high = 0.12 + sqrt(0.07812099² + 0) = 0.19812099. No relative lift without a control conversion.
     */
    @Test
    void aControlGroupWithoutConversionsHasADifferenceButNoRelativeLift() {
        var result = GoalRates.compare(100, 12, 100, 0);

        assertThat(result.low()).isCloseTo(0.05779781, within(CLOSE));
        assertThat(result.high()).isCloseTo(0.19812099, within(CLOSE));
        assertThat(result.relative()).isNull();
        assertThat(result.verdict()).isEqualTo(GoalRates.Verdict.RAISES);
    }

    @Test
    void noVerdictBelowTheMinimumsOfPeopleAndConversions() {
        assertThat(GoalRates.compare(29, 20, 300, 30).verdict()).isEqualTo(GoalRates.Verdict.NOT_ENOUGH_DATA);
        assertThat(GoalRates.compare(300, 20, 29, 0).verdict()).isEqualTo(GoalRates.Verdict.NOT_ENOUGH_DATA);
        assertThat(GoalRates.compare(1000, 9, 1000, 0).verdict()).isEqualTo(GoalRates.Verdict.NOT_ENOUGH_DATA);
        assertThat(GoalRates.compare(1000, 10, 1000, 0).verdict()).isNotEqualTo(GoalRates.Verdict.NOT_ENOUGH_DATA);
        assertThat(GoalRates.compare(30, 5, 30, 5).verdict()).isEqualTo(GoalRates.Verdict.NO_CLEAR_DIFFERENCE);
    }

    @Test
    void anEmptyGroupHasNoRateAndNoInterval() {
        var result = GoalRates.compare(0, 0, 50, 5);

        assertThat(result.exposedRate()).isNull();
        assertThat(result.controlRate()).isEqualTo(0.1);
        assertThat(result.difference()).isNull();
        assertThat(result.low()).isNull();
        assertThat(result.verdictWords()).isEqualTo("not enough data yet");
    }

    @Test
    void everyoneOrNoOneConvertingStaysInsideTheBounds() {
        var all = GoalRates.compare(50, 50, 50, 0);

        assertThat(all.difference()).isEqualTo(1.0);
        assertThat(all.high()).isLessThanOrEqualTo(1.0);
        assertThat(all.low()).isGreaterThan(0.0).isLessThan(1.0);
    }

    @Test
    void impossibleCountsAreRefused() {
        assertThatThrownBy(() -> GoalRates.compare(10, 11, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoalRates.compare(-1, 0, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
