package dev.beckon.campaign;

import dev.beckon.event.Event;
import dev.beckon.segment.Condition;
import dev.beckon.segment.Person;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The reads of stored events that campaigns need, on the store that holds the events. Events
 * belong to people by the rules of docs/identity.md.
 */
public interface CampaignEvents {

    /**
     * The person's events of the given names at or after {@code since}, newest first.
     *
     * @param names at least one event name
     */
    List<Event> history(String siteId, Person person, Collection<String> names, Instant since, int limit);

    /** The person's {@code $campaign_*} and {@code $survey_*} events of one campaign, newest first. */
    List<Event> ofCampaign(String siteId, Person person, String campaignId, int limit);

    /**
     * The time of the person's latest {@code $campaign_shown} of one of the campaigns at or after
     * {@code since}, on any of their devices; a {@code preview} does not count. Null when there is none.
     *
     * @param campaignIds at least one campaign id
     */
    Instant lastShown(String siteId, Person person, Collection<String> campaignIds, Instant since);

    /** How many {@code $campaign_not_shown} events of the campaign carry the reason, and the latest one's time. */
    ReasonCount notShown(String siteId, String campaignId, String reason);

    /** A count of events and the time of the latest, which is null when the count is 0. */
    record ReasonCount(long count, Instant latest) {}

    /**
     * One step of a campaign's outcomes: the people of {@code variant} for whom {@code people} holds,
     * as of {@code now}.
     */
    record Step(String variant, String name, Condition people) {}

    /**
     * What happened to one person, in one variant, of a campaign.
     *
     * @param person as the funnel counts people: the key of the exposure, or of the events by the
     *     identity rules
     * @param deviceId for an anonymous person, their device; for a user, the device they were last
     *     identified on (devices of imports left out), or null when they have none
     * @param eligibleTime when the config endpoint first gave them the campaign, or null if it never
     *     did in this variant
     * @param steps the names of the steps that hold for them in this variant
     * @param firstShownTime the time of their first event that the variant's {@code firstShown}
     *     matches, or null
     */
    record Outcome(
            Person person,
            String deviceId,
            String variant,
            Instant eligibleTime,
            Set<String> steps,
            Instant firstShownTime) {}

    /**
     * Hands to {@code sink}, as they are read, every person the config endpoint gave the campaign to
     * and every person for whom one of the steps holds: once per variant they were eligible or had a
     * step in, in person key then variant order. An exception from the sink stops the reading and is
     * rethrown.
     *
     * @param steps the steps, each decided as a segment condition is, so that the people of a step
     *     are the people the funnel counts for it
     * @param firstShown by variant, the event whose first time is an outcome's {@code firstShownTime}
     */
    void forEachOutcome(
            String siteId,
            String campaignId,
            List<Step> steps,
            Map<String, Condition.EventMatch> firstShown,
            Instant now,
            ZoneId zone,
            Consumer<Outcome> sink);
}
