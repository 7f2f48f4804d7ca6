package dev.beckon.scaleout.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings Beckon's ClickHouse database to the newest schema version: creates the database, then
 * applies each migration of {@code server/src/main/resources/clickhouse} that the table
 * {@code schema_versions} does not list yet, in version order, and lists it there.
 *
 * <p>Flyway's ClickHouse support goes through the JDBC driver, which does not work with 18.16
 * (docs/scale-out.md); hence this small runner over the HTTP interface. ClickHouse has no
 * transactions, so a migration is one statement that is harmless to run again ({@code IF NOT
 * EXISTS}): a start that dies between a migration and its entry in {@code schema_versions}, or two
 * nodes that start at once, apply it twice and change nothing the second time. That is a rule for
 * every migration added here.
 */
public final class ClickHouseSchema {

    /** The oldest ClickHouse that Beckon is tested on; the SQL of the migrations keeps to it. */
    public static final int OLDEST_MAJOR = 18;

    public static final int OLDEST_MINOR = 16;

    private static final Logger log = LoggerFactory.getLogger(ClickHouseSchema.class);
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+).*");

    /** One versioned statement. */
    record Migration(int version, String description, String sql) {}

    static final List<Migration> MIGRATIONS = List.of(load(1, "events", "V1__events.sql"));

    private ClickHouseSchema() {}

    /**
     * Applies the migrations that the database lacks.
     *
     * @return the schema version that the database is at now
     * @throws ClickHouseException when ClickHouse is unreachable, older than 18.16, or refuses a
     *     migration; the migrations before it stay applied
     */
    public static int migrate(ClickHouseHttp clickHouse, Clock clock) {
        String serverVersion = requireSupportedVersion(clickHouse);
        String database = clickHouse.settings().database();
        clickHouse.executeOnServer("CREATE DATABASE IF NOT EXISTS " + database);
        clickHouse.execute("CREATE TABLE IF NOT EXISTS schema_versions ("
                + "version UInt32, description String, applied_at DateTime"
                + ") ENGINE = MergeTree ORDER BY version");

        int current = currentVersion(clickHouse);
        for (Migration migration : MIGRATIONS) {
            if (migration.version() <= current) {
                continue;
            }
            clickHouse.execute(migration.sql());
            clickHouse.execute("INSERT INTO schema_versions (version, description, applied_at) VALUES ("
                    + migration.version() + ", '" + migration.description() + "', "
                    + clock.instant().getEpochSecond() + ")");
            current = migration.version();
            log.info(
                    "Applied ClickHouse schema version {} ({}) to database {}",
                    migration.version(),
                    migration.description(),
                    database);
        }
        log.debug("ClickHouse {} database {} is at schema version {}", serverVersion, database, current);
        return current;
    }

    /** The newest version that {@code schema_versions} lists; 0 for none. */
    public static int currentVersion(ClickHouseHttp clickHouse) {
        return Integer.parseInt(clickHouse
                .query("SELECT max(version) FROM schema_versions FORMAT TabSeparated")
                .strip());
    }

    /** The newest version this build knows. */
    public static int latestVersion() {
        return MIGRATIONS.getLast().version();
    }

    private static String requireSupportedVersion(ClickHouseHttp clickHouse) {
        String version =
                clickHouse.queryOnServer("SELECT version() FORMAT TabSeparated").strip();
        Matcher parts = VERSION.matcher(version);
        if (!parts.matches()) {
            throw new ClickHouseException("ClickHouse reports version '" + version + "', which Beckon cannot read");
        }
        int major = Integer.parseInt(parts.group(1));
        int minor = Integer.parseInt(parts.group(2));
        if (major < OLDEST_MAJOR || (major == OLDEST_MAJOR && minor < OLDEST_MINOR)) {
            throw new ClickHouseException("ClickHouse " + version + " is older than " + OLDEST_MAJOR + "."
                    + OLDEST_MINOR + ", the oldest release Beckon is tested on");
        }
        return version;
    }

    private static Migration load(int version, String description, String file) {
        try (InputStream in = ClickHouseSchema.class.getResourceAsStream("/clickhouse/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the ClickHouse migration " + file + " is missing from the class path");
            }
            return new Migration(
                    version, description, withoutComments(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's statement, without its comment lines. */
    private static String withoutComments(String sql) {
        return sql.lines()
                .filter(line -> !line.strip().startsWith("--"))
                .reduce("", (a, b) -> a + b + "\n")
                .strip();
    }
}
