package dev.beckon.campaign;

import dev.beckon.http.HttpError;
import dev.beckon.identity.SubjectIds;
import dev.beckon.ingest.IngestRoutes;
import dev.beckon.ingest.RateLimiter;
import dev.beckon.ingest.RateLimits;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;

/**
 * The config endpoint, {@code GET /config/{siteId}?deviceId=&userId=}: public like ingestion, with
 * the same origin rules, answering the campaigns the device is eligible for (docs/campaigns.md).
 * An unchanged config answers 304 to {@code If-None-Match}.
 *
 * <p>Requests are limited per site and per device at the rates of ingestion ({@link RateLimits}),
 * each in its own buckets: a config made for a device id the cache has not seen reads the store, so
 * a flood of made-up device ids must not be free. Over the rate, the answer is 429 with {@code
 * Retry-After}; the plugin keeps the config it has.
 */
public final class ConfigRoutes {

    private final SiteRegistry sites;
    private final CampaignDelivery delivery;
    private final RateLimiter siteRate;
    private final RateLimiter deviceRate;
    private final RateLimits limits;

    public ConfigRoutes(SiteRegistry sites, CampaignDelivery delivery, RateLimits limits, Clock clock) {
        this.sites = sites;
        this.delivery = delivery;
        this.limits = limits;
        this.siteRate = new RateLimiter(limits.sitePerSecond(), limits.siteBurst(), clock);
        this.deviceRate = new RateLimiter(limits.devicePerSecond(), limits.deviceBurst(), clock);
    }

    public void register(JavalinConfig config) {
        config.routes.get("/config/{siteId}", this::config);
        config.routes.options("/config/{siteId}", this::preflight);
    }

    private void preflight(Context ctx) {
        IngestRoutes.allowOrigin(ctx, site(ctx));
        ctx.header("Access-Control-Allow-Methods", "GET");
        ctx.header("Access-Control-Allow-Headers", "If-None-Match");
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.status(204);
    }

    private void config(Context ctx) {
        Site site = site(ctx);
        IngestRoutes.allowOrigin(ctx, site);
        ctx.header("Access-Control-Expose-Headers", "ETag");
        String deviceId = deviceId(ctx.queryParam("deviceId"));
        String userId = userId(ctx.queryParam("userId"));
        checkRate(ctx, siteRate.acquire(site.id()), "site", limits.sitePerSecond());
        checkRate(ctx, deviceRate.acquire(site.id() + '\n' + deviceId), "device", limits.devicePerSecond());

        CampaignDelivery.Served served = delivery.config(site, deviceId, userId);
        ctx.header("ETag", served.etag());
        ctx.header("Cache-Control", "private, max-age=0, must-revalidate");
        if (matches(ctx.header("If-None-Match"), served.etag())) {
            ctx.status(304);
            return;
        }
        ctx.json(served.body());
    }

    private static void checkRate(Context ctx, Duration wait, String whose, int perSecond) {
        if (wait.isZero()) {
            return;
        }
        ctx.header("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
        throw new HttpError(
                429, "the " + whose + " asked for its config more than " + perSecond + " times a second; ask later");
    }

    /** Whether an {@code If-None-Match} list names the ETag, weak or strong, or is {@code *}. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",", -1)) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private Site site(Context ctx) {
        String siteId = ctx.pathParam("siteId");
        return sites.find(siteId)
                .orElseThrow(() -> HttpError.notFound("no site has the id '" + truncate(siteId) + "'"));
    }

    private static String deviceId(String value) {
        if (value == null || value.isEmpty()) {
            throw HttpError.badRequest("deviceId: is required; pass the SDK's getClientId()");
        }
        try {
            return SubjectIds.device(value).deviceId();
        } catch (SubjectIds.InvalidIdException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    private static String userId(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return SubjectIds.user(value).userId();
        } catch (SubjectIds.InvalidIdException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    private static String truncate(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "…";
    }
}
