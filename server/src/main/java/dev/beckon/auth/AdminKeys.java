package dev.beckon.auth;

import dev.beckon.store.StoreException;
import dev.beckon.store.duckdb.DuckDbDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admin API keys. A key is a random secret shown once; only its SHA-256 hash is stored.
 *
 * <p>A fast hash is right here, unlike for passwords: a key carries 192 random bits, so there is
 * nothing to guess by trying hashes, and every API request checks one.
 */
public final class AdminKeys {

    private static final int SECRET_BYTES = 24;

    private final DuckDbDatabase database;
    private final Clock clock;
    private final SecureRandom random;
    /** The label of each active key, by the key's hash. */
    private final Map<String, String> activeLabels = new ConcurrentHashMap<>();

    public AdminKeys(DuckDbDatabase database, Clock clock, SecureRandom random) {
        this.database = database;
        this.clock = clock;
        this.random = random;
        loadActive();
    }

    /** Whether {@code secret} is an active admin key. */
    public boolean isValid(String secret) {
        return label(secret).isPresent();
    }

    /**
     * The label of the active admin key {@code secret}, which names who holds it in audit logs; empty
     * when {@code secret} is null, empty, unknown or revoked.
     */
    public Optional<String> label(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(activeLabels.get(hash(secret)));
    }

    /** Whether any key is active. */
    public boolean any() {
        return !activeLabels.isEmpty();
    }

    /** Stores {@code secret} as an active key unless it already is one. */
    public void register(String secret, String label) {
        String hash = hash(secret);
        if (activeLabels.containsKey(hash)) {
            return;
        }
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO api_keys (id, key_hash, label, created_at) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, hash);
            insert.setString(3, label);
            insert.setTimestamp(4, Timestamp.valueOf(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot store the admin key '" + label + "': " + e.getMessage(), e);
        }
        activeLabels.put(hash, label);
    }

    /** Makes a new random key, stores its hash, and returns the secret, which is not kept. */
    public String create(String label) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = "bk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        register(secret, label);
        return secret;
    }

    /** Revokes every active key with this label; the dashboard sessions they opened stay open. */
    public void revokeLabelled(String label) {
        try (Connection connection = database.connect();
                PreparedStatement revoke = connection.prepareStatement(
                        "UPDATE api_keys SET revoked_at = ? WHERE label = ? AND revoked_at IS NULL"
                                + " RETURNING key_hash")) {
            revoke.setTimestamp(1, Timestamp.valueOf(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
            revoke.setString(2, label);
            try (ResultSet rows = revoke.executeQuery()) {
                while (rows.next()) {
                    activeLabels.remove(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot revoke the admin keys '" + label + "': " + e.getMessage(), e);
        }
    }

    private void loadActive() {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT key_hash, label FROM api_keys WHERE revoked_at IS NULL")) {
            while (rows.next()) {
                activeLabels.put(rows.getString(1), rows.getString(2));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the admin keys: " + e.getMessage(), e);
        }
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
