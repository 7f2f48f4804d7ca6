package dev.beckon.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The goal rate of an exposed group against a control group: the difference, a 95 % confidence
 * interval of it, the relative lift, and a verdict in plain words (docs/statistics.md).
 *
 * <p>The interval of the difference is Newcombe's hybrid score interval (his method 10): a Wilson
 * score interval for each rate, combined. Unlike the Wald interval it stays inside -1 to 1, and it
 * keeps close to its 95 % when rates are near 0 or groups are small, which is where campaigns
 * start. The relative lift's interval is the log of the ratio of the rates with Katz's standard
 * error. A verdict is given only when each group has {@link #MIN_PEOPLE} people and the two
 * together {@link #MIN_CONVERSIONS} conversions; then it follows the interval of the difference:
 * wholly above 0, wholly below, or across it.
 */
public final class GoalRates {

    /** The z value of a two-sided 95 % confidence interval. */
    public static final double Z_95 = 1.959964;
    /** The fewest people in each group before any verdict. */
    public static final long MIN_PEOPLE = 30;
    /** The fewest conversions in the two groups together before any verdict. */
    public static final long MIN_CONVERSIONS = 10;

    /** What the numbers say, with the words the dashboard shows. */
    public enum Verdict {
        NOT_ENOUGH_DATA("not enough data yet"),
        NO_CLEAR_DIFFERENCE("no clear difference"),
        RAISES("the campaign raises the goal rate"),
        LOWERS("the campaign lowers it");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /**
     * One comparison. Rates are shares from 0 to 1; a relative lift of 0.25 is 25 % more.
     *
     * @param exposedRate null when the exposed group has no one
     * @param controlRate null when the control group has no one
     * @param difference the exposed rate minus the control rate; null unless both rates are known
     * @param low the 95 % interval of the difference, or null with it
     * @param relative the exposed rate over the control rate, minus 1; null unless both groups converted
     * @param relativeLow the 95 % interval of the relative lift, or null with it
     */
    public record Comparison(
            long exposed,
            long exposedConversions,
            long control,
            long controlConversions,
            Double exposedRate,
            Double controlRate,
            Double difference,
            Double low,
            Double high,
            Double relative,
            Double relativeLow,
            Double relativeHigh,
            Verdict verdict) {

        @JsonProperty("verdictWords")
        public String verdictWords() {
            return verdict.words();
        }
    }

    private GoalRates() {}

    /**
     * Compares the groups.
     *
     * @throws IllegalArgumentException when a count is negative or a group has more conversions than people
     */
    public static Comparison compare(long exposed, long exposedConversions, long control, long controlConversions) {
        check(exposed, exposedConversions);
        check(control, controlConversions);
        Double exposedRate = exposed == 0 ? null : (double) exposedConversions / exposed;
        Double controlRate = control == 0 ? null : (double) controlConversions / control;
        if (exposedRate == null || controlRate == null) {
            return new Comparison(
                    exposed,
                    exposedConversions,
                    control,
                    controlConversions,
                    exposedRate,
                    controlRate,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    Verdict.NOT_ENOUGH_DATA);
        }

        // Newcombe's hybrid score interval of the difference.
        double[] e = wilson(exposedConversions, exposed);
        double[] c = wilson(controlConversions, control);
        double difference = exposedRate - controlRate;
        double low = difference - Math.hypot(exposedRate - e[0], c[1] - controlRate);
        double high = difference + Math.hypot(e[1] - exposedRate, controlRate - c[0]);

        // The relative lift, on the log of the ratio, when both groups converted.
        Double relative = null;
        Double relativeLow = null;
        Double relativeHigh = null;
        if (exposedConversions > 0 && controlConversions > 0) {
            double logRatio = Math.log(exposedRate / controlRate);
            double se = Math.sqrt((1 - exposedRate) / exposedConversions + (1 - controlRate) / controlConversions);
            relative = exposedRate / controlRate - 1;
            relativeLow = Math.exp(logRatio - Z_95 * se) - 1;
            relativeHigh = Math.exp(logRatio + Z_95 * se) - 1;
        }
        return new Comparison(
                exposed,
                exposedConversions,
                control,
                controlConversions,
                exposedRate,
                controlRate,
                difference,
                low,
                high,
                relative,
                relativeLow,
                relativeHigh,
                verdict(exposed, control, exposedConversions + controlConversions, low, high));
    }

    private static Verdict verdict(long exposed, long control, long conversions, double low, double high) {
        if (exposed < MIN_PEOPLE || control < MIN_PEOPLE || conversions < MIN_CONVERSIONS) {
            return Verdict.NOT_ENOUGH_DATA;
        }
        if (low > 0) {
            return Verdict.RAISES;
        }
        return high < 0 ? Verdict.LOWERS : Verdict.NO_CLEAR_DIFFERENCE;
    }

    /** The Wilson score interval of {@code x} successes in {@code n}: {low, high}. */
    static double[] wilson(long x, long n) {
        double p = (double) x / n;
        double z2 = Z_95 * Z_95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z_95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static void check(long people, long conversions) {
        if (people < 0 || conversions < 0 || conversions > people) {
            throw new IllegalArgumentException("a group has " + people + " people and " + conversions + " conversions");
        }
    }
}
