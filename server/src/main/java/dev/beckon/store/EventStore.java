package dev.beckon.store;

import dev.beckon.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /** A subject's devices, user ids, first and last event; empty when it has no events. */
    Optional<Activity> activity(String siteId, Subject subject);

    /** A subject's user properties, the value with the latest event time winning for each key. */
    com.fasterxml.jackson.databind.node.ObjectNode userProperties(String siteId, Subject subject);

    /** A subject's sessions, newest first; every session of the site when subject is empty. */
    List<SessionSummary> sessions(String siteId, Optional<Subject> subject, int limit);

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
