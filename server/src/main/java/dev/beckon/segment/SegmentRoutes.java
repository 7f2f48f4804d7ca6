package dev.beckon.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.http.HttpError;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The segment routes of the admin API, under {@code /api/v1/sites/{siteId}/segments}; the admin
 * API's authentication applies (docs/admin-api.md).
 */
public final class SegmentRoutes {

    public static final int MAX_MEMBERS_PAGE = 1000;
    public static final int PREVIEW_MEMBERS = 20;
    private static final Pattern SEGMENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final SiteRegistry sites;
    private final SegmentRepository segments;
    private final SegmentEvaluator evaluator;
    private final LiveMembership live;
    private final Clock clock;

    public SegmentRoutes(
            SiteRegistry sites,
            SegmentRepository segments,
            SegmentEvaluator evaluator,
            LiveMembership live,
            Clock clock) {
        this.sites = sites;
        this.segments = segments;
        this.evaluator = evaluator;
        this.live = live;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        String base = "/api/v1/sites/{siteId}/segments";
        config.routes.post(base + "/preview", this::preview);
        config.routes.get(
                base, ctx -> ctx.json(Map.of("segments", segments.all(site(ctx).id()))));
        config.routes.post(base, this::create);
        config.routes.get(base + "/{segmentId}", ctx -> ctx.json(describe(segment(ctx))));
        config.routes.put(base + "/{segmentId}", this::replace);
        config.routes.delete(base + "/{segmentId}", this::delete);
        config.routes.get(base + "/{segmentId}/members", this::members);
        config.routes.get(base + "/{segmentId}/contains", this::contains);
        config.routes.patch("/api/v1/sites/{siteId}", this::changeSite);
    }

    /** Size and first members of a condition that is not saved: the builder's live preview. */
    private void preview(Context ctx) {
        Site site = site(ctx);
        Condition condition = condition(body(ctx).get("condition"));
        Instant now = clock.instant();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("size", evaluator.size(site.id(), condition, now, site.timeZone()));
        answer.put("members", evaluator.members(site.id(), condition, now, site.timeZone(), PREVIEW_MEMBERS, 0));
        ctx.json(answer);
    }

    private void create(Context ctx) {
        JsonNode body = body(ctx);
        String id = body.hasNonNull("id")
                ? segmentId(body.get("id").asText())
                : UUID.randomUUID().toString();
        if (segments.find(site(ctx).id(), id).isPresent()) {
            throw new HttpError(409, "a segment with id '" + id + "' exists; PUT to change it");
        }
        ctx.status(201).json(describe(save(ctx, id, body, clock.instant())));
    }

    private void replace(Context ctx) {
        Segment existing = segment(ctx);
        ctx.json(describe(save(ctx, existing.id(), body(ctx), existing.createdAt())));
    }

    private Segment save(Context ctx, String id, JsonNode body, Instant createdAt) {
        JsonNode conditionJson = body.get("condition");
        condition(conditionJson);
        String name = body.path("name").asText("").strip();
        if (name.isEmpty() || name.length() > 200) {
            throw HttpError.badRequest("name: must be 1 to 200 characters");
        }
        var segment = new Segment(site(ctx).id(), id, name, conditionJson, createdAt, clock.instant());
        segments.save(segment);
        live.refresh(segment);
        return segment;
    }

    private void delete(Context ctx) {
        Segment segment = segment(ctx);
        segments.delete(segment.siteId(), segment.id());
        live.forget(segment.siteId(), segment.id());
        ctx.status(204);
    }

    private void members(Context ctx) {
        Segment segment = segment(ctx);
        Site site = site(ctx);
        int limit = intParameter(ctx, "limit", 100, 1, MAX_MEMBERS_PAGE);
        int offset = intParameter(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        List<Person> members =
                evaluator.members(site.id(), segment.parsed(), clock.instant(), site.timeZone(), limit, offset);
        ctx.json(Map.of("members", members));
    }

    /** Whether a device (through its person) or a user is a member now, evaluated fresh. */
    private void contains(Context ctx) {
        Segment segment = segment(ctx);
        Site site = site(ctx);
        String deviceId = ctx.queryParam("deviceId");
        String userId = ctx.queryParam("userId");
        if ((deviceId == null) == (userId == null)) {
            throw HttpError.badRequest("give exactly one of deviceId and userId");
        }
        Person person = deviceId != null ? evaluator.personOfDevice(site.id(), deviceId) : new Person(userId, null);
        boolean member = evaluator.contains(site.id(), segment.parsed(), person, clock.instant(), site.timeZone());
        ctx.json(Map.of("person", person, "member", member));
    }

    private void changeSite(Context ctx) {
        Site site = site(ctx);
        JsonNode zone = body(ctx).get("timeZone");
        if (zone == null || !zone.isTextual()) {
            throw HttpError.badRequest("timeZone: give an IANA time zone such as Europe/Berlin");
        }
        try {
            ctx.json(sites.setTimeZone(site.id(), ZoneId.of(zone.asText())));
        } catch (DateTimeException e) {
            throw HttpError.badRequest(
                    "timeZone: '" + zone.asText() + "' is not an IANA time zone such as Europe/Berlin");
        }
    }

    private Map<String, Object> describe(Segment segment) {
        Site site = sites.find(segment.siteId()).orElseThrow();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", segment.id());
        answer.put("name", segment.name());
        answer.put("condition", segment.condition());
        answer.put("size", evaluator.size(site.id(), segment.parsed(), clock.instant(), site.timeZone()));
        answer.put("createdAt", segment.createdAt());
        answer.put("updatedAt", segment.updatedAt());
        return answer;
    }

    // Request parts

    private Site site(Context ctx) {
        String siteId = ctx.pathParam("siteId");
        return sites.find(siteId).orElseThrow(() -> HttpError.notFound("no site has the id '" + siteId + "'"));
    }

    private Segment segment(Context ctx) {
        String id = ctx.pathParam("segmentId");
        return segments.find(site(ctx).id(), id)
                .orElseThrow(() -> HttpError.notFound("site '" + site(ctx).id() + "' has no segment '" + id + "'"));
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode body = dev.beckon.Json.mapper().readTree(ctx.bodyAsBytes());
            if (body == null || !body.isObject()) {
                throw HttpError.badRequest("the body must be a JSON object");
            }
            return body;
        } catch (java.io.IOException e) {
            throw HttpError.badRequest("the body is not valid JSON");
        }
    }

    private static Condition condition(JsonNode json) {
        if (json == null) {
            throw HttpError.badRequest("condition: is required");
        }
        try {
            return ConditionParser.parse(json);
        } catch (InvalidConditionException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    private static String segmentId(String id) {
        if (!SEGMENT_ID.matcher(id).matches()) {
            throw HttpError.badRequest(
                    "id: must be 1 to 64 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
        return id;
    }

    private static int intParameter(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw HttpError.badRequest(
                name + ": must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }
}
