package dev.beckon.segment;

/**
 * Whom a segment is made of. A person is a custom user id, together with every device linked to
 * it, or a device that no user id was ever linked to (docs/identity.md). As text a person is
 * {@code u:<user id>} or {@code d:<device id>}.
 */
public record Person(String userId, String deviceId) {

    public static final String USER_PREFIX = "u:";
    public static final String DEVICE_PREFIX = "d:";

    public static Person ofKey(String key) {
        if (key.startsWith(USER_PREFIX)) {
            return new Person(key.substring(USER_PREFIX.length()), null);
        }
        return new Person(null, key.substring(DEVICE_PREFIX.length()));
    }

    public String key() {
        return userId != null ? USER_PREFIX + userId : DEVICE_PREFIX + deviceId;
    }
}
