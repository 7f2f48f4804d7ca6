package dev.beckon.survey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.Json;
import dev.beckon.campaign.Campaign;
import dev.beckon.campaign.SurveyParser;
import dev.beckon.http.HttpError;
import dev.beckon.site.Site;
import dev.beckon.store.TimelineCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a survey's answers say (docs/surveys.md, "Reports"): how many responses started, completed
 * or stayed partial, where visitors left, and how each question was answered, with the NPS of an
 * {@code nps} question.
 *
 * <p>The counts are made in one pass over the latest answer of each response to each question, as
 * {@link SurveyAnswers#forEachAnswer} reads them, so the memory used follows the number of
 * questions and choices, not of responses. An answer that does not fit its question (a score out
 * of range, a choice the survey does not offer, which only a hand-made event can hold) counts as
 * skipped, never as a value.
 *
 * <p>Definitions, so that the figures can be checked by hand:
 *
 * <ul>
 *   <li>completion rate: completed responses over started ones;
 *   <li>a question's {@code reached}: responses that answered or skipped it; {@code leftAfter}:
 *       partial responses whose last answered or skipped question it was; its drop-off rate is
 *       {@code leftAfter} over {@code reached};
 *   <li>shares of a distribution are over the responses that answered the question; for a
 *       multiple choice they add up to more than 1;
 *   <li>NPS: the percentage of promoters (9, 10) less that of detractors (0 to 6), over the
 *       responses that answered, from -100 to 100.
 * </ul>
 */
public final class SurveyReports {

    public static final int DEFAULT_TEXTS = 50;
    public static final int MAX_TEXTS = 200;
    public static final int MAX_SEARCH_LENGTH = 200;
    /** The label of the bucket of "other" texts in a choice question's distribution. */
    public static final String OTHER = "Other";

    private final SurveyAnswers answers;

    public SurveyReports(SurveyAnswers answers) {
        this.answers = answers;
    }

    /** One value of a question's answers, how many responses gave it, and their share of those who answered. */
    public record Bucket(String value, long count, Double share) {}

    /** The NPS of a question: its promoters, passives and detractors, and the score, from -100 to 100. */
    public record Nps(long promoters, long passives, long detractors, Double score) {}

    /**
     * One question's figures.
     *
     * @param distribution each score (in order) or choice (in the survey's order, then "Other"); empty for text
     * @param average the mean score of a score question, null otherwise or when no one answered
     * @param nps for an {@code nps} question, else null
     * @param dropOffRate {@code leftAfter} over {@code reached}, null when no one reached it
     */
    public record QuestionReport(
            String id,
            String type,
            String text,
            long reached,
            long answered,
            long skipped,
            long leftAfter,
            Double dropOffRate,
            List<Bucket> distribution,
            Double average,
            Nps nps) {}

    /**
     * A survey's report.
     *
     * @param leftBeforeAnswering showings that became no response: closed at the intro or at the first question
     * @param completionRate completed over started, null when none started
     */
    public record Summary(
            String campaignId,
            long shownPeople,
            long showings,
            long started,
            long completed,
            long partial,
            long people,
            long leftBeforeAnswering,
            Double completionRate,
            List<QuestionReport> questions) {}

    /**
     * The survey's report.
     *
     * @throws HttpError 400 when the campaign is not a survey
     */
    public Summary summary(Site site, Campaign campaign) {
        List<SurveyQuestion> questions = questions(campaign);
        SurveyAnswers.Totals totals = answers.totals(site.id(), campaign.id());
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (SurveyQuestion question : questions) {
            tallies.put(question.id(), new Tally(question));
        }
        List<String> withAnswers = questions.stream()
                .filter(q -> q.isScore() || q.isChoice())
                .map(SurveyQuestion::id)
                .toList();
        answers.forEachAnswer(site.id(), campaign.id(), withAnswers, answer -> {
            Tally tally = answer.questionId() == null ? null : tallies.get(answer.questionId());
            if (tally != null) {
                tally.add(answer);
            }
        });
        return new Summary(
                campaign.id(),
                totals.shownPeople(),
                totals.showings(),
                totals.started(),
                totals.completed(),
                totals.started() - totals.completed(),
                totals.people(),
                Math.max(0, totals.showings() - totals.started()),
                rate(totals.completed(), totals.started()),
                tallies.values().stream().map(Tally::report).toList());
    }

    /** A page of free texts, and the cursor of the next page, or null when this is the last. */
    public record TextPage(List<SurveyAnswers.Text> answers, String next) {}

    /**
     * Free texts of the survey, newest first: the answers of {@code text} questions and the "other"
     * texts of choice questions.
     *
     * @param questionId one question's texts, or null for all
     * @param search a case-insensitive substring, or null or blank for every text
     * @param cursor the {@code next} of the page before, or null
     * @throws HttpError 400 for a question that has no texts, a search longer than {@link
     *     #MAX_SEARCH_LENGTH}, a limit outside 1 to {@link #MAX_TEXTS}, or a cursor this did not make
     */
    public TextPage texts(Site site, Campaign campaign, String questionId, String search, int limit, String cursor) {
        List<SurveyQuestion> questions = questions(campaign);
        List<SurveyQuestion> chosen = questions.stream()
                .filter(SurveyQuestion::hasText)
                .filter(q -> questionId == null || q.id().equals(questionId))
                .toList();
        if (questionId != null && chosen.isEmpty()) {
            throw HttpError.badRequest("question: '" + truncate(questionId) + "' is no question of this survey with"
                    + " text answers; those are "
                    + questions.stream()
                            .filter(SurveyQuestion::hasText)
                            .map(SurveyQuestion::id)
                            .toList());
        }
        if (search != null && search.length() > MAX_SEARCH_LENGTH) {
            throw HttpError.badRequest("q: must be at most " + MAX_SEARCH_LENGTH + " characters");
        }
        if (limit < 1 || limit > MAX_TEXTS) {
            throw HttpError.badRequest("limit: must be a whole number from 1 to " + MAX_TEXTS);
        }
        TimelineCursor after = cursor == null || cursor.isEmpty()
                ? null
                : TimelineCursor.parse(cursor)
                        .orElseThrow(() -> HttpError.badRequest("cursor: pass the 'next' of the page before"));
        List<SurveyAnswers.Text> page = answers.texts(
                site.id(),
                campaign.id(),
                chosen.stream()
                        .filter(q -> q.type().equals(SurveyParser.TEXT))
                        .map(SurveyQuestion::id)
                        .toList(),
                chosen.stream()
                        .filter(SurveyQuestion::other)
                        .map(SurveyQuestion::id)
                        .toList(),
                search == null || search.isBlank() ? null : search,
                after,
                limit + 1);
        if (page.size() <= limit) {
            return new TextPage(page, null);
        }
        List<SurveyAnswers.Text> shown = List.copyOf(page.subList(0, limit));
        return new TextPage(shown, shown.getLast().cursor().toString());
    }

    /**
     * One response: who gave it, when it started, whether it was completed, and its latest answer
     * to each question (null when it skipped it or never reached it).
     *
     * @param answers by question id: an {@link Integer} for scores, a {@link String} for a single
     *     choice or a text, a {@link List} of strings for a multiple choice
     * @param others by question id, the "other" texts given
     */
    public record Response(
            String responseId,
            String userId,
            String deviceId,
            java.time.Instant startedAt,
            boolean completed,
            Map<String, Object> answers,
            Map<String, String> others) {}

    /**
     * Hands every started response of the survey to {@code sink}, in response id order, one at a
     * time: the memory used is one response's.
     */
    public void forEachResponse(Site site, Campaign campaign, Consumer<Response> sink) {
        List<SurveyQuestion> questions = questions(campaign);
        Map<String, SurveyQuestion> byId = new LinkedHashMap<>();
        questions.forEach(q -> byId.put(q.id(), q));
        var building = new Object() {
            SurveyAnswers.Answer first;
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, String> others = new LinkedHashMap<>();

            void flush() {
                if (first != null) {
                    String person = first.personKey();
                    sink.accept(new Response(
                            first.responseId(),
                            person != null && person.startsWith("u:") ? person.substring(2) : null,
                            first.deviceId(),
                            first.startedAt(),
                            first.completed(),
                            values,
                            others));
                }
                first = null;
                values = new LinkedHashMap<>();
                others = new LinkedHashMap<>();
            }
        };
        answers.forEachAnswer(site.id(), campaign.id(), byId.keySet(), answer -> {
            if (building.first != null && !building.first.responseId().equals(answer.responseId())) {
                building.flush();
            }
            if (building.first == null) {
                building.first = answer;
            }
            SurveyQuestion question = answer.questionId() == null ? null : byId.get(answer.questionId());
            if (question == null) {
                return;
            }
            Object value = answer.skipped() ? null : value(question, parse(answer.answerJson()));
            if (value != null) {
                building.values.put(question.id(), value);
            }
            if (question.other() && answer.other() != null && !answer.other().isBlank()) {
                building.others.put(question.id(), answer.other());
            }
        });
        building.flush();
    }

    /** The survey's questions. @throws HttpError 400 when the campaign is a nudge */
    static List<SurveyQuestion> questions(Campaign campaign) {
        if (!SurveyQuestion.isSurvey(campaign)) {
            throw HttpError.badRequest("campaign '" + campaign.id() + "' is a nudge; only a survey has answers");
        }
        return SurveyQuestion.of(campaign);
    }

    /**
     * An answer as its question reads it: a score within its scale, a choice it offers (or any text
     * for a single choice with "other"), a list of its choices, a text; null when it does not fit.
     */
    static Object value(SurveyQuestion question, JsonNode answer) {
        if (answer == null || answer.isNull()) {
            return null;
        }
        switch (question.type()) {
            case SurveyParser.NPS, SurveyParser.RATING -> {
                if (!answer.isNumber() || !answer.canConvertToExactIntegral()) {
                    return null;
                }
                long score = answer.asLong();
                return score < question.lowestScore() || score > question.highestScore() ? null : (int) score;
            }
            case SurveyParser.SINGLE -> {
                if (!answer.isTextual()) {
                    return null;
                }
                return question.choices().contains(answer.asText()) || question.other() ? answer.asText() : null;
            }
            case SurveyParser.MULTIPLE -> {
                if (!answer.isArray()) {
                    return null;
                }
                Set<String> chosen = new LinkedHashSet<>();
                for (JsonNode item : answer) {
                    if (item.isTextual() && (question.choices().contains(item.asText()) || question.other())) {
                        chosen.add(item.asText());
                    }
                }
                return chosen.isEmpty() ? null : List.copyOf(chosen);
            }
            default -> {
                return answer.isTextual() && !answer.asText().isBlank() ? answer.asText() : null;
            }
        }
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The counts of one question, added up answer by answer. */
    private static final class Tally {

        private final SurveyQuestion question;
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private long reached;
        private long answered;
        private long leftAfter;
        private long scoreSum;

        Tally(SurveyQuestion question) {
            this.question = question;
            if (question.isScore()) {
                for (int score = question.lowestScore(); score <= question.highestScore(); score++) {
                    counts.put(Integer.toString(score), 0L);
                }
            }
            question.choices().forEach(choice -> counts.put(choice, 0L));
            if (question.other()) {
                counts.put(OTHER, 0L);
            }
        }

        void add(SurveyAnswers.Answer answer) {
            reached++;
            if (answer.last() && !answer.completed()) {
                leftAfter++;
            }
            if (question.type().equals(SurveyParser.TEXT)) {
                answered += answer.skipped() ? 0 : 1;
                return;
            }
            Object value = answer.skipped() ? null : value(question, parse(answer.answerJson()));
            boolean otherText = question.other()
                    && answer.other() != null
                    && !answer.other().isBlank();
            if (value == null && !otherText) {
                return;
            }
            answered++;
            switch (value) {
                case null -> countChoices(List.of(), true);
                case Integer score -> {
                    scoreSum += score;
                    counts.merge(Integer.toString(score), 1L, Long::sum);
                }
                case String choice -> countChoices(List.of(choice), otherText);
                case List<?> choices -> countChoices(choices, otherText);
                default -> throw new IllegalStateException("an answer of " + value.getClass());
            }
        }

        /** Each offered choice once; anything else, and an "other" text, once as "Other". */
        private void countChoices(List<?> chosen, boolean otherText) {
            boolean other = otherText;
            for (Object choice : chosen) {
                if (question.choices().contains(choice)) {
                    counts.merge((String) choice, 1L, Long::sum);
                } else {
                    other = true;
                }
            }
            if (other) {
                counts.merge(OTHER, 1L, Long::sum);
            }
        }

        QuestionReport report() {
            List<Bucket> distribution = new ArrayList<>();
            counts.forEach((value, count) -> distribution.add(new Bucket(value, count, rate(count, answered))));
            return new QuestionReport(
                    question.id(),
                    question.type(),
                    question.text(),
                    reached,
                    answered,
                    reached - answered,
                    leftAfter,
                    rate(leftAfter, reached),
                    distribution,
                    question.isScore() && answered > 0 ? (double) scoreSum / answered : null,
                    question.type().equals(SurveyParser.NPS) ? nps() : null);
        }

        private Nps nps() {
            long promoters = counts.get("9") + counts.get("10");
            long detractors = 0;
            for (int score = 0; score <= 6; score++) {
                detractors += counts.get(Integer.toString(score));
            }
            long passives = answered - promoters - detractors;
            Double score = answered == 0 ? null : 100.0 * (promoters - detractors) / answered;
            return new Nps(promoters, passives, detractors, score);
        }
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static String truncate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
