package dev.beckon.survey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.CampaignParser;
import dev.beckon.campaign.SurveyParser;
import java.util.ArrayList;
import java.util.List;

/**
 * One question of a saved survey, as the reports read it: the parts that decide how its answers
 * are counted. The survey was checked by {@link SurveyParser} when it was saved, so this trusts it.
 *
 * @param choices the choices of a {@code single} or {@code multiple} question, else empty
 * @param other whether a {@code single} or {@code multiple} question offers an "other" text
 */
public record SurveyQuestion(
        String id, String type, String text, boolean required, List<String> choices, boolean other) {

    public SurveyQuestion {
        choices = List.copyOf(choices);
    }

    /** The questions of a survey in their order; empty for a nudge. */
    public static List<SurveyQuestion> of(Campaign campaign) {
        if (!isSurvey(campaign)) {
            return List.of();
        }
        List<SurveyQuestion> questions = new ArrayList<>();
        for (JsonNode question : campaign.definition().content().path("questions")) {
            List<String> choices = new ArrayList<>();
            question.path("choices").forEach(choice -> choices.add(choice.asText()));
            questions.add(new SurveyQuestion(
                    question.path("id").asText(),
                    question.path("type").asText(),
                    question.path("text").asText(),
                    question.path("required").asBoolean(false),
                    choices,
                    question.path("other").asBoolean(false)));
        }
        return List.copyOf(questions);
    }

    public static boolean isSurvey(Campaign campaign) {
        return campaign.definition().kind().equals(CampaignParser.SURVEY);
    }

    /** Whether an answer is a score to count: {@code nps} and {@code rating}. */
    public boolean isScore() {
        return type.equals(SurveyParser.NPS) || type.equals(SurveyParser.RATING);
    }

    /** Whether an answer is one or more of the choices: {@code single} and {@code multiple}. */
    public boolean isChoice() {
        return type.equals(SurveyParser.SINGLE) || type.equals(SurveyParser.MULTIPLE);
    }

    /** Whether its answers are free text: a {@code text} question, or the "other" of a choice. */
    public boolean hasText() {
        return type.equals(SurveyParser.TEXT) || other;
    }

    /** The lowest and highest score of a score question: 0 to 10 for NPS, 1 to 5 for a rating. */
    public int lowestScore() {
        return type.equals(SurveyParser.NPS) ? 0 : 1;
    }

    public int highestScore() {
        return type.equals(SurveyParser.NPS) ? 10 : 5;
    }
}
