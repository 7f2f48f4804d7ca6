package dev.beckon.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.http.HttpError;
import dev.beckon.site.Site;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Saving, deleting and evaluating a site's segments, for the admin API and the dashboard alike.
 * Definitions are checked here, once; a refused one throws {@link HttpError} 400 whose message
 * names the field (or the condition's path) and the problem. A saved segment is evaluated into
 * live membership at once.
 */
public final class Segments {

    public static final int MAX_NAME_LENGTH = 200;
    private static final Pattern SEGMENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final SegmentRepository repository;
    private final SegmentEvaluator evaluator;
    private final LiveMembership live;
    private final Clock clock;

    public Segments(SegmentRepository repository, SegmentEvaluator evaluator, LiveMembership live, Clock clock) {
        this.repository = repository;
        this.evaluator = evaluator;
        this.live = live;
        this.clock = clock;
    }

    public Optional<Segment> find(Site site, String segmentId) {
        return repository.find(site.id(), segmentId);
    }

    /**
     * The segment of a request's path.
     *
     * @throws HttpError 404 when the site has no such segment
     */
    public Segment require(Site site, String segmentId) {
        return find(site, segmentId)
                .orElseThrow(() -> HttpError.notFound("site '" + site.id() + "' has no segment '" + segmentId + "'"));
    }

    /** Every segment of the site, by name. */
    public List<Segment> all(Site site) {
        return repository.all(site.id());
    }

    /**
     * Saves a new segment.
     *
     * @param id the segment's id, or null for a new UUID
     * @throws HttpError 400 for an invalid definition, 409 when a segment has the id
     */
    public Segment create(Site site, String id, String name, JsonNode condition) {
        String segmentId = id == null ? UUID.randomUUID().toString() : checkedId(id);
        if (repository.find(site.id(), segmentId).isPresent()) {
            throw new HttpError(409, "a segment with id '" + segmentId + "' exists; PUT to change it");
        }
        return save(site, segmentId, name, condition, clock.instant());
    }

    /**
     * Replaces the name and condition of a saved segment, keeping its creation time.
     *
     * @throws HttpError 400 for an invalid definition
     */
    public Segment replace(Segment existing, Site site, String name, JsonNode condition) {
        return save(site, existing.id(), name, condition, existing.createdAt());
    }

    public void delete(Segment segment) {
        repository.delete(segment.siteId(), segment.id());
        live.forget(segment.siteId(), segment.id());
    }

    /** How many people the condition holds for now. */
    public long size(Site site, Condition condition) {
        return evaluator.size(site.id(), condition, clock.instant(), site.timeZone());
    }

    /** A page of the people the condition holds for now, in key order. */
    public List<Person> members(Site site, Condition condition, int limit, int offset) {
        return evaluator.members(site.id(), condition, clock.instant(), site.timeZone(), limit, offset);
    }

    /**
     * The condition of a definition.
     *
     * @throws HttpError 400 naming the condition's path and its problem
     */
    public static Condition condition(JsonNode json) {
        if (json == null || json.isNull()) {
            throw HttpError.badRequest("condition: is required");
        }
        try {
            return ConditionParser.parse(json);
        } catch (InvalidConditionException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    /**
     * A segment's name without the spaces around it.
     *
     * @throws HttpError 400 when it is missing, blank or longer than {@value #MAX_NAME_LENGTH}
     */
    public static String checkedName(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_NAME_LENGTH) {
            throw HttpError.badRequest("name: must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        return stripped;
    }

    private Segment save(Site site, String id, String name, JsonNode conditionJson, Instant createdAt) {
        condition(conditionJson);
        var segment = new Segment(site.id(), id, checkedName(name), conditionJson, createdAt, clock.instant());
        repository.save(segment);
        live.refresh(segment);
        return segment;
    }

    private static String checkedId(String id) {
        if (!SEGMENT_ID.matcher(id).matches()) {
            throw HttpError.badRequest(
                    "id: must be 1 to 64 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
        return id;
    }
}
