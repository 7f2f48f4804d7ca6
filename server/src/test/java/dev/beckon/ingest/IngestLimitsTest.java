package dev.beckon.ingest;

import static dev.beckon.Batches.batch;
import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.TestServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every documented limit of docs/ingestion-protocol.md, at its number and one past it, with the
 * exact reason the client reads. Hostile and odd input is accepted or refused the same way,
 * never with a server error.
 */
class IngestLimitsTest {

    private static final AtomicInteger devices = new AtomicInteger();

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void eachFieldTakesItsLongestValueAndRefusesOneCharacterMore() {
        accepted(e -> e.put("id", "i".repeat(64)));
        rejected(e -> e.put("id", "i".repeat(65)), "id: must be 8 to 64 characters of A-Z, a-z, 0-9, '-' and '_'");
        rejected(e -> e.put("id", "i".repeat(7)), "id: must be 8 to 64 characters of A-Z, a-z, 0-9, '-' and '_'");
        accepted(e -> e.put("name", "n".repeat(200)));
        rejected(e -> e.put("name", "n".repeat(201)), "name: must be 1 to 200 characters; it has 201");
        accepted(e ->
                e.put("deviceId", "d".repeat(128) + devices.incrementAndGet()).put("deviceId", "d".repeat(128)));
        rejected(e -> e.put("deviceId", "d".repeat(129)), "deviceId: must be 1 to 128 characters; it has 129");
        accepted(e -> e.put("userId", "u".repeat(256)));
        rejected(e -> e.put("userId", "u".repeat(257)), "userId: must be 1 to 256 characters; it has 257");
        accepted(e -> e.put("sessionId", "s".repeat(128)));
        rejected(e -> e.put("sessionId", "s".repeat(129)), "sessionId: must be 1 to 128 characters; it has 129");
        accepted(e -> e.put("version", "v".repeat(100)));
        rejected(e -> e.put("version", "v".repeat(101)), "version: must be 1 to 100 characters; it has 101");
    }

    @Test
    void propertiesHaveLimitsOnKeysDepthItemsKeyLengthAndSize() {
        accepted(e -> keys(e, 100));
        rejected(e -> keys(e, 101), "properties: has 101 keys; the limit is 100");
        accepted(e -> e.set("properties", parse(nested(5))));
        rejected(e -> e.set("properties", parse(nested(6))), "properties.a.a.a.a.a: nested deeper than 5 levels");
        accepted(e -> e.with("properties").put("k".repeat(200), 1));
        rejected(e -> e.with("properties").put("k".repeat(201), 1), "properties: keys must be at most 200 characters");
        accepted(e -> items(e, 100));
        rejected(e -> items(e, 101), "properties.list: has 101 items; the limit is 100");
        // Numbers count as the client wrote them: 1e-7 is 4 characters, as a double 1.0E-7 is 6.
        accepted(e -> {
            ObjectNode properties = e.with("properties");
            for (int k = 0; k < 60; k++) {
                var tiny = properties.putArray("k" + k);
                for (int i = 0; i < 100; i++) {
                    tiny.addRawValue(new com.fasterxml.jackson.databind.util.RawValue("1e-7"));
                }
            }
        });
        accepted(e -> e.with("properties").put("s", "x".repeat(32 * 1024 - 8)));
        rejected(
                e -> e.with("properties").put("s", "x".repeat(32 * 1024)),
                "properties: 32776 bytes once serialised; the limit is 32768");
    }

    @Test
    void batchOfFiveHundredEventsPassesAndOneMoreIsRefusedWhole() {
        ObjectNode[] full = new ObjectNode[IngestLimits.MAX_EVENTS_PER_BATCH];
        java.util.Arrays.setAll(full, i -> fresh());
        ObjectNode[] over = new ObjectNode[IngestLimits.MAX_EVENTS_PER_BATCH + 1];
        java.util.Arrays.setAll(over, i -> fresh());

        var fits = server.ingest(batch(full));
        var tooMany = server.ingest(batch(over));

        assertThat(fits.status()).isEqualTo(200);
        assertThat(fits.json().get("accepted").asInt()).isEqualTo(500);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("error").asText())
                .isEqualTo("'events' must hold 1 to 500 events; it holds 501. Split the batch.");
    }

    @Test
    void bodyOfOneMebibyteIsReadAndOneByteMoreIs413WithOrWithoutALength() {
        String exact = padded(IngestLimits.MAX_BODY_BYTES);
        String over = padded(IngestLimits.MAX_BODY_BYTES + 1);
        String message = "the body is larger than 1048576 bytes; split the batch into smaller ones";

        var fits = server.ingest(exact);
        var tooLarge = server.ingest(over);
        var chunked = server.send(HttpRequest.newBuilder(server.uri("/ingest/demo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(over.getBytes(StandardCharsets.UTF_8)))));

        assertThat(fits.status()).as(fits.body()).isEqualTo(200);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("error").asText()).isEqualTo(message);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.json().get("error").asText()).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bytes that start no character | ff fe",
                "an overlong '<' (two bytes for one) | c0 bc",
                "an overlong '/' in three bytes | e0 80 af",
                "a code point above U+10FFFF | f4 90 80 80",
                "an encoded surrogate half | ed a0 80",
                "a character cut short | e2 82"
            })
    void invalidUtf8IsRefusedWith400NamingWhere(String what, String hex) {
        byte[] name = HexFormat.ofDelimiter(" ").parseHex(hex);
        String[] around = batch(fresh()).split("\"name\":\"X\"", 2);
        byte[] body = concat(around[0] + "\"name\":\"", name, "\"" + around[1]);

        var response = server.send(
                HttpRequest.newBuilder(server.uri("/ingest/demo")).POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText())
                .isEqualTo("the body is not valid UTF-8: the bytes at offset " + (around[0].length() + 8)
                        + " are no UTF-8 character");
    }

    @Test
    void aKeyGivenTwiceIsRefusedWith400() {
        String twice = batch(fresh()).replace("\"name\":\"X\"", "\"name\":\"X\",\"name\":\"Y\"");

        var response = server.ingest(twice);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText())
                .isEqualTo("the body is not valid JSON: Duplicate field 'name'");
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + middle.length + tail.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }

    @Test
    void oddUnicodeIsKeptAsSentWhereAllowedAndNamedWhereNot() {
        String odd = "\uFEFFzero\u200Bwidth 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﷽ \u202Eevil a\u0301 👩‍👩‍👧‍👦";
        ObjectNode kept = fresh().put("name", odd).put("userId", odd);
        kept.with("properties").put(odd, odd).put("nul", "a\u0000b");

        JsonNode answer =
                server.ingest(batch(kept, fresh().put("userId", "line\nbreak"))).json();
        JsonNode stored = server.admin(
                        "/api/v1/sites/demo/events?name=" + java.net.URLEncoder.encode(odd, StandardCharsets.UTF_8))
                .json()
                .at("/events/0");

        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.at("/rejected/0/reason").asText())
                .isEqualTo("userId: must not contain control characters or unpaired surrogates");
        assertThat(stored.get("userId").asText()).isEqualTo(odd);
        assertThat(stored.at("/properties").get(odd).asText()).isEqualTo(odd);
        assertThat(stored.at("/properties/nul").asText()).isEqualTo("a\u0000b");
    }

    @Test
    void sqlInTheSiteIdFindsNoSiteAndHarmsNothing() {
        String siteId = java.net.URLEncoder.encode("demo' OR '1'='1", StandardCharsets.UTF_8)
                .replace("+", "%20");

        var response = server.send(HttpRequest.newBuilder(server.uri("/ingest/" + siteId))
                .POST(HttpRequest.BodyPublishers.ofString(batch(fresh()))));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").asText()).isEqualTo("no site has the id 'demo' OR '1'='1'");
        assertThat(server.ingest(batch(fresh())).status()).isEqualTo(200);
    }

    @Test
    void numbersOutsideTheirRangeAreRejectedNotFailed() {
        rejected(
                e -> e.put("clientTime", new java.math.BigInteger("1" + "0".repeat(40))),
                "clientTime: must be an integer number of epoch milliseconds");
        rejected(e -> e.put("clientTime", 1.5), "clientTime: must be an integer number of epoch milliseconds");
        accepted(e -> e.with("properties").put("big", new java.math.BigInteger("9".repeat(100))));

        var tooLong = server.ingest(
                batch(fresh()).replace("\"properties\":{}", "\"properties\":{\"n\":" + "9".repeat(101) + "}"));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("error").asText()).isEqualTo("a number in the body has more than 100 digits");
        // Found by BatchReaderFuzzTest: an exponent beyond what a decimal holds.
        var hugeExponent = server.ingest(
                batch(fresh()).replace("\"properties\":{}", "\"properties\":{\"n\":0e" + "8".repeat(50) + "}"));
        assertThat(hugeExponent.status()).isEqualTo(400);
        assertThat(hugeExponent.json().get("error").asText())
                .isEqualTo("a number in the body has an exponent out of range");
    }

    // Helpers: one event changed by the test, sent alone, expected in or out with a reason.

    private static void accepted(Consumer<ObjectNode> change) {
        ObjectNode e = fresh();
        change.accept(e);
        var response = server.ingest(batch(e));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("rejected")).as(response.body()).isEmpty();
    }

    private static void rejected(Consumer<ObjectNode> change, String reason) {
        ObjectNode e = fresh();
        change.accept(e);
        var response = server.ingest(batch(e));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().at("/rejected/0/reason").asText()).isEqualTo(reason);
    }

    /** An event on a device of its own, so that no device rate applies across the test. */
    private static ObjectNode fresh() {
        return event("X").put("deviceId", "d-limits-" + devices.incrementAndGet());
    }

    private static void keys(ObjectNode e, int count) {
        ObjectNode properties = e.with("properties");
        for (int i = 0; i < count; i++) {
            properties.put("k" + i, i);
        }
    }

    private static void items(ObjectNode e, int count) {
        var list = e.with("properties").putArray("list");
        for (int i = 0; i < count; i++) {
            list.add(i);
        }
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    /** A valid one-event batch padded with whitespace to exactly {@code bytes}. */
    private static String padded(int bytes) {
        String body = batch(fresh());
        return body.substring(0, body.length() - 1) + " ".repeat(bytes - body.length()) + "}";
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
