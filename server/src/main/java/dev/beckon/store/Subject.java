package dev.beckon.store;

/** Whom a profile or a timeline is about: one device, or one user with all their devices. */
public sealed interface Subject {

    /** One device, by the device id that the SDK generated. */
    record Device(String deviceId) implements Subject {}

    /** One person, by the custom user id that the site set with {@code setUserId}. */
    record User(String userId) implements Subject {}
}
