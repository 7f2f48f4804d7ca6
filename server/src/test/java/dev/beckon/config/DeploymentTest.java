package dev.beckon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The deployment switch: embedded by default, scale-out with every engine's settings, or a refusal naming the setting. */
class DeploymentTest {

    static Map<String, String> scaleOut() {
        Map<String, String> env = new HashMap<>();
        env.put("BECKON_DEPLOYMENT", "scale-out");
        env.put("BECKON_POSTGRES_URL", "jdbc:postgresql://db.internal:5432/beckon");
        env.put("BECKON_POSTGRES_USER", "beckon");
        env.put("BECKON_POSTGRES_PASSWORD", "pg-secret");
        env.put("BECKON_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092");
        env.put("BECKON_KAFKA_TOPIC", "beckon.events");
        env.put("BECKON_CLICKHOUSE_URL", "http://ch.internal:8123/");
        env.put("BECKON_CLICKHOUSE_DATABASE", "beckon");
        return env;
    }

    static Map<String, String> scaleOutWith(String variable, String value) {
        Map<String, String> env = scaleOut();
        if (value == null) {
            env.remove(variable);
        } else {
            env.put(variable, value);
        }
        return env;
    }

    @Test
    void theDefaultIsTheEmbeddedDeployment() {
        assertThat(Deployment.fromEnvironment(Map.of())).isEqualTo(new Deployment.Embedded());
        assertThat(Deployment.fromEnvironment(Map.of("BECKON_DEPLOYMENT", "embedded")))
                .isEqualTo(new Deployment.Embedded());
    }

    @Test
    void scaleOutReadsEveryEngineSettingWithDefaultsForTheTimeouts() {
        var deployment = (Deployment.ScaleOut) Deployment.fromEnvironment(scaleOut());

        assertThat(deployment.postgres().url()).isEqualTo("jdbc:postgresql://db.internal:5432/beckon");
        assertThat(deployment.postgres().user()).isEqualTo("beckon");
        assertThat(deployment.postgres().password()).isEqualTo("pg-secret");
        assertThat(deployment.postgres().maxConnections()).isEqualTo(10);
        assertThat(deployment.kafka().bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(deployment.kafka().topic()).isEqualTo("beckon.events");
        assertThat(deployment.kafka().deliveryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(deployment.clickHouse().url()).isEqualTo(URI.create("http://ch.internal:8123/"));
        assertThat(deployment.clickHouse().database()).isEqualTo("beckon");
        assertThat(deployment.clickHouse().user()).isNull();
        assertThat(deployment.clickHouse().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(deployment.toString()).doesNotContain("pg-secret");
    }

    @Test
    void scaleOutTakesTheOptionalSettings() {
        Map<String, String> env = scaleOut();
        env.put("BECKON_POSTGRES_MAX_CONNECTIONS", "40");
        env.put("BECKON_KAFKA_DELIVERY_TIMEOUT_SECONDS", "5");
        env.put("BECKON_CLICKHOUSE_USER", "writer");
        env.put("BECKON_CLICKHOUSE_PASSWORD", "ch-secret");
        env.put("BECKON_CLICKHOUSE_REQUEST_TIMEOUT_SECONDS", "120");

        var deployment = (Deployment.ScaleOut) Deployment.fromEnvironment(env);

        assertThat(deployment.postgres().maxConnections()).isEqualTo(40);
        assertThat(deployment.kafka().deliveryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(deployment.clickHouse().user()).isEqualTo("writer");
        assertThat(deployment.clickHouse().password()).isEqualTo("ch-secret");
        assertThat(deployment.clickHouse().requestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(deployment.toString()).doesNotContain("ch-secret");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "BECKON_POSTGRES_URL",
                "BECKON_POSTGRES_USER",
                "BECKON_POSTGRES_PASSWORD",
                "BECKON_KAFKA_BOOTSTRAP_SERVERS",
                "BECKON_KAFKA_TOPIC",
                "BECKON_CLICKHOUSE_URL",
                "BECKON_CLICKHOUSE_DATABASE"
            })
    void aMissingRequiredSettingIsNamed(String variable) {
        assertThatThrownBy(() -> Deployment.fromEnvironment(scaleOutWith(variable, null)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(variable + " is missing: BECKON_DEPLOYMENT is 'scale-out', which needs it"
                        + " (docs/configuration.md)");
        assertThatThrownBy(() -> Deployment.fromEnvironment(scaleOutWith(variable, "  ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + " is missing");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "BECKON_DEPLOYMENT | cluster | BECKON_DEPLOYMENT must be 'embedded' or 'scale-out', not 'cluster'",
                "BECKON_POSTGRES_URL | postgres://db/beckon | BECKON_POSTGRES_URL is not usable: 'postgres://db/beckon'"
                        + " is not a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/beckon",
                "BECKON_POSTGRES_URL | jdbc:postgresql://db/beckon?password=x | BECKON_POSTGRES_URL is not usable: give"
                        + " the password as its own setting, not in the URL",
                "BECKON_POSTGRES_MAX_CONNECTIONS | 0 | BECKON_POSTGRES_MAX_CONNECTIONS must be a whole number from 1 to"
                        + " 1000, not '0'",
                "BECKON_POSTGRES_MAX_CONNECTIONS | ten | BECKON_POSTGRES_MAX_CONNECTIONS must be a whole number from 1"
                        + " to 1000, not 'ten'",
                "BECKON_KAFKA_TOPIC | events;rm -rf | BECKON_KAFKA_TOPIC is not usable: 'events;rm -rf' must be 1 to"
                        + " 249 characters of A-Z, a-z, 0-9, '.', '_' and '-'",
                "BECKON_KAFKA_DELIVERY_TIMEOUT_SECONDS | 99999999999 | BECKON_KAFKA_DELIVERY_TIMEOUT_SECONDS must be a"
                        + " whole number from 1 to 3600, not '99999999999'",
                "BECKON_CLICKHOUSE_URL | ftp://ch:21/ | BECKON_CLICKHOUSE_URL is not usable: 'ftp://ch:21/' is not an"
                        + " http:// or https:// address with a host",
                "BECKON_CLICKHOUSE_URL | http://ch:8123/?user=x | BECKON_CLICKHOUSE_URL is not usable:"
                        + " 'http://ch:8123/?user=x' must have no query or fragment",
                "BECKON_CLICKHOUSE_DATABASE | beckon; DROP DATABASE x | BECKON_CLICKHOUSE_DATABASE is not usable:"
                        + " 'beckon; DROP DATABASE x' must be 1 to 64 characters of A-Z, a-z, 0-9 and '_', not"
                        + " starting with a digit",
                "BECKON_CLICKHOUSE_REQUEST_TIMEOUT_SECONDS | -5 | BECKON_CLICKHOUSE_REQUEST_TIMEOUT_SECONDS must be a"
                        + " whole number from 1 to 3600, not '-5'"
            })
    void aWrongSettingIsNamedWithWhatIsWrong(String variable, String value, String message) {
        assertThatThrownBy(() -> Deployment.fromEnvironment(scaleOutWith(variable, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void aClickHouseUrlThatIsNoUrlIsNamed() {
        assertThatThrownBy(() -> Deployment.fromEnvironment(scaleOutWith("BECKON_CLICKHOUSE_URL", "http://ch host/")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("BECKON_CLICKHOUSE_URL is not a URL such as http://127.0.0.1:8123/: ");
    }

    @Test
    void aClickHouseUserAndPasswordGoTogether() {
        assertThatThrownBy(() -> Deployment.fromEnvironment(scaleOutWith("BECKON_CLICKHOUSE_USER", "writer")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("BECKON_CLICKHOUSE_PASSWORD is missing: BECKON_CLICKHOUSE_USER is set");
        assertThatThrownBy(() -> Deployment.fromEnvironment(scaleOutWith("BECKON_CLICKHOUSE_PASSWORD", "secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("BECKON_CLICKHOUSE_PASSWORD is set without BECKON_CLICKHOUSE_USER");
    }

    @Test
    void aScaleOutSettingGivenToAnEmbeddedNodeIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> Deployment.fromEnvironment(Map.of("BECKON_POSTGRES_URL", "jdbc:postgresql://db/b")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("BECKON_POSTGRES_URL is set, but BECKON_DEPLOYMENT is 'embedded' (its default), which does"
                        + " not use it; set BECKON_DEPLOYMENT=scale-out, or unset BECKON_POSTGRES_URL");
    }
}
