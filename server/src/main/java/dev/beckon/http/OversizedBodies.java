package dev.beckon.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * What a route does with a body over its limit before it answers 413. A server that answers while
 * the client is still sending, then closes, makes the client's TCP stack reset the connection, and
 * the client never reads the 413: it sees a broken connection, and retries or gives up without
 * knowing why. So the rest of the body is read and thrown away first, up to {@link #DRAINED_BYTES};
 * a larger body is not worth the bandwidth, and its sender sees the answer only if its stack lets
 * it.
 */
public final class OversizedBodies {

    /** How much of a body over a limit is still read. */
    public static final long DRAINED_BYTES = 8L * 1024 * 1024;

    private OversizedBodies() {}

    /**
     * Reads and discards what is left of {@code in}, when the whole body is within
     * {@link #DRAINED_BYTES}.
     *
     * @param declared the body's {@code Content-Length}, or -1 when it has none
     */
    public static void drain(InputStream in, long declared) throws IOException {
        if (declared > DRAINED_BYTES) {
            return;
        }
        long left = DRAINED_BYTES;
        long skipped;
        while (left > 0 && (skipped = in.skip(left)) > 0) {
            left -= skipped;
        }
    }
}
