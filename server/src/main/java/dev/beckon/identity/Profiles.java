package dev.beckon.identity;

import dev.beckon.store.Activity;
import dev.beckon.store.EventStore;
import dev.beckon.store.Subject;
import java.util.Optional;

/** Looks up the profile of a device or a user from their events. */
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

    private Profile profile(String siteId, Subject subject, Activity activity) {
        return new Profile(
                subject instanceof Subject.Device d ? d.deviceId() : null,
                subject instanceof Subject.User u ? u.userId() : null,
                activity.deviceIds(),
                activity.userIds(),
                activity.firstSeen(),
                activity.lastSeen(),
                activity.eventCount(),
                store.userProperties(siteId, subject),
                store.sessions(siteId, Optional.of(subject), SESSIONS_PER_PROFILE));
    }
}
