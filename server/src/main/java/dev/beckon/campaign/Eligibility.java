package dev.beckon.campaign;

import dev.beckon.segment.Person;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a person on a device may be given a campaign now, condition by condition: the one
 * decision that both the config endpoint and the dashboard's "why" panel show
 * (docs/campaigns.md, "Eligibility").
 *
 * <p>A test device of the campaign gets it while it is a draft, scheduled or live, whatever its
 * schedule and audience, always as {@code test}. Anyone else needs: the status live, or scheduled
 * with its start come; the schedule started and not ended; membership of the audience's segment
 * (everyone when there is none); a rollout bucket inside the rollout. The control bucket does not
 * refuse: it decides the variant.
 */
public final class Eligibility {

    public static final String TEST = "test";
    public static final String CONTROL = "control";
    /**
     * The variant of a test device: it is drawn like {@code test}, but the funnel, the lift and the
     * outcomes export count only {@code test} and {@code control}, so a colleague trying a campaign
     * out never shows up in its figures.
     */
    public static final String PREVIEW = "preview";

    /** One condition and its outcome, with a sentence that says why. */
    public record Check(String condition, boolean passed, String detail) {}

    /**
     * The outcome for one campaign and person.
     *
     * @param variant {@code test} or {@code control}; meaningful only when eligible
     */
    public record Verdict(boolean eligible, String variant, boolean testDevice, List<Check> checks) {}

    private Eligibility() {}

    /**
     * Decides every condition, also after one has failed, so that an explanation is complete.
     *
     * @param deviceId the device asking, or null when only a user is known
     * @param membership whether the person is in a segment, by segment id; empty when there is no such segment
     */
    public static Verdict decide(
            Campaign campaign,
            Person person,
            String deviceId,
            Instant now,
            Function<String, Optional<Boolean>> membership) {
        CampaignDefinition definition = campaign.definition();
        List<Check> checks = new ArrayList<>();
        boolean testDevice = deviceId != null && definition.testDevices().contains(deviceId);
        checks.add(new Check(
                "test device",
                testDevice,
                deviceId == null
                        ? "no device id given; test devices are matched by device id"
                        : testDevice ? "device " + deviceId + " is a test device" : "not a test device"));
        if (testDevice) {
            boolean shown = campaign.status() == CampaignStatus.DRAFT
                    || campaign.status() == CampaignStatus.SCHEDULED
                    || campaign.status() == CampaignStatus.LIVE;
            checks.add(new Check(
                    "status",
                    shown,
                    "is " + campaign.status().wire()
                            + (shown ? "; test devices get drafts, scheduled and live campaigns" : "")));
            return new Verdict(shown, PREVIEW, true, checks);
        }

        boolean status = campaign.status() == CampaignStatus.LIVE || campaign.status() == CampaignStatus.SCHEDULED;
        checks.add(new Check(
                "status",
                status,
                "is " + campaign.status().wire() + (status ? "" : "; only live campaigns are shown")));
        checks.add(schedule(definition.schedule(), now));
        checks.add(segment(definition.audience(), membership));

        Audience audience = definition.audience();
        int rollout = Buckets.rollout(campaign.id(), person.key());
        boolean inRollout = rollout < audience.rolloutBuckets();
        checks.add(new Check(
                "rollout",
                inRollout,
                "rollout bucket " + rollout + " of " + Buckets.COUNT + (inRollout ? " is below " : " is not below ")
                        + audience.rolloutBuckets() + " (" + percent(audience.rolloutPercent()) + ")"));
        int control = Buckets.control(campaign.id(), person.key());
        boolean inControl = control < audience.controlBuckets();
        checks.add(new Check(
                "control group",
                true,
                "control bucket " + control + (inControl ? " is below " : " is not below ") + audience.controlBuckets()
                        + " (" + percent(audience.controlPercent()) + "): variant " + (inControl ? CONTROL : TEST)));

        boolean eligible = checks.stream().skip(1).allMatch(Check::passed);
        return new Verdict(eligible, inControl ? CONTROL : TEST, false, checks);
    }

    private static String percent(double value) {
        return (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)) + " %";
    }

    private static Check schedule(Schedule schedule, Instant now) {
        if (!schedule.hasStarted(now)) {
            return new Check("schedule", false, "starts at " + CampaignJson.time(schedule.start()));
        }
        if (schedule.hasEnded(now)) {
            return new Check("schedule", false, "ended at " + CampaignJson.time(schedule.end()));
        }
        return new Check(
                "schedule",
                true,
                schedule.end() == null ? "running, with no end" : "running until " + CampaignJson.time(schedule.end()));
    }

    private static Check segment(Audience audience, Function<String, Optional<Boolean>> membership) {
        if (audience.segment() == null) {
            return new Check("segment", true, "the audience is everyone");
        }
        Optional<Boolean> member = membership.apply(audience.segment());
        if (member.isEmpty()) {
            return new Check(
                    "segment",
                    false,
                    "segment '" + audience.segment() + "' does not exist, or live membership has not evaluated it yet");
        }
        return new Check(
                "segment",
                member.get(),
                (member.get() ? "is a member of segment '" : "is not a member of segment '") + audience.segment()
                        + "'");
    }
}
