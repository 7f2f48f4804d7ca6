package dev.beckon.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.MetadataEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Accounts on both metadata databases: created, changed, signed in with, deleted, and restarted. */
class AccountsTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00.000001Z"), ZoneOffset.UTC);
    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void anAccountWithItsRoleSitesAndPasswordSurvivesARestart(MetadataEngine engine) {
        try (var metadata = engine.open(dataDir)) {
            var accounts = new Accounts(metadata.database(), new Passwords(), CLOCK);
            Account ann = accounts.create(
                    "Ann@Example.com", "Ann O'Hara \ud83d\ude00", Role.EDITOR, Set.of("shop", "blog"), PASSWORD);
            accounts.create("bob@example.com", "Bob", Role.VIEWER, Set.of(), PASSWORD);
            accounts.update(ann.id(), "Ann", Role.VIEWER, Set.of("blog"));
            accounts.setPassword(ann.id(), PASSWORD + " again");

            var restarted = new Accounts(metadata.reopen(), new Passwords(), CLOCK);

            assertThat(restarted.all()).isEqualTo(accounts.all());
            Account stored = restarted.find(ann.id()).orElseThrow();
            assertThat(stored.email()).isEqualTo("ann@example.com");
            assertThat(stored.role()).isEqualTo(Role.VIEWER);
            assertThat(stored.sites()).containsExactly("blog");
            assertThat(stored.createdAt()).isEqualTo(CLOCK.instant());
            assertThat(restarted.authenticate("ann@example.com", PASSWORD + " again"))
                    .contains(stored);
            assertThat(restarted.authenticate("ann@example.com", PASSWORD)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(MetadataEngine.class)
    void aDeletedAccountIsGoneWithItsSites(MetadataEngine engine) throws Exception {
        try (var metadata = engine.open(dataDir)) {
            var accounts = new Accounts(metadata.database(), new Passwords(), CLOCK);
            Account ann = accounts.create("ann@example.com", "Ann", Role.EDITOR, Set.of("shop"), PASSWORD);

            accounts.delete(ann.id());
            accounts.delete(ann.id());

            assertThat(new Accounts(metadata.reopen(), new Passwords(), CLOCK).all())
                    .isEmpty();
            try (var connection = metadata.database().connect();
                    var rows = connection.createStatement().executeQuery("SELECT count(*) FROM account_sites")) {
                rows.next();
                assertThat(rows.getLong(1)).isZero();
            }
            assertThat(List.copyOf(accounts.all())).isEmpty();
        }
    }
}
