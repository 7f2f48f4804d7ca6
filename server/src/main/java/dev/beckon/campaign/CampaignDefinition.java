package dev.beckon.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.segment.Condition;
import dev.beckon.segment.ConditionParser;
import java.util.List;

/**
 * What an editor writes of a campaign, checked by {@link CampaignParser}. The trigger, caps,
 * content and goal are kept in the JSON form of docs/campaigns.md, since the config endpoint sends
 * them to the nudges plugin as they are (conditions and filters in one spelling, {@link
 * dev.beckon.segment.CanonicalConditionJson}); the parts the server itself decides on are typed.
 *
 * @param trigger {@code {"on": {...}, "condition": {...}}}, the condition optional
 * @param caps the frequency caps; an absent cap is no limit
 * @param content the nudge's layout, texts, buttons and theme
 * @param goal {@code {"event", "where", "windowHours", "after"}}, or null when the campaign has none
 * @param testDevices device ids that get the campaign before it is live, whatever its audience
 */
public record CampaignDefinition(
        String name,
        String kind,
        int priority,
        Audience audience,
        Schedule schedule,
        ObjectNode trigger,
        ObjectNode caps,
        ObjectNode content,
        ObjectNode goal,
        List<String> testDevices) {

    public CampaignDefinition {
        testDevices = List.copyOf(testDevices);
    }

    /** The trigger's condition, or null when it has none; it was checked when parsed, so this does not fail. */
    public Condition triggerCondition() {
        var condition = trigger.get("condition");
        return condition == null || condition.isNull() ? null : ConditionParser.parse(condition);
    }
}
