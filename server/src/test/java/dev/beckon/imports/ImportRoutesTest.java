package dev.beckon.imports;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.ImportClient;
import dev.beckon.TestServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports through the admin API, on a real server and DuckDB file: cohorts, user properties, reports. */
class ImportRoutesTest {

    @TempDir
    Path dataDir;

    TestServer server;
    ImportClient imports;

    @BeforeEach
    void start() {
        server = TestServer.start(dataDir);
        imports = new ImportClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void idsImportedIntoACohortAreMembersOfASegmentThatAsksForIt() {
        JsonNode job = imports.imported("userId\nann\nbob\nann\n", "vip");
        var segment = post(
                "/api/v1/sites/demo/segments",
                "{\"id\": \"vips\", \"name\": \"VIPs\"," + " \"condition\": {\"inCohort\": \"vip\"}}");

        assertThat(job.get("status").asText()).isEqualTo("done");
        assertThat(job.get("rowsKept").asLong()).isEqualTo(3);
        assertThat(job.get("cohortMembersAdded").asLong()).isEqualTo(2);
        assertThat(job.get("bytesRead").asLong()).isEqualTo(job.get("fileBytes").asLong());
        assertThat(segment.json().get("size").asLong()).isEqualTo(2);
        assertThat(server.admin("/api/v1/sites/demo/segments/vips/members")
                        .json()
                        .toString())
                .isEqualTo("{\"members\":[{\"userId\":\"ann\",\"deviceId\":null},"
                        + "{\"userId\":\"bob\",\"deviceId\":null}]}");
        assertThat(server.admin("/api/v1/sites/demo/cohorts").json().toString())
                .isEqualTo("{\"cohorts\":[{\"name\":\"vip\",\"size\":2}]}");
    }

    @Test
    void importedPropertiesWinOverOlderOnesAndSegmentsAndProfilesSeeThem() {
        ObjectNode older = properties("ann", "d-ann", System.currentTimeMillis() - 86_400_000L);
        older.with("properties").put("plan", "free").put("language", "en");
        server.ingestAccepted(older);

        JsonNode job = imports.imported("userId,plan,age:number,paid:boolean\nann,pro,41,true\ncarl,,17,false\n", null);
        var adults = post(
                "/api/v1/sites/demo/segments/preview",
                "{\"condition\": {\"all\": ["
                        + "{\"userProperty\": {\"property\": \"age\", \"op\": \"gte\", \"value\": 18}},"
                        + "{\"userProperty\": {\"property\": \"plan\", \"op\": \"eq\", \"value\": \"pro\"}}]}}");
        JsonNode ann = server.admin("/api/v1/sites/demo/users/ann").json();

        assertThat(job.get("userPropertyEventsAdded").asLong()).isEqualTo(2);
        assertThat(ann.get("userProperties").toString())
                .isEqualTo("{\"plan\":\"pro\",\"language\":\"en\",\"age\":41,\"paid\":true}");
        assertThat(adults.json().get("members").toString()).isEqualTo("[{\"userId\":\"ann\",\"deviceId\":null}]");
        assertThat(server.admin("/api/v1/sites/demo/users/carl")
                        .json()
                        .get("userProperties")
                        .toString())
                .isEqualTo("{\"age\":17,\"paid\":false}");
    }

    @Test
    void importingTheSameFileAgainChangesNothing() {
        String file = "userId,plan,age:number\nann,pro,41\nbob,team,30\n,bad,1\n";
        imports.imported(file, "vip");
        String annBefore = server.admin("/api/v1/sites/demo/users/ann").body();
        String cohortBefore = server.admin("/api/v1/sites/demo/cohorts/vip/export?format=jsonl")
                .body();
        String eventsBefore =
                server.admin("/api/v1/sites/demo/events?limit=1000").body();

        JsonNode again = imports.imported(file, "vip");

        assertThat(again.get("status").asText()).isEqualTo("done");
        assertThat(again.get("rowsKept").asLong()).isEqualTo(2);
        assertThat(again.get("rowsRejected").asLong()).isEqualTo(1);
        assertThat(again.get("cohortMembersAdded").asLong()).isZero();
        assertThat(again.get("userPropertyEventsAdded").asLong()).isZero();
        assertThat(server.admin("/api/v1/sites/demo/users/ann").body()).isEqualTo(annBefore);
        assertThat(server.admin("/api/v1/sites/demo/cohorts/vip/export?format=jsonl")
                        .body())
                .isEqualTo(cohortBefore);
        assertThat(server.admin("/api/v1/sites/demo/events?limit=1000").body()).isEqualTo(eventsBefore);
    }

    @Test
    void theReportListsEachBadRowWithItsLineAndReasonAndFormulaTextNeutralised() {
        JsonNode job = imports.imported("userId,age:number\nann,1\nbob,=HYPERLINK(\"x\")\n,2\ncarl\n", "c");

        assertThat(job.get("rowsRejected").asLong()).isEqualTo(3);
        assertThat(imports.report(job))
                .isEqualTo("line,reason\r\n"
                        + "3,\"age (number): '=HYPERLINK(\"\"x\"\")' is not a number such as 42, -1.5 or 2e3\"\r\n"
                        + "4,userId: must not be empty\r\n"
                        + "5,has 1 cells; the header has 2\r\n");
    }

    @Test
    void aBadHeaderFailsTheImportWithTheReasonInTheAnswerAndTheReport() {
        JsonNode job = imports.imported("userId,plan,plan\nann,a,b\n", "c");

        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("error").asText())
                .isEqualTo("line 1: column 3 of the header repeats the name 'plan' of column 2; rename one");
        assertThat(imports.report(job)).contains("1,column 3 of the header repeats the name");
        assertThat(server.admin("/api/v1/sites/demo/cohorts").json().get("cohorts"))
                .isEmpty();
    }

    @Test
    void aFileOfIdsOnlyNeedsACohort() {
        JsonNode job = imports.imported("userId\nann\n", null);

        assertThat(job.get("error").asText())
                .isEqualTo("line 1: the file has only a userId column; give a cohort to import it into, or property"
                        + " columns");
    }

    @Test
    void hostileIdsCohortNamesAndFormulaCellsAreStoredAndExportedLiterally() {
        String cohort = "'; DROP TABLE cohort_members; --";
        String file = "\uFEFFuserId,note\r\n"
                + "\"'; DELETE FROM events; --\",\"=HYPERLINK(\"\"http://evil\"\")\"\n"
                + "\"<img src=x onerror=alert(1)>\",@SUM(A1)\r\n"
                + "\"a\\\"\"b%_*\",+1\n"
                + "\uD83D\uDE00\u202E,\" -2\"\n";

        JsonNode job = imports.imported(file, cohort);
        String exported = server.admin("/api/v1/sites/demo/cohorts/" + encode(cohort) + "/export?format=jsonl")
                .body();
        JsonNode formulaUser = server.admin("/api/v1/sites/demo/users/" + encode("'; DELETE FROM events; --"))
                .json();

        assertThat(job.get("rowsKept").asLong()).as(job.toString()).isEqualTo(4);
        assertThat(exported.lines().map(line -> readJson(line).get("userId").asText()))
                .containsExactly(
                        "'; DELETE FROM events; --", "<img src=x onerror=alert(1)>", "a\\\"b%_*", "\uD83D\uDE00\u202E");
        assertThat(formulaUser.get("userProperties").get("note").asText()).isEqualTo("=HYPERLINK(\"http://evil\")");
        assertThat(server.admin("/api/v1/sites/demo/cohorts")
                        .json()
                        .get("cohorts")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo(cohort);
    }

    private static JsonNode readJson(String line) {
        try {
            return dev.beckon.Json.mapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    @Test
    void refusalsNameTheProblem() {
        var noKey = server.send(HttpRequest.newBuilder(server.uri(ImportClient.IMPORTS))
                .POST(HttpRequest.BodyPublishers.ofString("userId\na\n")));
        var badCohort = imports.submit(HttpRequest.BodyPublishers.ofString("userId\na\n"), "a\u0001b");
        var longCohort = imports.submit(HttpRequest.BodyPublishers.ofString("userId\na\n"), "c".repeat(501));
        var unknown = server.admin(ImportClient.IMPORTS + "/nope");
        var otherSite = server.admin("/api/v1/sites/nosuch/imports");

        assertThat(noKey.status()).isEqualTo(401);
        assertError(badCohort, 400, "cohort: must not contain control characters or unpaired surrogates");
        assertError(longCohort, 400, "cohort: must be 1 to 500 characters");
        assertError(unknown, 404, "site 'demo' has no import 'nope'");
        assertThat(otherSite.status()).isEqualTo(404);
    }

    @Test
    void importsAreListedNewestFirst() {
        String first = imports.imported("userId\na\n", "one").get("id").asText();
        String second = imports.imported("userId\nb\n", "two").get("id").asText();

        JsonNode listed = server.admin(ImportClient.IMPORTS).json().get("imports");

        assertThat(listed).extracting(j -> j.get("id").asText()).containsExactly(second, first);
    }

    @Test
    void progressIsAnsweredWhileAnImportRuns() {
        StringBuilder file = new StringBuilder("userId,n:number\n");
        for (int i = 0; i < 200_000; i++) {
            file.append("user-").append(i).append(',').append(i).append('\n');
        }
        var answer = imports.submit(HttpRequest.BodyPublishers.ofString(file.toString()), null);
        String id = answer.json().get("id").asText();

        JsonNode early = server.admin(ImportClient.IMPORTS + "/" + id).json();
        JsonNode done = imports.finished(id, Duration.ofSeconds(120));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.header("Location")).contains(ImportClient.IMPORTS + "/" + id);
        assertThat(early.get("fileBytes").asLong()).isEqualTo(file.length());
        assertThat(early.get("rowsRead").asLong()).isBetween(0L, 200_000L);
        assertThat(done.get("rowsKept").asLong()).isEqualTo(200_000);
        assertThat(done.get("userPropertyEventsAdded").asLong()).isEqualTo(200_000);
    }

    private static ObjectNode properties(String userId, String deviceId, long clientTime) {
        ObjectNode event = event("$user_properties");
        event.put("userId", userId).put("deviceId", deviceId).put("sessionId", "s-" + deviceId);
        event.put("clientTime", clientTime);
        return event;
    }

    private TestServer.Response post(String path, String json) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static void assertError(TestServer.Response answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error").asText()).isEqualTo(message);
    }
}
