package dev.beckon;

import dev.beckon.config.ConfigException;
import dev.beckon.config.Deployment;
import dev.beckon.config.ServerConfig;
import dev.beckon.scaleout.ScaleOutNode;
import dev.beckon.scaleout.clickhouse.ClickHouseException;
import dev.beckon.scaleout.move.MoveException;
import dev.beckon.scaleout.move.MoveToScaleOut;
import dev.beckon.store.StoreException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of the Beckon server. The launcher script {@code ./beckon} calls it. */
@Command(
        name = "beckon",
        mixinStandardHelpOptions = true,
        version = "Beckon 0.1.0",
        description = "Self-hosted product analytics and in-app engagement for websites.",
        subcommands = {Beckon.Serve.class, Beckon.Move.class})
public final class Beckon implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Beckon.class);

    public static void main(String[] args) {
        System.exit(new CommandLine(new Beckon()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the server until the process is told to stop. */
    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = "Runs the server on the embedded store. Configured by BECKON_HOST, BECKON_PORT,"
                    + " BECKON_DATA_DIR, BECKON_ADMIN_KEY, BECKON_ADMIN_EMAIL, BECKON_ADMIN_PASSWORD and"
                    + " BECKON_TRUST_PROXY; BECKON_DEPLOYMENT=scale-out selects the scale-out deployment, which is"
                    + " not yet available (docs/configuration.md).")
    static final class Serve implements Callable<Integer> {

        @Option(names = "--demo", description = "Also create the demo site and serve the demo shop at /demo/.")
        boolean demo;

        @Override
        public Integer call() throws InterruptedException {
            ServerConfig config;
            BeckonServer server;
            try {
                config = ServerConfig.fromEnvironment(System.getenv(), demo);
                if (Deployment.fromEnvironment(System.getenv()) instanceof Deployment.ScaleOut scaleOut) {
                    ScaleOutNode.start(scaleOut);
                }
                server = BeckonServer.start(config, Clock.systemUTC(), new SecureRandom());
            } catch (ConfigException e) {
                // Printed, not logged: a setting the logs depend on may be the one at fault.
                System.err.println("Beckon cannot start: " + e.getMessage());
                return 2;
            } catch (StoreException e) {
                log.error("Beckon cannot start: {}", e.getMessage());
                return 2;
            }
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                server.stop();
                                stopped.countDown();
                            },
                            "beckon-shutdown"));
            printWelcome(server);
            stopped.await();
            return 0;
        }

        private static void printWelcome(BeckonServer server) {
            String base = "http://" + displayHost(server.config().host()) + ":" + server.port();
            var out = new StringBuilder("\n  Beckon is running at " + base + "\n");
            out.append("  Data folder:  ").append(server.config().dataDir()).append('\n');
            out.append("  Dashboard:    ").append(base).append("/dashboard/\n");
            if (server.config().demo()) {
                out.append("  Demo shop:    ").append(base).append("/demo/\n");
            }
            server.generatedAdminKey()
                    .ifPresent(key -> out.append("  Admin key:    ")
                            .append(key)
                            .append("   (shown once; sign in to the dashboard with it, or use the API)\n"));
            if (server.config().adminKey().isPresent()) {
                out.append("  Admin key:    the value of BECKON_ADMIN_KEY\n");
            }
            server.config()
                    .firstAdmin()
                    .ifPresent(admin -> out.append("  Admin:        ")
                            .append(admin.email())
                            .append(", with the password of BECKON_ADMIN_PASSWORD\n"));
            // With JSON logs, standard output carries nothing but log records.
            boolean jsonLogs = "json".equals(System.getenv("BECKON_LOG_FORMAT"));
            (jsonLogs ? System.err : System.out).println(out);
        }

        private static String displayHost(String host) {
            return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        }
    }

    /**
     * Moves the embedded store of {@code BECKON_DATA_DIR} into the scale-out deployment's PostgreSQL
     * and ClickHouse (docs/scale-out.md, "Moving an embedded installation"). Exit code 0 when the
     * move is complete and its check found the same counts on both sides; 1 when it was refused,
     * failed, or the check found a difference; 2 when a setting is missing or wrong.
     */
    @Command(
            name = "move-to-scale-out",
            mixinStandardHelpOptions = true,
            description = "Copies the embedded store of BECKON_DATA_DIR (which no server may hold meanwhile) into the"
                    + " scale-out deployment: its metadata into PostgreSQL, its events into ClickHouse, then checks"
                    + " the counts. Configured by the scale-out settings (BECKON_POSTGRES_*, BECKON_KAFKA_*,"
                    + " BECKON_CLICKHOUSE_*, docs/configuration.md); running it again after an interruption"
                    + " finishes the job.")
    static final class Move implements Callable<Integer> {

        @Override
        public Integer call() {
            return run(System.getenv(), Clock.systemUTC());
        }

        static int run(Map<String, String> environment, Clock clock) {
            Deployment.ScaleOut target;
            try {
                target = scaleOutTarget(environment);
            } catch (ConfigException e) {
                System.err.println("Beckon cannot move: " + e.getMessage());
                return 2;
            }
            try {
                MoveToScaleOut.move(dataDir(environment), target, clock, new MoveToScaleOut.Listener() {
                    @Override
                    public void line(String text) {
                        System.out.println(text);
                    }
                });
                return 0;
            } catch (MoveException | StoreException | ClickHouseException e) {
                System.err.println("Beckon cannot move: " + e.getMessage());
                log.debug("The move stopped", e);
                return 1;
            }
        }

        /**
         * The scale-out settings, checked as a scale-out node checks them; {@code BECKON_DEPLOYMENT}
         * may be left out, as the move's target is always the scale-out deployment.
         */
        private static Deployment.ScaleOut scaleOutTarget(Map<String, String> environment) {
            Map<String, String> env = new HashMap<>(environment);
            String deployment =
                    env.getOrDefault(Deployment.VARIABLE, "scale-out").strip();
            if (!deployment.equals("scale-out")) {
                throw new ConfigException(Deployment.VARIABLE + " is '" + deployment + "', but move-to-scale-out"
                        + " writes into the scale-out deployment: set it to 'scale-out', or leave it out, with the"
                        + " scale-out settings");
            }
            env.put(Deployment.VARIABLE, "scale-out");
            return (Deployment.ScaleOut) Deployment.fromEnvironment(env);
        }

        /** The data folder, as {@code Beckon serve} reads it. */
        private static Path dataDir(Map<String, String> environment) {
            return Path.of(environment.getOrDefault("BECKON_DATA_DIR", "./data"))
                    .toAbsolutePath()
                    .normalize();
        }
    }
}
