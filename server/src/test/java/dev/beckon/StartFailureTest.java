package dev.beckon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.config.ConfigException;
import dev.beckon.config.ServerConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that cannot succeed says which setting to change, in one line, without a stack. */
class StartFailureTest {

    @TempDir
    Path dataDir;

    @Test
    void aPortInUseNamesThePortAndTheSetting() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            var config = new ServerConfig("127.0.0.1", taken.getLocalPort(), dataDir, Optional.empty(), false);

            assertThatThrownBy(() -> BeckonServer.start(config, Clock.systemUTC(), new SecureRandom()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("port " + taken.getLocalPort() + " of 127.0.0.1 is in use by another program; stop"
                            + " it, or choose another port with BECKON_PORT");
        }
    }

    @Test
    void aDataFolderInUseByAnotherServerSaysSoAndExitsWithoutAStack() throws Exception {
        try (var running = TestServer.start(dataDir)) {
            var builder = ChildServer.command(Map.of("BECKON_PORT", "0", "BECKON_DATA_DIR", dataDir.toString()));
            builder.redirectErrorStream(true);

            Process second = builder.start();
            String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(2);
            assertThat(output)
                    .contains("Beckon cannot start: " + dataDir.resolve("beckon.duckdb") + " is open in another"
                            + " process, most likely another Beckon server; stop it, or give this one another folder"
                            + " with BECKON_DATA_DIR")
                    .doesNotContain("\tat ");
        }
    }
}
