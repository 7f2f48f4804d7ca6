package dev.beckon.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What deleting one user's data removed. Every count is zero when there was nothing left to delete.
 *
 * @param events the events removed: the user's own and the anonymous ones that belonged to them
 * @param sessions the sessions that had events of the user; another user's part of a shared
 *     session stays
 * @param devices the identity links removed, one per device the user was seen on
 * @param cohortMemberships the imported cohort entries of the user id that were removed
 */
public record UserErasure(long events, long sessions, long devices, long cohortMemberships) {

    /**
     * How audit records name a deleted user: the SHA-256, in hex, of the site id, a newline and the
     * custom user id. Whoever knows the id can check that it was deleted; the record alone does not
     * reveal it.
     */
    public static String userIdHash(String siteId, String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((siteId + '\n' + userId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
