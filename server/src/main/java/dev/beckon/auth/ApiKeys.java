package dev.beckon.auth;

import dev.beckon.http.HttpError;
import dev.beckon.store.MetadataDatabase;
import dev.beckon.store.StoreException;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys: random secrets shown once, of which only the SHA-256 hash is stored, each with a role
 * and a scope of one site or every site. Keys are held in memory, as every API request checks one;
 * a revoked key is refused from the next request on.
 *
 * <p>A fast hash is right here, unlike for passwords: a key carries 192 random bits, so there is
 * nothing to guess by trying hashes. The time of a key's last use is written at most once a
 * minute, so that a busy key does not write on every request; after a crash it may be up to a
 * minute old.
 */
public final class ApiKeys {

    public static final int MAX_LABEL_LENGTH = 200;
    private static final int SECRET_BYTES = 24;
    private static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);

    private final MetadataDatabase database;
    private final Clock clock;
    private final SecureRandom random;
    /** Every key ever made, active or revoked, by id. */
    private final Map<String, ApiKey> byId = new ConcurrentHashMap<>();
    /** The id of each active key, by the key's hash. */
    private final Map<String, String> activeByHash = new ConcurrentHashMap<>();

    /** A key just made, with the secret that is shown this once. */
    public record Created(ApiKey key, String secret) {}

    public ApiKeys(MetadataDatabase database, Clock clock, SecureRandom random) {
        this.database = database;
        this.clock = clock;
        this.random = random;
        loadAll();
    }

    /**
     * The active key whose secret this is, after noting its use; empty when {@code secret} is null,
     * empty, unknown or revoked.
     */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        String id = activeByHash.get(hash(secret));
        ApiKey key = id == null ? null : byId.get(id);
        if (key == null || !key.active()) {
            return Optional.empty();
        }
        return Optional.of(noteUse(key));
    }

    /** The active key with this id; empty when there is none or it is revoked. */
    public Optional<ApiKey> findActive(String id) {
        return Optional.ofNullable(id).map(byId::get).filter(ApiKey::active);
    }

    /** Every key, active ones first, then by label. */
    public List<ApiKey> all() {
        return byId.values().stream()
                .sorted(Comparator.comparing((ApiKey k) -> !k.active())
                        .thenComparing(ApiKey::label)
                        .thenComparing(ApiKey::createdAt))
                .toList();
    }

    /** Whether any key is active. */
    public boolean any() {
        return !activeByHash.isEmpty();
    }

    /**
     * Makes a new random key, stores its hash, and returns it with its secret, which is not kept.
     *
     * @param siteId the one site the key reaches, or null for every site; an admin key reaches
     *     every site
     * @throws HttpError 400 for a missing or overlong label
     */
    public Created create(String label, Role role, String siteId) {
        if (label == null || label.isBlank() || label.length() > MAX_LABEL_LENGTH) {
            throw HttpError.badRequest("label: give 1 to " + MAX_LABEL_LENGTH + " characters");
        }
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = "bk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = store(secret, label.strip(), role, role == Role.ADMIN ? null : siteId);
        return new Created(key, secret);
    }

    /** Stores {@code secret} as an active admin key of every site unless it already is one. */
    public void register(String secret, String label) {
        if (!activeByHash.containsKey(hash(secret))) {
            store(secret, label, Role.ADMIN, null);
        }
    }

    /** Revokes the key with this id; false when no active key has it. */
    public boolean revoke(String id) {
        ApiKey key = findActive(id).orElse(null);
        if (key == null) {
            return false;
        }
        Instant now = clock.instant();
        try (Connection connection = database.connect();
                PreparedStatement revoke = connection.prepareStatement(
                        "UPDATE api_keys SET revoked_at = ? WHERE id = ? RETURNING key_hash")) {
            revoke.setTimestamp(1, timestamp(now));
            revoke.setString(2, id);
            try (ResultSet rows = revoke.executeQuery()) {
                while (rows.next()) {
                    activeByHash.remove(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot revoke the API key " + id + ": " + e.getMessage(), e);
        }
        byId.put(id, key.revoked(now));
        return true;
    }

    /** Revokes every active key with this label. */
    public void revokeLabelled(String label) {
        byId.values().stream()
                .filter(k -> k.active() && k.label().equals(label))
                .map(ApiKey::id)
                .toList()
                .forEach(this::revoke);
    }

    private ApiKey store(String secret, String label, Role role, String siteId) {
        String hash = hash(secret);
        var key = new ApiKey(UUID.randomUUID().toString(), label, role, siteId, clock.instant(), null, null);
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO api_keys (id, key_hash, label, created_at, role, site_id)"
                                + " VALUES (?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL"
                                + " RETURNING id, created_at")) {
            insert.setString(1, key.id());
            insert.setString(2, hash);
            insert.setString(3, label);
            insert.setTimestamp(4, timestamp(key.createdAt()));
            insert.setString(5, role.wireName());
            insert.setString(6, siteId);
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                // A secret that was revoked before comes back under its old id.
                key = new ApiKey(rows.getString(1), label, role, siteId, instant(rows.getTimestamp(2)), null, null);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot store the API key '" + label + "': " + e.getMessage(), e);
        }
        byId.put(key.id(), key);
        activeByHash.put(hash, key.id());
        return key;
    }

    private ApiKey noteUse(ApiKey key) {
        Instant now = clock.instant();
        if (key.lastUsedAt() != null
                && key.lastUsedAt().plus(LAST_USE_PRECISION).isAfter(now)) {
            return key;
        }
        ApiKey used = key.usedAt(now);
        byId.put(key.id(), used);
        try (Connection connection = database.connect();
                PreparedStatement update =
                        connection.prepareStatement("UPDATE api_keys SET last_used_at = ? WHERE id = ?")) {
            update.setTimestamp(1, timestamp(now));
            update.setString(2, key.id());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot note the use of API key " + key.id() + ": " + e.getMessage(), e);
        }
        return used;
    }

    private void loadAll() {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, key_hash, label, role, site_id, created_at,"
                        + " last_used_at, revoked_at FROM api_keys")) {
            while (rows.next()) {
                var key = new ApiKey(
                        rows.getString(1),
                        rows.getString(3),
                        Role.parse(rows.getString(4)).orElse(Role.VIEWER),
                        rows.getString(5),
                        instant(rows.getTimestamp(6)),
                        instant(rows.getTimestamp(7)),
                        instant(rows.getTimestamp(8)));
                byId.put(key.id(), key);
                if (key.active()) {
                    activeByHash.put(rows.getString(2), key.id());
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the API keys: " + e.getMessage(), e);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
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
