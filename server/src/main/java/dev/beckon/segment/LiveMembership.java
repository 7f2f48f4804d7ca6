package dev.beckon.segment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
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
 * <p>Which person a device belongs to (docs/identity.md) is held in memory too, one map of
 * identified devices per site, taken at each refresh, so that a check asks the store nothing. A
 * device identified since the last refresh counts as itself until the next one: the same lag as
 * the members'. A site whose map was never taken asks the store.
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
    private final Map<String, Map<String, String>> userOfDeviceBySite = new ConcurrentHashMap<>();
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
        return contains(siteId, segmentId, personOfDevice(siteId, deviceId));
    }

    /** Whether the person is a member of the segment, as of the last refresh; false if never evaluated. */
    public boolean contains(String siteId, String segmentId, Person person) {
        Members members = membersBySegment.get(key(siteId, segmentId));
        return members != null && members.personKeys().contains(person.key());
    }

    /** The ids of the given segments that the person the device belongs to is a member of. */
    public Set<String> segmentsContainingDevice(String siteId, Iterable<String> segmentIds, String deviceId) {
        Person person = personOfDevice(siteId, deviceId);
        Set<String> containing = new HashSet<>();
        for (String segmentId : segmentIds) {
            if (contains(siteId, segmentId, person)) {
                containing.add(segmentId);
            }
        }
        return containing;
    }

    /**
     * The person the device belongs to now, as of the last refresh of the site's identified
     * devices: the user it was last identified as, else the device itself.
     */
    public Person personOfDevice(String siteId, String deviceId) {
        Map<String, String> userOfDevice = userOfDeviceBySite.get(siteId);
        if (userOfDevice == null) {
            return evaluator.personOfDevice(siteId, deviceId);
        }
        String userId = userOfDevice.get(deviceId);
        return userId != null ? new Person(userId, null) : new Person(null, deviceId);
    }

    /** Takes the site's map of identified devices now. */
    public void refreshIdentities(String siteId) {
        userOfDeviceBySite.put(siteId, Map.copyOf(evaluator.usersOfDevices(siteId)));
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
                List<Segment> all = segments.everySite();
                all.stream().map(Segment::siteId).distinct().forEach(this::refreshIdentitiesOrKeep);
                all.forEach(this::refreshOrKeep);
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

    private void refreshIdentitiesOrKeep(String siteId) {
        try {
            refreshIdentities(siteId);
        } catch (RuntimeException e) {
            log.warn("The identified devices of site {} could not be read; the previous ones stay", siteId, e);
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
