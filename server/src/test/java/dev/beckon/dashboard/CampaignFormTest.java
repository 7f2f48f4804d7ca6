package dev.beckon.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import dev.beckon.campaign.CampaignDefinition;
import dev.beckon.campaign.CampaignParser;
import dev.beckon.http.HttpError;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/**
 * A campaign made through the admin API, opened in the dashboard's editor and saved unchanged, is
 * the campaign it was: the form holds every field the API takes.
 */
class CampaignFormTest {

    static final String CAMPAIGN = """
            {"name": "Four buttons and a filtered goal",
             "trigger": {"on": {"kind": "event", "event": "TAP"}},
             "content": {"layout": "modal", "title": "Hi",
               "buttons": [
                 {"label": "One", "action": "url", "url": "/one?x={username|}"},
                 {"label": "Two", "action": "event", "event": "TWO"},
                 {"label": "Three", "action": "next"},
                 {"label": "Four", "action": "dismiss"}]},
             "goal": {"event": "ORDER", "windowHours": 48, "after": "clicked",
               "where": [{"property": "value", "op": "gt", "value": 1000}]}}""";

    @Test
    void savingTheFormOfACampaignKeepsItsFourthButtonAndItsGoalFilters() throws Exception {
        CampaignDefinition made = CampaignParser.parse(Json.mapper().readTree(CAMPAIGN));

        JsonNode saved = CampaignForm.of("four", made).toJson();
        CampaignDefinition again = CampaignParser.parse(saved);

        assertThat(again.content().get("buttons")).isEqualTo(made.content().get("buttons"));
        assertThat(again.content().get("buttons")).hasSize(4);
        assertThat(again.goal()).isEqualTo(made.goal());
        assertThat(again.goal().get("where").toString())
                .isEqualTo("[{\"property\":\"value\",\"op\":\"gt\",\"value\":1000}]");
    }

    @Test
    void aFieldThatIsNotJsonIsNamedWithWhereItBreaksInOurWords() {
        CampaignForm blank = CampaignForm.blank();
        var fields = new HashMap<>(blank.fields());
        fields.put("name", "Broken filters");
        fields.put("triggerKind", "event");
        fields.put("triggerEvent", "TAP");
        fields.put("triggerWhere", "[{\"property\": ");
        var form = new CampaignForm(fields, blank.buttons());

        assertThatThrownBy(form::toJson)
                .isInstanceOf(HttpError.class)
                .hasMessageStartingWith("trigger.on.where: is not valid JSON: ")
                .hasMessageNotContaining("Source")
                .hasMessageNotContaining("REDACTED");
    }
}
