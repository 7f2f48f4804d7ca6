package dev.beckon;

import dev.beckon.config.ConfigException;
import dev.beckon.config.Deployment;
import dev.beckon.config.ServerConfig;
import dev.beckon.scaleout.ScaleOutNode;
import dev.beckon.store.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
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
        subcommands = {Beckon.Serve.class})
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
}
