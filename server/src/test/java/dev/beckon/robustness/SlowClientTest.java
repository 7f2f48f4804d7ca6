package dev.beckon.robustness;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.TestServer;
import dev.beckon.http.ConnectionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and numerous clients do not starve the others: a client that trickles its body is cut off
 * while others are answered at once, and one address opening connections without end is held to
 * its share while another address is still served.
 */
class SlowClientTest {

    /** Any answer slower than this, on an idle machine, means a client was kept waiting. */
    private static final Duration PROMPT = Duration.ofSeconds(3);

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void clientTricklingItsBodyIsCutOffWhileOthersAreServed() throws Exception {
        var trickling = new AtomicBoolean(true);
        var closedEarly = new AtomicBoolean();
        Thread slow = Thread.ofVirtual().start(() -> closedEarly.set(trickle(trickling)));
        try {
            Thread.sleep(300);

            for (int i = 0; i < 20; i++) {
                assertAnsweredPromptly(client("127.0.0.1"));
            }

            slow.join(Duration.ofSeconds(20));
            assertThat(closedEarly.get())
                    .as("the server cut off a body sent at 5 bytes per second")
                    .isTrue();
        } finally {
            trickling.set(false);
        }
    }

    @Test
    void oneAddressOpeningManyConnectionsLeavesOtherAddressesServed() throws Exception {
        int flood = ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS * 3;
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < flood; i++) {
                sockets.add(openWithPartialHeaders("127.0.0.1"));
            }

            for (int i = 0; i < 20; i++) {
                assertAnsweredPromptly(client("127.0.0.2"));
            }

            Thread.sleep(500);
            long closed =
                    sockets.stream().filter(SlowClientTest::isClosedByServer).count();
            assertThat(closed).isGreaterThanOrEqualTo(flood - ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void connectionsThatWereClosedNoLongerCountAgainstTheirAddress() throws Exception {
        int many = ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS * 2;
        for (int i = 0; i < many; i++) {
            try (var socket = new Socket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
                socket.connect(new InetSocketAddress("127.0.0.1", port()), 2_000);
                socket.setSoTimeout((int) PROMPT.toMillis());
                socket.getOutputStream()
                        .write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer)
                        .as("connection %d of %d, one at a time", i + 1, many)
                        .startsWith("HTTP/1.1 200");
            }
        }
    }

    /** Sends headers, then a byte every 200 ms; returns whether the server closed or answered early. */
    private static boolean trickle(AtomicBoolean going) {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /ingest/demo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: 100000\r\n\r\n{\"events\":[")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int sent = 0; going.get() && sent < 100; sent++) {
                out.write(' ');
                out.flush();
                try {
                    in.read();
                    return true; // an answer (an error status) or the end of the stream
                } catch (SocketTimeoutException e) {
                    // nothing from the server yet: go on trickling
                }
            }
            return false;
        } catch (IOException e) {
            return true; // the server reset the connection
        }
    }

    private static Socket openWithPartialHeaders(String localAddress) throws IOException {
        var socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port()), 2_000);
        socket.getOutputStream()
                .write("POST /ingest/demo HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static boolean isClosedByServer(Socket socket) {
        try {
            socket.setSoTimeout(5);
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void assertAnsweredPromptly(HttpClient client) throws Exception {
        ObjectNode e = event("PROMPT");
        e.put("deviceId", "d-" + e.get("id").asText());
        var request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ingest/demo"))
                .timeout(PROMPT)
                .POST(HttpRequest.BodyPublishers.ofString(batch(e)))
                .build();
        long start = System.nanoTime();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
    }

    private static HttpClient client(String localAddress) throws IOException {
        return HttpClient.newBuilder()
                .localAddress(InetAddress.getByName(localAddress))
                .connectTimeout(PROMPT)
                .build();
    }

    private static int port() {
        return URI.create(server.baseUrl()).getPort();
    }
}
