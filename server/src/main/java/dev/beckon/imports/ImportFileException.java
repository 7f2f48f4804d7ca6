package dev.beckon.imports;

/**
 * A problem that stops an import file from being read further: a bad header, a record longer than
 * the limit, more rows than the limit. The rows read before it are kept. The message is safe to
 * show and says what to change.
 */
public final class ImportFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long line;

    public ImportFileException(long line, String message) {
        super(message, null, false, false);
        this.line = line;
    }

    /** The line of the file where reading stopped, from 1. */
    public long line() {
        return line;
    }
}
