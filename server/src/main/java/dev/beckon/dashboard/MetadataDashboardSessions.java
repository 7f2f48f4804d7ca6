package dev.beckon.dashboard;

import dev.beckon.auth.Principal;
import dev.beckon.store.MetadataDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Dashboard sessions in the metadata database's {@code dashboard_sessions} (migration V11): the
 * embedded DuckDB file, or PostgreSQL in the scale-out deployment, where every node reads the same
 * rows. The SQL is written once for both.
 *
 * <p>The token is stored only as its SHA-256, so a copy of the table (a backup, a leak) opens no
 * session; the CSRF token is stored as it is, as it is worth nothing without the session's cookie.
 * Every {@link #find} reads the database: a session ended on one node is ended on all at once.
 *
 * <p>Failure semantics: a database that cannot be read or written makes each method throw the
 * metadata database's {@code StoreException}; the request then fails, and nothing is kept.
 */
public final class MetadataDashboardSessions implements DashboardSessions {

    private static final int TOKEN_BYTES = 32;

    private final MetadataDatabase database;
    private final Clock clock;
    private final SecureRandom random;

    public MetadataDashboardSessions(MetadataDatabase database, Clock clock, SecureRandom random) {
        this.database = database;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public Session start(Principal.Kind kind, String principalId) {
        Instant now = clock.instant();
        var session = new Session(token(), kind, principalId, token(), now.plus(LIFETIME));
        database.update(
                "the expired dashboard sessions",
                "DELETE FROM dashboard_sessions WHERE expires_at <= ?",
                timestamp(now));
        database.update(
                "a dashboard session",
                "INSERT INTO dashboard_sessions (token_sha256, kind, principal_id, csrf_token, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?)",
                sha256(session.token()),
                kind.name(),
                principalId,
                session.csrfToken(),
                timestamp(session.expiresAt()));
        return session;
    }

    @Override
    public Optional<Session> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        List<Session> found = new ArrayList<>(1);
        database.select(
                "a dashboard session",
                rows -> found.add(new Session(
                        token,
                        Principal.Kind.valueOf(rows.getString(1)),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getTimestamp(4).toLocalDateTime().toInstant(ZoneOffset.UTC))),
                "SELECT kind, principal_id, csrf_token, expires_at FROM dashboard_sessions"
                        + " WHERE token_sha256 = ? AND expires_at > ?",
                sha256(token),
                timestamp(clock.instant()));
        return found.stream().findFirst();
    }

    @Override
    public void end(String token) {
        if (token != null) {
            database.update(
                    "the end of a dashboard session",
                    "DELETE FROM dashboard_sessions WHERE token_sha256 = ?",
                    sha256(token));
        }
    }

    @Override
    public void endAllOf(Principal.Kind kind, String principalId) {
        database.update(
                "the end of a person's dashboard sessions",
                "DELETE FROM dashboard_sessions WHERE kind = ? AND principal_id = ?",
                kind.name(),
                principalId);
    }

    private String token() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
