package dev.beckon.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.duckdb.DuckDbDatabase;
import dev.beckon.store.postgres.PostgresDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL migrations ({@code db/postgresql}) keep step with the DuckDB ones ({@code
 * db/migration}): after both, the two catalogues hold the same metadata tables, each with the same
 * columns in the same order, of the same types and nullability, with the same primary and unique
 * keys, at the same schema version. DuckDB's tables that hold events stay out of PostgreSQL.
 *
 * <p>A new DuckDB migration fails this test until it has a PostgreSQL counterpart of the same
 * number: one that does the same to the metadata tables, or, for a migration of events tables only,
 * one that does nothing ({@code SELECT 1;}) with the new events table named in {@link #EVENT_TABLES}.
 */
class MetadataSchemaTest {

    /** Tables that hold events or what is derived from them: ClickHouse's in the scale-out deployment. */
    static final Set<String> EVENT_TABLES = Set.of("events", "device_users");

    static final Set<String> FLYWAY_TABLES = Set.of("flyway_schema_history");

    /** PostgreSQL's names of the types that the migrations use, as DuckDB names them. */
    static final Map<String, String> POSTGRES_TYPES = Map.of(
            "varchar", "VARCHAR",
            "_varchar", "VARCHAR[]",
            "timestamp", "TIMESTAMP",
            "json", "JSON",
            "float8", "DOUBLE",
            "int4", "INTEGER",
            "int8", "BIGINT");

    @TempDir
    Path dataDir;

    @Test
    void bothCataloguesHoldTheSameMetadataTablesAndColumns() {
        var postgres = MetadataEngine.server();
        try (var duckDb = DuckDbDatabase.open(dataDir);
                var postgresql = PostgresDatabase.open(postgres.createDatabase())) {
            Map<String, List<String>> duckDbTables = columns(duckDb, "data_type");
            Map<String, List<String>> postgresTables = columns(postgresql, "udt_name");
            duckDbTables.keySet().removeAll(EVENT_TABLES);

            assertThat(postgresTables)
                    .as("the metadata tables of db/postgresql against those of db/migration")
                    .isNotEmpty()
                    .isEqualTo(duckDbTables);
            assertThat(keys(postgresql))
                    .as("the primary and unique keys")
                    .isEqualTo(keys(duckDb).entrySet().stream()
                            .filter(entry ->
                                    !EVENT_TABLES.contains(entry.getKey().split("\\.")[0]))
                            .collect(
                                    TreeMap::new,
                                    (map, entry) -> map.put(entry.getKey(), entry.getValue()),
                                    Map::putAll));
            assertThat(version(postgresql))
                    .as("the newest migration of db/postgresql against that of db/migration")
                    .isEqualTo(version(duckDb))
                    .isNotEmpty();
        }
    }

    /** Each table's columns, in order, as "name type NULL|NOT NULL". */
    private static Map<String, List<String>> columns(MetadataDatabase database, String typeColumn) {
        Map<String, List<String>> tables = new TreeMap<>();
        database.select(
                "the catalogue",
                rows -> {
                    String table = rows.getString(1);
                    if (FLYWAY_TABLES.contains(table)) {
                        return;
                    }
                    String type = rows.getString(3);
                    if (typeColumn.equals("udt_name")) {
                        type = POSTGRES_TYPES.getOrDefault(type, "unexpected type " + type);
                    }
                    String nullable = "YES".equals(rows.getString(4)) ? "NULL" : "NOT NULL";
                    tables.computeIfAbsent(table, key -> new ArrayList<>())
                            .add(rows.getString(2) + " " + type + " " + nullable);
                },
                "SELECT table_name, column_name, " + typeColumn + ", is_nullable FROM information_schema.columns"
                        + " WHERE table_schema = ? ORDER BY table_name, ordinal_position",
                database.dialect().schema());
        return tables;
    }

    /** Each table's primary and unique keys, as "table.PRIMARY KEY|UNIQUE" to their columns in order. */
    private static TreeMap<String, List<String>> keys(MetadataDatabase database) {
        TreeMap<String, List<String>> keys = new TreeMap<>();
        database.select(
                "the catalogue's keys",
                rows -> {
                    if (!FLYWAY_TABLES.contains(rows.getString(1))) {
                        keys.computeIfAbsent(rows.getString(1) + "." + rows.getString(2), key -> new ArrayList<>())
                                .add(rows.getString(3));
                    }
                },
                """
                SELECT c.table_name, c.constraint_type, k.column_name
                FROM information_schema.table_constraints c
                JOIN information_schema.key_column_usage k
                    ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
                    AND k.table_name = c.table_name
                WHERE c.table_schema = ? AND c.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
                ORDER BY c.table_name, c.constraint_type, k.ordinal_position""",
                database.dialect().schema());
        return keys;
    }

    private static String version(MetadataDatabase database) {
        String[] version = {""};
        database.select(
                "the schema version",
                rows -> version[0] = rows.getString(1),
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1");
        return version[0];
    }
}
