package dev.beckon.store;

/**
 * One row of a members export: a person and one of their devices. A user with several devices has
 * a row per device; a user with no device (a cohort entry that never sent an event) has one row
 * whose device id is null; an anonymous device has one row whose user id is null.
 *
 * @param userId the custom user id, or null for an anonymous device
 * @param deviceId a device of the person, or null for a user without one
 */
public record MemberRow(String userId, String deviceId) {}
