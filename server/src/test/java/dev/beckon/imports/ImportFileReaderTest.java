package dev.beckon.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The import file format: the header, every reason a row is rejected, and hostile CSV. */
class ImportFileReaderTest {

    /** What a file was read into. */
    record Read(ImportHeader header, List<ImportRow> kept, List<String> rejected) {

        List<String> keptIds() {
            return kept.stream().map(ImportRow::userId).toList();
        }
    }

    private static Read read(byte[] file) {
        return read(file, ImportLimits.DEFAULT);
    }

    private static Read read(byte[] file, ImportLimits limits) {
        List<ImportRow> kept = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        ImportHeader[] header = {null};
        new ImportFileReader(limits).read(new ByteArrayInputStream(file), new ImportFileReader.Rows() {
            @Override
            public void header(ImportHeader h) {
                header[0] = h;
            }

            @Override
            public void kept(ImportRow row) {
                kept.add(row);
            }

            @Override
            public void rejected(long line, String reason) {
                rejected.add(line + ": " + reason);
            }
        });
        return new Read(header[0], kept, rejected);
    }

    private static Read read(String file) {
        return read(file.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(String file, String message) {
        assertThatThrownBy(() -> read(file))
                .isInstanceOf(ImportFileException.class)
                .hasMessage(message);
    }

    @Test
    void typedColumnsBecomeJsonValuesOfTheirType() {
        Read read = read("userId,plan,age:number,paid:boolean,signedUp:date,a:b:string\n"
                + "ann,pro,24,TRUE,2026-03-01,x\n"
                + "bob,,-1.5e2, false ,2026-03-01T10:00:00+02:00,\n");

        assertThat(read.rejected()).isEmpty();
        assertThat(read.kept().get(0).properties().toString())
                .isEqualTo("{\"plan\":\"pro\",\"age\":24,\"paid\":true,\"signedUp\":\"2026-03-01\",\"a:b\":\"x\"}");
        assertThat(read.kept().get(1).properties().toString())
                .isEqualTo("{\"age\":-1.5E+2,\"paid\":false,\"signedUp\":\"2026-03-01T10:00:00+02:00\"}");
    }

    @Test
    void everyKindOfBadRowIsRejectedWithItsLineAndReasonAndTheGoodRowsAreKept() {
        String longId = "u".repeat(257);
        String longCell = "p".repeat(1001);
        byte[] file = concat(
                "userId,plan,age:number,paid:boolean,signedUp:date\n",
                "ann,pro,1,true,2026-01-01\n",
                "bob,pro,1\n",
                "carl,pro,1,true,2026-01-01,extra\n",
                ",pro,1,true,2026-01-01\n",
                longId + ",pro,1,true,2026-01-01\n",
                "\"d\u0007n\",pro,1,true,2026-01-01\n",
                "eve,pro,ten,true,2026-01-01\n",
                "fay,pro,1,yes,2026-01-01\n",
                "gus,pro,1,true,2026-02-30\n",
                "hal,pro,1,true,2026-01-01T10:00:00\n",
                "ida," + longCell + ",1,true,2026-01-01\n",
                "userId,plan,age:number,paid:boolean,signedUp:date\n");
        file = concat(new String(file, StandardCharsets.UTF_8), "jo");
        file = concat(
                file, new byte[] {(byte) 0xC3, 0x28}, ",pro,1,true,2026-01-01\n".getBytes(StandardCharsets.UTF_8));
        file = concat(
                file, "kim,pro,NaN,true,2026-01-01\nlea,=1+1,2,false,2026-01-02\n".getBytes(StandardCharsets.UTF_8));

        Read read = read(file);

        assertThat(read.keptIds()).containsExactly("ann", "lea");
        assertThat(read.kept().get(1).properties().get("plan").asText()).isEqualTo("=1+1");
        assertThat(read.rejected())
                .containsExactly(
                        "3: has 3 cells; the header has 5",
                        "4: has 6 cells; the header has 5",
                        "5: userId: must not be empty",
                        "6: userId: must be at most 256 characters; it has 257",
                        "7: userId: must not contain control characters or unpaired surrogates",
                        "8: age (number): 'ten' is not a number such as 42, -1.5 or 2e3",
                        "9: paid (boolean): 'yes' is not true or false",
                        "10: signedUp (date): '2026-02-30' is not a day such as 2026-03-01 or a time with an offset"
                                + " such as 2026-03-01T10:00:00Z",
                        "11: signedUp (date): '2026-01-01T10:00:00' is not a day such as 2026-03-01 or a time with"
                                + " an offset such as 2026-03-01T10:00:00Z",
                        "12: plan (string): has 1001 characters; at most 1000",
                        "13: repeats the header row",
                        "14: is not valid UTF-8",
                        "15: age (number): 'NaN' is not a number such as 42, -1.5 or 2e3");
    }

    @Test
    void aBadHeaderStopsTheFileWithWhatToChange() {
        refused("plan\nann\n", "the header has no column named userId; name the custom user id column so");
        refused("userId,plan,plan:number\n", "column 3 of the header repeats the name 'plan' of column 2; rename one");
        refused("userId,userId\n", "column 2 of the header repeats the name 'userId' of column 1; rename one");
        refused(
                "userId,age:int\n",
                "column 2 of the header has the type 'int'; use string, number, boolean or date"
                        + " (write a name that holds ':' as name:string)");
        refused("userId,,x\n", "column 2 of the header has no name; give every column a name");
        refused("userId:string\n", "column 1 of the header is the userId column; write it as userId, without a type");
        refused("", "the file is empty; its first row must be a header with userId");
        refused("\n\n", "the file is empty; its first row must be a header with userId");
        String wide = "userId," + String.join(",", java.util.Collections.nCopies(51, "p")) + "\n";
        refused(wide, "the header has 52 columns; at most 51 are allowed");
    }

    @Test
    void byteOrderMarkMixedLineEndsQuotesAndBlankLinesAreReadAsCsvAndLinesCountedFromTheFile() {
        Read read = read("\uFEFFuserId,note\r\nann,\"two\r\nlines\"\n\nbob,\"say \"\"hi\"\"\"\rcarl,x\r\nbad\n");

        assertThat(read.header().userIdColumn()).isZero();
        assertThat(read.keptIds()).containsExactly("ann", "bob", "carl");
        assertThat(read.kept().stream().map(ImportRow::line)).containsExactly(2L, 5L, 6L);
        assertThat(read.kept().get(0).properties().get("note").asText()).isEqualTo("two\r\nlines");
        assertThat(read.kept().get(1).properties().get("note").asText()).isEqualTo("say \"hi\"");
        assertThat(read.rejected()).containsExactly("7: has 1 cells; the header has 2");
    }

    @Test
    void oddUnicodeScriptAndSqlInIdsAreKeptAsTheyAre() {
        String ids = "<script>alert(1)</script>\n'; DROP TABLE events; --\n\"a\"\"b\"\nZ\u0301oe\n\uD83D\uDE00\n"
                + "\u202Eevil\n  spaced  \n";

        Read read = read("userId\n" + ids);

        assertThat(read.keptIds())
                .containsExactly(
                        "<script>alert(1)</script>",
                        "'; DROP TABLE events; --",
                        "a\"b",
                        "Z\u0301oe",
                        "\uD83D\uDE00",
                        "\u202Eevil",
                        "  spaced  ");
    }

    @Test
    void aQuoteThatIsNeverClosedStopsTheFileAtTheRecordLimitWithTheRowsBeforeKept() {
        var limits = new ImportLimits(1 << 30, 1_000_000, 51, 1000, 64 * 1024);
        String file = "userId\nann\n\"bob\n" + "x\n".repeat(100_000);
        List<ImportRow> kept = new ArrayList<>();

        assertThatThrownBy(() -> new ImportFileReader(limits)
                        .read(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), collecting(kept)))
                .isInstanceOf(ImportFileException.class)
                .hasMessage("a record starting at this line is longer than 65536 characters; most likely a quote is"
                        + " not closed")
                .extracting(e -> ((ImportFileException) e).line())
                .isEqualTo(3L);
        assertThat(kept).extracting(ImportRow::userId).containsExactly("ann");
    }

    @Test
    void anUnclosedQuoteAtTheEndAndTextAfterAClosingQuoteAreRead() {
        Read read = read("userId,note\n\"ann\"x,ok\nbob,\"open");

        assertThat(read.keptIds()).containsExactly("annx", "bob");
        assertThat(read.kept().get(1).properties().get("note").asText()).isEqualTo("open");
    }

    @Test
    void moreRowsThanTheLimitStopTheFileAfterKeepingTheRowsWithin() {
        var limits = new ImportLimits(1 << 30, 2, 51, 1000, 64 * 1024);
        List<ImportRow> kept = new ArrayList<>();

        assertThatThrownBy(() -> new ImportFileReader(limits)
                        .read(
                                new ByteArrayInputStream("userId\na\nb\nc\n".getBytes(StandardCharsets.UTF_8)),
                                collecting(kept)))
                .hasMessage("the file has more than 2 rows; split it into smaller files");
        assertThat(kept).extracting(ImportRow::userId).containsExactly("a", "b");
    }

    private static ImportFileReader.Rows collecting(List<ImportRow> kept) {
        return new ImportFileReader.Rows() {
            @Override
            public void header(ImportHeader header) {}

            @Override
            public void kept(ImportRow row) {
                kept.add(row);
            }

            @Override
            public void rejected(long line, String reason) {}
        };
    }

    private static byte[] concat(String... parts) {
        return String.join("", parts).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
