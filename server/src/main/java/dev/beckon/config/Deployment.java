package dev.beckon.config;

import dev.beckon.scaleout.clickhouse.ClickHouseSettings;
import dev.beckon.scaleout.kafka.KafkaSettings;
import dev.beckon.store.postgres.PostgresSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which deployment a Beckon node runs, read from environment variables ({@code BECKON_DEPLOYMENT}):
 * the embedded one (the default: one process, one DuckDB file), or the scale-out one (PostgreSQL for
 * metadata, Kafka as the ingestion log, ClickHouse for events), whose engines' settings are then all
 * required. A missing or wrong setting fails the start with a message that names it; so does a
 * scale-out setting given to an embedded node, which would otherwise be silently ignored.
 */
public sealed interface Deployment {

    String VARIABLE = "BECKON_DEPLOYMENT";

    /** Every setting of the scale-out deployment, in the order docs/configuration.md lists them. */
    List<String> SCALE_OUT_SETTINGS = List.of(
            "BECKON_POSTGRES_URL",
            "BECKON_POSTGRES_USER",
            "BECKON_POSTGRES_PASSWORD",
            "BECKON_POSTGRES_MAX_CONNECTIONS",
            "BECKON_KAFKA_BOOTSTRAP_SERVERS",
            "BECKON_KAFKA_TOPIC",
            "BECKON_KAFKA_DELIVERY_TIMEOUT_SECONDS",
            "BECKON_CLICKHOUSE_URL",
            "BECKON_CLICKHOUSE_DATABASE",
            "BECKON_CLICKHOUSE_USER",
            "BECKON_CLICKHOUSE_PASSWORD",
            "BECKON_CLICKHOUSE_REQUEST_TIMEOUT_SECONDS");

    int DEFAULT_TIMEOUT_SECONDS = 30;
    int MAX_TIMEOUT_SECONDS = 3_600;

    /** One process and the DuckDB file in the data folder. */
    record Embedded() implements Deployment {}

    /** Stateless nodes on PostgreSQL, Kafka and ClickHouse. */
    record ScaleOut(PostgresSettings postgres, KafkaSettings kafka, ClickHouseSettings clickHouse)
            implements Deployment {}

    /**
     * Reads the deployment from {@code env}.
     *
     * @throws ConfigException naming the first setting that is missing or cannot be used
     */
    static Deployment fromEnvironment(Map<String, String> env) {
        String kind = env.getOrDefault(VARIABLE, "embedded").strip();
        return switch (kind) {
            case "embedded", "" -> embedded(env);
            case "scale-out" -> scaleOut(env);
            default -> throw new ConfigException(VARIABLE + " must be 'embedded' or 'scale-out', not '" + kind + "'");
        };
    }

    private static Embedded embedded(Map<String, String> env) {
        for (String setting : SCALE_OUT_SETTINGS) {
            if (env.containsKey(setting)) {
                throw new ConfigException(setting + " is set, but " + VARIABLE + " is 'embedded' (its default), which"
                        + " does not use it; set " + VARIABLE + "=scale-out, or unset " + setting);
            }
        }
        return new Embedded();
    }

    private static ScaleOut scaleOut(Map<String, String> env) {
        var postgres = settings(
                () -> new PostgresSettings(
                        required(env, "BECKON_POSTGRES_URL"),
                        required(env, "BECKON_POSTGRES_USER"),
                        required(env, "BECKON_POSTGRES_PASSWORD"),
                        number(
                                env,
                                "BECKON_POSTGRES_MAX_CONNECTIONS",
                                PostgresSettings.DEFAULT_MAX_CONNECTIONS,
                                PostgresSettings.MAX_CONNECTIONS_LIMIT)),
                Map.of(
                        "url",
                        "BECKON_POSTGRES_URL",
                        "user",
                        "BECKON_POSTGRES_USER",
                        "password",
                        "BECKON_POSTGRES_PASSWORD",
                        "maxConnections",
                        "BECKON_POSTGRES_MAX_CONNECTIONS"));
        var kafka = settings(
                () -> new KafkaSettings(
                        required(env, "BECKON_KAFKA_BOOTSTRAP_SERVERS"),
                        required(env, "BECKON_KAFKA_TOPIC"),
                        seconds(env, "BECKON_KAFKA_DELIVERY_TIMEOUT_SECONDS")),
                Map.of(
                        "bootstrapServers",
                        "BECKON_KAFKA_BOOTSTRAP_SERVERS",
                        "topic",
                        "BECKON_KAFKA_TOPIC",
                        "deliveryTimeout",
                        "BECKON_KAFKA_DELIVERY_TIMEOUT_SECONDS"));
        var clickHouse = settings(
                () -> clickHouse(env),
                Map.of(
                        "url",
                        "BECKON_CLICKHOUSE_URL",
                        "database",
                        "BECKON_CLICKHOUSE_DATABASE",
                        "requestTimeout",
                        "BECKON_CLICKHOUSE_REQUEST_TIMEOUT_SECONDS"));
        return new ScaleOut(postgres, kafka, clickHouse);
    }

    private static ClickHouseSettings clickHouse(Map<String, String> env) {
        String url = required(env, "BECKON_CLICKHOUSE_URL");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException(
                    "BECKON_CLICKHOUSE_URL is not a URL such as http://127.0.0.1:8123/: " + e.getMessage());
        }
        String database = required(env, "BECKON_CLICKHOUSE_DATABASE");
        Optional<String> user = optional(env, "BECKON_CLICKHOUSE_USER");
        Optional<String> password = Optional.ofNullable(env.get("BECKON_CLICKHOUSE_PASSWORD"));
        if (user.isEmpty() && password.isPresent()) {
            throw new ConfigException("BECKON_CLICKHOUSE_PASSWORD is set without BECKON_CLICKHOUSE_USER; set the user"
                    + " too, or unset the password to use ClickHouse's default user");
        }
        if (user.isPresent() && password.isEmpty()) {
            throw new ConfigException("BECKON_CLICKHOUSE_PASSWORD is missing: BECKON_CLICKHOUSE_USER is set, so give"
                    + " that user's password");
        }
        return new ClickHouseSettings(
                uri,
                database,
                user.orElse(null),
                password.orElse(""),
                seconds(env, "BECKON_CLICKHOUSE_REQUEST_TIMEOUT_SECONDS"));
    }

    /**
     * Builds an engine's settings, turning the record's own check ("field: problem") into a
     * message that names the variable of the field.
     */
    private static <T> T settings(Supplier<T> build, Map<String, String> variables) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(": ");
            String variable = colon < 0 ? null : variables.get(message.substring(0, colon));
            if (variable == null) {
                throw new ConfigException("a scale-out setting is not usable: " + message);
            }
            throw new ConfigException(variable + " is not usable: " + message.substring(colon + 2));
        }
    }

    private static String required(Map<String, String> env, String variable) {
        return optional(env, variable)
                .orElseThrow(() -> new ConfigException(variable + " is missing: " + VARIABLE
                        + " is 'scale-out', which needs it (docs/configuration.md)"));
    }

    private static Optional<String> optional(Map<String, String> env, String variable) {
        return Optional.ofNullable(env.get(variable)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static Duration seconds(Map<String, String> env, String variable) {
        return Duration.ofSeconds(number(env, variable, DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS));
    }

    private static int number(Map<String, String> env, String variable, int otherwise, int max) {
        Optional<String> value = optional(env, variable);
        if (value.isEmpty()) {
            return otherwise;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number >= 1 && number <= max) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw new ConfigException(
                variable + " must be a whole number from 1 to " + max + ", not '" + value.get() + "'");
    }
}
