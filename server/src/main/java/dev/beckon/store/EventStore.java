package dev.beckon.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where events are kept and read back. The embedded deployment keeps them in DuckDB; a scale-out
 * deployment keeps them elsewhere behind this same interface.
 *
 * <p>Every method may throw {@link StoreException} when the store itself fails.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Writes events durably, skipping any whose (site id, event id) is already stored. When this
     * method returns, every given event is durable: it survives a crash of the process. When it
     * throws, none of them was written.
     *
     * @return the keys of the events that were new, as {@code siteId + '\n' + eventId}
     */
    Set<String> append(List<Event> events);

    /** The events that match, newest first. */
    List<Event> find(EventQuery query);

    /*
     * The subject methods below read a device's events, or the events that belong to a user by the
     * identity rules of docs/identity.md: the user's own, and the anonymous events of their devices
     * whose next identified event on the device carries their user id.
     */

    /** A subject's devices, user ids, first and last event; empty when it has no events. */
    Optional<Activity> activity(String siteId, Subject subject);

    /** A subject's user properties, the value with the latest event time winning for each key. */
    ObjectNode userProperties(String siteId, Subject subject);

    /**
     * A subject's sessions, newest first; every session of the site when subject is empty. A
     * user's session is summarised from the events that belong to the user.
     */
    List<SessionSummary> sessions(String siteId, Optional<Subject> subject, int limit);

    /** The identity links of a device (one per user id set on it) or of a user (one per device). */
    List<DeviceLink> links(String siteId, Subject subject);

    /** The names of the imported cohorts that list the custom user id, in name order. */
    List<String> cohorts(String siteId, String userId);

    /** A page of a subject's events, newest first, starting after {@code after} when given. */
    TimelinePage timeline(String siteId, Subject subject, Optional<TimelineCursor> after, int limit);

    /**
     * Hands every event of the subject to {@code sink}, oldest first, reading them as it goes so that
     * a long history is never held in memory. An exception from the sink stops the reading and is
     * rethrown.
     */
    void forEachEvent(String siteId, Subject subject, Consumer<Event> sink);

    /**
     * Deletes everything stored about a user in one transaction: the events that belong to them,
     * their identity links and their cohort memberships, and records the request with its counts in
     * the deletion audit table. Another user of a shared device keeps their events. Deleting again
     * deletes nothing and records a request with zero counts. When it throws, nothing was deleted.
     *
     * @param requestedBy who asked, for the audit record
     */
    UserErasure deleteUser(String siteId, String userId, String requestedBy, Instant requestedAt);

    /**
     * Deletes at most {@code maxEvents} of a site's events that the server received before {@code
     * cutoff}, in one transaction with the identity links that only those events held up; the links
     * that remain get the first and last time of the events that remain. Ingestion waits for one
     * such call at most, so a caller deletes a large backlog as a loop of calls.
     *
     * @return how many events were deleted; fewer than {@code maxEvents} means none older is left
     * @throws StoreException when the deletion fails; nothing of the call was deleted then
     */
    long deleteEventsReceivedBefore(String siteId, Instant cutoff, int maxEvents);

    /** Event counts per name since {@code since}, most frequent first. */
    List<NameCount> countByName(String siteId, Instant since);

    /** Devices of the site, most recently seen first. */
    List<SeenSubject> recentDevices(String siteId, int limit);

    /** Identified users of the site, most recently seen first. */
    List<SeenSubject> recentUsers(String siteId, int limit);

    /** Whether the store can take writes now. */
    boolean isWritable();

    @Override
    void close();

    /** The key that {@link #append} returns for an event. */
    static String key(Event event) {
        return event.siteId() + '\n' + event.id();
    }
}
