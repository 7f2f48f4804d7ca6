package dev.beckon.segment;

/** A segment definition that cannot be used. The message names the condition's path and what is wrong. */
public final class InvalidConditionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidConditionException(String path, String problem) {
        super(path + ": " + problem, null, false, false);
    }
}
