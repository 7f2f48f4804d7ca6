package dev.beckon.store.duckdb;

import dev.beckon.store.MetadataDatabase;
import dev.beckon.store.MetadataDialect;
import dev.beckon.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database: one DuckDB file in the data folder, its schema kept current by Flyway.
 *
 * <p>DuckDB allows one process to open a file. This class opens it once and hands out further
 * connections to the same database with {@link #connect()}. A committed transaction is in DuckDB's
 * write-ahead log, synced to disk, before the commit returns; that is what makes an acknowledged
 * event survive {@code kill -9}.
 *
 * <p>In the embedded deployment it is also the {@link MetadataDatabase}: sites, keys, accounts,
 * segments, campaigns and cohorts live in the same file as the events.
 */
public final class DuckDbDatabase implements MetadataDatabase {

    public static final String FILE_NAME = "beckon.duckdb";

    private static final Logger log = LoggerFactory.getLogger(DuckDbDatabase.class);

    private static final MetadataDialect DIALECT = new DuckDbDialect();

    private final Path file;
    private final DuckDBConnection root;

    private DuckDbDatabase(Path file, DuckDBConnection root) {
        this.file = file;
        this.root = root;
    }

    /**
     * Opens (creating when missing) the database in {@code dataDir} and migrates its schema.
     *
     * @throws StoreException when the folder cannot be created or the file cannot be opened
     */
    public static DuckDbDatabase open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data folder " + dataDir + ": " + e.getMessage(), e);
        }
        String url = "jdbc:duckdb:" + file;
        migrate(url, file);
        try {
            Properties properties = new Properties();
            properties.setProperty(DuckDBDriver.JDBC_INSTANCE_CACHE, "false");
            DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection(url, properties);
            try (var statement = root.createStatement()) {
                // DuckDB turns an ASOF JOIN whose left side it expects to be small into a nested
                // loop join. Its estimates of filters on JSON are often far too small, and the loop
                // then compares every row with every row: 2.3 s instead of 0.15 s for the seed's
                // segment on a million events (docs/BENCHMARKS.md, "Segments").
                statement.execute("SET GLOBAL asof_loop_join_threshold = 0");
            }
            log.info("Opened the embedded store {}", file);
            return new DuckDbDatabase(file, root);
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(String url, Path file) {
        // Flyway opens and closes its own connection, so the file is free again afterwards.
        MigrateResult result;
        try {
            result = Flyway.configure()
                    .dataSource(url, null, null)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException(whyNotMigrated(file, e), e);
        }
        if (result.migrationsExecuted > 0) {
            log.info("Migrated the embedded store to schema version {}", result.targetSchemaVersion);
        }
    }

    private static String whyNotMigrated(Path file, FlywayException e) {
        String cause = String.valueOf(e.getMessage());
        if (cause.contains("Could not set lock on file")) {
            return file + " is open in another process, most likely another Beckon server; stop it, or give this"
                    + " one another folder with BECKON_DATA_DIR";
        }
        return "cannot bring the database " + file + " to the current schema: " + cause;
    }

    @Override
    public MetadataDialect dialect() {
        return DIALECT;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    /** A new connection to the database, in auto-commit mode. The caller closes it. */
    @Override
    public Connection connect() {
        try {
            return root.duplicate();
        } catch (SQLException e) {
            throw new StoreException("cannot connect to the database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code query} on a connection of its own and hands each row to {@code reader}.
     *
     * @param what what the query reads, for the message of a failure: "reading {@code what} failed"
     * @throws StoreException when the query or the reader fails
     */
    void select(Sql query, String what, RowReader reader) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(query.text())) {
            for (int i = 0; i < query.parameters().size(); i++) {
                statement.setObject(i + 1, query.parameters().get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        } catch (SQLException | IOException e) {
            throw new StoreException("reading " + what + " failed: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            root.close();
        } catch (SQLException e) {
            log.warn("Closing the database {} failed; the next start replays its write-ahead log", file, e);
        }
    }
}
