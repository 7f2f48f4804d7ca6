package dev.beckon.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;

/** The JSON form of campaigns, as the admin API answers them and the store keeps them (docs/campaigns.md). */
public final class CampaignJson {

    private CampaignJson() {}

    /** What an editor wrote, in the field order of docs/campaigns.md; {@link CampaignParser} reads it back. */
    public static ObjectNode definition(CampaignDefinition definition) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("name", definition.name());
        json.put("kind", definition.kind());
        json.put("priority", definition.priority());
        json.set("audience", audience(definition.audience()));
        ObjectNode schedule = json.putObject("schedule");
        schedule.put("start", time(definition.schedule().start()));
        schedule.put("end", time(definition.schedule().end()));
        json.set("trigger", definition.trigger().deepCopy());
        json.set("caps", definition.caps().deepCopy());
        json.set("content", definition.content().deepCopy());
        json.set("goal", definition.goal() == null ? null : definition.goal().deepCopy());
        var devices = json.putArray("testDevices");
        definition.testDevices().forEach(devices::add);
        return json;
    }

    /** A saved campaign: its id, status and version, its definition, and when it was made and changed. */
    public static ObjectNode describe(Campaign campaign) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("id", campaign.id());
        ObjectNode definition = definition(campaign.definition());
        json.set("name", definition.remove("name"));
        json.set("kind", definition.remove("kind"));
        json.put("status", campaign.status().wire());
        json.set("priority", definition.remove("priority"));
        json.put("version", campaign.version());
        json.setAll(definition);
        json.put("createdAt", time(campaign.createdAt()));
        json.put("updatedAt", time(campaign.updatedAt()));
        json.put("publishedAt", time(campaign.publishedAt()));
        return json;
    }

    static ObjectNode audience(Audience audience) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("segment", audience.segment());
        percent(json, "rolloutPercent", audience.rolloutPercent());
        percent(json, "controlPercent", audience.controlPercent());
        return json;
    }

    /** A whole percentage as an integer, so that 100 reads back as it was written. */
    private static void percent(ObjectNode json, String field, double value) {
        if (value == Math.rint(value)) {
            json.put(field, (long) value);
        } else {
            json.put(field, value);
        }
    }

    static String time(java.time.Instant instant) {
        return instant == null ? null : Json.TIME_FORMAT.format(instant);
    }
}
