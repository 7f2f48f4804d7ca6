package dev.beckon.store.postgres;

import java.util.Objects;

/**
 * Where the scale-out deployment's PostgreSQL is, and as whom to use it.
 *
 * @param url the JDBC URL of the database, such as {@code jdbc:postgresql://db.internal:5432/beckon};
 *     the database must exist, and {@code user} must be allowed to create tables in its {@code
 *     public} schema (the migrations do)
 * @param user the PostgreSQL role
 * @param password the role's password
 * @param maxConnections how many connections one Beckon node holds at most
 */
public record PostgresSettings(String url, String user, String password, int maxConnections) {

    public static final String URL_PREFIX = "jdbc:postgresql://";
    public static final int DEFAULT_MAX_CONNECTIONS = 10;
    public static final int MAX_CONNECTIONS_LIMIT = 1_000;

    public PostgresSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!url.startsWith(URL_PREFIX) || url.length() == URL_PREFIX.length()) {
            throw new IllegalArgumentException(
                    "url: '" + url + "' is not a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/beckon");
        }
        if (url.contains("password=")) {
            throw new IllegalArgumentException("url: give the password as its own setting, not in the URL");
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("user: must not be empty");
        }
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS_LIMIT) {
            throw new IllegalArgumentException(
                    "maxConnections: must be from 1 to " + MAX_CONNECTIONS_LIMIT + ", not " + maxConnections);
        }
    }

    public static PostgresSettings of(String url, String user, String password) {
        return new PostgresSettings(url, user, password, DEFAULT_MAX_CONNECTIONS);
    }

    @Override
    public String toString() {
        // The password stays out of logs.
        return "PostgresSettings[url=" + url + ", user=" + user + ", maxConnections=" + maxConnections + "]";
    }
}
