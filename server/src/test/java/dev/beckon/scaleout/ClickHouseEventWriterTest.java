package dev.beckon.scaleout;

import static dev.beckon.scaleout.ScaleOutFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.scaleout.clickhouse.ClickHouseEventWriter;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ScaleOutEngines.class)
class ClickHouseEventWriterTest {

    private static final List<String> HOSTILE = List.of(
            "'; DROP TABLE events; --",
            "\\' OR 1=1 --",
            "back\\slash \\\\ and \\u0000 as text",
            "\"quoted\" and 'single' and `back`",
            "<script>alert(1)</script>",
            "line\nbreak\ttab\rreturn",
            "nul\u0000char",
            "emoji 😀🏳️‍🌈 and RTL \u202Eevil\u202C and combining é",
            "=HYPERLINK(\"http://x\")",
            "bell \u0007, backspace \b, unit separator \u001f, DEL \u007f",
            "{\"not\":\"an object\"}");

    @Test
    void everyFieldIsStoredAsItCameHostileTextIncluded() {
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            String text = HOSTILE.get(i);
            ObjectNode properties =
                    Json.mapper().createObjectNode().put(text, text).put("big", Long.MAX_VALUE);
            properties
                    .putObject("nested")
                    .putArray("list")
                    .add(text)
                    .add(1.5)
                    .addNull()
                    .add(true);
            Instant time = ScaleOutFixtures.T0.plusMillis(i * 1_001L);
            events.add(new Event(
                    "shop",
                    "hostile-event-" + i,
                    text,
                    "device " + text,
                    i % 2 == 0 ? null : text,
                    text,
                    properties,
                    text,
                    time.minusMillis(999),
                    time.plusMillis(1),
                    time));
        }

        int written = new ClickHouseEventWriter(clickHouse).write(events);

        assertThat(written).isEqualTo(events.size());
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void writingStoredEventsAgainStoresOnlyTheNewOnesAndKeepsTheFirstCopy() {
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        var writer = new ClickHouseEventWriter(clickHouse);
        List<Event> first = ScaleOutFixtures.events("shop", 5, 2);
        List<Event> retried = new ArrayList<>();
        for (Event e : first) {
            // A client's retry: the same events, received again a little later.
            retried.add(new Event(
                    e.siteId(),
                    e.id(),
                    e.name(),
                    e.deviceId(),
                    e.userId(),
                    e.sessionId(),
                    e.properties(),
                    e.version(),
                    e.clientTime(),
                    e.serverTime().plusSeconds(3),
                    e.time().plusMillis(2)));
        }
        List<Event> fresh = List.of(event("shop", "device-9", 0), event("other-site", "device-0", 0));

        int once = writer.write(first);
        int again = writer.write(concat(retried, fresh));
        int thrice = writer.write(concat(first, fresh));

        assertThat(once).isEqualTo(10);
        assertThat(again).isEqualTo(2);
        assertThat(thrice).isZero();
        assertThat(ScaleOutFixtures.stored(clickHouse)).containsExactlyInAnyOrderElementsOf(concat(first, fresh));
    }

    @Test
    void anEventTwiceInOneBatchIsStoredOnce() {
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        List<Event> events = ScaleOutFixtures.events("shop", 3, 3);

        int written = new ClickHouseEventWriter(clickHouse).write(concat(events, events));

        assertThat(written).isEqualTo(9);
        assertThat(ScaleOutFixtures.rowCount(clickHouse)).isEqualTo(9);
    }

    @Test
    void aBatchBeyondClickHousesQuerySizeLimitIsCheckedInChunks() {
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        // 20,000 events of 4,000 devices: about 900 KB of keys, so the check takes several queries.
        List<Event> events = ScaleOutFixtures.events("shop", 4_000, 5);
        var writer = new ClickHouseEventWriter(clickHouse);

        int once = writer.write(events);
        int again = writer.write(events);

        assertThat(once).isEqualTo(20_000);
        assertThat(again).isZero();
        assertThat(ScaleOutFixtures.rowCount(clickHouse)).isEqualTo(20_000);
    }

    @Test
    void aBatchOfOneDeviceBeyondTheQuerySizeLimitIsCheckedInChunks() {
        ClickHouseHttp clickHouse = ScaleOutFixtures.migratedDatabase();
        // One device whose 5,000 keys of ~250 bytes (quotes escaped) need about 1.2 MB of SQL.
        String device = "'".repeat(100);
        List<Event> events = new ArrayList<>();
        for (int n = 0; n < 5_000; n++) {
            Event e = event("shop", device, n);
            events.add(new Event(
                    e.siteId(),
                    "event-" + n + "-" + "x".repeat(50),
                    e.name(),
                    device,
                    e.userId(),
                    e.sessionId(),
                    e.properties(),
                    e.version(),
                    e.clientTime(),
                    e.serverTime(),
                    e.time()));
        }
        var writer = new ClickHouseEventWriter(clickHouse);

        int once = writer.write(events);
        int again = writer.write(events);

        assertThat(once).isEqualTo(5_000);
        assertThat(again).isZero();
        assertThat(ScaleOutFixtures.rowCount(clickHouse)).isEqualTo(5_000);
    }

    private static List<Event> concat(List<Event> a, List<Event> b) {
        List<Event> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
