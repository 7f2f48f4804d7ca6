package dev.beckon.store.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for the tests: Debian's server binaries ({@code apt-get install postgresql}),
 * a private cluster made by {@code initdb} in a temporary folder and run as a plain process on a
 * free loopback port, once per test run; it is stopped and its folder deleted when the JVM exits.
 * No system service is used. Each test gets a database of its own ({@link #createDatabase}).
 *
 * <p>The cluster's one role is {@link #USER}, with a password checked by SCRAM over TCP: the tests
 * connect as the scale-out deployment would. PostgreSQL refuses to run as root, so when the tests
 * run as root (as CI does), {@code initdb}, {@code postgres} and {@code pg_ctl} run as the {@code
 * postgres} user that Debian's package creates, and the folder is given to it.
 */
public final class PostgresServer {

    public static final String USER = "beckon";
    public static final String PASSWORD = "test-password-pg";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile PostgresServer shared;

    private final Path bin;
    private final Path folder;
    private final Process process;
    private final int port;
    private final List<String> asUser;

    private PostgresServer(Path bin, Path folder, Process process, int port, List<String> asUser) {
        this.bin = bin;
        this.folder = folder;
        this.process = process;
        this.port = port;
        this.asUser = asUser;
    }

    /**
     * Where PostgreSQL's server binaries are: {@code BECKON_POSTGRES_BIN} when set, else the newest
     * of Debian's {@code /usr/lib/postgresql/<version>/bin}; empty when there are none.
     */
    public static Optional<Path> binaries() {
        String configured = System.getenv("BECKON_POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(PostgresServer::hasServer);
        }
        if (!Files.isDirectory(DEBIAN_VERSIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_VERSIONS)) {
            return versions.filter(version -> version.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(
                            version -> Integer.parseInt(version.getFileName().toString())))
                    .map(version -> version.resolve("bin"))
                    .filter(PostgresServer::hasServer);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasServer(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("postgres"));
    }

    /** The server of this test run, started on first use. */
    public static synchronized PostgresServer shared(Path bin) {
        if (shared == null) {
            try {
                shared = start(bin);
            } catch (IOException e) {
                throw new IllegalStateException("PostgreSQL did not start: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "postgres-test-stop"));
        }
        return shared;
    }

    private static PostgresServer start(Path bin) throws IOException {
        Path folder = Files.createTempDirectory("beckon-postgres-");
        List<String> asUser = asUnprivilegedUser(folder);
        Path passwordFile = folder.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        giveToUser(folder, passwordFile);
        Path data = folder.resolve("data");
        Path log = folder.resolve("postgres.log");

        run(
                asUser,
                folder.resolve("initdb.log"),
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                USER,
                "--pwfile=" + passwordFile,
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync");
        int port = freePort();
        List<String> command = new ArrayList<>(asUser);
        command.addAll(List.of(
                bin.resolve("postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                String.valueOf(port),
                "-k",
                folder.toString(),
                "-c",
                "listen_addresses=127.0.0.1",
                // Test data is thrown away: no need to wait for the disk.
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        var server = new PostgresServer(bin, folder, process, port, asUser);
        try {
            server.awaitReady(log);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /** The prefix that runs a command as the {@code postgres} user when this JVM is root; none otherwise. */
    private static List<String> asUnprivilegedUser(Path folder) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        giveToUser(folder);
        // setpriv replaces itself with the command, so the process this JVM holds is postgres itself.
        return List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups", "--");
    }

    private static void giveToUser(Path... paths) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        UserPrincipal postgres =
                FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        for (Path path : paths) {
            Files.setOwner(path, postgres);
        }
    }

    private static void run(List<String> asUser, Path log, String... command) throws IOException {
        List<String> full = new ArrayList<>(asUser);
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command[0] + " failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command[0] + " was interrupted", e);
        }
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited during start:\n" + read(log));
            }
            try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD)) {
                return;
            } catch (SQLException e) {
                last = e;
                sleep(100);
            }
        }
        throw new IllegalStateException(
                "postgres did not answer within " + START_TIMEOUT.toSeconds() + " s: " + last + "\n" + read(log));
    }

    /** The JDBC URL of one database of the cluster. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates an empty database that no other test uses; returns the settings that reach it. */
    public PostgresSettings createDatabase() {
        String name = "beckon_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database " + name, e);
        }
        return PostgresSettings.of(url(name), USER, PASSWORD);
    }

    /** Drops a database that {@link #createDatabase} made, closing its connections, to keep the cluster small. */
    public void dropDatabase(PostgresSettings settings) {
        String name = settings.url().substring(settings.url().lastIndexOf('/') + 1);
        try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the test database " + name, e);
        }
    }

    /**
     * Stops the server at once (test data needs no checkpoint) and deletes its folder. This runs in a
     * shutdown hook, which Surefire cuts off 30 s after the tests end: the tests drop their databases
     * ({@link #dropDatabase}) so that there is little left to delete (1.5 s with 20 databases left
     * instead of 14 s, measured on our 2-core machine under load).
     */
    void stop() {
        List<String> command = new ArrayList<>(asUser);
        command.addAll(List.of(
                bin.resolve("pg_ctl").toString(),
                "stop",
                "-D",
                folder.resolve("data").toString(),
                "-m",
                "immediate"));
        try {
            new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            // killed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder is not worth failing a run for.
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
