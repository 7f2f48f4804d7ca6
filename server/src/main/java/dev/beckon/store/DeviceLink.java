package dev.beckon.store;

import java.time.Instant;

/**
 * One identity link: a device on which a custom user id was set (docs/identity.md).
 *
 * @param firstTime the time of the first event of the device that carried the user id
 * @param lastTime the time of the last such event
 */
public record DeviceLink(String deviceId, String userId, Instant firstTime, Instant lastTime) {}
