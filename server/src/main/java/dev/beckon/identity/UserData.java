package dev.beckon.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.store.EventStore;
import dev.beckon.store.Subject;
import dev.beckon.store.UserErasure;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's data on request: everything Beckon holds about them, exported or deleted (PRODUCT.md,
 * "Privacy"). What belongs to a user follows the identity rules of docs/identity.md.
 *
 * <p>Failure semantics. A deletion is one store transaction: when it fails, nothing was deleted,
 * the caller sees the failure and may ask again; when it succeeds, the audit table has a row and the
 * {@code dev.beckon.audit} logger an info line with the site, who asked, the user id's hash and the
 * counts. Deleting is idempotent: asking again deletes nothing and is recorded with zero counts.
 * Events that a device still had queued, and sends after the deletion, are new data and are stored.
 *
 * <p>An export is written while the events are read, so a long history never sits in memory. When
 * writing fails part-way (the client went away, the store failed), the document stays unfinished
 * and the exception reaches the caller; the client must treat a document that does not parse as a
 * failed export.
 */
public final class UserData {

    private static final Logger audit = LoggerFactory.getLogger("dev.beckon.audit");

    private final EventStore store;
    private final Profiles profiles;
    private final Clock clock;
    private final ObjectWriter eventWriter =
            Json.mapper().writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    public UserData(EventStore store, Clock clock) {
        this.store = store;
        this.profiles = new Profiles(store);
        this.clock = clock;
    }

    /**
     * Deletes the user's events (also the anonymous ones that belong to them), identity links,
     * cohort memberships and so their profile and sessions, and records the request.
     *
     * @param requestedBy who asked: the label of their admin key
     * @return what was deleted; all zero when nothing was left
     */
    public UserErasure delete(String siteId, Subject.User user, String requestedBy) {
        UserErasure erasure = store.deleteUser(siteId, user.userId(), requestedBy, clock.instant());
        audit.info(
                "Deleted user data: site={} user_sha256={} requested_by={} events={} sessions={} devices={}"
                        + " cohort_memberships={}",
                siteId,
                UserErasure.userIdHash(siteId, user.userId()),
                requestedBy,
                erasure.events(),
                erasure.sessions(),
                erasure.devices(),
                erasure.cohortMemberships());
        return erasure;
    }

    /**
     * Writes the user's export to {@code out} as one JSON document (docs/identity.md): their profile,
     * identity links, cohorts, every session and every event, oldest first. Does not close {@code out}.
     *
     * @return false, writing nothing, when the site has no event of the user
     * @throws IOException when writing to {@code out} fails; the document is then unfinished
     */
    public boolean export(String siteId, Subject.User user, OutputStream out) throws IOException {
        Optional<Profile> profile = profiles.find(siteId, user);
        if (profile.isEmpty()) {
            return false;
        }
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeStringField("siteId", siteId);
            json.writeStringField("userId", user.userId());
            json.writeStringField("exportedAt", Json.TIME_FORMAT.format(clock.instant()));
            writeProfile(json, profile.get(), siteId, user);
            json.writeArrayFieldStart("events");
            writeEvents(json, siteId, user);
            json.writeEndArray();
            json.writeEndObject();
        }
        return true;
    }

    private void writeProfile(JsonGenerator json, Profile profile, String siteId, Subject user) throws IOException {
        json.writeObjectField("devices", profile.links());
        json.writeObjectField("firstSeen", profile.firstSeen());
        json.writeObjectField("lastSeen", profile.lastSeen());
        json.writeNumberField("eventCount", profile.eventCount());
        json.writeObjectField("userProperties", profile.userProperties());
        json.writeObjectField("cohorts", store.cohorts(siteId, profile.userId()));
        json.writeObjectField("sessions", store.sessions(siteId, Optional.of(user), Integer.MAX_VALUE));
    }

    private void writeEvents(JsonGenerator json, String siteId, Subject user) throws IOException {
        try {
            store.forEachEvent(siteId, user, event -> write(json, event));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void write(JsonGenerator json, Event event) {
        try {
            eventWriter.writeValue(json, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
