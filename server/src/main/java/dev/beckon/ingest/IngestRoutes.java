package dev.beckon.ingest;

import dev.beckon.event.Event;
import dev.beckon.http.HttpError;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.EventStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingestion endpoint, {@code POST /ingest/{siteId}}, as described in
 * docs/ingestion-protocol.md: it checks the site, the origin and the body, writes the valid events
 * durably, and answers which were new, which were repeats, and why any were rejected.
 */
public final class IngestRoutes {

    private static final Logger log = LoggerFactory.getLogger(IngestRoutes.class);

    private final SiteRegistry sites;
    private final IngestWriter writer;
    private final BatchReader reader = new BatchReader();
    private final Clock clock;

    public IngestRoutes(SiteRegistry sites, IngestWriter writer, Clock clock) {
        this.sites = sites;
        this.writer = writer;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        config.routes.post("/ingest/{siteId}", this::ingest);
        config.routes.options("/ingest/{siteId}", this::preflight);
    }

    private void preflight(Context ctx) {
        Site site = site(ctx);
        allowOrigin(ctx, site);
        ctx.header("Access-Control-Allow-Methods", "POST");
        ctx.header("Access-Control-Allow-Headers", "Content-Type");
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.status(204);
    }

    private void ingest(Context ctx) {
        Instant serverTime = clock.instant();
        Site site = site(ctx);
        allowOrigin(ctx, site);
        checkContentType(ctx);
        Batch batch = reader.read(site.id(), readBody(ctx), serverTime);

        Set<String> inserted = writer.write(batch.valid());
        int accepted = countNew(batch.valid(), inserted);
        if (batch.dropped() > 0) {
            log.info("Site {}: a client reports {} events dropped from its full queue", site.id(), batch.dropped());
        }
        if (!batch.rejected().isEmpty()) {
            log.debug(
                    "Site {}: rejected {} of {} events, first: {}",
                    site.id(),
                    batch.rejected().size(),
                    batch.rejected().size() + batch.valid().size(),
                    batch.rejected().getFirst().reason());
        }
        ctx.json(answer(batch.valid(), accepted, batch.rejected()));
    }

    /** How many of {@code events} were new; an id repeated within the batch counts once. */
    private static int countNew(List<Event> events, Set<String> inserted) {
        Set<String> unclaimed = new HashSet<>(inserted);
        return (int)
                events.stream().filter(e -> unclaimed.remove(EventStore.key(e))).count();
    }

    private static Map<String, Object> answer(List<Event> valid, int accepted, List<Batch.Rejection> rejected) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", accepted);
        answer.put("duplicates", valid.size() - accepted);
        answer.put("rejected", rejected);
        return answer;
    }

    private Site site(Context ctx) {
        String siteId = ctx.pathParam("siteId");
        return sites.find(siteId)
                .orElseThrow(() -> HttpError.notFound("no site has the id '" + truncate(siteId) + "'"));
    }

    /**
     * Lets the browser read the answer when the page's origin is allowed; refuses the request when
     * a page of another origin sent it. Requests without an {@code Origin} are not from a page's
     * script and pass.
     */
    private static void allowOrigin(Context ctx, Site site) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        ctx.header("Vary", "Origin");
        if (!site.allowsOrigin(origin, ctx.header("Host"))) {
            throw new HttpError(
                    403,
                    "the origin " + truncate(origin) + " is not allowed for site '" + site.id()
                            + "'; add it to the site's allowed origins");
        }
        ctx.header("Access-Control-Allow-Origin", origin);
    }

    private static void checkContentType(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType == null) {
            return;
        }
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.equals("text/plain")) {
            throw new HttpError(415, "send the batch as application/json or text/plain, not " + truncate(mediaType));
        }
    }

    private static byte[] readBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > IngestLimits.MAX_BODY_BYTES) {
            throw bodyTooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(IngestLimits.MAX_BODY_BYTES + 1);
            if (body.length > IngestLimits.MAX_BODY_BYTES) {
                throw bodyTooLarge();
            }
            return body;
        } catch (IOException e) {
            throw HttpError.badRequest("the body could not be read: the connection broke off");
        }
    }

    private static HttpError bodyTooLarge() {
        return new HttpError(
                413,
                "the body is larger than " + IngestLimits.MAX_BODY_BYTES + " bytes; split the batch into smaller ones");
    }

    private static String truncate(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "…";
    }
}
