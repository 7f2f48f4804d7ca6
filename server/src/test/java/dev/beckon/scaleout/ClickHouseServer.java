package dev.beckon.scaleout;

import dev.beckon.scaleout.clickhouse.ClickHouseSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ClickHouse server: Debian's {@code clickhouse-server}, run as a plain process with a
 * configuration of its own, on free loopback ports, with its data in a temporary folder. Its users
 * are {@code default} without password and {@code beckon} with {@link #PASSWORD}.
 */
public final class ClickHouseServer implements AutoCloseable {

    static final String USER = "beckon";
    static final String PASSWORD = "test-password-5";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final List<Path> PLACES = List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"));

    private static final AtomicBoolean SKIP_LOGGED = new AtomicBoolean();
    private static final Logger log = LoggerFactory.getLogger(ClickHouseServer.class);
    private static ClickHouseServer shared;

    private final Path folder;
    private final Process process;
    private final URI url;

    private ClickHouseServer(Path folder, Process process, URI url) {
        this.folder = folder;
        this.process = process;
        this.url = url;
    }

    /**
     * A server for the tests of other packages (the segment engine's), started on first use and
     * stopped when the JVM exits. Without {@code clickhouse-server} the calling test is skipped with a
     * message saying so, unless the environment variable {@code CI} is set: then it fails.
     */
    public static synchronized ClickHouseServer shared() {
        if (shared == null) {
            Optional<Path> executable = executable();
            if (executable.isEmpty()) {
                String message = "clickhouse-server is not installed: the ClickHouse tests need Debian's package"
                        + " (apt-get install -y clickhouse-server, as ./beckon test does)";
                if (System.getenv("CI") != null) {
                    throw new IllegalStateException(message + ", and CI is set, so they must run");
                }
                if (SKIP_LOGGED.compareAndSet(false, true)) {
                    log.warn("Skipping the ClickHouse tests: {}; CI is not set", message);
                }
                Assumptions.abort(message + "; skipped because CI is not set");
            }
            try {
                shared = start(executable.get());
            } catch (IOException e) {
                throw new IllegalStateException("clickhouse-server did not start: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "clickhouse-test-stop"));
        }
        return shared;
    }

    /** Settings of a database of its own on this server, for one test; created by the schema's migration. */
    public ClickHouseSettings newDatabase(String prefix) {
        return new ClickHouseSettings(url, ScaleOutEngines.uniqueName(prefix), USER, PASSWORD, Duration.ofSeconds(60));
    }

    /** Where {@code clickhouse-server} is installed, if it is. */
    static Optional<Path> executable() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(entry -> !entry.isBlank())
                .map(Path::of);
        return Stream.concat(PLACES.stream(), onPath)
                .map(folder -> folder.resolve("clickhouse-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    static ClickHouseServer start(Path executable) throws IOException {
        Path folder = Files.createTempDirectory("beckon-clickhouse-");
        int httpPort = EngineProcess.freePort();
        int tcpPort = EngineProcess.freePort();
        Path config = folder.resolve("config.xml");
        Files.writeString(config, """
                <?xml version="1.0"?>
                <yandex>
                    <logger>
                        <level>warning</level>
                        <log>%1$s/server.log</log>
                        <errorlog>%1$s/server.err.log</errorlog>
                        <size>10M</size>
                        <count>1</count>
                    </logger>
                    <listen_host>127.0.0.1</listen_host>
                    <http_port>%2$d</http_port>
                    <tcp_port>%3$d</tcp_port>
                    <path>%1$s/data/</path>
                    <tmp_path>%1$s/tmp/</tmp_path>
                    <user_files_path>%1$s/user_files/</user_files_path>
                    <format_schema_path>%1$s/format_schemas/</format_schema_path>
                    <mark_cache_size>268435456</mark_cache_size>
                    <uncompressed_cache_size>268435456</uncompressed_cache_size>
                    <max_concurrent_queries>32</max_concurrent_queries>
                    <users_config>users.xml</users_config>
                    <default_profile>default</default_profile>
                    <default_database>default</default_database>
                    <timezone>UTC</timezone>
                </yandex>
                """.formatted(folder, httpPort, tcpPort));
        Files.writeString(folder.resolve("users.xml"), """
                <?xml version="1.0"?>
                <yandex>
                    <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
                    <users>
                        <default>
                            <password></password>
                            <networks><ip>127.0.0.1</ip></networks>
                            <profile>default</profile>
                            <quota>default</quota>
                        </default>
                        <%1$s>
                            <password>%2$s</password>
                            <networks><ip>127.0.0.1</ip></networks>
                            <profile>default</profile>
                            <quota>default</quota>
                        </%1$s>
                    </users>
                    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
                        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
                    </interval></default></quotas>
                </yandex>
                """.formatted(USER, PASSWORD));

        Path log = folder.resolve("stdout.log");
        Process process = EngineProcess.start(List.of(executable.toString(), "--config-file=" + config), log);
        var server = new ClickHouseServer(folder, process, URI.create("http://127.0.0.1:" + httpPort + "/"));
        try {
            server.awaitReady(log);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        var ping = HttpRequest.newBuilder(url.resolve("/ping"))
                .timeout(Duration.ofSeconds(2))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("clickhouse-server exited during start:\n" + EngineProcess.tail(log)
                            + "\n" + EngineProcess.tail(folder.resolve("server.err.log")));
                }
                try {
                    if (client.send(ping, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException e) {
                    EngineProcess.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException("clickhouse-server did not answer within " + START_TIMEOUT.toSeconds() + " s");
    }

    /** The HTTP interface. */
    URI url() {
        return url;
    }

    /** Stops the server and deletes its folder. */
    @Override
    public void close() {
        EngineProcess.kill(process);
        EngineProcess.deleteTree(folder);
    }
}
