package dev.beckon.scaleout.clickhouse;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where ClickHouse's HTTP interface is, and as whom to use it.
 *
 * @param url the HTTP interface, such as {@code http://127.0.0.1:8123/}
 * @param database the database that holds Beckon's tables; created by {@link ClickHouseSchema}
 * @param user the ClickHouse user, or null for the server's {@code default} user without password
 * @param password the user's password; ignored when {@code user} is null
 * @param requestTimeout how long one statement may take, from sending it to the last byte of the
 *     answer
 */
public record ClickHouseSettings(URI url, String database, String user, String password, Duration requestTimeout) {

    /** A database name goes into SQL as it is, so it is held to the plain identifiers. */
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    public ClickHouseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if ((!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("url: '" + url + "' is not an http:// or https:// address with a host");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("url: '" + url + "' must have no query or fragment");
        }
        if (!DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException("database: '" + database
                    + "' must be 1 to 64 characters of A-Z, a-z, 0-9 and '_', not starting with a digit");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout: must be positive, not " + requestTimeout);
        }
    }

    /** The server's {@code default} user without password, and a 30-second request timeout. */
    public static ClickHouseSettings of(URI url, String database) {
        return new ClickHouseSettings(url, database, null, "", Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        // The password stays out of logs.
        return "ClickHouseSettings[url=" + url + ", database=" + database + ", user=" + user + "]";
    }
}
