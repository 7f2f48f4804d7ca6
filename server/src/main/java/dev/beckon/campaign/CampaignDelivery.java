package dev.beckon.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.segment.CanonicalConditionJson;
import dev.beckon.segment.Condition;
import dev.beckon.segment.LiveMembership;
import dev.beckon.segment.Person;
import dev.beckon.site.Engagement;
import dev.beckon.site.Site;
import dev.beckon.store.StoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the config that the nudges plugin fetches (docs/campaigns.md, "The config endpoint"): the
 * campaigns a device is eligible for now, each with the history its trigger's condition needs.
 *
 * <p>Cheap by design. Campaigns are read from memory ({@link Campaigns}), segment membership from
 * {@link LiveMembership}; only the history asks the store, one query per campaign that has a
 * condition. A made config is kept for {@link #CACHE_TTL} per device and user id, and forgotten as
 * soon as a campaign of the site changes, so a published change is in the next fetch; the plugin
 * fetches every {@link #REFRESH_SECONDS}, so it reaches open pages within a minute. The ETag is a
 * hash of everything but the times, so an unchanged config answers 304.
 *
 * <p>Surveys wait out the site's recontact wait (docs/surveys.md): a person shown any survey of
 * the site within its {@code recontactDays} gets no survey, in either variant, so that the control
 * group is held as often as the test group is shown. That asks the store once, and only when a
 * survey would be served; a test device's preview does not wait, nor count.
 *
 * <p>Failure semantics: the first time a person is given a campaign is recorded as an exposure,
 * the funnel's "eligible"; when that write fails the config is still served, the failure is logged,
 * and the next config made for the person tries again. A failing history read fails the request
 * (503): a config without the history would decide conditions wrongly.
 */
public final class CampaignDelivery {

    public static final int REFRESH_SECONDS = 30;
    /** The variant of every campaign in the config of a person in the site-wide holdout. */
    public static final String HOLDOUT = "holdout";

    public static final Duration CACHE_TTL = Duration.ofSeconds(10);
    public static final int MAX_HISTORY_EVENTS = 500;
    /** When this many configs are cached, the cache is emptied rather than grown. */
    static final int MAX_CACHED_CONFIGS = 10_000;
    /** When this many exposures are remembered as written, the memory is emptied rather than grown. */
    static final int MAX_REMEMBERED_EXPOSURES = 100_000;

    private static final Logger log = LoggerFactory.getLogger(CampaignDelivery.class);

    private record Made(String etag, ObjectNode stable, long generation, Instant madeAt) {}

    /** A config to answer with: its ETag, and the body as of now. */
    public record Served(String etag, ObjectNode body) {}

    private final Campaigns campaigns;
    private final CampaignRepository repository;
    private final CampaignEvents events;
    private final LiveMembership live;
    private final Clock clock;
    private final Map<String, Made> cache = new ConcurrentHashMap<>();
    private final Set<String> exposuresWritten = ConcurrentHashMap.newKeySet();

    public CampaignDelivery(
            Campaigns campaigns,
            CampaignRepository repository,
            CampaignEvents events,
            LiveMembership live,
            Clock clock) {
        this.campaigns = campaigns;
        this.repository = repository;
        this.events = events;
        this.live = live;
        this.clock = clock;
    }

    /**
     * The config of a device, and of its user when the page has set one.
     *
     * @param userId the custom user id the page has set, or null
     */
    public Served config(Site site, String deviceId, String userId) {
        Instant now = clock.instant();
        String key = site.id() + '\n' + deviceId + '\n' + (userId == null ? "" : userId);
        long generation = campaigns.generation(site.id());
        Made made = cache.get(key);
        if (made == null
                || made.generation() != generation
                || !now.isBefore(made.madeAt().plus(CACHE_TTL))) {
            made = make(site, deviceId, userId, now, generation);
            if (cache.size() >= MAX_CACHED_CONFIGS) {
                cache.clear();
            }
            cache.put(key, made);
        }
        return new Served(made.etag(), withTimes(made, now));
    }

    /** The person a config is for: the user the page has set, else the person the device belongs to. */
    public Person person(Site site, String deviceId, String userId) {
        return userId != null ? new Person(userId, null) : live.personOfDevice(site.id(), deviceId);
    }

    private Made make(Site site, String deviceId, String userId, Instant now, long generation) {
        Person person = person(site, deviceId, userId);
        Map<Campaign, Eligibility.Verdict> eligible = new LinkedHashMap<>();
        Boolean waiting = null;
        for (Campaign campaign : campaigns.all(site)) {
            Eligibility.Verdict verdict =
                    Eligibility.decide(campaign, person, deviceId, now, segment -> member(site, segment, person));
            if (verdict.eligible() && isSurvey(campaign) && !verdict.testDevice()) {
                waiting = waiting != null ? waiting : waitsToBeRecontacted(site, person, now);
                if (waiting) {
                    continue;
                }
            }
            if (verdict.eligible()) {
                eligible.put(campaign, verdict);
            }
        }
        // A test device is never held out, so that its previews are drawn.
        Engagement budget = site.engagement();
        boolean holdout = budget.holdsOut(Buckets.holdout(site.id(), person.key()))
                && eligible.values().stream().noneMatch(Eligibility.Verdict::testDevice);

        ObjectNode stable = Json.mapper().createObjectNode();
        stable.put("refreshSeconds", REFRESH_SECONDS);
        stable.put("holdout", holdout);
        stable.putObject("fatigue")
                .put("perDay", budget.fatigue().perDay())
                .put("perWeek", budget.fatigue().perWeek());
        stable.put("minGapSeconds", budget.minGapSeconds());
        stable.set("quietHours", Json.mapper().valueToTree(budget.quietHours()));
        stable.put("recontactDays", site.recontactDays());
        ArrayNode list = stable.putArray("campaigns");
        eligible.forEach((campaign, verdict) -> {
            // The holdout's impressions are held under a variant that no campaign's figures count,
            // and its people are never a campaign's eligible.
            list.add(entry(site, campaign, person, holdout ? HOLDOUT : verdict.variant(), now));
            if (!verdict.testDevice() && !holdout) {
                recordExposure(site, campaign, person, verdict.variant(), now);
            }
        });
        return new Made(etag(stable), stable, generation, now);
    }

    /** Whether the person was shown a survey of the site within its recontact wait. */
    private boolean waitsToBeRecontacted(Site site, Person person, Instant now) {
        if (site.recontactDays() == 0) {
            return false;
        }
        List<String> surveys = campaigns.all(site).stream()
                .filter(CampaignDelivery::isSurvey)
                .map(Campaign::id)
                .toList();
        return events.lastShown(site.id(), person, surveys, now.minus(Duration.ofDays(site.recontactDays()))) != null;
    }

    private static boolean isSurvey(Campaign campaign) {
        return campaign.definition().kind().equals(CampaignParser.SURVEY);
    }

    private Optional<Boolean> member(Site site, String segmentId, Person person) {
        if (live.evaluatedAt(site.id(), segmentId) == null) {
            return Optional.empty();
        }
        return Optional.of(live.contains(site.id(), segmentId, person));
    }

    private ObjectNode entry(Site site, Campaign campaign, Person person, String variant, Instant now) {
        CampaignDefinition definition = campaign.definition();
        ObjectNode entry = Json.mapper().createObjectNode();
        entry.put("id", campaign.id());
        entry.put("kind", definition.kind());
        entry.put("priority", definition.priority());
        entry.put("version", campaign.version());
        entry.put("variant", variant);
        // Conditions and filters in the one spelling the plugin reads.
        entry.set("trigger", CanonicalConditionJson.of(definition.trigger()));
        entry.set("caps", definition.caps());
        entry.set("content", definition.content());
        entry.set("goal", CanonicalConditionJson.of(definition.goal()));
        // Always present, so that the plugin reads one shape; empty without a condition.
        Condition condition = definition.triggerCondition();
        entry.putObject("history")
                .set(
                        "events",
                        condition == null ? Json.mapper().createArrayNode() : history(site, person, condition, now));
        return entry;
    }

    /** The person's events that the condition's leaves can match, newest kept, with only the named properties. */
    private ArrayNode history(Site site, Person person, Condition condition, Instant now) {
        ArrayNode list = Json.mapper().createArrayNode();
        HistoryNeeds needs = HistoryNeeds.of(condition, now, site.timeZone());
        if (needs.isEmpty()) {
            return list;
        }
        for (Event event :
                events.history(site.id(), person, needs.properties().keySet(), needs.since(), MAX_HISTORY_EVENTS)) {
            ObjectNode item = list.addObject();
            item.put("name", event.name());
            item.put("time", Json.TIME_FORMAT.format(event.time()));
            ObjectNode properties = item.putObject("properties");
            for (String property : needs.properties().get(event.name())) {
                JsonNode value = event.properties().get(property);
                if (value != null) {
                    properties.set(property, value);
                }
            }
        }
        return list;
    }

    private void recordExposure(Site site, Campaign campaign, Person person, String variant, Instant now) {
        String key = site.id() + '\n' + campaign.id() + '\n' + person.key();
        if (exposuresWritten.contains(key)) {
            return;
        }
        try {
            repository.recordExposure(site.id(), campaign.id(), person.key(), variant, now);
            if (exposuresWritten.size() >= MAX_REMEMBERED_EXPOSURES) {
                exposuresWritten.clear();
            }
            exposuresWritten.add(key);
        } catch (StoreException e) {
            log.warn(
                    "Site {}: the exposure of campaign {} could not be recorded; the config is served and the next"
                            + " one retries",
                    site.id(),
                    campaign.id(),
                    e);
        }
    }

    private static ObjectNode withTimes(Made made, Instant now) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("refreshSeconds", made.stable().get("refreshSeconds").asInt());
        body.put("serverTime", Json.TIME_FORMAT.format(now));
        ObjectNode rest = made.stable().deepCopy();
        rest.remove("refreshSeconds");
        body.setAll(rest);
        for (JsonNode campaign : body.get("campaigns")) {
            JsonNode history = campaign.get("history");
            if (history != null) {
                ObjectNode timed = Json.mapper().createObjectNode();
                timed.put("asOf", Json.TIME_FORMAT.format(made.madeAt()));
                timed.set("events", history.get("events"));
                ((ObjectNode) campaign).set("history", timed);
            }
        }
        return body;
    }

    private static String etag(ObjectNode stable) {
        try {
            byte[] json = Json.mapper().writeValueAsBytes(stable);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
            return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("a config failed to hash", e);
        }
    }
}
