package dev.beckon.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.store.MetadataEngine;
import dev.beckon.store.StoreException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Opening PostgreSQL: nodes that start at once migrate it once; an unreachable one is named. */
class PostgresDatabaseTest {

    @Test
    void fourNodesOpeningOneDatabaseAtOnceApplyEachMigrationOnce() throws Exception {
        PostgresSettings settings = MetadataEngine.server().createDatabase();
        List<CompletableFuture<PostgresDatabase>> opening = new ArrayList<>();
        try (var threads = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                opening.add(CompletableFuture.supplyAsync(() -> PostgresDatabase.open(settings), threads));
            }
        }
        List<PostgresDatabase> nodes =
                opening.stream().map(CompletableFuture::join).toList();
        try {
            long[] applied = {0};
            nodes.get(0)
                    .select(
                            "the migrations",
                            rows -> applied[0] = rows.getLong(1),
                            "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL");
            assertThat(applied[0]).isEqualTo(10);
        } finally {
            nodes.forEach(PostgresDatabase::close);
        }
    }

    @Test
    void anUnreachableServerIsNamedWithTheReason() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/beckon";

        assertThatThrownBy(() -> PostgresDatabase.open(PostgresSettings.of(url, "beckon", "secret")))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL at " + url + " as beckon: ")
                .hasMessageContaining("refused")
                .hasMessageNotContaining("secret");
    }
}
