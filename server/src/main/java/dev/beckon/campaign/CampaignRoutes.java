package dev.beckon.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.http.HttpError;
import dev.beckon.http.JsonBody;
import dev.beckon.identity.SubjectIds;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The campaign routes of the admin API, under {@code /api/v1/sites/{siteId}/campaigns}; the admin
 * API's authentication applies (docs/admin-api.md).
 */
public final class CampaignRoutes {

    /** The largest body a campaign route reads; a campaign's own limits allow far less. */
    public static final int MAX_BODY_BYTES = JsonBody.MAX_BODY_BYTES;

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
        return JsonBody.object(ctx);
    }
}
