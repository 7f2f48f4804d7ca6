package dev.beckon.retention;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.TestServer;
import dev.beckon.robustness.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server purges every site when it starts, by the retention set through the admin API. */
class RetentionAtStartTest {

    @TempDir
    Path dataDir;

    @Test
    void aRestartedServerDeletesWhatItsSitesNoLongerKeep() throws Exception {
        var clock = new MutableClock(Instant.parse("2026-10-01T08:00:00Z"));
        try (var server = TestServer.start(dataDir, clock)) {
            server.ingestAccepted(event("OLD_VIEW"), event("OLD_CART"));
            var changed = server.api("PATCH", "/api/v1/sites/demo", TestServer.ADMIN_KEY, "{\"retentionDays\": 30}");
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        }
        clock.advance(Duration.ofDays(31));

        try (var server = TestServer.start(dataDir, clock)) {
            server.ingestAccepted(event("NEW_VIEW"));

            assertThat(eventuallyOnly(server, "NEW_VIEW")).containsExactly("NEW_VIEW");
        }
    }

    /** The names of the site's events once they are {@code expected}, or when 10 s have passed. */
    private static List<String> eventuallyOnly(TestServer server, String... expected) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(10);
        List<String> names;
        do {
            JsonNode events = server.admin("/api/v1/sites/demo/events").json().get("events");
            names = StreamSupport.stream(events.spliterator(), false)
                    .map(e -> e.get("name").asText())
                    .toList();
            if (names.equals(List.of(expected))) {
                return names;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(giveUp));
        return names;
    }
}
