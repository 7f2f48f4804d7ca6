package dev.beckon.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.beckon.store.MetadataDatabase;
import dev.beckon.store.MetadataDialect;
import dev.beckon.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale-out deployment's metadata database: PostgreSQL, through a pool of connections, its
 * schema kept current by Flyway from {@code db/postgresql}.
 *
 * <p>Those migrations carry the numbers of their DuckDB counterparts in {@code db/migration}, so
 * that a version means the same metadata tables in both; the events tables of the DuckDB ones are
 * left out (the scale-out deployment keeps events in ClickHouse). Several nodes may start at once:
 * Flyway takes PostgreSQL's advisory lock while it migrates, so one applies each migration and the
 * others wait, then find nothing to do.
 *
 * <p>A committed transaction is in PostgreSQL's write-ahead log before the commit returns (with
 * PostgreSQL's default {@code synchronous_commit}).
 */
public final class PostgresDatabase implements MetadataDatabase {

    /** Where the migrations are, on the class path. */
    public static final String MIGRATIONS = "classpath:db/postgresql";

    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
    private static final MetadataDialect DIALECT = new PostgresDialect();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final PostgresSettings settings;
    private final HikariDataSource pool;

    private PostgresDatabase(PostgresSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /**
     * Connects to the database and migrates its schema.
     *
     * @throws StoreException when PostgreSQL cannot be reached, refuses the user, or the schema
     *     cannot be brought to the current version; the message names the URL and PostgreSQL's reason
     */
    public static PostgresDatabase open(PostgresSettings settings) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(settings));
        } catch (HikariPool.PoolInitializationException e) {
            throw new StoreException(
                    "cannot connect to PostgreSQL at " + settings.url() + " as " + settings.user() + ": "
                            + rootMessage(e),
                    e);
        }
        try {
            migrate(settings, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        log.info("Opened the metadata database {} as {}", settings.url(), settings.user());
        return new PostgresDatabase(settings, pool);
    }

    private static HikariConfig poolConfig(PostgresSettings settings) {
        var config = new HikariConfig();
        config.setPoolName("beckon-postgresql");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxConnections());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        // Fail the start at once when the database cannot be reached, rather than at the first request.
        config.setInitializationFailTimeout(CONNECT_TIMEOUT.toMillis());
        return config;
    }

    private static void migrate(PostgresSettings settings, HikariDataSource pool) {
        MigrateResult result;
        try {
            result = Flyway.configure()
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException(
                    "cannot bring the PostgreSQL database " + settings.url() + " to the current schema: "
                            + e.getMessage(),
                    e);
        }
        if (result.migrationsExecuted > 0) {
            log.info("Migrated the metadata database to schema version {}", result.targetSchemaVersion);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }

    @Override
    public MetadataDialect dialect() {
        return DIALECT;
    }

    @Override
    public String describe() {
        return settings.url();
    }

    /** A connection from the pool, in auto-commit mode; closing it gives it back. */
    @Override
    public Connection connect() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new StoreException("cannot connect to PostgreSQL at " + settings.url() + ": " + rootMessage(e), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
