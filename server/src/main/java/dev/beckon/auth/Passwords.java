package dev.beckon.auth;

import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Hashes and checks account passwords with Argon2id (Spring Security's encoder on Bouncy Castle),
 * with a random salt each, stored in the PHC string form that carries its own parameters. The
 * parameters follow OWASP's guidance for Argon2id (19 MiB, 2 passes, 1 lane), so that a copy of
 * the data folder costs an attacker that much memory and time for every guess of every password.
 */
public final class Passwords {

    public static final int MIN_LENGTH = 12;
    /** Longer inputs are refused before hashing, so that no request can buy a long computation. */
    public static final int MAX_BYTES = 1024;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int PARALLELISM = 1;
    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;

    private final Argon2PasswordEncoder encoder =
            new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, PARALLELISM, MEMORY_KIB, ITERATIONS);
    /** Checked against when an email is unknown, so that the answer takes as long as for a known one. */
    private final String decoy = encoder.encode("decoy password that no account has");

    /**
     * What is wrong with {@code password} as a new password, to be shown to its owner; empty when
     * it is acceptable.
     */
    public static String problem(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return "the password must have at least " + MIN_LENGTH + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "the password must have at most " + MAX_BYTES + " bytes";
        }
        return "";
    }

    /** The hash to store; the password itself is not kept. */
    public String hash(String password) {
        return encoder.encode(password);
    }

    /** Whether {@code password} is the one {@code hash} was made from; false for an oversized one. */
    public boolean matches(String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return false;
        }
        return encoder.matches(password, hash);
    }

    /** Spends the time of one check, for an unknown email; always false. */
    public boolean matchesNothing(String password) {
        matches(password == null ? "" : password, decoy);
        return false;
    }
}
