package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.duckdb.DuckDbDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeysTest {

    @TempDir
    Path dataDir;

    @Test
    void createdKeyIsValidAndStoredOnlyAsItsHash() throws Exception {
        try (var database = DuckDbDatabase.open(dataDir)) {
            var keys = new AdminKeys(database, Clock.systemUTC(), new SecureRandom());

            String secret = keys.create("test");

            assertThat(keys.isValid(secret)).isTrue();
            assertThat(keys.isValid(secret + "x")).isFalse();
            assertThat(keys.isValid("")).isFalse();
            assertThat(keys.isValid(null)).isFalse();
            try (var connection = database.connect();
                    var rows = connection.createStatement().executeQuery("SELECT key_hash FROM api_keys")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo(AdminKeys.hash(secret)).doesNotContain(secret);
            }
        }
    }

    @Test
    void keysSurviveARestartAndRevokedOnesDoNot() {
        String kept;
        String revoked;
        try (var database = DuckDbDatabase.open(dataDir)) {
            var keys = new AdminKeys(database, Clock.systemUTC(), new SecureRandom());
            kept = keys.create("kept");
            revoked = keys.create("demo");
            keys.revokeLabelled("demo");
            assertThat(keys.isValid(revoked)).isFalse();
        }

        try (var database = DuckDbDatabase.open(dataDir)) {
            var keys = new AdminKeys(database, Clock.systemUTC(), new SecureRandom());

            assertThat(keys.isValid(kept)).isTrue();
            assertThat(keys.isValid(revoked)).isFalse();
        }
    }
}
