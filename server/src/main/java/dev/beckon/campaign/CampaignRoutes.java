package dev.beckon.campaign;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import dev.beckon.http.HttpError;
import dev.beckon.http.OversizedBodies;
import dev.beckon.identity.SubjectIds;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The campaign routes of the admin API, under {@code /api/v1/sites/{siteId}/campaigns}; the admin
 * API's authentication applies (docs/admin-api.md).
 */
public final class CampaignRoutes {

    /** The largest body a campaign route reads; a campaign's own limits allow far less. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private final SiteRegistry sites;
    private final Campaigns campaigns;
    private final CampaignReports reports;

    public CampaignRoutes(SiteRegistry sites, Campaigns campaigns, CampaignReports reports) {
        this.sites = sites;
        this.campaigns = campaigns;
        this.reports = reports;
    }

    public void register(JavalinConfig config) {
        String base = "/api/v1/sites/{siteId}/campaigns";
        String one = base + "/{campaignId}";
        config.routes.get(
                base,
                ctx -> ctx.json(Map.of(
                        "campaigns",
                        campaigns.all(site(ctx)).stream()
                                .map(CampaignJson::describe)
                                .toList())));
        config.routes.post(base, this::create);
        config.routes.get(one, ctx -> ctx.json(CampaignJson.describe(campaign(ctx))));
        config.routes.put(
                one, ctx -> ctx.json(CampaignJson.describe(campaigns.replace(campaign(ctx), site(ctx), body(ctx)))));
        config.routes.delete(one, ctx -> {
            campaigns.delete(campaign(ctx));
            ctx.status(204);
        });
        config.routes.post(
                one + "/publish", ctx -> ctx.json(CampaignJson.describe(campaigns.publish(campaign(ctx), site(ctx)))));
        config.routes.post(one + "/pause", ctx -> ctx.json(CampaignJson.describe(campaigns.pause(campaign(ctx)))));
        config.routes.post(one + "/end", ctx -> ctx.json(CampaignJson.describe(campaigns.end(campaign(ctx)))));
        config.routes.get(one + "/funnel", ctx -> ctx.json(reports.funnel(site(ctx), campaign(ctx))));
        config.routes.get(one + "/why", this::why);
    }

    private void create(Context ctx) {
        Site site = site(ctx);
        JsonNode body = body(ctx);
        JsonNode id = body.get("id");
        if (id != null && !id.isNull() && !id.isTextual()) {
            throw HttpError.badRequest("id: must be a string");
        }
        Campaign created = campaigns.create(site, id == null || id.isNull() ? null : id.asText(), body);
        ctx.status(201).json(CampaignJson.describe(created));
    }

    private void why(Context ctx) {
        String deviceId = ctx.queryParam("deviceId");
        String userId = ctx.queryParam("userId");
        if ((deviceId == null) == (userId == null)) {
            throw HttpError.badRequest("give exactly one of deviceId and userId");
        }
        try {
            if (deviceId != null) {
                SubjectIds.device(deviceId);
            } else {
                SubjectIds.user(userId);
            }
        } catch (SubjectIds.InvalidIdException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        ctx.json(reports.why(site(ctx), campaign(ctx), deviceId, userId));
    }

    private Site site(Context ctx) {
        return sites.require(ctx.pathParam("siteId"));
    }

    private Campaign campaign(Context ctx) {
        return campaigns.require(site(ctx), ctx.pathParam("campaignId"));
    }

    /**
     * The request's body as a JSON object.
     *
     * @throws HttpError 413 when it is larger than {@link #MAX_BODY_BYTES}, 400 when it is not a
     *     JSON object or is nested too deep
     */
    static JsonNode body(Context ctx) {
        byte[] bytes;
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_BODY_BYTES) {
                OversizedBodies.drain(in, declared);
                throw tooLarge();
            }
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                OversizedBodies.drain(in, -1);
                throw tooLarge();
            }
        } catch (IOException e) {
            throw HttpError.badRequest("the body could not be read: the connection broke off");
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw HttpError.badRequest("the body is nested deeper than " + Json.MAX_NESTING_DEPTH + " levels");
        } catch (IOException e) {
            throw HttpError.badRequest("the body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw HttpError.badRequest("the body must be a JSON object");
        }
        return body;
    }

    private static HttpError tooLarge() {
        return new HttpError(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
}
