package dev.beckon.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.auth.Principal;
import dev.beckon.robustness.MutableClock;
import dev.beckon.store.MetadataDatabase;
import dev.beckon.store.MetadataEngine;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dashboard sessions in the metadata database, on both of its databases from one source: a session
 * started by one node is found by another and survives a restart; it expires after its lifetime;
 * ending it, or all of its account's, ends it for every node; the token itself is never stored.
 */
class DashboardSessionsTest {

    static final Instant T0 = Instant.parse("2026-12-04T09:00:00.123456Z");

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock(T0);

    DashboardSessions node(MetadataDatabase database) {
        return new MetadataDashboardSessions(database, clock, new SecureRandom());
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aSessionStartedOnOneNodeIsFoundOnAnotherAndAfterARestart(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var session = node(metadata.database()).start(Principal.Kind.ACCOUNT, "acc-1");

            assertThat(node(metadata.database()).find(session.token())).contains(session);
            assertThat(node(metadata.reopen()).find(session.token())).contains(session);
            assertThat(session.expiresAt()).isEqualTo(T0.plus(DashboardSessions.LIFETIME));
            assertThat(session.token()).hasSize(43).isNotEqualTo(session.csrfToken());
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aSessionExpiresAfterItsLifetimeAndIsForgottenAtTheNextSignIn(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var sessions = node(metadata.database());
            var session = sessions.start(Principal.Kind.API_KEY, "key-1");

            clock.advance(DashboardSessions.LIFETIME.minusMillis(1));
            assertThat(sessions.find(session.token())).isPresent();
            clock.advance(Duration.ofMillis(1));
            assertThat(sessions.find(session.token())).isEmpty();

            sessions.start(Principal.Kind.API_KEY, "key-2");
            assertThat(rows(metadata.database())).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void endingASessionOrEveryOneOfAnAccountEndsItOnEveryNode(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var first = node(metadata.database());
            var second = node(metadata.database());
            var ann = first.start(Principal.Kind.ACCOUNT, "ann");
            var annElsewhere = second.start(Principal.Kind.ACCOUNT, "ann");
            var bob = first.start(Principal.Kind.ACCOUNT, "bob");
            var key = first.start(Principal.Kind.API_KEY, "ann");

            second.end(bob.token());
            first.endAllOf(Principal.Kind.ACCOUNT, "ann");
            first.end(null);
            first.end("not a token");

            assertThat(second.find(bob.token())).isEmpty();
            assertThat(second.find(ann.token())).isEmpty();
            assertThat(first.find(annElsewhere.token())).isEmpty();
            assertThat(second.find(key.token())).contains(key);
            assertThat(first.find(null)).isEmpty();
            assertThat(first.find("'; DROP TABLE dashboard_sessions; --")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void theTokenIsStoredOnlyAsItsHash(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var session = node(metadata.database()).start(Principal.Kind.ACCOUNT, "acc-1");

            List<String> stored = rows(metadata.database());

            assertThat(stored).hasSize(1);
            assertThat(stored.getFirst())
                    .doesNotContain(session.token())
                    .contains(session.csrfToken())
                    .matches("[0-9a-f]{64} ACCOUNT acc-1 .*");
        }
    }

    private static List<String> rows(MetadataDatabase database) {
        List<String> rows = new ArrayList<>();
        database.select(
                "the sessions",
                result -> rows.add(String.join(
                        " ", result.getString(1), result.getString(2), result.getString(3), result.getString(4))),
                "SELECT token_sha256, kind, principal_id, csrf_token FROM dashboard_sessions");
        return rows;
    }
}
