package dev.beckon.robustness;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.beckon.identity.SubjectIds;
import dev.beckon.imports.ImportFileException;
import dev.beckon.imports.ImportFileReader;
import dev.beckon.imports.ImportHeader;
import dev.beckon.imports.ImportLimits;
import dev.beckon.imports.ImportRow;
import java.io.ByteArrayInputStream;

/**
 * Coverage-guided fuzzing of the import file reader with Jazzer: any bytes are read row by row, or
 * stopped with an {@link ImportFileException} that gives a line and a reason. Every kept row has a
 * custom user id that ingestion would store and no more properties than the header has columns,
 * and lines only go forward. Any other exception, or a hang, fails the test. The limits are small,
 * so that the fuzzer reaches them. Bounded in time under {@code mvn verify}, like the other fuzz
 * tests.
 */
class ImportFileReaderFuzzTest {

    private static final ImportLimits SMALL = new ImportLimits(1 << 20, 200, 8, 64, 4096);

    @FuzzTest(maxDuration = "30s")
    void anyFileIsReadOrStoppedWithAReason(byte[] file) {
        var rows = new Checked();
        try {
            new ImportFileReader(SMALL).read(new ByteArrayInputStream(file), rows);
        } catch (ImportFileException e) {
            if (e.getMessage() == null || e.getMessage().isBlank() || e.line() < 1) {
                throw new AssertionError("a stop without a line or a reason", e);
            }
        }
    }

    /** Checks each row as it is handed on. */
    private static final class Checked implements ImportFileReader.Rows {

        private ImportHeader header;
        private long lastLine;

        @Override
        public void header(ImportHeader header) {
            if (this.header != null) {
                throw new AssertionError("a second header");
            }
            this.header = header;
        }

        @Override
        public void kept(ImportRow row) {
            forward(row.line());
            SubjectIds.user(row.userId());
            if (header == null || row.properties().size() > header.properties().size()) {
                throw new AssertionError("a row with more properties than columns at line " + row.line());
            }
        }

        @Override
        public void rejected(long line, String reason) {
            forward(line);
            if (reason == null || reason.isBlank()) {
                throw new AssertionError("a rejection without a reason at line " + line);
            }
        }

        private void forward(long line) {
            if (line <= lastLine || line < 2) {
                throw new AssertionError("line " + line + " after line " + lastLine);
            }
            lastLine = line;
        }
    }
}
