package dev.beckon.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.http.HttpError;
import dev.beckon.http.JsonBody;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The segment routes of the admin API, under {@code /api/v1/sites/{siteId}/segments}; the admin
 * API's authentication applies (docs/admin-api.md).
 */
public final class SegmentRoutes {

    public static final int MAX_MEMBERS_PAGE = 1000;
    public static final int PREVIEW_MEMBERS = 20;

    private final SiteRegistry sites;
    private final Segments segments;
    private final SegmentEvaluator evaluator;
    private final LiveMembership live;
    private final Clock clock;

    public SegmentRoutes(
            SiteRegistry sites, Segments segments, SegmentEvaluator evaluator, LiveMembership live, Clock clock) {
        this.sites = sites;
        this.segments = segments;
        this.evaluator = evaluator;
        this.live = live;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        String base = "/api/v1/sites/{siteId}/segments";
        config.routes.post(base + "/preview", this::preview);
        config.routes.get(base, ctx -> ctx.json(Map.of("segments", segments.all(site(ctx)))));
        config.routes.post(base, this::create);
        config.routes.get(base + "/{segmentId}", ctx -> ctx.json(describe(site(ctx), segment(ctx))));
        config.routes.put(base + "/{segmentId}", this::replace);
        config.routes.delete(base + "/{segmentId}", this::delete);
        config.routes.get(base + "/{segmentId}/members", this::members);
        config.routes.get(base + "/{segmentId}/contains", this::contains);
    }

    /** Size and first members of a condition that is not saved: the builder's live preview. */
    private void preview(Context ctx) {
        Site site = site(ctx);
        Condition condition = Segments.condition(body(ctx).get("condition"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("size", segments.size(site, condition));
        answer.put("members", segments.members(site, condition, PREVIEW_MEMBERS, 0));
        ctx.json(answer);
    }

    private void create(Context ctx) {
        Site site = site(ctx);
        JsonNode body = body(ctx);
        String id = body.hasNonNull("id") ? body.get("id").asText() : null;
        Segment created = segments.create(site, id, text(body, "name"), body.get("condition"));
        ctx.status(201).json(describe(site, created));
    }

    private void replace(Context ctx) {
        Site site = site(ctx);
        JsonNode body = body(ctx);
        ctx.json(describe(site, segments.replace(segment(ctx), site, text(body, "name"), body.get("condition"))));
    }

    private void delete(Context ctx) {
        segments.delete(segment(ctx));
        ctx.status(204);
    }

    private void members(Context ctx) {
        Segment segment = segment(ctx);
        int limit = intParameter(ctx, "limit", 100, 1, MAX_MEMBERS_PAGE);
        int offset = intParameter(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ctx.json(Map.of("members", segments.members(site(ctx), segment.parsed(), limit, offset)));
    }

    /**
     * Whether a device (through its person) or a user is a member: evaluated fresh, or with {@code
     * live=true} looked up in live membership, answering when that was last evaluated.
     */
    private void contains(Context ctx) {
        Segment segment = segment(ctx);
        Site site = site(ctx);
        String deviceId = ctx.queryParam("deviceId");
        String userId = ctx.queryParam("userId");
        if ((deviceId == null) == (userId == null)) {
            throw HttpError.badRequest("give exactly one of deviceId and userId");
        }
        Person person = deviceId != null ? evaluator.personOfDevice(site.id(), deviceId) : new Person(userId, null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("person", person);
        if (isLive(ctx)) {
            answer.put("member", live.contains(site.id(), segment.id(), person));
            answer.put("evaluatedAt", live.evaluatedAt(site.id(), segment.id()));
        } else {
            answer.put(
                    "member",
                    evaluator.contains(site.id(), segment.parsed(), person, clock.instant(), site.timeZone()));
        }
        ctx.json(answer);
    }

    private static boolean isLive(Context ctx) {
        String live = ctx.queryParam("live");
        if (live == null || live.equals("false")) {
            return false;
        }
        if (live.equals("true")) {
            return true;
        }
        throw HttpError.badRequest("live: must be true or false, not '" + live + "'");
    }

    private Map<String, Object> describe(Site site, Segment segment) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", segment.id());
        answer.put("name", segment.name());
        answer.put("condition", segment.condition());
        answer.put("size", segments.size(site, segment.parsed()));
        answer.put("createdAt", segment.createdAt());
        answer.put("updatedAt", segment.updatedAt());
        return answer;
    }

    // Request parts

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private Segment segment(Context ctx) {
        return segments.require(site(ctx), ctx.pathParam("segmentId"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static JsonNode body(Context ctx) {
        return JsonBody.object(ctx);
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
