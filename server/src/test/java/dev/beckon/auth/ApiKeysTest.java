package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.duckdb.DuckDbDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

    private static boolean isValid(ApiKeys keys, String secret) {
        return keys.authenticate(secret).isPresent();
    }

    @TempDir
    Path dataDir;

    @Test
    void createdKeyIsValidAndStoredOnlyAsItsHash() throws Exception {
        try (var database = DuckDbDatabase.open(dataDir)) {
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

    @Test
    void keysSurviveARestartAndRevokedOnesDoNot() {
        String kept;
        String revoked;
        try (var database = DuckDbDatabase.open(dataDir)) {
            var keys = new ApiKeys(database, Clock.systemUTC(), new SecureRandom());
            kept = keys.create("kept", Role.ADMIN, null).secret();
            revoked = keys.create("demo", Role.EDITOR, null).secret();
            keys.revokeLabelled("demo");
            assertThat(isValid(keys, revoked)).isFalse();
        }

        try (var database = DuckDbDatabase.open(dataDir)) {
            var keys = new ApiKeys(database, Clock.systemUTC(), new SecureRandom());

            assertThat(isValid(keys, kept)).isTrue();
            assertThat(isValid(keys, revoked)).isFalse();
        }
    }
}
