package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.MetadataEngine;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** API keys on both metadata databases: hashes only, restarts, revocation, roles and scopes. */
class ApiKeysTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00.123456Z"), ZoneOffset.UTC);

    private static boolean isValid(ApiKeys keys, String secret) {
        return keys.authenticate(secret).isPresent();
    }

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void createdKeyIsValidAndStoredOnlyAsItsHash(MetadataEngine engine) throws Exception {
        try (var metadata = engine.open(dataDir)) {
            var database = metadata.database();
            var keys = new ApiKeys(database, Clock.systemUTC(), new SecureRandom());

            String secret = keys.create("test", Role.VIEWER, "demo").secret();

            assertThat(isValid(keys, secret)).isTrue();
            assertThat(isValid(keys, secret + "x")).isFalse();
            assertThat(isValid(keys, "")).isFalse();
            assertThat(isValid(keys, null)).isFalse();
            try (var connection = database.connect();
                    var rows = connection.createStatement().executeQuery("SELECT key_hash FROM api_keys")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo(ApiKeys.hash(secret)).doesNotContain(secret);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void keysSurviveARestartAndRevokedOnesDoNot(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var keys = new ApiKeys(metadata.database(), Clock.systemUTC(), new SecureRandom());
            String kept = keys.create("kept", Role.ADMIN, null).secret();
            String revoked = keys.create("demo", Role.EDITOR, null).secret();
            keys.revokeLabelled("demo");
            assertThat(isValid(keys, revoked)).isFalse();

            var restarted = new ApiKeys(metadata.reopen(), Clock.systemUTC(), new SecureRandom());

            assertThat(isValid(restarted, kept)).isTrue();
            assertThat(isValid(restarted, revoked)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aKeysRoleScopeTimesAndLabelComeBackAsTheyWereWritten(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var keys = new ApiKeys(metadata.database(), CLOCK, new SecureRandom());
            String label = "Robert'); DROP TABLE api_keys;-- =HYPERLINK(\"x\") \u202e\ud83d\ude00";
            var created = keys.create(label, Role.EDITOR, "shop");
            keys.authenticate(created.secret());

            var restarted = new ApiKeys(metadata.reopen(), CLOCK, new SecureRandom());

            ApiKey key = restarted.findActive(created.key().id()).orElseThrow();
            assertThat(key.label()).isEqualTo(label);
            assertThat(key.role()).isEqualTo(Role.EDITOR);
            assertThat(key.siteId()).isEqualTo("shop");
            assertThat(key.createdAt()).isEqualTo(CLOCK.instant());
            assertThat(key.lastUsedAt()).isEqualTo(CLOCK.instant());
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aSecretRegisteredAgainAfterItsRevocationComesBackUnderItsOldId(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var keys = new ApiKeys(metadata.database(), CLOCK, new SecureRandom());
            String secret = "bk_the-operators-own-admin-key";
            keys.register(secret, "admin key");
            String id = keys.authenticate(secret).orElseThrow().id();
            keys.revoke(id);

            keys.register(secret, "admin key");

            assertThat(keys.authenticate(secret).orElseThrow().id()).isEqualTo(id);
            var restarted = new ApiKeys(metadata.reopen(), CLOCK, new SecureRandom());
            assertThat(restarted.authenticate(secret).orElseThrow().id()).isEqualTo(id);
            assertThat(restarted.all()).hasSize(1);
        }
    }
}
