package dev.beckon.scaleout.move;

import dev.beckon.store.MetadataDatabase;
import dev.beckon.store.StoreException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Copies the metadata tables from the embedded store into PostgreSQL, or finds that an earlier move
 * copied them already.
 *
 * <p>Which tables and columns: those of PostgreSQL's catalogue after its migrations, which hold the
 * same metadata tables as DuckDB's at the same schema version (the events tables stay out; {@code
 * MetadataSchemaTest} holds the two catalogues equal). So a table that a later migration adds is
 * moved without a change here.
 *
 * <p>All tables are copied in one PostgreSQL transaction: an interrupted copy leaves nothing, and
 * a database holds either none of the store's metadata or all of it. The next run tells which by
 * counting, and then by comparing every row, in key order, with the store's; a database that holds
 * anything else is refused, with the first table and row that differ. Values are read and bound by
 * their column's type, so text (JSON included) goes over unchanged; PostgreSQL cannot hold a NUL
 * character in text, and a value with one stops the move naming its table, row and column.
 */
final class MetadataCopy {

    /** Rows sent to PostgreSQL in one batch of statements. */
    static final int ROWS_PER_BATCH = 1_000;

    private static final String FLYWAY_TABLE = "flyway_schema_history";

    /** A column, with its type as PostgreSQL's catalogue names it ({@code udt_name}). */
    record Column(String name, String type) {

        boolean isText() {
            return type.equals("varchar") || type.equals("json");
        }
    }

    /** A metadata table: its columns in order, and the columns that order its rows (its key). */
    record Table(String name, List<Column> columns, List<String> order) {

        String columnList() {
            return columns.stream().map(Column::name).collect(Collectors.joining(", "));
        }
    }

    private final EmbeddedSource source;
    private final MetadataDatabase target;
    private final List<Table> tables;

    MetadataCopy(EmbeddedSource source, MetadataDatabase target) {
        this.source = source;
        this.target = target;
        this.tables = tables(target);
        requireSameSchema();
    }

    /** The tables that are moved, in the catalogue's order. */
    List<Table> tables() {
        return tables;
    }

    /** How many rows each table holds in the embedded store. */
    Map<String, Long> sourceCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = source.connect();
                Statement statement = connection.createStatement()) {
            for (Table table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table.name())) {
                    rows.next();
                    counts.put(table.name(), rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new MoveException("counting the rows of the embedded store failed: " + e.getMessage(), e);
        }
        return counts;
    }

    /** How many rows each table holds in PostgreSQL. */
    Map<String, Long> targetCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Table table : tables) {
            target.select(
                    "the rows of " + table.name(),
                    rows -> counts.put(table.name(), rows.getLong(1)),
                    "SELECT count(*) FROM " + table.name());
        }
        return counts;
    }

    /**
     * Copies every table when PostgreSQL holds none of their rows; does nothing when it holds exactly
     * the store's rows already (an earlier move's).
     *
     * @return true when it copied, false when the rows were there already
     * @throws MoveException when PostgreSQL holds other rows, naming the first table and row that
     *     differ; or when a value cannot be stored there
     */
    boolean copyOrConfirm(Consumer<String> say) {
        Map<String, Long> there = targetCounts();
        if (there.values().stream().allMatch(count -> count == 0)) {
            copy(say);
            return true;
        }
        Map<String, Long> here = sourceCounts();
        // The tables that hold rows in PostgreSQL first: they say best what the database holds.
        List<Table> filledFirst = new ArrayList<>(tables);
        filledFirst.sort(Comparator.comparing(table -> there.get(table.name()) == 0));
        for (Table table : filledFirst) {
            if (!here.get(table.name()).equals(there.get(table.name()))) {
                throw new MoveException(otherData(table.name() + " holds " + there.get(table.name())
                        + " rows there and " + here.get(table.name()) + " in the embedded store"));
            }
            compare(table);
        }
        say.accept("metadata: PostgreSQL holds every row of the embedded store already (an earlier move's)");
        return false;
    }

    private String otherData(String finding) {
        return "PostgreSQL's database " + target.describe() + " already holds other data: table " + finding
                + ". The move writes into an empty database, or into one that an earlier move of this same"
                + " store filled; give BECKON_POSTGRES_URL a new database";
    }

    private void copy(Consumer<String> say) {
        target.inTransaction("copying the metadata into PostgreSQL", connection -> {
            for (Table table : tables) {
                long rows = copy(table, connection);
                say.accept("metadata: " + table.name() + ", " + rows + " rows copied");
            }
            return null;
        });
    }

    private long copy(Table table, Connection to) throws SQLException {
        String placeholders = table.columns().stream()
                .map(column -> column.type().equals("json") ? "CAST(? AS JSON)" : "?")
                .collect(Collectors.joining(", "));
        long copied = 0;
        try (Connection from = source.connect();
                Statement read = from.createStatement();
                ResultSet rows = read.executeQuery("SELECT " + table.columnList() + " FROM " + table.name());
                PreparedStatement insert = to.prepareStatement("INSERT INTO " + table.name() + " (" + table.columnList()
                        + ") VALUES (" + placeholders + ")")) {
            while (rows.next()) {
                List<Object> row = read(table, rows);
                requireStorable(table, row);
                bind(table, row, insert, to);
                insert.addBatch();
                if (++copied % ROWS_PER_BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return copied;
    }

    /** Reads both sides in key order, and refuses at the first row that differs. */
    private void compare(Table table) {
        String order = table.order().stream()
                .map(name -> isText(table, name) ? name + " COLLATE \"C\"" : name)
                .collect(Collectors.joining(", "));
        String select = "SELECT " + table.columnList() + " FROM " + table.name() + " ORDER BY ";
        try (Connection from = source.connect();
                Statement read = from.createStatement();
                ResultSet here = read.executeQuery(select + String.join(", ", table.order()));
                Connection to = target.connect()) {
            // PostgreSQL streams a result only inside a transaction, a fetch size at a time.
            to.setAutoCommit(false);
            try (Statement readThere = to.createStatement()) {
                readThere.setFetchSize(ROWS_PER_BATCH);
                try (ResultSet there = readThere.executeQuery(select + order)) {
                    long row = 0;
                    while (here.next()) {
                        row++;
                        if (!there.next()) {
                            throw new MoveException(otherData(table.name() + " lacks row " + row));
                        }
                        List<Object> mine = read(table, here);
                        List<Object> theirs = read(table, there);
                        if (!mine.equals(theirs)) {
                            throw new MoveException(otherData(
                                    table.name() + " holds " + key(table, theirs) + " where the embedded store's row "
                                            + row + " in key order is " + key(table, mine)));
                        }
                    }
                }
            } finally {
                to.rollback();
            }
        } catch (SQLException e) {
            throw new MoveException("comparing table " + table.name() + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean isText(Table table, String column) {
        return table.columns().stream().anyMatch(c -> c.name().equals(column) && c.isText());
    }

    /** A row's key columns and values, for a message. */
    private static String key(Table table, List<Object> row) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            if (table.order().contains(table.columns().get(i).name())) {
                parts.add(table.columns().get(i).name() + "=" + quoted(row.get(i)));
            }
        }
        return "the row " + String.join(", ", parts);
    }

    /** A value for a message: text quoted, with its control characters escaped so that a terminal shows them. */
    private static String quoted(Object value) {
        if (!(value instanceof String text)) {
            return String.valueOf(value);
        }
        var out = new StringBuilder("'");
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('\'').toString();
    }

    /** A row's values, each as its type's Java value, so that both databases' rows compare equal. */
    private static List<Object> read(Table table, ResultSet rows) throws SQLException {
        List<Object> row = new ArrayList<>(table.columns().size());
        for (int i = 0; i < table.columns().size(); i++) {
            row.add(value(table.columns().get(i), rows, i + 1));
        }
        return row;
    }

    private static Object value(Column column, ResultSet rows, int index) throws SQLException {
        Object value = switch (column.type()) {
            case "varchar", "json" -> rows.getString(index);
            case "_varchar" -> strings(rows.getArray(index));
            case "timestamp" -> rows.getObject(index, LocalDateTime.class);
            case "int4" -> rows.getInt(index);
            case "int8" -> rows.getLong(index);
            case "float8" -> rows.getDouble(index);
            default ->
                throw new MoveException("column " + column.name() + " has the type " + column.type()
                        + ", which this build cannot move");
        };
        return rows.wasNull() ? null : value;
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        return Arrays.stream((Object[]) array.getArray())
                .map(element -> element == null ? null : element.toString())
                .toList();
    }

    private static void bind(Table table, List<Object> row, PreparedStatement insert, Connection to)
            throws SQLException {
        for (int i = 0; i < row.size(); i++) {
            Column column = table.columns().get(i);
            Object value = row.get(i);
            if (value == null) {
                insert.setNull(i + 1, sqlType(column));
            } else if (value instanceof List<?> list) {
                insert.setArray(i + 1, to.createArrayOf("varchar", list.toArray()));
            } else {
                insert.setObject(i + 1, value);
            }
        }
    }

    private static int sqlType(Column column) {
        return switch (column.type()) {
            case "_varchar" -> Types.ARRAY;
            case "timestamp" -> Types.TIMESTAMP;
            case "int4" -> Types.INTEGER;
            case "int8" -> Types.BIGINT;
            case "float8" -> Types.DOUBLE;
            default -> Types.VARCHAR;
        };
    }

    private static void requireStorable(Table table, List<Object> row) {
        for (int i = 0; i < row.size(); i++) {
            Object value = row.get(i);
            boolean nul = value instanceof String text
                    ? text.indexOf('\0') >= 0
                    : value instanceof List<?> list
                            && list.stream()
                                    .anyMatch(v -> v != null && v.toString().indexOf('\0') >= 0);
            if (nul) {
                throw new MoveException("table " + table.name() + ", " + key(table, row) + ": column "
                        + table.columns().get(i).name() + " holds a NUL character, which PostgreSQL cannot store in"
                        + " text; nothing of the metadata was written");
            }
        }
    }

    /** The metadata tables of PostgreSQL's catalogue, with their columns and keys. */
    private static List<Table> tables(MetadataDatabase target) {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        target.select(
                "the catalogue",
                rows -> columns.computeIfAbsent(rows.getString(1), name -> new ArrayList<>())
                        .add(new Column(rows.getString(2), rows.getString(3))),
                "SELECT table_name, column_name, udt_name FROM information_schema.columns WHERE table_schema = ?"
                        + " AND table_name <> ? ORDER BY table_name, ordinal_position",
                target.dialect().schema(),
                FLYWAY_TABLE);
        Map<String, List<String>> keys = new LinkedHashMap<>();
        target.select(
                "the catalogue's primary keys",
                rows -> keys.computeIfAbsent(rows.getString(1), name -> new ArrayList<>())
                        .add(rows.getString(2)),
                """
                SELECT c.table_name, k.column_name
                FROM information_schema.table_constraints c
                JOIN information_schema.key_column_usage k
                    ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
                    AND k.table_name = c.table_name
                WHERE c.table_schema = ? AND c.constraint_type = 'PRIMARY KEY'
                ORDER BY c.table_name, k.ordinal_position""",
                target.dialect().schema());
        List<Table> tables = new ArrayList<>();
        columns.forEach((name, list) -> {
            // A table without a primary key (the deletion log) is ordered by all of its plain columns.
            List<String> order = keys.getOrDefault(
                    name,
                    list.stream()
                            .filter(column -> !column.type().startsWith("_")
                                    && !column.type().equals("json"))
                            .map(Column::name)
                            .toList());
            tables.add(new Table(name, List.copyOf(list), List.copyOf(order)));
        });
        return tables;
    }

    /** Refuses a store whose schema version or tables are not PostgreSQL's. */
    private void requireSameSchema() {
        String[] there = {""};
        target.select(
                "the schema version",
                rows -> there[0] = rows.getString(1),
                "SELECT version FROM " + FLYWAY_TABLE + " WHERE success ORDER BY installed_rank DESC LIMIT 1");
        String here = "";
        try (Connection connection = source.connect();
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(
                    "SELECT version FROM " + FLYWAY_TABLE + " WHERE success ORDER BY installed_rank DESC LIMIT 1")) {
                if (rows.next()) {
                    here = rows.getString(1);
                }
            }
            if (!Objects.equals(here, there[0])) {
                throw new MoveException("the embedded store is at schema version " + here + ", PostgreSQL at "
                        + there[0] + ": run the move with the Beckon release that last served the embedded store");
            }
            for (Table table : tables) {
                List<String> names = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement("SELECT column_name FROM"
                        + " information_schema.columns WHERE table_schema = 'main' AND table_name = ?"
                        + " ORDER BY ordinal_position")) {
                    query.setString(1, table.name());
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            names.add(rows.getString(1));
                        }
                    }
                }
                List<String> expected =
                        table.columns().stream().map(Column::name).toList();
                if (!names.equals(expected)) {
                    throw new MoveException("table " + table.name() + " has the columns " + names
                            + " in the embedded store and " + expected + " in PostgreSQL; both are at schema version "
                            + here + ", so this build's migrations differ (MetadataSchemaTest should have said so)");
                }
            }
        } catch (SQLException | StoreException e) {
            throw new MoveException("reading the embedded store's schema failed: " + e.getMessage(), e);
        }
    }
}
