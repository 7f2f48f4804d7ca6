package dev.beckon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {

    @Test
    void defaultsServeOnPort8080WithDataInTheWorkingFolder() {
        var config = ServerConfig.fromEnvironment(Map.of(), false);

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(config.adminKey()).isEmpty();
    }

    @Test
    void environmentOverridesEachDefault() {
        var config = ServerConfig.fromEnvironment(
                Map.of(
                        "BECKON_PORT",
                        "9090",
                        "BECKON_DATA_DIR",
                        "/var/lib/beckon",
                        "BECKON_ADMIN_KEY",
                        "0123456789abcdef",
                        "BECKON_HOST",
                        "0.0.0.0"),
                true);

        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/beckon"));
        assertThat(config.adminKey()).contains("0123456789abcdef");
        assertThat(config.demo()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "BECKON_PORT | eighty | BECKON_PORT must be a number from 0 to 65535, not 'eighty'",
                "BECKON_PORT | 70000 | BECKON_PORT must be a number from 0 to 65535, not '70000'",
                "BECKON_ADMIN_KEY | short | BECKON_ADMIN_KEY must have at least 16 characters; it has 5",
                "BECKON_ADMIN_KEY | with spaces in the key | BECKON_ADMIN_KEY may contain only printable ASCII without spaces",
                "BECKON_LOG_FORMAT | xml | BECKON_LOG_FORMAT must be 'text' or 'json', not 'xml'"
            })
    void wrongSettingFailsNamingTheSetting(String name, String value, String message) {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(name, value), false))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
