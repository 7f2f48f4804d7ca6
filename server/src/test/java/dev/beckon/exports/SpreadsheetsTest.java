package dev.beckon.exports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpreadsheetsTest {

    @Test
    void cellsThatASpreadsheetWouldRunGetAQuoteInFront() {
        for (String formula : new String[] {
            "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\rx", "  =cmd", "\n=1", " \t+x", "=HYPERLINK(\"http://x\")"
        }) {
            assertThat(Spreadsheets.neutralised(formula)).as(formula).isEqualTo("'" + formula);
        }
    }

    @Test
    void otherCellsAreLeftAlone() {
        for (String text : new String[] {"", "ann", "a=b", "1-2", "'=x", "   ", "ann@example.com", "\uFF1D1"}) {
            assertThat(Spreadsheets.neutralised(text)).as(text).isEqualTo(text);
        }
    }
}
