package dev.beckon.store;

/**
 * The store could not do what was asked, for a reason that is not the caller's input: the disk is
 * full, the data folder is not writable, the database file is damaged. Nothing of the failed call
 * was kept; the caller may retry later.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
