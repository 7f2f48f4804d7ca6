package dev.beckon.segment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members of every saved segment, held in memory so that "is this device in the segment" is
 * a lookup and can serve every page load. A background thread re-evaluates all segments every
 * {@code refreshInterval}, so membership lags the events by at most that long plus one
 * evaluation (docs/segments.md, "Freshness"). A saved or deleted segment is refreshed at once.
 *
 * <p>Failure semantics: when an evaluation fails, the previous members of that segment are kept
 * and the failure is logged; a segment never evaluated answers "not a member".
 */
public final class LiveMembership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveMembership.class);

    private record Members(Set<String> personKeys, Instant evaluatedAt) {}

    private final SegmentRepository segments;
    private final SegmentEvaluator evaluator;
    private final Function<String, ZoneId> zoneOfSite;
    private final Clock clock;
    private final Duration refreshInterval;
    private final Map<String, Members> membersBySegment = new ConcurrentHashMap<>();
    private final Thread refresher;
    private volatile boolean closed;

    public LiveMembership(
            SegmentRepository segments,
            SegmentEvaluator evaluator,
            Function<String, ZoneId> zoneOfSite,
            Clock clock,
            Duration refreshInterval) {
        this.segments = segments;
        this.evaluator = evaluator;
        this.zoneOfSite = zoneOfSite;
        this.clock = clock;
        this.refreshInterval = refreshInterval;
        this.refresher = Thread.ofVirtual().name("beckon-segment-refresher").start(this::refreshForever);
    }

    /** Whether the person the device belongs to is a member of the segment, as of the last refresh. */
    public boolean containsDevice(String siteId, String segmentId, String deviceId) {
        return contains(siteId, segmentId, evaluator.personOfDevice(siteId, deviceId));
    }

    /** Whether the person is a member of the segment, as of the last refresh; false if never evaluated. */
    public boolean contains(String siteId, String segmentId, Person person) {
        Members members = membersBySegment.get(key(siteId, segmentId));
        return members != null && members.personKeys().contains(person.key());
    }

    /** When the segment's members were last evaluated, or null if never. */
    public Instant evaluatedAt(String siteId, String segmentId) {
        Members members = membersBySegment.get(key(siteId, segmentId));
        return members == null ? null : members.evaluatedAt();
    }

    /** Evaluates one segment now. */
    public void refresh(Segment segment) {
        Instant now = clock.instant();
        Condition condition = segment.parsed();
        ZoneId zone = zoneOfSite.apply(segment.siteId());
        Set<String> keys = new HashSet<>();
        int pageSize = 50_000;
        for (int offset = 0; ; offset += pageSize) {
            var page = evaluator.members(segment.siteId(), condition, now, zone, pageSize, offset);
            page.forEach(p -> keys.add(p.key()));
            if (page.size() < pageSize) {
                break;
            }
        }
        membersBySegment.put(key(segment.siteId(), segment.id()), new Members(Set.copyOf(keys), now));
    }

    /** Forgets a deleted segment. */
    public void forget(String siteId, String segmentId) {
        membersBySegment.remove(key(siteId, segmentId));
    }

    private void refreshForever() {
        while (!closed) {
            try {
                segments.everySite().forEach(this::refreshOrKeep);
            } catch (RuntimeException e) {
                log.warn("The saved segments could not be read; every segment keeps its previous members", e);
            }
            try {
                Thread.sleep(refreshInterval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void refreshOrKeep(Segment segment) {
        try {
            refresh(segment);
        } catch (RuntimeException e) {
            log.warn(
                    "Segment {} of site {} could not be refreshed; its previous members stay",
                    segment.id(),
                    segment.siteId(),
                    e);
        }
    }

    private static String key(String siteId, String segmentId) {
        return siteId + '\n' + segmentId;
    }

    @Override
    public void close() {
        closed = true;
        refresher.interrupt();
    }
}
