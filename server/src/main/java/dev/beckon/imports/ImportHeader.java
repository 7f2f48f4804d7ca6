package dev.beckon.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first row of an import file: exactly one {@code userId} column, and property columns named
 * {@code name} or {@code name:type}. The last {@code :} of a header cell splits off the type, which
 * must be one of {@link PropertyType}'s labels; a name that itself holds a {@code :} is written
 * with its type ({@code a:b:string}). A column named {@code deviceId} is ignored: it is the second
 * column of a members export, which can so be imported into a cohort as it is.
 *
 * @param cells the header as written, for recognising a repeated header row
 * @param userIdColumn the index of the {@code userId} column
 * @param properties the property columns, in file order
 */
public record ImportHeader(List<String> cells, int userIdColumn, List<PropertyColumn> properties) {

    public static final String USER_ID = "userId";
    /** A column of this name is read past, so that a members export can be imported as it is. */
    public static final String DEVICE_ID = "deviceId";

    /** A property column: its index in a row, its name and type. */
    public record PropertyColumn(int index, String name, PropertyType type) {}

    public ImportHeader {
        cells = List.copyOf(cells);
        properties = List.copyOf(properties);
    }

    /**
     * Reads a header row.
     *
     * @throws ImportFileException naming the column at fault and what to write instead
     */
    public static ImportHeader parse(List<String> cells, ImportLimits limits) {
        if (cells.size() > limits.maxColumns()) {
            throw new ImportFileException(
                    1, "the header has " + cells.size() + " columns; at most " + limits.maxColumns() + " are allowed");
        }
        int userIdColumn = -1;
        List<PropertyColumn> properties = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String where = "column " + (i + 1) + " of the header";
            if (cell.indexOf(ImportFileReader.NOT_UTF_8) >= 0) {
                throw new ImportFileException(1, where + " is not valid UTF-8");
            }
            String name = cell.equals(USER_ID) ? USER_ID : nameOf(cell, where);
            if (name.equals(USER_ID) && !cell.equals(USER_ID)) {
                throw new ImportFileException(1, where + " is the userId column; write it as userId, without a type");
            }
            Integer earlier = seen.putIfAbsent(name, i);
            if (earlier != null) {
                throw new ImportFileException(
                        1, where + " repeats the name '" + name + "' of column " + (earlier + 1) + "; rename one");
            }
            if (cell.equals(USER_ID)) {
                userIdColumn = i;
            } else if (!cell.equals(DEVICE_ID)) {
                properties.add(new PropertyColumn(i, name, typeOf(cell, where)));
            }
        }
        if (userIdColumn < 0) {
            throw new ImportFileException(
                    1, "the header has no column named userId; name the custom user id column so");
        }
        return new ImportHeader(cells, userIdColumn, properties);
    }

    private static String nameOf(String cell, String where) {
        int colon = cell.lastIndexOf(':');
        String name = colon < 0 ? cell : cell.substring(0, colon);
        if (name.isEmpty()) {
            throw new ImportFileException(1, where + " has no name; give every column a name");
        }
        if (name.length() > ImportLimits.MAX_COLUMN_NAME_LENGTH) {
            throw new ImportFileException(
                    1,
                    where + " has a name of " + name.length() + " characters; at most "
                            + ImportLimits.MAX_COLUMN_NAME_LENGTH);
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new ImportFileException(1, where + " has a control character in its name");
        }
        return name;
    }

    private static PropertyType typeOf(String cell, String where) {
        int colon = cell.lastIndexOf(':');
        if (colon < 0) {
            return PropertyType.STRING;
        }
        String label = cell.substring(colon + 1);
        return PropertyType.ofLabel(label)
                .orElseThrow(() -> new ImportFileException(
                        1,
                        where + " has the type '" + label + "'; use string, number, boolean or date"
                                + " (write a name that holds ':' as name:string)"));
    }

    /** How many cells each row must have. */
    public int width() {
        return cells.size();
    }
}
