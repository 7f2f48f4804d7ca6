package dev.beckon.campaign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The sticky buckets of docs/campaigns.md: a person's bucket for a campaign is the first 8 hex
 * digits of SHA-256({@code campaignId + ":" + personKey}) read as an unsigned integer, mod 10,000.
 * Control is {@code bucket < controlPercent × 100}; rollout is the same test on a second hash, of
 * {@code campaignId + ":rollout:" + personKey}, so that the two shares are independent. The site-wide
 * holdout is the same test on SHA-256({@code siteId + ":holdout:" + personKey}). Anyone can
 * compute the same numbers from the same ids, which is what makes them explainable.
 */
public final class Buckets {

    public static final int COUNT = 10_000;

    private Buckets() {}

    /** The control-group bucket of the person, 0 to 9,999. */
    public static int control(String campaignId, String personKey) {
        return bucket(campaignId + ":" + personKey);
    }

    /** The rollout bucket of the person, 0 to 9,999. */
    public static int rollout(String campaignId, String personKey) {
        return bucket(campaignId + ":rollout:" + personKey);
    }

    /** The site-wide holdout bucket of the person, 0 to 9,999. */
    public static int holdout(String siteId, String personKey) {
        return bucket(siteId + ":holdout:" + personKey);
    }

    static int bucket(String text) {
        byte[] hash = sha256(text.getBytes(StandardCharsets.UTF_8));
        long first32Bits =
                ((hash[0] & 0xffL) << 24) | ((hash[1] & 0xffL) << 16) | ((hash[2] & 0xffL) << 8) | (hash[3] & 0xffL);
        return (int) (first32Bits % COUNT);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
