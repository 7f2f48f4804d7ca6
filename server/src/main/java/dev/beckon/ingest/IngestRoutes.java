package dev.beckon.ingest;

import dev.beckon.event.Event;
import dev.beckon.http.HttpError;
import dev.beckon.http.OversizedBodies;
import dev.beckon.site.Site;
import dev.beckon.site.SiteRegistry;
import dev.beckon.store.EventStore;
import dev.beckon.store.StoreException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The ingestion endpoint, {@code POST /ingest/{siteId}}, as described in
 * docs/ingestion-protocol.md: it checks the site, the origin and the body, writes the valid events
 * durably, and answers which were new, which were repeats, and why any were rejected.
 *
 * <p>A request over its site's or one of its devices' rate is refused whole with 429, and nothing
 * of it is stored; it may be retried as it is, since ingestion is idempotent. While the server
 * shuts down, new requests are refused with 503 and those under way finish. Each request gets a
 * batch id, in the {@code Beckon-Batch-Id} answer header and, with the site id, in the logging
 * context ({@code batchId}, {@code siteId}).
 */
public final class IngestRoutes {

    private static final Logger log = LoggerFactory.getLogger(IngestRoutes.class);

    private final SiteRegistry sites;
    private final IngestWriter writer;
    private final BatchReader reader = new BatchReader();
    private final Clock clock;
    private final SecureRandom random;
    private final IngestMetrics metrics;
    private final IngestGate gate;
    private final RateLimiter siteRate;
    private final RateLimiter deviceRate;
    private final RateLimits limits;

    public IngestRoutes(
            SiteRegistry sites,
            IngestWriter writer,
            IngestMetrics metrics,
            IngestGate gate,
            RateLimits limits,
            Clock clock,
            SecureRandom random) {
        this.sites = sites;
        this.writer = writer;
        this.metrics = metrics;
        this.gate = gate;
        this.limits = limits;
        this.siteRate = new RateLimiter(limits.sitePerSecond(), limits.siteBurst(), clock);
        this.deviceRate = new RateLimiter(limits.devicePerSecond(), limits.deviceBurst(), clock);
        this.clock = clock;
        this.random = random;
    }

    public void register(JavalinConfig config) {
        config.routes.post("/ingest/{siteId}", this::ingest);
        config.routes.options("/ingest/{siteId}", this::preflight);
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
            config.routes.addHttpHandler(method, "/ingest/{siteId}", IngestRoutes::onlyPost);
        }
    }

    private static void onlyPost(Context ctx) {
        ctx.header("Allow", "POST, OPTIONS");
        throw new HttpError(405, "events are sent with POST; this route takes no " + ctx.method());
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
        if (!gate.enter()) {
            metrics.refused(IngestMetrics.Refusal.SHUTTING_DOWN);
            throw retryLater(ctx, 503, Duration.ofSeconds(5), "the server is shutting down; retry in a few seconds");
        }
        String batchId = HexFormat.of().formatHex(nextBatchId());
        ctx.header("Beckon-Batch-Id", batchId);
        try (var ignoredBatch = MDC.putCloseable("batchId", batchId);
                var ignoredSite = MDC.putCloseable("siteId", ctx.pathParam("siteId"))) {
            ingestAdmitted(ctx);
        } finally {
            gate.exit();
        }
    }

    private byte[] nextBatchId() {
        byte[] id = new byte[8];
        random.nextBytes(id);
        return id;
    }

    private void ingestAdmitted(Context ctx) {
        Instant serverTime = clock.instant();
        Site site = site(ctx);
        allowOrigin(ctx, site);
        checkContentType(ctx);
        checkRate(ctx, siteRate, site.id(), IngestMetrics.Refusal.RATE_SITE, limits.sitePerSecond(), "site");
        Batch batch = reader.read(site.id(), readBody(ctx), serverTime);
        checkDeviceRates(ctx, site, batch);

        Set<String> inserted = write(ctx, batch);
        int accepted = countNew(batch.valid(), inserted);
        metrics.batchWritten(accepted, batch.valid().size() - accepted, batch);
        if (batch.dropped() > 0) {
            log.info(
                    "Site {}: a client reports {} events dropped: its queue was full,"
                            + " or a closing page could not keep them",
                    site.id(),
                    batch.dropped());
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

    private Set<String> write(Context ctx, Batch batch) {
        try {
            return writer.write(batch.valid());
        } catch (IngestWriter.Behind e) {
            metrics.refused(IngestMetrics.Refusal.WRITER_BEHIND);
            log.warn(
                    "Refused a batch of {} events: {}; see docs/operations.md",
                    batch.valid().size(),
                    e.getMessage());
            throw retryLater(
                    ctx,
                    503,
                    Duration.ofSeconds(5),
                    "the server is behind with its writes; nothing of this batch was stored, send it again later");
        } catch (StoreException e) {
            metrics.refused(IngestMetrics.Refusal.STORE_UNAVAILABLE);
            throw e;
        }
    }

    /** Takes a token of each device's bucket; the whole batch is refused when one has none. */
    private void checkDeviceRates(Context ctx, Site site, Batch batch) {
        Set<String> devices = new HashSet<>();
        batch.valid().forEach(e -> devices.add(e.deviceId()));
        for (String device : devices) {
            checkRate(
                    ctx,
                    deviceRate,
                    site.id() + '\n' + device,
                    IngestMetrics.Refusal.RATE_DEVICE,
                    limits.devicePerSecond(),
                    "device '" + truncate(device) + "'");
        }
    }

    private void checkRate(
            Context ctx, RateLimiter limiter, String key, IngestMetrics.Refusal refusal, int perSecond, String whose) {
        Duration wait = limiter.acquire(key);
        if (!wait.isZero()) {
            metrics.refused(refusal);
            log.debug("Refused a batch: {} is over its rate of {} requests per second", whose, perSecond);
            throw retryLater(
                    ctx,
                    429,
                    wait,
                    "the " + whose + " sent more than " + perSecond
                            + " requests per second; nothing of this batch was stored, send it again later");
        }
    }

    /** An error answer with {@code Retry-After} in whole seconds, at least one. */
    private static HttpError retryLater(Context ctx, int status, Duration wait, String message) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        ctx.header("Retry-After", Long.toString(seconds));
        return new HttpError(status, message);
    }

    /**
     * How many of {@code events} were new; an id repeated within the batch counts once. {@code
     * inserted} holds the keys of the whole group commit, so only this batch's keys are looked up.
     */
    private static int countNew(List<Event> events, Set<String> inserted) {
        Set<String> counted = new HashSet<>();
        int accepted = 0;
        for (Event event : events) {
            String key = EventStore.key(event);
            if (inserted.contains(key) && counted.add(key)) {
                accepted++;
            }
        }
        return accepted;
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
     * script and pass. The config endpoint of campaigns follows the same rules.
     *
     * @throws HttpError 403 for a page of an origin the site does not allow
     */
    public static void allowOrigin(Context ctx, Site site) {
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
        try (InputStream in = ctx.req().getInputStream()) {
            return OversizedBodies.readAtMost(in, declared, IngestLimits.MAX_BODY_BYTES)
                    .orElseThrow(IngestRoutes::bodyTooLarge);
        } catch (IOException e) {
            throw HttpError.badRequest("the body could not be read: the connection broke off");
        } catch (RuntimeException e) {
            // Jetty refuses a body that trickles in slower than the minimum data rate (docs/operations.md).
            if (e instanceof org.eclipse.jetty.http.HttpException refused) {
                throw new HttpError(
                        refused.getCode(), "the body could not be read: " + refused.getReason() + "; send it at once");
            }
            throw e;
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
