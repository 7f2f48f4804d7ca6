package dev.beckon.campaign;

import dev.beckon.event.Event;
import dev.beckon.segment.Person;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

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

    /** The person's {@code $campaign_*} events of one campaign, newest first. */
    List<Event> ofCampaign(String siteId, Person person, String campaignId, int limit);

    /** How many {@code $campaign_not_shown} events of the campaign carry the reason, and the latest one's time. */
    ReasonCount notShown(String siteId, String campaignId, String reason);

    /** A count of events and the time of the latest, which is null when the count is 0. */
    record ReasonCount(long count, Instant latest) {}
}
