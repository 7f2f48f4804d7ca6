package dev.beckon.scaleout.move;

/**
 * The move refused to start, or stopped: the message is for the operator, and names what was found
 * (a held file, a table that holds other data, a count that differs). What was written before it
 * stays written; a second run over the same target finishes the job (docs/scale-out.md, "Moving an
 * embedded installation").
 */
public final class MoveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MoveException(String message) {
        super(message);
    }

    public MoveException(String message, Throwable cause) {
        super(message, cause);
    }
}
