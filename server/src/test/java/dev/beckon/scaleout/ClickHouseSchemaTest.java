package dev.beckon.scaleout;

import static dev.beckon.scaleout.ScaleOutFixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.scaleout.clickhouse.ClickHouseEventWriter;
import dev.beckon.scaleout.clickhouse.ClickHouseException;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import dev.beckon.scaleout.clickhouse.ClickHouseSchema;
import dev.beckon.scaleout.clickhouse.ClickHouseSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ScaleOutEngines.class)
class ClickHouseSchemaTest {

    @Test
    void migrationCreatesTheEventsTableOnceAndRecordsItsVersion() {
        ClickHouseHttp clickHouse = ScaleOutFixtures.clickHouse(ScaleOutEngines.uniqueName("beckon"));

        int first = ClickHouseSchema.migrate(clickHouse, CLOCK);
        int again = ClickHouseSchema.migrate(clickHouse, CLOCK);

        assertThat(first)
                .isEqualTo(again)
                .isEqualTo(ClickHouseSchema.latestVersion())
                .isEqualTo(1);
        assertThat(clickHouse.query("SELECT version, description, applied_at FROM schema_versions FORMAT TabSeparated"))
                .isEqualTo("1\tevents\t2026-12-04 09:00:00\n");
        assertThat(clickHouse.query("SELECT engine, partition_key, sorting_key FROM system.tables"
                        + " WHERE database = currentDatabase() AND name = 'events' FORMAT TabSeparated"))
                .isEqualTo("ReplacingMergeTree\ttoYYYYMM(time)\tsite_id, device_id, time, id\n");
    }

    @Test
    void eventsArePartitionedByMonthOfTheirTime() {
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();

        // T0 is two seconds before December: events 0 and 1 are November's.
        new ClickHouseEventWriter(clickHouse).write(ScaleOutFixtures.events("shop", 2, 5));

        assertThat(clickHouse.query("SELECT partition, sum(rows) FROM system.parts WHERE database = currentDatabase()"
                        + " AND table = 'events' AND active GROUP BY partition ORDER BY partition FORMAT TabSeparated"))
                .isEqualTo("202611\t4\n202612\t6\n");
    }

    @Test
    void aUserWithItsPasswordIsServedAndAWrongPasswordRefusedWithClickHousesReason() {
        URI url = ScaleOutEngines.clickHouse().url();
        String database = ScaleOutEngines.uniqueName("beckon");
        var right = new ClickHouseHttp(new ClickHouseSettings(
                url, database, ClickHouseServer.USER, ClickHouseServer.PASSWORD, Duration.ofSeconds(10)));
        var wrong = new ClickHouseHttp(
                new ClickHouseSettings(url, database, ClickHouseServer.USER, "not-it", Duration.ofSeconds(10)));

        assertThat(ClickHouseSchema.migrate(right, CLOCK)).isEqualTo(1);
        assertThatThrownBy(() -> ClickHouseSchema.migrate(wrong, CLOCK))
                .isInstanceOf(ClickHouseException.class)
                .hasMessageContaining("answered 401")
                .hasMessageContaining("Wrong password for user beckon");
    }

    @Test
    void anUnreachableServerFailsWithItsAddress() throws IOException {
        URI nobody = URI.create("http://127.0.0.1:" + EngineProcess.freePort() + "/");
        var clickHouse = new ClickHouseHttp(ClickHouseSettings.of(nobody, "beckon"));

        assertThatThrownBy(() -> ClickHouseSchema.migrate(clickHouse, CLOCK))
                .isInstanceOf(ClickHouseException.class)
                .hasMessageStartingWith("ClickHouse at " + nobody + " could not be reached");
    }

    @Test
    void settingsRefuseWhatWouldBreakTheirSql() {
        URI url = URI.create("http://127.0.0.1:8123/");
        for (String database : List.of("", "beckon; DROP TABLE events", "1beckon", "bé", "a".repeat(65), "x`y")) {
            assertThatThrownBy(() -> ClickHouseSettings.of(url, database))
                    .as(database)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("database: ");
        }
        for (String bad : List.of("ftp://host/", "http:///x", "http://host/?database=other")) {
            assertThatThrownBy(() -> ClickHouseSettings.of(URI.create(bad), "beckon"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("url: ");
        }
        assertThat(new ClickHouseSettings(url, "beckon", "beckon", "secret", Duration.ofSeconds(1)).toString())
                .doesNotContain("secret");
    }
}
