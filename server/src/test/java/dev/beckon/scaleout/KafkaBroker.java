package dev.beckon.scaleout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), run from
 * the Maven jars of {@code kafka_2.13} in a JVM of its own with a 512 MB heap, on free loopback
 * ports, with its log folder in a temporary folder (docs/scale-out.md, "Tests").
 */
final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> JVM_OPTIONS =
            List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");

    private final Path folder;
    private final Process process;
    private final String bootstrapServers;

    private KafkaBroker(Path folder, Process process, String bootstrapServers) {
        this.folder = folder;
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    static KafkaBroker start() throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("beckon-kafka-");
        int brokerPort = EngineProcess.freePort();
        int controllerPort = EngineProcess.freePort();
        Path properties = folder.resolve("server.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        List.of(
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:"
                                        + controllerPort,
                                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=PLAINTEXT",
                                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                                "log.dirs=" + folder.resolve("logs"),
                                "num.partitions=1",
                                "auto.create.topics.enable=false",
                                "offsets.topic.replication.factor=1",
                                "offsets.topic.num.partitions=1",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "share.coordinator.state.topic.replication.factor=1",
                                "share.coordinator.state.topic.min.isr=1",
                                "group.initial.rebalance.delay.ms=0",
                                // The tests' consumers use short sessions, so that a killed one's partitions move soon.
                                "group.min.session.timeout.ms=1000",
                                "")));
        Path logback = folder.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                    <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                    <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d %-5level %logger{1} - %msg%n</pattern></encoder>
                    </appender>
                    <root level="WARN"><appender-ref ref="out"/></root>
                </configuration>
                """);
        List<String> options = new java.util.ArrayList<>(JVM_OPTIONS);
        options.add("-Dlogback.configurationFile=" + logback);

        // Format the log folder as the storage of a new cluster, then run the broker on it.
        Path formatLog = folder.resolve("format.log");
        Process format = EngineProcess.start(
                EngineProcess.java(
                        options,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        properties.toString()),
                formatLog);
        if (!format.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || format.exitValue() != 0) {
            EngineProcess.kill(format);
            throw new IllegalStateException("formatting Kafka's log folder failed:\n" + EngineProcess.tail(formatLog));
        }
        Path log = folder.resolve("broker.log");
        Process process = EngineProcess.start(EngineProcess.java(options, "kafka.Kafka", properties.toString()), log);
        var broker = new KafkaBroker(folder, process, "127.0.0.1:" + brokerPort);
        try {
            broker.awaitReady(log);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "the Kafka broker exited during start:\n" + EngineProcess.tail(log));
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    EngineProcess.sleep(200);
                }
            }
        }
        throw new IllegalStateException("the Kafka broker was not ready within " + START_TIMEOUT.toSeconds() + " s:\n"
                + EngineProcess.tail(log));
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** An admin client of this broker; the caller closes it. */
    Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** Freezes the broker's process ({@code kill -STOP}): connections stay open, nothing is answered. */
    void pause() {
        signal("-STOP");
    }

    /** Lets a paused broker go on ({@code kill -CONT}). */
    void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the broker", e);
        }
    }

    /** Stops the broker and deletes its folder. */
    @Override
    public void close() {
        // A paused process does not die of SIGKILL until it runs again.
        if (process.isAlive()) {
            resume();
        }
        EngineProcess.kill(process);
        EngineProcess.deleteTree(folder);
    }
}
