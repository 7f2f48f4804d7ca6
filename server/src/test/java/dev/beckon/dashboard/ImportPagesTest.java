package dev.beckon.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.Batches;
import dev.beckon.TestServer;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's import form, progress and report, and the cohorts page with its exports, with
 * hostile ids and cohort names shown escaped.
 */
class ImportPagesTest {

    static final String SITE = "/dashboard/sites/demo";
    static final String SCRIPT = "<script>alert('x')</script>";
    static final String BOUNDARY = "----beckon-test-boundary";

    @TempDir
    static Path dataDir;

    static TestServer server;

    HttpClient browser;

    String csrf;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void signIn() throws Exception {
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        var request = HttpRequest.newBuilder(server.uri("/dashboard/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", server.baseUrl())
                .POST(HttpRequest.BodyPublishers.ofString("key=" + TestServer.ADMIN_KEY))
                .build();
        assertThat(browser.send(request, HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(302);
        var token = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(get(SITE + "/imports"));
        assertThat(token.find()).isTrue();
        csrf = token.group(1);
    }

    @Test
    void anUploadOpensTheImportsPageWhoseProgressEndsWithTheReport() throws Exception {
        String cohort = "vip" + SCRIPT;
        String file = "userId,age:number\n\"" + SCRIPT + "\",1\nann,ten\n";

        var uploaded = upload(file, cohort);
        String page = get(uploaded.headers().firstValue("Location").orElseThrow());
        String progress = awaitDone(uploaded.headers().firstValue("Location").orElseThrow());
        String report = get(uploaded.headers().firstValue("Location").orElseThrow() + "/report");
        String list = get(SITE + "/imports");

        assertThat(uploaded.statusCode()).isEqualTo(303);
        assertThat(page)
                .contains("<progress max=\"100\"")
                .doesNotContain(SCRIPT)
                .contains("&lt;script&gt;");
        assertThat(progress)
                .contains("data-testid=\"rows-kept\">1</span>")
                .contains("data-testid=\"rows-rejected\">1</span>")
                .doesNotContain("hx-trigger")
                .contains("/report\" data-testid=\"report\"");
        assertThat(report)
                .isEqualTo("line,reason\r\n3,\"age (number): 'ten' is not a number such as 42, -1.5 or 2e3\"\r\n");
        assertThat(list).contains("vip&lt;script&gt;").doesNotContain(SCRIPT);
    }

    @Test
    void theProgressOfAnImportUnderWayPollsItself() throws Exception {
        StringBuilder file = new StringBuilder("userId,n:number\n");
        for (int i = 0; i < 100_000; i++) {
            file.append("poll-").append(i).append(',').append(i).append('\n');
        }

        String location =
                upload(file.toString(), "").headers().firstValue("Location").orElseThrow();
        String first = get(location + "/progress");
        awaitDone(location);

        assertThat(first).contains("data-testid=\"progress\"");
        if (!first.contains("data-status=\"done\"")) {
            assertThat(first).contains("hx-get=\"" + location + "/progress\"").contains("hx-trigger=\"every 1s\"");
        }
    }

    @Test
    void theCohortsPageListsEachCohortWithItsExportsAndEscapesItsName() throws Exception {
        awaitDone(upload("userId\n\"" + SCRIPT + "\"\nbob\n", "c" + SCRIPT)
                .headers()
                .firstValue("Location")
                .orElseThrow());

        String cohorts = get(SITE + "/cohorts");
        String encoded = URLEncoder.encode("c" + SCRIPT, StandardCharsets.UTF_8).replace("+", "%20");
        String export = get(SITE + "/cohorts/" + encoded + "/export?format=csv");

        assertThat(cohorts).contains("c&lt;script&gt;").doesNotContain(SCRIPT);
        assertThat(cohorts).contains(SITE + "/cohorts/" + encoded + "/export?format=jsonl");
        assertThat(export).isEqualTo("userId,deviceId\r\n" + SCRIPT + ",\r\nbob,\r\n");
    }

    @Test
    void anUploadFromAnotherSiteOrWithoutAFileIsRefused() throws Exception {
        var foreign = browser.send(
                multipart("userId\nann\n", "x")
                        .header("Origin", "http://evil.example")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        var noFile = browser.send(
                HttpRequest.newBuilder(server.uri(SITE + "/imports"))
                        .header("Origin", server.baseUrl())
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .header("X-CSRF-Token", csrf)
                        .POST(HttpRequest.BodyPublishers.ofString(field("cohort", "x") + "--" + BOUNDARY + "--\r\n"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(noFile.body()).contains("choose a CSV file to import");
    }

    @Test
    void theOverviewLeavesOutTheDevicesOfImportedPropertiesFromItsListsAndCounts() throws Exception {
        server.ingestAccepted(
                Batches.event("checkout").put("deviceId", "dev-bea").put("userId", "bea"));
        awaitDone(upload("userId,plan\nimported-user,pro\nbea,pro\n", "")
                .headers()
                .firstValue("Location")
                .orElseThrow());

        String overview = get(SITE);
        String counts =
                overview.substring(overview.indexOf("<h2>Events by name</h2>"), overview.indexOf("<h2>Devices</h2>"));
        String devices = overview.substring(overview.indexOf("<h2>Devices</h2>"), overview.indexOf("<h2>Users</h2>"));
        String users = overview.substring(overview.indexOf("<h2>Users</h2>"), overview.indexOf("Live events"));

        assertThat(overview).contains("imported-user");
        assertThat(devices).doesNotContain("/devices/%24import");
        assertThat(users).doesNotContain("$import:").contains("title=\"dev-bea\"");
        assertThat(counts)
                .containsPattern(
                        "\\$user_properties</span></td>\\s*<td class=\"num\">\\d+</td>\\s*<td class=\"num\">0</td>");
    }

    @Test
    void aSavedSegmentLinksToItsExports() throws Exception {
        var saved = server.send(HttpRequest.newBuilder(server.uri("/api/v1/sites/demo/segments"))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\": \"all\", \"name\": \"All\", \"condition\": {\"all\": []}}")));

        String page = get(SITE + "/segments/all");
        String export = get(SITE + "/segments/all/export?format=jsonl");

        assertThat(saved.status()).isEqualTo(201);
        assertThat(page)
                .contains("href=\"" + SITE + "/segments/all/export?format=csv\"")
                .contains("href=\"" + SITE + "/segments/all/export?format=jsonl\"");
        assertThat(export).startsWith("{\"userId\":");
    }

    // Helpers

    private String awaitDone(String importPage) throws Exception {
        for (int i = 0; i < 600; i++) {
            String progress = get(importPage + "/progress");
            if (progress.contains("data-status=\"done\"") || progress.contains("data-status=\"failed\"")) {
                return progress;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the import did not finish");
    }

    private HttpResponse<String> upload(String file, String cohort) throws Exception {
        return browser.send(
                multipart(file, cohort).header("Origin", server.baseUrl()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder multipart(String file, String cohort) {
        String body = field("cohort", cohort)
                + "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n"
                + file + "\r\n"
                + "--" + BOUNDARY + "--\r\n";
        return HttpRequest.newBuilder(server.uri(SITE + "/imports"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String field(String name, String value) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private String get(String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
