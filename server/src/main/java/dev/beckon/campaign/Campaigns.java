package dev.beckon.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.http.HttpError;
import dev.beckon.segment.Segments;
import dev.beckon.site.Site;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Saving campaigns and moving them through their statuses, for the admin API and the dashboard
 * alike. Definitions are checked here, once; a refused one throws {@link HttpError} 400 whose
 * message names the field, and a change the status does not allow is a 409 that says what to do
 * instead.
 *
 * <p>Every campaign is held in memory, as the sites are, because the config endpoint reads them on
 * every page load; the store is written first, then memory, so a failed write changes nothing.
 * Each change moves the site's {@link #generation}, which is what the config cache compares to
 * forget what it made before. Changes are made one at a time, so that two requests cannot both
 * take an id or both move a status.
 */
public final class Campaigns {

    private static final Pattern CAMPAIGN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** Most campaigns first by priority, then by name. */
    public static final Comparator<Campaign> BY_PRIORITY = Comparator.<Campaign>comparingInt(
                    c -> -c.definition().priority())
            .thenComparing(c -> c.definition().name())
            .thenComparing(Campaign::id);

    private final CampaignRepository repository;
    private final Segments segments;
    private final Clock clock;
    private final Map<String, Map<String, Campaign>> bySite = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

    public Campaigns(CampaignRepository repository, Segments segments, Clock clock) {
        this.repository = repository;
        this.segments = segments;
        this.clock = clock;
        repository.everySite().forEach(this::remember);
    }

    public Optional<Campaign> find(Site site, String campaignId) {
        return Optional.ofNullable(siteCampaigns(site.id()).get(campaignId));
    }

    /**
     * The campaign of a request's path.
     *
     * @throws HttpError 404 when the site has no such campaign
     */
    public Campaign require(Site site, String campaignId) {
        return find(site, campaignId)
                .orElseThrow(() -> HttpError.notFound("site '" + site.id() + "' has no campaign '" + campaignId + "'"));
    }

    /** Every campaign of the site, highest priority first. */
    public List<Campaign> all(Site site) {
        return siteCampaigns(site.id()).values().stream().sorted(BY_PRIORITY).toList();
    }

    /** A number that changes whenever a campaign of the site is saved, changes status or is deleted. */
    public long generation(String siteId) {
        return generations.computeIfAbsent(siteId, id -> new AtomicLong()).get();
    }

    /**
     * Saves a new draft.
     *
     * @param id the campaign's id, or null for a new UUID
     * @throws HttpError 400 for an invalid definition, 409 when a campaign has the id
     */
    public synchronized Campaign create(Site site, String id, JsonNode body) {
        String campaignId = id == null ? UUID.randomUUID().toString() : checkedId(id);
        CampaignDefinition definition = checked(site, body);
        if (find(site, campaignId).isPresent()) {
            throw new HttpError(409, "a campaign with id '" + campaignId + "' exists; PUT to change it");
        }
        Instant now = clock.instant();
        return store(new Campaign(site.id(), campaignId, CampaignStatus.DRAFT, 0, definition, now, now, null));
    }

    /**
     * Replaces the definition of a campaign, keeping its status. A change to a campaign that is not
     * a draft is published at once, with the next version.
     *
     * @throws HttpError 400 for an invalid definition, 409 for an ended campaign
     */
    public synchronized Campaign replace(Campaign given, Site site, JsonNode body) {
        Campaign existing = current(given);
        CampaignDefinition definition = checked(site, body);
        JsonNode status = body.get("status");
        if (status != null
                && !status.isNull()
                && !status.asText().equals(existing.status().wire())) {
            throw HttpError.badRequest("status: is changed with POST …/publish, …/pause or …/end, not in the body");
        }
        if (existing.status() == CampaignStatus.ENDED) {
            throw new HttpError(409, "campaign '" + existing.id() + "' has ended and cannot change; copy it instead");
        }
        Instant now = clock.instant();
        boolean published = existing.status() != CampaignStatus.DRAFT;
        return store(new Campaign(
                site.id(),
                existing.id(),
                existing.status(),
                published ? existing.version() + 1 : existing.version(),
                definition,
                existing.createdAt(),
                now,
                published ? now : existing.publishedAt()));
    }

    /**
     * Publishes a draft or a paused campaign: it becomes scheduled when its start is still to come,
     * else live, with the next version.
     *
     * @throws HttpError 409 when it is live, scheduled or ended; 400 when its segment is gone
     */
    public synchronized Campaign publish(Campaign given, Site site) {
        Campaign campaign = current(given);
        requireStatus(campaign, "published", CampaignStatus.DRAFT, CampaignStatus.PAUSED);
        checkSegment(site, campaign.definition().audience());
        Instant now = clock.instant();
        CampaignStatus next =
                campaign.definition().schedule().hasStarted(now) ? CampaignStatus.LIVE : CampaignStatus.SCHEDULED;
        return store(campaign.withStatus(next, campaign.version() + 1, now, now));
    }

    /**
     * Stops showing a live or scheduled campaign until it is published again.
     *
     * @throws HttpError 409 for any other status
     */
    public synchronized Campaign pause(Campaign given) {
        Campaign campaign = current(given);
        requireStatus(campaign, "paused", CampaignStatus.LIVE, CampaignStatus.SCHEDULED);
        return store(campaign.withStatus(
                CampaignStatus.PAUSED, campaign.version(), clock.instant(), campaign.publishedAt()));
    }

    /**
     * Ends a campaign for good; its events and funnel stay.
     *
     * @throws HttpError 409 for a draft (delete it instead) or an ended campaign
     */
    public synchronized Campaign end(Campaign given) {
        Campaign campaign = current(given);
        requireStatus(campaign, "ended", CampaignStatus.LIVE, CampaignStatus.SCHEDULED, CampaignStatus.PAUSED);
        return store(
                campaign.withStatus(CampaignStatus.ENDED, campaign.version(), clock.instant(), campaign.publishedAt()));
    }

    /**
     * Deletes a draft.
     *
     * @throws HttpError 409 for a campaign that was published: end it instead, so its measurements stay
     */
    public synchronized void delete(Campaign given) {
        Campaign campaign = current(given);
        if (campaign.status() != CampaignStatus.DRAFT) {
            throw new HttpError(
                    409,
                    "campaign '" + campaign.id() + "' is " + campaign.status().wire()
                            + "; only a draft can be deleted, end it instead");
        }
        repository.delete(campaign.siteId(), campaign.id());
        siteCampaigns(campaign.siteId()).remove(campaign.id());
        changed(campaign.siteId());
    }

    /** The campaign as it is now, which a change made since the caller read it may have moved on. */
    private Campaign current(Campaign campaign) {
        Campaign now = siteCampaigns(campaign.siteId()).get(campaign.id());
        if (now == null) {
            throw HttpError.notFound("site '" + campaign.siteId() + "' has no campaign '" + campaign.id() + "'");
        }
        return now;
    }

    private static void requireStatus(Campaign campaign, String becoming, CampaignStatus... allowed) {
        if (!List.of(allowed).contains(campaign.status())) {
            throw new HttpError(
                    409,
                    "campaign '" + campaign.id() + "' is " + campaign.status().wire() + " and cannot be " + becoming
                            + "; it can be from " + List.of(allowed));
        }
    }

    private CampaignDefinition checked(Site site, JsonNode body) {
        CampaignDefinition definition;
        try {
            definition = CampaignParser.parse(body);
        } catch (InvalidCampaignException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        checkSegment(site, definition.audience());
        return definition;
    }

    private void checkSegment(Site site, Audience audience) {
        if (audience.segment() != null
                && segments.find(site, audience.segment()).isEmpty()) {
            throw HttpError.badRequest(
                    "audience.segment: site '" + site.id() + "' has no segment '" + audience.segment() + "'");
        }
    }

    private Campaign store(Campaign campaign) {
        repository.save(campaign);
        remember(campaign);
        changed(campaign.siteId());
        return campaign;
    }

    private void remember(Campaign campaign) {
        siteCampaigns(campaign.siteId()).put(campaign.id(), campaign);
    }

    private void changed(String siteId) {
        generations.computeIfAbsent(siteId, id -> new AtomicLong()).incrementAndGet();
    }

    private Map<String, Campaign> siteCampaigns(String siteId) {
        return bySite.computeIfAbsent(siteId, id -> new ConcurrentHashMap<>());
    }

    private static String checkedId(String id) {
        if (!CAMPAIGN_ID.matcher(id).matches()) {
            throw HttpError.badRequest(
                    "id: must be 1 to 64 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
        return id;
    }
}
