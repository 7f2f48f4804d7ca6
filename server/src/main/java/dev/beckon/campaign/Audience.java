package dev.beckon.campaign;

/**
 * Who may see a campaign: the members of a saved segment, or everyone; of those, the share in the
 * rollout; of those, the share held out as the control group (docs/campaigns.md, "Buckets").
 *
 * @param segment a saved segment's id, or null for everyone
 * @param rolloutPercent 0 to 100, in hundredths at most
 * @param controlPercent 0 to 100, in hundredths at most
 */
public record Audience(String segment, double rolloutPercent, double controlPercent) {

    public static final Audience EVERYONE = new Audience(null, 100, 0);

    /** The rollout as a number of the 10,000 buckets. */
    public int rolloutBuckets() {
        return (int) Math.round(rolloutPercent * 100);
    }

    /** The control group as a number of the 10,000 buckets. */
    public int controlBuckets() {
        return (int) Math.round(controlPercent * 100);
    }
}
