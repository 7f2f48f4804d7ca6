package dev.beckon.exports;

import dev.beckon.campaign.Campaign;
import dev.beckon.site.Site;
import dev.beckon.survey.SurveyQuestion;
import dev.beckon.survey.SurveyReports;
import java.util.ArrayList;
import java.util.List;

/**
 * A survey's responses, one row a response, keyed by custom user id and device id
 * (docs/imports-exports.md, "Survey responses"): the response's own columns, then a column {@code
 * answer:<question id>} a question, and {@code other:<question id>} after each question that offers
 * "other". Each answer is the response's latest to the question, as the survey report counts it.
 * The texts are the visitors' own, so in CSV every one is neutralised against formulas.
 */
public final class SurveyResponseExports {

    /** The columns before the questions'. */
    public static final List<String> RESPONSE_COLUMNS =
            List.of("responseId", "userId", "deviceId", "startedAt", "completed");

    /** What separates the choices of a multiple choice in one cell. */
    public static final String CHOICE_SEPARATOR = "; ";

    private final SurveyReports reports;

    public SurveyResponseExports(SurveyReports reports) {
        this.reports = reports;
    }

    /** The export's columns for this survey. */
    public static List<String> columns(Campaign campaign) {
        List<String> columns = new ArrayList<>(RESPONSE_COLUMNS);
        for (SurveyQuestion question : SurveyQuestion.of(campaign)) {
            columns.add("answer:" + question.id());
            if (question.other()) {
                columns.add("other:" + question.id());
            }
        }
        return List.copyOf(columns);
    }

    /** Writes every started response of the survey. */
    public void responses(Site site, Campaign campaign, ExportWriter out) {
        List<SurveyQuestion> questions = SurveyQuestion.of(campaign);
        reports.forEachResponse(site, campaign, response -> {
            List<Object> row = new ArrayList<>();
            row.add(response.responseId());
            row.add(response.userId());
            row.add(response.deviceId());
            row.add(response.startedAt());
            row.add(response.completed());
            for (SurveyQuestion question : questions) {
                row.add(cell(response.answers().get(question.id())));
                if (question.other()) {
                    row.add(response.others().get(question.id()));
                }
            }
            out.row(row.toArray());
        });
        out.finish();
    }

    private static Object cell(Object answer) {
        return answer instanceof List<?> choices
                ? String.join(
                        CHOICE_SEPARATOR, choices.stream().map(String::valueOf).toList())
                : answer;
    }
}
