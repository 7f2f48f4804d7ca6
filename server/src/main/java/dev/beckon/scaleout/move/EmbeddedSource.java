package dev.beckon.scaleout.move;

import dev.beckon.store.StoreException;
import dev.beckon.store.duckdb.DuckDbDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * The embedded installation's DuckDB file, as the move reads it: brought to this build's schema
 * first (by {@link DuckDbDatabase#open}, the server's own migrations), then opened read-only with
 * results streamed, so that a query over millions of events hands them over a chunk at a time
 * instead of holding them all.
 *
 * <p>A read-only DuckDB holds a shared lock on the file for as long as it is open: a Beckon server
 * that is running refuses the move, and one started during the move refuses to start, so no event
 * arrives that the move would miss.
 */
final class EmbeddedSource implements AutoCloseable {

    private final Path file;
    private final DuckDBConnection root;

    private EmbeddedSource(Path file, DuckDBConnection root) {
        this.file = file;
        this.root = root;
    }

    /**
     * Opens the store of the data folder {@code dataDir}.
     *
     * @throws MoveException when the folder holds no store, or another process (a Beckon server)
     *     has it open
     */
    static EmbeddedSource open(Path dataDir) {
        Path file = dataDir.resolve(DuckDbDatabase.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new MoveException("there is no embedded store to move: " + file.toAbsolutePath() + " does not"
                    + " exist; set BECKON_DATA_DIR to the data folder of the embedded installation");
        }
        // Checked before the migration, which would otherwise word the refusal for a server's start.
        connect(file).closeQuietly();
        try {
            DuckDbDatabase.open(dataDir).close();
        } catch (StoreException e) {
            throw new MoveException("cannot open the embedded store: " + e.getMessage(), e);
        }
        return connect(file);
    }

    private static EmbeddedSource connect(Path file) {
        Properties properties = new Properties();
        properties.setProperty(DuckDBDriver.JDBC_INSTANCE_CACHE, "false");
        properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        properties.setProperty("duckdb.read_only", "true");
        try {
            return new EmbeddedSource(
                    file, (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, properties));
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("Could not set lock on file")) {
                throw new MoveException(file + " is open in another process, most likely a running Beckon server:"
                        + " stop it, then run the move again (the move reads the store while nothing writes to it)");
            }
            throw new MoveException("cannot open the embedded store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where the store is, for messages. */
    String describe() {
        return file.toString();
    }

    /** A connection of its own, for one query at a time: a streamed result holds its connection. */
    Connection connect() {
        try {
            return root.duplicate();
        } catch (SQLException e) {
            throw new MoveException("cannot read the embedded store " + file + ": " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        try {
            root.close();
        } catch (SQLException e) {
            // Read-only: nothing to lose.
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
