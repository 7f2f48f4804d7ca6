package dev.beckon.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a new connection when its remote address already holds {@code max} open ones, so that one
 * client opening connections without end cannot use up the server's share for everyone. The
 * client sees the connection closed before any answer, as when a server is overloaded.
 *
 * <p>Each connection is counted under the address it had when it opened: a closed end point no
 * longer knows its remote address, so {@link #onClosed} looks the address up instead of asking.
 */
final class ConnectionsPerAddress implements Connection.Listener {

    private static final Logger log = LoggerFactory.getLogger(ConnectionsPerAddress.class);

    private final int max;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final Map<Connection, String> addresses = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    ConnectionsPerAddress(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        String address = address(connection.getEndPoint().getRemoteSocketAddress());
        addresses.put(connection, address);
        int count = open.merge(address, 1, Integer::sum);
        if (count > max) {
            if (refused.getAndIncrement() % 1_000 == 0) {
                log.warn(
                        "Closed a connection from {}: it already holds {} (BECKON_MAX_CONNECTIONS_PER_ADDRESS);"
                                + " {} closed so far",
                        address,
                        max,
                        refused.get());
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        String address = addresses.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
        }
    }

    private static String address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(remote);
    }
}
