package dev.beckon.auth;

import dev.beckon.http.HttpError;
import dev.beckon.store.MetadataDatabase;
import dev.beckon.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's accounts. Every request of a signed-in browser looks its account up, so accounts
 * are held in memory; the database is read at start and written on every change. A change of role
 * or sites therefore applies to the account's next request, in every session it has open.
 *
 * <p>Passwords are hashed by {@link Passwords}; the hash never leaves this class.
 */
public final class Accounts {

    public static final int MAX_EMAIL_LENGTH = 254;
    public static final int MAX_NAME_LENGTH = 200;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private record Stored(Account account, String passwordHash) {}

    private final MetadataDatabase database;
    private final Passwords passwords;
    private final Clock clock;
    private final Map<String, Stored> byId = new ConcurrentHashMap<>();

    public Accounts(MetadataDatabase database, Passwords passwords, Clock clock) {
        this.database = database;
        this.passwords = passwords;
        this.clock = clock;
        loadAll();
    }

    /** Every account, by email. */
    public List<Account> all() {
        return byId.values().stream()
                .map(Stored::account)
                .sorted(Comparator.comparing(Account::email))
                .toList();
    }

    public Optional<Account> find(String id) {
        return Optional.ofNullable(id).map(byId::get).map(Stored::account);
    }

    /** Whether any account exists. */
    public boolean any() {
        return !byId.isEmpty();
    }

    /**
     * The account whose email and password these are; empty otherwise. An unknown email costs as
     * much time as a wrong password, so that the answer's timing does not tell which emails exist.
     */
    public Optional<Account> authenticate(String email, String password) {
        Optional<Stored> stored = findStored(email);
        if (stored.isEmpty()) {
            passwords.matchesNothing(password);
            return Optional.empty();
        }
        return passwords.matches(password, stored.get().passwordHash())
                ? Optional.of(stored.get().account())
                : Optional.empty();
    }

    /**
     * Creates an account.
     *
     * @throws HttpError 400 naming the field at fault, or 409 when the email is taken
     */
    public Account create(String email, String name, Role role, Collection<String> sites, String password) {
        String normalized = checkEmail(email);
        checkName(name);
        checkPassword(password);
        if (findStored(normalized).isPresent()) {
            throw new HttpError(409, "email: an account with '" + normalized + "' exists");
        }
        var account = new Account(
                UUID.randomUUID().toString(), normalized, name.strip(), role, Set.copyOf(sites), clock.instant());
        String hash = passwords.hash(password);
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO accounts"
                    + " (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, account.id());
                insert.setString(2, account.email());
                insert.setString(3, account.name());
                insert.setString(4, role.wireName());
                insert.setString(5, hash);
                insert.setTimestamp(6, timestamp(account.createdAt()));
                insert.executeUpdate();
            }
            writeSites(connection, account.id(), account.sites());
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot create the account " + normalized + ": " + e.getMessage(), e);
        }
        byId.put(account.id(), new Stored(account, hash));
        return account;
    }

    /**
     * Changes an account's name, role and sites.
     *
     * @throws HttpError 404 when there is no such account, 400 for a bad name
     */
    public Account update(String id, String name, Role role, Collection<String> sites) {
        Stored stored = require(id);
        checkName(name);
        var changed = new Account(
                id,
                stored.account().email(),
                name.strip(),
                role,
                Set.copyOf(sites),
                stored.account().createdAt());
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE accounts SET name = ?, role = ? WHERE id = ?")) {
                update.setString(1, changed.name());
                update.setString(2, role.wireName());
                update.setString(3, id);
                update.executeUpdate();
            }
            try (PreparedStatement clear =
                    connection.prepareStatement("DELETE FROM account_sites WHERE account_id = ?")) {
                clear.setString(1, id);
                clear.executeUpdate();
            }
            writeSites(connection, id, changed.sites());
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot change the account " + id + ": " + e.getMessage(), e);
        }
        byId.put(id, new Stored(changed, stored.passwordHash()));
        return changed;
    }

    /**
     * Replaces an account's password.
     *
     * @throws HttpError 404 when there is no such account, 400 for a password that is too short
     */
    public void setPassword(String id, String password) {
        Stored stored = require(id);
        checkPassword(password);
        String hash = passwords.hash(password);
        try (Connection connection = database.connect();
                PreparedStatement update =
                        connection.prepareStatement("UPDATE accounts SET password_hash = ? WHERE id = ?")) {
            update.setString(1, hash);
            update.setString(2, id);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot change the password of account " + id + ": " + e.getMessage(), e);
        }
        byId.put(id, new Stored(stored.account(), hash));
    }

    /** Deletes an account; its sessions end with their next request. Deleting a missing one is a no-op. */
    public void delete(String id) {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            for (String sql :
                    List.of("DELETE FROM account_sites WHERE account_id = ?", "DELETE FROM accounts WHERE id = ?")) {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setString(1, id);
                    delete.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("cannot delete the account " + id + ": " + e.getMessage(), e);
        }
        byId.remove(id);
    }

    /** The account with this email, in any case; empty when none has it. */
    public Optional<Account> findByEmail(String email) {
        return findStored(email).map(Stored::account);
    }

    private Optional<Stored> findStored(String email) {
        if (email == null) {
            return Optional.empty();
        }
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        return byId.values().stream()
                .filter(s -> s.account().email().equals(normalized))
                .findFirst();
    }

    private Stored require(String id) {
        Stored stored = id == null ? null : byId.get(id);
        if (stored == null) {
            throw HttpError.notFound("no account has the id '" + id + "'");
        }
        return stored;
    }

    private static String checkEmail(String email) {
        String normalized = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (normalized.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(normalized).matches()) {
            throw HttpError.badRequest("email: give an email address such as ann@example.com, of at most "
                    + MAX_EMAIL_LENGTH + " characters");
        }
        return normalized;
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw HttpError.badRequest("name: give 1 to " + MAX_NAME_LENGTH + " characters");
        }
    }

    private static void checkPassword(String password) {
        String problem = Passwords.problem(password);
        if (!problem.isEmpty()) {
            throw HttpError.badRequest("password: " + problem);
        }
    }

    private static void writeSites(Connection connection, String accountId, Set<String> sites) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO account_sites (account_id, site_id) VALUES (?, ?)")) {
            for (String site : sites) {
                insert.setString(1, accountId);
                insert.setString(2, site);
                insert.executeUpdate();
            }
        }
    }

    private void loadAll() {
        Map<String, Set<String>> sites = new HashMap<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT account_id, site_id FROM account_sites")) {
                while (rows.next()) {
                    sites.computeIfAbsent(rows.getString(1), k -> new HashSet<>())
                            .add(rows.getString(2));
                }
            }
            try (ResultSet rows =
                    statement.executeQuery("SELECT id, email, name, role, password_hash, created_at FROM accounts")) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    Role role = Role.parse(rows.getString(4)).orElse(Role.VIEWER);
                    var account = new Account(
                            id,
                            rows.getString(2),
                            rows.getString(3),
                            role,
                            sites.getOrDefault(id, Set.of()),
                            rows.getTimestamp(6).toLocalDateTime().toInstant(ZoneOffset.UTC));
                    byId.put(id, new Stored(account, rows.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the accounts: " + e.getMessage(), e);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
