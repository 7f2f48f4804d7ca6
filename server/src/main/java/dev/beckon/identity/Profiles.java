package dev.beckon.identity;

import dev.beckon.ingest.IngestLimits;
import dev.beckon.store.Activity;
import dev.beckon.store.EventStore;
import dev.beckon.store.Subject;
import dev.beckon.store.TimelineCursor;
import dev.beckon.store.TimelinePage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Looks up the profile and the timeline of a device or a user from their events. */
public final class Profiles {

    /** A profile lists at most this many sessions; the sessions routes page through more. */
    public static final int SESSIONS_PER_PROFILE = 50;

    private final EventStore store;

    public Profiles(EventStore store) {
        this.store = store;
    }

    /** The subject's profile, or empty when the site has no event of it. */
    public Optional<Profile> find(String siteId, Subject subject) {
        return store.activity(siteId, subject).map(activity -> profile(siteId, subject, activity));
    }

    /** A page of the subject's events, newest first, after {@code after} when given. */
    public TimelinePage timeline(String siteId, Subject subject, Optional<TimelineCursor> after, int limit) {
        return store.timeline(siteId, subject, after, limit);
    }

    /**
     * The subjects whose id is exactly {@code id}: the user with that custom user id, the device with
     * that device id, both, or neither, in that order. An id that no event could carry finds nothing.
     */
    public List<Subject> search(String siteId, String id) {
        List<Subject> found = new ArrayList<>();
        if (!SubjectIds.isPlausible(id)) {
            return found;
        }
        if (id.length() <= IngestLimits.MAX_USER_ID_LENGTH) {
            Subject user = new Subject.User(id);
            store.activity(siteId, user).ifPresent(a -> found.add(user));
        }
        if (id.length() <= IngestLimits.MAX_DEVICE_ID_LENGTH) {
            Subject device = new Subject.Device(id);
            store.activity(siteId, device).ifPresent(a -> found.add(device));
        }
        return found;
    }

    private Profile profile(String siteId, Subject subject, Activity activity) {
        return new Profile(
                subject instanceof Subject.Device d ? d.deviceId() : null,
                subject instanceof Subject.User u ? u.userId() : null,
                activity.deviceIds(),
                activity.userIds(),
                store.links(siteId, subject),
                activity.firstSeen(),
                activity.lastSeen(),
                activity.eventCount(),
                store.userProperties(siteId, subject),
                store.sessions(siteId, Optional.of(subject), SESSIONS_PER_PROFILE));
    }
}
