package dev.beckon.store;

import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.postgres.PostgresDatabase;
import dev.beckon.store.postgres.PostgresServer;
import dev.beckon.store.postgres.PostgresSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two metadata databases, as the parameter of a repository's behaviour tests: {@code
 * @ParameterizedTest @EnumSource(MetadataEngine.class)}, then {@link #open} a fresh database for the
 * test. DuckDB is a file in the test's folder; PostgreSQL a database of its own in the run's {@link
 * PostgresServer}.
 *
 * <p>Without PostgreSQL's binaries the PostgreSQL cases are skipped with a message saying so, unless
 * the environment variable {@code CI} is set: in CI, where {@code ./beckon test} installs them,
 * their absence fails the tests.
 */
public enum MetadataEngine {
    DUCKDB {
        @Override
        public Fixture open(Path folder) {
            return new Fixture(() -> DuckDbDatabase.open(folder), () -> {});
        }
    },
    POSTGRESQL {
        @Override
        public Fixture open(Path folder) {
            PostgresServer server = server();
            PostgresSettings settings = server.createDatabase();
            return new Fixture(() -> PostgresDatabase.open(settings), () -> server.dropDatabase(settings));
        }
    };

    private static final AtomicBoolean SKIP_LOGGED = new AtomicBoolean();
    private static final Logger log = LoggerFactory.getLogger(MetadataEngine.class);

    /** A fresh, migrated database of this engine for one test; {@code folder} is the test's own. */
    public abstract Fixture open(Path folder);

    /** The run's PostgreSQL server, started on first use; skips or fails the test without one. */
    public static PostgresServer server() {
        Optional<Path> bin = PostgresServer.binaries();
        if (bin.isEmpty()) {
            String message = "PostgreSQL's server binaries are not installed: the PostgreSQL tests need Debian's"
                    + " package (apt-get install -y postgresql, as ./beckon test does) or BECKON_POSTGRES_BIN";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(message + ", and CI is set, so they must run");
            }
            if (SKIP_LOGGED.compareAndSet(false, true)) {
                log.warn("Skipping the PostgreSQL tests: {}; CI is not set", message);
            }
            Assumptions.abort(message + "; skipped because CI is not set");
        }
        return PostgresServer.shared(bin.get());
    }

    /** How a fixture opens its database, again and again on the same data. */
    @FunctionalInterface
    interface Opener {
        MetadataDatabase open();
    }

    /** One test's database: open, reopened on the same data as a restarted server would, deleted at the end. */
    public static final class Fixture implements AutoCloseable {

        private final Opener opener;
        private final Runnable remove;
        private MetadataDatabase database;

        /** @param remove what deletes the database once it is closed; the test's folder goes by itself */
        Fixture(Opener opener, Runnable remove) {
            this.opener = opener;
            this.remove = remove;
            this.database = opener.open();
        }

        public MetadataDatabase database() {
            return database;
        }

        /** Closes the database and opens it again, as a server's restart does; returns it. */
        public MetadataDatabase reopen() {
            database.close();
            database = opener.open();
            return database;
        }

        /** Closes the database and deletes it. */
        @Override
        public void close() {
            database.close();
            remove.run();
        }
    }
}
