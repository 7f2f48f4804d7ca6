package dev.beckon.survey;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.beckon.store.TimelineCursor;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The reads of stored events that survey reports need, on the store that holds the events
 * (docs/surveys.md, "Reports"). Only events of the variant {@code test} count: a {@code preview}
 * never does, and a {@code $survey_*} event without a variant counts as {@code test}, as the plugin
 * means it. A response is the events of one {@code responseId} of the campaign; its answer to a
 * question is its latest {@code $survey_answered} for it, by event time. People are counted by the
 * identity rules (docs/identity.md), so a user's devices count once.
 */
public interface SurveyAnswers {

    /**
     * A survey's responses, counted.
     *
     * @param shownPeople people with a {@code $campaign_shown} of the campaign, as the funnel counts them
     * @param showings {@code $campaign_shown} events: each showing can become one response
     * @param started responses with at least one {@code $survey_answered} or a {@code $survey_completed}
     * @param completed responses with a {@code $survey_completed}
     * @param people the people the started responses belong to
     */
    record Totals(long shownPeople, long showings, long started, long completed, long people) {}

    Totals totals(String siteId, String campaignId);

    /**
     * A response's latest answer to one question, with what the response as a whole was.
     *
     * @param personKey {@code u:<user id>} or {@code d:<device id>}, by the identity rules
     * @param deviceId the device of the response's first event
     * @param questionId null on the one row of a response that answered nothing but completed
     * @param answerJson the {@code answer} as JSON text; null when skipped, absent, or not asked for
     * @param other the "other" text, or null
     * @param last whether this was the last question the response answered or skipped
     */
    record Answer(
            String responseId,
            String personKey,
            String deviceId,
            Instant startedAt,
            boolean completed,
            String questionId,
            String answerJson,
            String other,
            boolean skipped,
            boolean last,
            Instant time) {}

    /**
     * Hands to {@code sink}, as they are read, the latest answer of each response to each question,
     * ordered by response id then question id, so that one response's rows come together.
     *
     * @param withAnswers the questions whose {@code answer} is read; others have {@code answerJson}
     *     null, so that long texts are not read for counting
     */
    void forEachAnswer(String siteId, String campaignId, Collection<String> withAnswers, Consumer<Answer> sink);

    /**
     * One free text: a {@code text} question's answer or the "other" text of a choice.
     *
     * @param other whether it is the "other" text of a choice
     * @param cursor where the next page starts after this item; in JSON, the text that the answers
     *     route takes back as {@code cursor}
     */
    record Text(
            String responseId,
            String questionId,
            String text,
            boolean other,
            Instant time,
            @JsonSerialize(using = ToStringSerializer.class) TimelineCursor cursor) {}

    /**
     * Free texts, newest first, that hold {@code search} ignoring case.
     *
     * @param answerQuestions the questions whose {@code answer} is a text
     * @param otherQuestions the questions whose {@code other} is a text
     * @param search a substring, matched literally (no wildcards), or null for every text
     * @param after the cursor of the last item of the page before, or null for the first page
     * @return at most {@code limit} texts
     */
    List<Text> texts(
            String siteId,
            String campaignId,
            Collection<String> answerQuestions,
            Collection<String> otherQuestions,
            String search,
            TimelineCursor after,
            int limit);
}
