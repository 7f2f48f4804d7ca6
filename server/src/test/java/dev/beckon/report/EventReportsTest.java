package dev.beckon.report;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.DashboardBrowser;
import dev.beckon.TestServer;
import dev.beckon.robustness.MutableClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The events report over a small data set whose answers are worked out below, in a site whose
 * days are Berlin's (UTC+1 in December): counts and distinct people per day, a breakdown by one
 * property, the SDK version filter, the CSV download, and hostile names and values.
 *
 * <pre>
 * VIEW  d-4 2026-11-30T22:59Z (30 Nov in Berlin: outside)   no category
 * VIEW  d-4 2026-11-30T23:00Z (1 Dec 00:00 in Berlin)      no category
 * VIEW  d-1 2026-12-01T10:00Z  shoes
 * VIEW  d-1 2026-12-01T23:30Z (2 Dec in Berlin)             shoes
 * VIEW  d-2 2026-12-02T09:00Z  hats                  version 2.0.0
 * VIEW  d-2 2026-12-02T10:00Z  =HYPERLINK("http://x") version 2.0.0
 * VIEW  d-3 2026-12-03T08:00Z  no category
 * BUY   d-3 2026-12-03T09:00Z
 * ODD   d-5 2026-12-03T09:30Z  property "it's \"odd\"/~0; DROP TABLE events;--" = "ok"
 *
 * VIEW by day (1, 2, 3 Dec): events 2, 3, 1; people 2, 2, 1; in all 6 events, 4 people.
 * By category: shoes 1, 1, 0 (2 events, 1 person); hats 0, 1, 0; the formula 0, 1, 0;
 * no category 1, 0, 1 (2 events, 2 people).
 * Version 2.0.0: VIEW 0, 2, 0 (2 events, 1 person).
 * </pre>
 */
class EventReportsTest {

    static final String REPORT = "/api/v1/sites/demo/reports/events";
    static final String PERIOD = "&from=2026-12-01&to=2026-12-03";
    static final String ODD_PROPERTY = "it's \"odd\"/~0; DROP TABLE events;--";
    static final String FORMULA = "=HYPERLINK(\"http://x\")";

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void startWithTheDataSet() {
        server = TestServer.start(dataDir, new MutableClock(Instant.parse("2026-12-10T12:00:00Z")));
        var zone = server.api("PATCH", "/api/v1/sites/demo", TestServer.ADMIN_KEY, "{\"timeZone\": \"Europe/Berlin\"}");
        assertThat(zone.status()).isEqualTo(200);
        List<ObjectNode> events = new ArrayList<>();
        events.add(at("d-4", "VIEW", "2026-11-30T22:59:00Z"));
        events.add(at("d-4", "VIEW", "2026-11-30T23:00:00Z"));
        events.add(category(at("d-1", "VIEW", "2026-12-01T10:00:00Z"), "shoes"));
        events.add(category(at("d-1", "VIEW", "2026-12-01T23:30:00Z"), "shoes"));
        events.add(category(at("d-2", "VIEW", "2026-12-02T09:00:00Z"), "hats").put("version", "2.0.0"));
        events.add(category(at("d-2", "VIEW", "2026-12-02T10:00:00Z"), FORMULA).put("version", "2.0.0"));
        events.add(at("d-3", "VIEW", "2026-12-03T08:00:00Z"));
        events.add(at("d-3", "BUY", "2026-12-03T09:00:00Z"));
        ObjectNode odd = at("d-5", "ODD", "2026-12-03T09:30:00Z");
        odd.with("properties").put(ODD_PROPERTY, "ok");
        events.add(odd);
        server.ingestAccepted(events.toArray(ObjectNode[]::new));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void countsAndPeoplePerDayOfTheSitesZone() {
        JsonNode report = report("?event=VIEW&event=BUY" + PERIOD);

        assertThat(report.get("days").toString()).isEqualTo("[\"2026-12-01\",\"2026-12-02\",\"2026-12-03\"]");
        assertThat(report.get("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(series(report))
                .containsExactly("BUY | null | [0,0,1] | [0,0,1] | 1 | 1", "VIEW | null | [2,3,1] | [2,2,1] | 6 | 4");
    }

    @Test
    void aBreakdownSplitsTheCountsByTheValuesOfOneProperty() {
        JsonNode report = report("?event=VIEW&breakdown=category" + PERIOD);

        assertThat(series(report))
                .containsExactly(
                        "VIEW | null | [1,0,1] | [1,0,1] | 2 | 2",
                        "VIEW | " + FORMULA + " | [0,1,0] | [0,1,0] | 1 | 1",
                        "VIEW | hats | [0,1,0] | [0,1,0] | 1 | 1",
                        "VIEW | shoes | [1,1,0] | [1,1,0] | 2 | 1");
    }

    @Test
    void theVersionFilterKeepsTheEventsOfOneSdkVersion() {
        JsonNode report = report("?event=VIEW&version=2.0.0" + PERIOD);

        assertThat(series(report)).containsExactly("VIEW | null | [0,2,0] | [0,1,0] | 2 | 1");
    }

    @Test
    void valuesBeyondTheMostFrequentAreCountedTogether() {
        List<ObjectNode> many = new ArrayList<>();
        for (int i = 0; i < EventReports.MAX_VALUES + 2; i++) {
            many.add(category(at("m-" + i, "MANY", "2026-12-02T12:00:00Z"), "v" + (100 + i)));
        }
        many.add(category(at("m-0", "MANY", "2026-12-02T13:00:00Z"), "v100"));
        server.ingestAccepted(many.toArray(ObjectNode[]::new));

        JsonNode report = report("?event=MANY&breakdown=category" + PERIOD);

        assertThat(report.get("series")).hasSize(EventReports.MAX_VALUES + 1);
        assertThat(report.get("series").get(0).get("value").asText()).isEqualTo("v100");
        JsonNode other = report.get("series").get(EventReports.MAX_VALUES);
        assertThat(other.get("otherValues").asBoolean()).isTrue();
        assertThat(other.get("value").isNull()).isTrue();
        assertThat(other.get("total").asLong())
                .as("v110 and v111, after the ten first by count then text")
                .isEqualTo(2);
    }

    @Test
    void numericValuesAreOrderedAsNumbersBeforeTexts() {
        List<ObjectNode> sizes = new ArrayList<>();
        for (String size : List.of("10", "9", "x", "-1.5", "100")) {
            sizes.add(category(at("s-" + size, "SIZED", "2026-12-02T12:00:00Z"), size));
        }
        server.ingestAccepted(sizes.toArray(ObjectNode[]::new));

        JsonNode report = report("?event=SIZED&breakdown=category" + PERIOD);

        List<String> values = new ArrayList<>();
        report.get("series").forEach(one -> values.add(one.get("value").asText()));
        assertThat(values).containsExactly("-1.5", "9", "10", "100", "x");
    }

    @Test
    void peopleAreCountedByTheIdentityRulesAcrossDevices() {
        server.ingestAccepted(
                at("l-1", "LINKED", "2026-12-01T08:00:00Z"),
                at("l-1", "LINKED", "2026-12-01T09:00:00Z").put("userId", "lin"),
                at("l-2", "LINKED", "2026-12-02T09:00:00Z").put("userId", "lin"),
                at("l-3", "LINKED", "2026-12-02T10:00:00Z"));

        JsonNode report = report("?event=LINKED" + PERIOD);

        assertThat(series(report))
                .as("l-1's anonymous event is lin's, as is l-2's; l-3 is someone else")
                .containsExactly("LINKED | null | [2,2,0] | [1,2,0] | 4 | 2");
    }

    @Test
    void theCsvDownloadHasEveryDayAndTotalWithFormulaCellsNeutralised() {
        var csv = server.admin(REPORT + "?event=VIEW&breakdown=category&format=csv" + PERIOD);

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Disposition").orElse("")).contains("beckon-events-report.csv");
        assertThat(csv.body().split("\r\n"))
                .containsSubsequence(
                        "day,event,breakdown_value,other_values,events,people",
                        "2026-12-01,VIEW,,false,1,1",
                        "all,VIEW,,false,2,2",
                        "2026-12-02,VIEW,\"'=HYPERLINK(\"\"http://x\"\")\",false,1,1",
                        "all,VIEW,shoes,false,2,1");
    }

    @Test
    void theDashboardDownloadIsTheSameCsv() {
        var api = server.admin(REPORT + "?event=VIEW&format=csv" + PERIOD).body();
        var browser = new DashboardBrowser(server);
        browser.signInWithKey(TestServer.ADMIN_KEY);

        var dashboard = browser.get("/dashboard/sites/demo/reports/events/csv?event=VIEW" + PERIOD);

        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).isEqualTo(api);
    }

    @Test
    void hostilePropertyNamesAreBoundNotSpliced() {
        JsonNode odd = report("?event=ODD&breakdown=" + encode(ODD_PROPERTY) + PERIOD);
        JsonNode injected = report("?event=" + encode("VIEW' OR '1'='1") + "&breakdown=" + encode("x') --") + PERIOD);

        assertThat(series(odd)).containsExactly("ODD | ok | [0,0,1] | [0,0,1] | 1 | 1");
        assertThat(injected.get("series")).isEmpty();
        assertThat(series(report("?event=VIEW" + PERIOD))).containsExactly("VIEW | null | [2,3,1] | [2,2,1] | 6 | 4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$.category", "/category", "category[0]", "%", "*", "\\"})
    void pathLikeBreakdownsNameAPropertyLiterally(String breakdown) {
        JsonNode report = report("?event=VIEW&breakdown=" + encode(breakdown) + PERIOD);

        assertThat(series(report)).containsExactly("VIEW | null | [2,3,1] | [2,2,1] | 6 | 4");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "                                   | event: give at least one event name",
                "?event=a&event=b&event=c&event=d&event=e&event=f | event: give at most 5 event names; there are 6",
                "?event=%01                          | event[0]: must have no control characters",
                "?event=VIEW&breakdown=a%0Ab          | breakdown: must have no control characters",
                "?event=VIEW&version=%01              | version: must have no control characters",
                "?event=VIEW&from=yesterday           | from: give a day as YYYY-MM-DD, such as 2026-12-04, not 'yesterday'",
                "?event=VIEW&from=1999-12-31&to=2000-01-01 | from: give a day from 2000-01-01 on, not 1999-12-31",
                "?event=VIEW&format=pdf               | format: must be json, csv or jsonl, not 'pdf'",
            })
    void badParametersAreRefusedPrecisely(String query, String error) {
        var answer = server.admin(REPORT + (query == null ? "" : query));

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo(error);
    }

    @Test
    void overlongTextsAreRefusedWithTheirLimit() {
        assertThat(server.admin(REPORT + "?event=" + "e".repeat(201))
                        .json()
                        .get("error")
                        .asText())
                .isEqualTo("event[0]: must be at most 200 characters; it has 201");
        assertThat(server.admin(REPORT + "?event=VIEW&version=" + "v".repeat(101))
                        .json()
                        .get("error")
                        .asText())
                .isEqualTo("version: must be at most 100 characters; it has 101");
        assertThat(server.admin(REPORT + "?event=VIEW&breakdown=" + "p".repeat(201))
                        .json()
                        .get("error")
                        .asText())
                .isEqualTo("breakdown: must be at most 200 characters; it has 201");
    }

    private static JsonNode report(String query) {
        var answer = server.admin(REPORT + query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** Each series as "name | value | counts | people | total | totalPeople". */
    private static List<String> series(JsonNode report) {
        List<String> lines = new ArrayList<>();
        for (JsonNode s : report.get("series")) {
            lines.add(s.get("name").asText() + " | "
                    + (s.get("value").isNull() ? "null" : s.get("value").asText())
                    + " | " + s.get("counts") + " | " + s.get("people") + " | " + s.get("total") + " | "
                    + s.get("totalPeople"));
        }
        return lines;
    }

    private static ObjectNode category(ObjectNode event, String category) {
        event.with("properties").put("category", category);
        return event;
    }

    private static ObjectNode at(String device, String name, String time) {
        return event(name)
                .put("deviceId", device)
                .put("sessionId", "s-" + device)
                .put("clientTime", Instant.parse(time).toEpochMilli());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
