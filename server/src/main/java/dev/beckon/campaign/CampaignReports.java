package dev.beckon.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.event.ReservedEvent;
import dev.beckon.report.GoalRates;
import dev.beckon.segment.Condition;
import dev.beckon.segment.ConditionParser;
import dev.beckon.segment.Person;
import dev.beckon.segment.PropertyFilter;
import dev.beckon.segment.Segment;
import dev.beckon.segment.SegmentEvaluator;
import dev.beckon.segment.Segments;
import dev.beckon.segment.Window;
import dev.beckon.site.Site;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a campaign achieved and why a person did or did not see it, from the exposures the config
 * endpoint recorded and the {@code $campaign_*} events the plugin logged (docs/campaigns.md,
 * "Measurement"). People are counted, not events, by the identity rules; each count is a query of
 * the segment engine, so a person's devices count once.
 */
public final class CampaignReports {

    public static final String ANCHOR_MISSING = "anchor_missing";
    public static final int WHY_EVENTS = 50;

    // The names of the steps of an outcome, as forEachOutcome gives them.
    public static final String TRIGGERED = "triggered";
    public static final String SHOWN = "shown";
    public static final String HELD = "held";
    public static final String CLICKED = "clicked";
    public static final String DISMISSED = "dismissed";
    public static final String NOT_SHOWN = "notShown";
    public static final String CONVERTED = "converted";

    private final CampaignRepository repository;
    private final CampaignEvents events;
    private final SegmentEvaluator evaluator;
    private final Segments segments;
    private final Clock clock;

    public CampaignReports(
            CampaignRepository repository,
            CampaignEvents events,
            SegmentEvaluator evaluator,
            Segments segments,
            Clock clock) {
        this.repository = repository;
        this.events = events;
        this.evaluator = evaluator;
        this.segments = segments;
        this.clock = clock;
    }

    /**
     * One variant's funnel, in people.
     *
     * @param shown people who were drawn the nudge ({@code test}); 0 for {@code control}
     * @param held people for whom it would have been drawn ({@code control}); 0 for {@code test}
     * @param goal people who reached the goal within its window after being shown (or clicked, as
     *     the goal says), or after being held for the control group
     * @param goalRate {@code goal} over {@code shown} (or {@code held}), or null when that is 0 or the
     *     campaign has no goal
     */
    public record Steps(
            String variant,
            long eligible,
            long triggered,
            long shown,
            long held,
            long clicked,
            long dismissed,
            long notShown,
            long goal,
            Double goalRate) {}

    /**
     * A campaign's funnel.
     *
     * @param lift the test group's goal rate (over shown) against the control group's (over held), with
     *     its interval and verdict ({@link GoalRates}); null when the campaign has no goal
     * @param anchorMissing how often the plugin found no element for a tooltip's anchor
     */
    public record Funnel(
            Steps test, Steps control, GoalRates.Comparison lift, CampaignEvents.ReasonCount anchorMissing) {}

    public Funnel funnel(Site site, Campaign campaign) {
        Map<String, Long> eligible = repository.exposureCounts(site.id(), campaign.id());
        Steps test = steps(site, campaign, Eligibility.TEST, eligible.getOrDefault(Eligibility.TEST, 0L));
        Steps control = steps(site, campaign, Eligibility.CONTROL, eligible.getOrDefault(Eligibility.CONTROL, 0L));
        return new Funnel(
                test,
                control,
                campaign.definition().goal() == null
                        ? null
                        : GoalRates.compare(test.shown(), test.goal(), control.held(), control.goal()),
                events.notShown(site.id(), campaign.id(), ANCHOR_MISSING));
    }

    private Steps steps(Site site, Campaign campaign, String variant, long eligible) {
        boolean isTest = variant.equals(Eligibility.TEST);
        long shown = isTest ? people(site, campaign, variant, ReservedEvent.CAMPAIGN_SHOWN) : 0;
        long held = isTest ? 0 : people(site, campaign, variant, ReservedEvent.CAMPAIGN_HELD);
        long goal = goal(site, campaign, variant);
        long base = isTest ? shown : held;
        return new Steps(
                variant,
                eligible,
                people(site, campaign, variant, ReservedEvent.CAMPAIGN_TRIGGERED),
                shown,
                held,
                isTest ? people(site, campaign, variant, clickEvent(campaign)) : 0,
                isTest ? people(site, campaign, variant, ReservedEvent.CAMPAIGN_DISMISSED) : 0,
                people(site, campaign, variant, ReservedEvent.CAMPAIGN_NOT_SHOWN),
                goal,
                base == 0 || campaign.definition().goal() == null ? null : (double) goal / base);
    }

    private long people(Site site, Campaign campaign, String variant, String eventName) {
        return evaluator.size(site.id(), did(campaign, variant, eventName), clock.instant(), site.timeZone());
    }

    /** People who did the goal event within its window after the step the goal counts from. */
    private long goal(Site site, Campaign campaign, String variant) {
        Condition goal = goal(campaign, variant);
        return goal == null ? 0 : evaluator.size(site.id(), goal, clock.instant(), site.timeZone());
    }

    /** The event of the step "clicked": for a survey, where no one clicks, an answer is its "answered". */
    static String clickEvent(Campaign campaign) {
        return campaign.definition().kind().equals(CampaignParser.SURVEY)
                ? ReservedEvent.SURVEY_ANSWERED
                : ReservedEvent.CAMPAIGN_CLICKED;
    }

    /** The people who logged the campaign's event {@code eventName} in {@code variant}, at least once, ever. */
    static Condition did(Campaign campaign, String variant, String eventName) {
        return new Condition.Behaviour(
                campaignEvent(eventName, campaign, variant),
                new Condition.CountComparison(Condition.CountComparison.Comparison.AT_LEAST, 1),
                new Window.Ever());
    }

    /**
     * The people of {@code variant} who did the goal event within its window after the step the goal
     * counts from: shown or clicked, as the goal says, for the test group; held for the control group.
     *
     * @return null when the campaign has no goal
     */
    static Condition goal(Campaign campaign, String variant) {
        var goal = campaign.definition().goal();
        if (goal == null) {
            return null;
        }
        String from = !variant.equals(Eligibility.TEST)
                ? ReservedEvent.CAMPAIGN_HELD
                : goal.get("after").asText().equals("clicked")
                        ? ReservedEvent.CAMPAIGN_CLICKED
                        : ReservedEvent.CAMPAIGN_SHOWN;
        return new Condition.Sequence(
                campaignEvent(from, campaign, variant),
                goalEvent(goal),
                Duration.ofHours(goal.get("windowHours").asLong()),
                new Window.Ever());
    }

    static Condition.EventMatch campaignEvent(String name, Campaign campaign, String variant) {
        return new Condition.EventMatch(
                name,
                List.of(
                        new PropertyFilter(
                                "campaignId",
                                PropertyFilter.Operator.EQUALS,
                                new PropertyFilter.Value.Text(campaign.id())),
                        new PropertyFilter(
                                "variant", PropertyFilter.Operator.EQUALS, new PropertyFilter.Value.Text(variant))));
    }

    /** The goal's event and filters, read by the condition language's parser, which checked them on save. */
    private static Condition.EventMatch goalEvent(ObjectNode goal) {
        ObjectNode did = Json.mapper().createObjectNode();
        did.putObject("did").put("event", goal.get("event").asText()).set("where", goal.get("where"));
        return ((Condition.Behaviour) ConditionParser.parse(did)).event();
    }

    /**
     * Hands to {@code sink} what happened to each person of the campaign, once per variant they were
     * eligible or had a step in, as read from the store. The steps are decided by the queries the
     * funnel counts, so the people of a step and variant are as many as the funnel says: {@link
     * #CONVERTED} is the funnel's goal, {@link #SHOWN}, {@link #CLICKED} and {@link #DISMISSED} hold
     * only in the test group, {@link #HELD} only in the control group. The first shown time is the
     * first {@code $campaign_shown} of the test group or {@code $campaign_held} of the control group.
     */
    public void forEachOutcome(Site site, Campaign campaign, Consumer<CampaignEvents.Outcome> sink) {
        List<CampaignEvents.Step> steps = new ArrayList<>();
        for (String variant : List.of(Eligibility.TEST, Eligibility.CONTROL)) {
            boolean isTest = variant.equals(Eligibility.TEST);
            steps.add(step(campaign, variant, TRIGGERED, ReservedEvent.CAMPAIGN_TRIGGERED));
            if (isTest) {
                steps.add(step(campaign, variant, SHOWN, ReservedEvent.CAMPAIGN_SHOWN));
                steps.add(step(campaign, variant, CLICKED, clickEvent(campaign)));
                steps.add(step(campaign, variant, DISMISSED, ReservedEvent.CAMPAIGN_DISMISSED));
            } else {
                steps.add(step(campaign, variant, HELD, ReservedEvent.CAMPAIGN_HELD));
            }
            steps.add(step(campaign, variant, NOT_SHOWN, ReservedEvent.CAMPAIGN_NOT_SHOWN));
            Condition goal = goal(campaign, variant);
            if (goal != null) {
                steps.add(new CampaignEvents.Step(variant, CONVERTED, goal));
            }
        }
        Map<String, Condition.EventMatch> firstShown = Map.of(
                Eligibility.TEST, campaignEvent(ReservedEvent.CAMPAIGN_SHOWN, campaign, Eligibility.TEST),
                Eligibility.CONTROL, campaignEvent(ReservedEvent.CAMPAIGN_HELD, campaign, Eligibility.CONTROL));
        events.forEachOutcome(site.id(), campaign.id(), steps, firstShown, clock.instant(), site.timeZone(), sink);
    }

    private static CampaignEvents.Step step(Campaign campaign, String variant, String name, String eventName) {
        return new CampaignEvents.Step(variant, name, did(campaign, variant, eventName));
    }

    /** An event the plugin logged about the campaign for this person. */
    public record Reported(String name, Instant time, String deviceId, String variant, String reason, String detail) {}

    /**
     * Why a person did or did not see a campaign.
     *
     * @param verdict each eligibility condition decided now, with segment membership evaluated fresh
     * @param exposure when the config endpoint first gave them the campaign, or null if never
     * @param reported what the plugin logged about the campaign for them, newest first
     */
    public record Why(
            Person person, String deviceId, Eligibility.Verdict verdict, Exposure exposure, List<Reported> reported) {}

    /**
     * Explains the campaign for a device (through the person it belongs to) or for a user.
     *
     * @param deviceId the device, or null to explain for {@code userId}
     */
    public Why why(Site site, Campaign campaign, String deviceId, String userId) {
        Instant now = clock.instant();
        Person person = deviceId != null ? evaluator.personOfDevice(site.id(), deviceId) : new Person(userId, null);
        var verdict = Eligibility.decide(
                campaign,
                person,
                deviceId,
                now,
                segmentId -> segments.find(site, segmentId)
                        .map(Segment::parsed)
                        .map(condition -> evaluator.contains(site.id(), condition, person, now, site.timeZone())));
        Optional<Exposure> exposure = repository.exposure(site.id(), campaign.id(), person.key());
        List<Reported> reported = new ArrayList<>();
        for (Event event : events.ofCampaign(site.id(), person, campaign.id(), WHY_EVENTS)) {
            reported.add(new Reported(
                    event.name(),
                    event.time(),
                    event.deviceId(),
                    event.properties().path("variant").asText(""),
                    event.properties().path("reason").asText(""),
                    detail(event)));
        }
        return new Why(person, deviceId, verdict, exposure.orElse(null), reported);
    }

    private static String detail(Event event) {
        var properties = event.properties();
        List<String> parts = new ArrayList<>();
        if (properties.has("campaignVersion")) {
            parts.add("version " + properties.get("campaignVersion").asText());
        }
        if (properties.has("button")) {
            parts.add("button " + properties.get("button").asText());
        }
        if (properties.has("action")) {
            parts.add("action " + properties.get("action").asText());
        }
        return String.join(", ", parts);
    }
}
