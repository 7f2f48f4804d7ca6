package dev.beckon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.store.MetadataEngine;
import dev.beckon.store.postgres.PostgresSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Beckon serve} with {@code BECKON_DEPLOYMENT=scale-out}, in a JVM of its own, against a real
 * PostgreSQL: it migrates the metadata database, then refuses the start with a message that says
 * the deployment is not yet available; wrong settings fail it naming the setting or PostgreSQL's
 * reason, in one line without a stack.
 */
class ScaleOutStartTest {

    @TempDir
    Path dataDir;

    static Map<String, String> environment(PostgresSettings postgres, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("BECKON_PORT", "0");
        env.put("BECKON_DEPLOYMENT", "scale-out");
        env.put("BECKON_POSTGRES_URL", postgres.url());
        env.put("BECKON_POSTGRES_USER", postgres.user());
        env.put("BECKON_POSTGRES_PASSWORD", password);
        env.put("BECKON_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");
        env.put("BECKON_KAFKA_TOPIC", "beckon.events");
        env.put("BECKON_CLICKHOUSE_URL", "http://127.0.0.1:9/");
        env.put("BECKON_CLICKHOUSE_DATABASE", "beckon");
        return env;
    }

    record Exit(int code, String output) {}

    Exit serve(Map<String, String> environment) throws Exception {
        Map<String, String> env = new HashMap<>(environment);
        env.put("BECKON_DATA_DIR", dataDir.toString());
        var builder = ChildServer.command(env);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Exit(process.exitValue(), output);
    }

    @Test
    void aScaleOutNodeMigratesPostgresqlThenSaysItIsNotYetAvailable() throws Exception {
        PostgresSettings postgres = MetadataEngine.server().createDatabase();

        Exit exit = serve(environment(postgres, postgres.password()));

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output())
                .contains("Beckon cannot start: BECKON_DEPLOYMENT=scale-out is not yet available: the metadata"
                        + " database in PostgreSQL is ready (" + postgres.url() + ")")
                .doesNotContain("\tat ")
                .doesNotContain(postgres.password());
        try (var connection = DriverManager.getConnection(postgres.url(), postgres.user(), postgres.password());
                var rows = connection
                        .createStatement()
                        .executeQuery("SELECT max(version::int) FROM flyway_schema_history WHERE success")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(11);
        }
    }

    @Test
    void aWrongPostgresqlPasswordFailsTheStartWithPostgresqlsReason() throws Exception {
        PostgresSettings postgres = MetadataEngine.server().createDatabase();

        Exit exit = serve(environment(postgres, "not-the-password"));

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output())
                .contains("Beckon cannot start: cannot connect to PostgreSQL at " + postgres.url() + " as "
                        + postgres.user() + ": ")
                .contains("password authentication failed")
                .doesNotContain("not-the-password")
                .doesNotContain("\tat ");
    }

    @Test
    void aMissingSettingFailsTheStartNamingIt() throws Exception {
        Map<String, String> env =
                new HashMap<>(environment(PostgresSettings.of("jdbc:postgresql://127.0.0.1:9/b", "beckon", "x"), "x"));
        env.remove("BECKON_KAFKA_TOPIC");

        Exit exit = serve(env);

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output())
                .contains("Beckon cannot start: BECKON_KAFKA_TOPIC is missing: BECKON_DEPLOYMENT is 'scale-out'")
                .doesNotContain("\tat ");
    }
}
