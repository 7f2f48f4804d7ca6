package dev.beckon.exports;

/**
 * Keeps a spreadsheet from running a CSV cell as a formula. A text cell is neutralised, by a single
 * quote put before it, when it starts with {@code =}, {@code +}, {@code -} or {@code @}, also after
 * leading white space, or with a tab or a carriage return. The quote shows in the sheet, and the
 * cell reads as text. Numbers, booleans and times are written as values and never neutralised.
 */
public final class Spreadsheets {

    private Spreadsheets() {}

    /** The cell as a spreadsheet may safely open it. */
    public static String neutralised(String cell) {
        return isFormula(cell) ? "'" + cell : cell;
    }

    /** Whether a spreadsheet could take the cell for a formula. */
    public static boolean isFormula(String cell) {
        if (cell.isEmpty()) {
            return false;
        }
        char first = cell.charAt(0);
        if (first == '\t' || first == '\r') {
            return true;
        }
        int i = 0;
        while (i < cell.length() && Character.isWhitespace(cell.charAt(i))) {
            i++;
        }
        if (i == cell.length()) {
            return false;
        }
        char c = cell.charAt(i);
        return c == '=' || c == '+' || c == '-' || c == '@';
    }
}
