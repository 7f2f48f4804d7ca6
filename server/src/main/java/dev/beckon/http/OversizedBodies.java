package dev.beckon.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

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
     * The body of at most {@code limit} bytes, with or without a {@code Content-Length}; empty when
     * it is larger, once the rest has been drained, so the caller answers 413 to a client that can
     * read it. No more than one byte past the limit is ever held in memory.
     *
     * @param declared the body's {@code Content-Length}, or -1 when it has none
     */
    public static Optional<byte[]> readAtMost(InputStream in, long declared, int limit) throws IOException {
        if (declared > limit) {
            drain(in, declared);
            return Optional.empty();
        }
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            drain(in, -1);
            return Optional.empty();
        }
        return Optional.of(body);
    }

    /** Reads and discards what is left of {@code in}, when the whole body is within {@link #DRAINED_BYTES}. */
    private static void drain(InputStream in, long declared) throws IOException {
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
