package dev.beckon.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.event.Event;
import dev.beckon.scaleout.kafka.EventMessages;
import dev.beckon.scaleout.kafka.EventMessages.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventMessagesTest {

    private static final Event EVENT = ScaleOutFixtures.event("shop", "device-1", 4);

    @Test
    void anEventReadsBackAsItWasWritten() {
        Event anonymous = ScaleOutFixtures.event("shop", "device-1", 3);

        assertThat(EventMessages.event(EventMessages.value(EVENT))).isEqualTo(EVENT);
        assertThat(EventMessages.event(EventMessages.value(anonymous))).isEqualTo(anonymous);
        assertThat(anonymous.userId()).isNull();
    }

    @Test
    void theValueIsTheEventsJsonWithMillisecondTimesInUtc() throws Exception {
        ObjectNode value = (ObjectNode) Json.mapper().readTree(EventMessages.value(EVENT));

        assertThat(value.get("siteId").asText()).isEqualTo("shop");
        assertThat(value.get("deviceId").asText()).isEqualTo("device-1");
        assertThat(value.get("time").asText()).isEqualTo("2026-12-01T00:00:02.250Z");
        assertThat(value.get("properties").get("n").asInt()).isEqualTo(4);
    }

    @Test
    void theKeyIsTheSiteAndTheDevice() {
        assertThat(EventMessages.key(EVENT)).isEqualTo("shop/device-1");
        // Site ids hold no '/' (SiteRules), so the first '/' ends the site id whatever the device id.
        assertThat(EventMessages.key(ScaleOutFixtures.event("shop", "a/b", 1))).isEqualTo("shop/a/b");
    }

    @Test
    void fieldsOfANewerWriterAreIgnored() throws Exception {
        ObjectNode value = (ObjectNode) Json.mapper().readTree(EventMessages.value(EVENT));
        value.put("fieldOfALaterVersion", "x");

        assertThat(EventMessages.event(Json.mapper().writeValueAsBytes(value))).isEqualTo(EVENT);
    }

    @Test
    void aValueThatHoldsNoEventIsRefusedWithTheReason() throws Exception {
        ObjectNode withoutSite = (ObjectNode) Json.mapper().readTree(EventMessages.value(EVENT));
        withoutSite.remove("siteId");
        ObjectNode badTime = (ObjectNode) Json.mapper().readTree(EventMessages.value(EVENT));
        badTime.put("time", "yesterday");
        ObjectNode arrayProperties = (ObjectNode) Json.mapper().readTree(EventMessages.value(EVENT));
        arrayProperties.putArray("properties");
        String full = new String(EventMessages.value(EVENT), StandardCharsets.UTF_8);

        refused(null, "the message has no value");
        refused("", "the message's value is not an event");
        refused("null", "JSON null");
        refused("[]", "the message's value is not an event");
        refused("{}", "the message's value is not an event");
        refused("\u0000\u00ff garbage", "the message's value is not an event");
        refused(full.substring(0, full.length() / 2), "the message's value is not an event");
        refused(full + full, "the message's value is not an event");
        refused("[".repeat(10_000), "the message's value is not an event");
        refused(withoutSite.toString(), "the message's value is not an event");
        refused(badTime.toString(), "the message's value is not an event");
        refused(arrayProperties.toString(), "the message's value is not an event");
    }

    private static void refused(String value, String reason) {
        byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EventMessages.event(bytes))
                .as(value == null ? "null" : value.substring(0, Math.min(60, value.length())))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(reason);
    }
}
