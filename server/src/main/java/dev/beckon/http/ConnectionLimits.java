package dev.beckon.http;

import dev.beckon.config.ConfigException;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * How the HTTP server keeps slow and numerous clients from starving the others (docs/operations.md,
 * "Slow and numerous clients").
 *
 * <p>Requests run on virtual threads and Jetty reads sockets without blocking, so a client that
 * trickles bytes costs a connection, not a thread. What is bounded, then, is connections: a
 * connection that sends nothing for {@code idleTimeout} is closed; a request body that arrives
 * slower than {@code minRequestBytesPerSecond} is cut off; one remote address holds at most
 * {@code maxConnectionsPerAddress} connections (more are closed as they open); and past {@code
 * maxConnections} in all the server stops accepting until some close, so that it never runs out of
 * file descriptors.
 *
 * @param maxConnections connections open at once, in all ({@code BECKON_MAX_CONNECTIONS})
 * @param maxConnectionsPerAddress connections open at once from one remote address ({@code
 *     BECKON_MAX_CONNECTIONS_PER_ADDRESS}); behind a reverse proxy, every client shares its address
 * @param idleTimeout how long a connection may send nothing before it is closed
 * @param minRequestBytesPerSecond the slowest request body that is read to its end
 */
public record ConnectionLimits(
        int maxConnections, int maxConnectionsPerAddress, Duration idleTimeout, long minRequestBytesPerSecond) {

    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MIN_REQUEST_BYTES_PER_SECOND = 1024;

    public static final ConnectionLimits DEFAULT = new ConnectionLimits(
            DEFAULT_MAX_CONNECTIONS,
            DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            DEFAULT_IDLE_TIMEOUT,
            DEFAULT_MIN_REQUEST_BYTES_PER_SECOND);

    /**
     * Reads {@code BECKON_MAX_CONNECTIONS} and {@code BECKON_MAX_CONNECTIONS_PER_ADDRESS}; the rest
     * keep their defaults.
     *
     * @throws ConfigException when one is not a whole number from 1 to 1,000,000
     */
    public static ConnectionLimits fromEnvironment(Map<String, String> env) {
        return new ConnectionLimits(
                count(env, "BECKON_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS),
                count(env, "BECKON_MAX_CONNECTIONS_PER_ADDRESS", DEFAULT_MAX_CONNECTIONS_PER_ADDRESS),
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MIN_REQUEST_BYTES_PER_SECOND);
    }

    /** Applies the limits to the Jetty server that Javalin creates. */
    public void apply(JavalinConfig javalin) {
        javalin.jetty.modifyHttpConfiguration(http -> http.setMinRequestDataRate(minRequestBytesPerSecond));
        javalin.jetty.modifyServer(this::limit);
    }

    private void limit(Server server) {
        server.addBean(new NetworkConnectionLimit(maxConnections, server));
        // Javalin adds its connector when it starts the server, so the connector is set up then.
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    if (connector instanceof AbstractConnector c) {
                        c.setIdleTimeout(idleTimeout.toMillis());
                        c.addBean(new ConnectionsPerAddress(maxConnectionsPerAddress));
                    }
                }
            }
        });
    }

    private static int count(Map<String, String> env, String variable, int defaultValue) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int count = Integer.parseInt(value.strip());
            if (count >= 1 && count <= 1_000_000) {
                return count;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw new ConfigException(variable + " must be a number of connections from 1 to 1000000, not '" + value + "'");
    }
}
