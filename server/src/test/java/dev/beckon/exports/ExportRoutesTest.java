package dev.beckon.exports;

import static dev.beckon.Batches.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.ImportClient;
import dev.beckon.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment and cohort exports on a real server: the row shape for users with several devices, users
 * without one and anonymous devices; formula cells neutralised in CSV and untouched in JSON lines;
 * a streamed export of many rows; and the round trip of an export imported back as a cohort.
 */
class ExportRoutesTest {

    static final String SITE = "/api/v1/sites/demo";
    static final String FORMULA = "=HYPERLINK(\"http://evil\",\"x\")";

    @TempDir
    static Path dataDir;

    static TestServer server;
    static ImportClient imports;

    @BeforeAll
    static void startWithPeople() {
        server = TestServer.start(dataDir);
        imports = new ImportClient(server);
        server.ingestAccepted(
                viewed("ann", "d-ann-phone"),
                viewed("ann", "d-ann-laptop"),
                viewed(FORMULA, "d-evil"),
                viewed(null, "-d-anon"));
        imports.imported("userId,plan\nann,pro\ncohort-only,team\n" + csvCell(FORMULA) + ",x\n", "vip");
        post(SITE + "/segments", "{\"id\": \"everyone\", \"name\": \"Everyone\", \"condition\": {\"all\": []}}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void segmentMembersAreOneRowPerDeviceWithFormulaCellsNeutralisedInCsv() {
        TestServer.Response csv = server.admin(SITE + "/segments/everyone/export?format=csv");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.header("Content-Disposition")).contains("attachment; filename=\"beckon-segment-everyone.csv\"");
        assertThat(csv.body())
                .isEqualTo("userId,deviceId\r\n"
                        + "\"\",'-d-anon\r\n"
                        + "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",d-evil\r\n"
                        + "ann,d-ann-laptop\r\n"
                        + "ann,d-ann-phone\r\n"
                        + "cohort-only,\r\n");
    }

    @Test
    void jsonLinesCarryTheValuesUntouched() {
        TestServer.Response lines = server.admin(SITE + "/segments/everyone/export?format=jsonl");

        assertThat(lines.header("Content-Type")).contains("application/x-ndjson");
        assertThat(lines.body())
                .isEqualTo("{\"userId\":null,\"deviceId\":\"-d-anon\"}\n"
                        + "{\"userId\":\"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\",\"deviceId\":\"d-evil\"}\n"
                        + "{\"userId\":\"ann\",\"deviceId\":\"d-ann-laptop\"}\n"
                        + "{\"userId\":\"ann\",\"deviceId\":\"d-ann-phone\"}\n"
                        + "{\"userId\":\"cohort-only\",\"deviceId\":null}\n");
    }

    @Test
    void cohortMembersAreExportedWithTheirDevicesAndWithoutTheImportsOwn() {
        TestServer.Response csv = server.admin(SITE + "/cohorts/vip/export");

        assertThat(csv.body())
                .isEqualTo("userId,deviceId\r\n"
                        + "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",d-evil\r\n"
                        + "ann,d-ann-laptop\r\n"
                        + "ann,d-ann-phone\r\n"
                        + "cohort-only,\r\n");
    }

    @Test
    void aCsvExportImportedBackIntoACohortGivesTheSamePeopleOnceFormulaQuotesAreRemoved() {
        String exported = server.admin(SITE + "/cohorts/vip/export?format=csv").body();
        String asCsvOfIds = exported.replace("'=HYPERLINK", "=HYPERLINK");

        imports.imported(asCsvOfIds, "vip-again");

        assertThat(server.admin(SITE + "/cohorts/vip-again/export").body()).isEqualTo(exported);
    }

    @Test
    void aLongExportIsStreamedInFull() throws Exception {
        StringBuilder file = new StringBuilder("userId\n");
        for (int i = 0; i < 50_000; i++) {
            file.append("member-").append(i).append('\n');
        }
        imports.imported(file.toString(), "many");

        HttpResponse<Stream<String>> export = server.client()
                .send(
                        HttpRequest.newBuilder(server.uri(SITE + "/cohorts/many/export?format=jsonl"))
                                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        long lines;
        try (Stream<String> body = export.body()) {
            lines = body.filter(line -> line.startsWith("{\"userId\":\"member-"))
                    .count();
        }

        assertThat(export.headers().firstValue("Content-Length")).isEmpty();
        assertThat(lines).isEqualTo(50_000);
    }

    @Test
    void refusalsNameTheProblem() {
        assertError(server.admin(SITE + "/cohorts/nope/export"), 404, "site 'demo' has no cohort 'nope'");
        assertError(server.admin(SITE + "/segments/nope/export"), 404, "site 'demo' has no segment 'nope'");
        assertError(
                server.admin(SITE + "/segments/everyone/export?format=xlsx"),
                400,
                "format: must be csv or jsonl, not 'xlsx'");
        assertThat(server.send(HttpRequest.newBuilder(server.uri(SITE + "/cohorts/vip/export")))
                        .status())
                .isEqualTo(401);
    }

    private static String csvCell(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    private static ObjectNode viewed(String userId, String deviceId) {
        ObjectNode event = event("$page_view");
        event.put("deviceId", deviceId).put("sessionId", "s-" + deviceId);
        event.with("properties").put("path", "/");
        if (userId != null) {
            event.put("userId", userId);
        }
        return event;
    }

    private static void post(String path, String json) {
        var answer = server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    private static void assertError(TestServer.Response answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error").asText()).isEqualTo(message);
    }
}
