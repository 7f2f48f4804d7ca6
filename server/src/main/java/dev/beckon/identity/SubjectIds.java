package dev.beckon.identity;

import dev.beckon.ingest.IngestLimits;
import dev.beckon.ingest.Text;
import dev.beckon.store.Subject;

/**
 * Checks a device id or a custom user id that someone typed or sent to look a subject up, with the
 * same rules that ingestion applies to the ids it stores (docs/ingestion-protocol.md), so that every
 * id that can be stored can be looked up and no other reaches the store.
 */
public final class SubjectIds {

    private SubjectIds() {}

    /**
     * The device with this id.
     *
     * @throws InvalidIdException naming the rule the id breaks
     */
    public static Subject.Device device(String deviceId) {
        return new Subject.Device(check("deviceId", deviceId, IngestLimits.MAX_DEVICE_ID_LENGTH));
    }

    /**
     * The user with this custom user id.
     *
     * @throws InvalidIdException naming the rule the id breaks
     */
    public static Subject.User user(String userId) {
        return new Subject.User(check("userId", userId, IngestLimits.MAX_USER_ID_LENGTH));
    }

    /** Whether {@code id} could be stored as a device id or as a custom user id. */
    public static boolean isPlausible(String id) {
        return id != null
                && !id.isEmpty()
                && id.length() <= Math.max(IngestLimits.MAX_DEVICE_ID_LENGTH, IngestLimits.MAX_USER_ID_LENGTH)
                && Text.isClean(id);
    }

    private static String check(String field, String id, int maxLength) {
        if (id == null || id.isEmpty()) {
            throw new InvalidIdException(field + ": must not be empty");
        }
        if (id.length() > maxLength) {
            throw new InvalidIdException(
                    field + ": must be at most " + maxLength + " characters; it has " + id.length());
        }
        if (!Text.isClean(id)) {
            throw new InvalidIdException(field + ": must not contain control characters or unpaired surrogates");
        }
        return id;
    }

    /** An id that no event can carry; the message names the field and the rule, and is safe to show. */
    public static final class InvalidIdException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        InvalidIdException(String message) {
            super(message);
        }
    }
}
