package dev.beckon.scaleout;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one Kafka broker and one ClickHouse server for all the scale-out tests of a run, and stops
 * both when the run ends. Each test makes its own topic, consumer group and database, so that
 * tests cannot see each other's events.
 *
 * <p>Without {@code clickhouse-server} the tests are skipped with a message saying so, unless the
 * environment variable {@code CI} is set: in CI, where {@code ./beckon test} installs it, its
 * absence fails them.
 */
final class ScaleOutEngines implements BeforeAllCallback {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final AtomicBoolean SKIP_LOGGED = new AtomicBoolean();
    private static final Logger log = LoggerFactory.getLogger(ScaleOutEngines.class);

    /** The running engines; stored in the run's root store, which closes them at the end of the run. */
    record Engines(KafkaBroker kafka, ClickHouseServer clickHouse) implements AutoCloseable {

        @Override
        public void close() {
            try {
                kafka.close();
            } finally {
                clickHouse.close();
            }
        }
    }

    private static volatile Engines engines;

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<Path> executable = ClickHouseServer.executable();
        if (executable.isEmpty()) {
            String message = "clickhouse-server is not installed: the scale-out tests need Debian's package"
                    + " (apt-get install -y clickhouse-server, as ./beckon test does)";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(message + ", and CI is set, so they must run");
            }
            if (SKIP_LOGGED.compareAndSet(false, true)) {
                log.warn("Skipping the scale-out tests: {}; CI is not set", message);
            }
            Assumptions.abort(message + "; skipped because CI is not set");
        }
        engines = context.getRoot()
                .getStore(ExtensionContext.Namespace.create(ScaleOutEngines.class))
                .getOrComputeIfAbsent("engines", key -> start(executable.get()), Engines.class);
    }

    private static Engines start(Path executable) {
        ClickHouseServer clickHouse = null;
        try {
            clickHouse = ClickHouseServer.start(executable);
            return new Engines(KafkaBroker.start(), clickHouse);
        } catch (Exception e) {
            if (clickHouse != null) {
                clickHouse.close();
            }
            throw new IllegalStateException("the scale-out engines did not start", e);
        }
    }

    static KafkaBroker kafka() {
        return engines.kafka();
    }

    static ClickHouseServer clickHouse() {
        return engines.clickHouse();
    }

    /** A name that no other test of the run uses, for a topic, group or database. */
    static String uniqueName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
    }
}
