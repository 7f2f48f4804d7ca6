package dev.beckon.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Batches;
import dev.beckon.TestServer;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's search box and profile pages, signed in, over a real server and DuckDB. */
class ProfileSearchTest {

    static final String SCRIPT = "<script>alert(1)</script>";
    static final String HOSTILE_USER = "eve" + SCRIPT;
    static final long T0 = 1_764_000_000_000L;
    static final int TIMELINE_EVENTS = 120;

    @TempDir
    static Path dataDir;

    static TestServer server;
    static HttpClient browser;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.ingestAccepted(
                event("ANONYMOUS", "d-search", null, 0),
                with(event("$user_properties", "d-search", "ann@example.com", 1), "note", SCRIPT),
                with(event("$session_properties", "d-search", "ann@example.com", 2), "campaign", SCRIPT),
                event("HOSTILE", "d-hostile" + SCRIPT, HOSTILE_USER, 3),
                event("SAME_ID_AS_DEVICE", "both-ids", null, 4),
                event("SAME_ID_AS_USER", "d-other", "both-ids", 5));
        var timeline = new ObjectNode[TIMELINE_EVENTS];
        for (int i = 0; i < TIMELINE_EVENTS; i++) {
            timeline[i] = event("STEP_" + i, "d-long", "long-history", 100 + i);
        }
        server.ingestAccepted(timeline);
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        signIn();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void searchByUserIdOpensTheUsersProfile() throws Exception {
        var answer = get(search("ann@example.com"));

        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location")).contains("/dashboard/sites/demo/users/ann%40example.com");
    }

    @Test
    void searchByDeviceIdOpensTheDevicesProfile() throws Exception {
        var answer = get(search(" d-search "));

        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location")).contains("/dashboard/sites/demo/devices/d-search");
    }

    @Test
    void searchForAnIdThatIsBothAUserAndADeviceListsBoth() throws Exception {
        var answer = get(search("both-ids"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body())
                .contains("href=\"/dashboard/sites/demo/users/both-ids\"")
                .contains("href=\"/dashboard/sites/demo/devices/both-ids\"");
    }

    @Test
    void searchForAnUnknownIdSaysSoWithTheIdEscaped() throws Exception {
        var answer = get(search(SCRIPT + "' OR 1=1 --"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body())
                .contains("No user and no device")
                .doesNotContain(SCRIPT)
                .contains("&lt;script&gt;");
    }

    @Test
    void searchForWhatCannotBeAnIdSaysWhy() throws Exception {
        assertThat(get(search("x".repeat(257))).body()).contains("No event can have that id");
        assertThat(get(search("tab\there")).body()).contains("No event can have that id");
        assertThat(get(search("")).body()).contains("Type a custom user id or a device id");
    }

    @Test
    void userProfileShowsDevicesPropertiesSessionsAndAnonymousHistory() throws Exception {
        var page = get("/dashboard/sites/demo/users/ann%40example.com").body();

        assertThat(page)
                .contains("href=\"/dashboard/sites/demo/devices/d-search\"")
                .contains("User properties")
                .contains("Sessions")
                .contains("ANONYMOUS")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain(SCRIPT);
    }

    @Test
    void userProfileLinksToTheExportOfTheUsersData() throws Exception {
        var page = get("/dashboard/sites/demo/users/ann%40example.com").body();
        var export = get("/dashboard/sites/demo/users/ann%40example.com/export");

        assertThat(page).contains("href=\"/dashboard/sites/demo/users/ann%40example.com/export\"");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.body()).contains("\"userId\":\"ann@example.com\"").contains("\"ANONYMOUS\"");
    }

    @Test
    void hostileUserAndDeviceIdsAreEscapedEverywhere() throws Exception {
        var user = get("/dashboard/sites/demo/users/" + path(HOSTILE_USER));
        var device = get("/dashboard/sites/demo/devices/" + path("d-hostile" + SCRIPT));
        var overview = get("/dashboard/sites/demo");

        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(device.statusCode()).isEqualTo(200);
        for (var page : List.of(user, device, overview)) {
            assertThat(page.body()).doesNotContain(SCRIPT).contains("&lt;script&gt;");
        }
    }

    @Test
    void timelinePagesThroughEveryEventOnceOldestLast() throws Exception {
        List<String> seen = new ArrayList<>();
        String url = "/dashboard/sites/demo/users/long-history";
        int pages = 0;

        while (url != null) {
            var page = get(url).body();
            seen.addAll(eventNames(page));
            url = olderLink(page);
            pages++;
        }

        Set<String> distinct = new HashSet<>(seen);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(TIMELINE_EVENTS).first().isEqualTo("STEP_119");
        assertThat(seen).last().isEqualTo("STEP_0");
        assertThat(distinct).hasSize(TIMELINE_EVENTS);
    }

    @Test
    void malformedIdsAndCursorsAre400() throws Exception {
        assertThat(get("/dashboard/sites/demo/users/" + "u".repeat(257)).statusCode())
                .isEqualTo(400);
        assertThat(get("/dashboard/sites/demo/devices/" + "d".repeat(129)).statusCode())
                .isEqualTo(400);
        assertThat(get("/dashboard/sites/demo/users/a%0Ab").statusCode()).isEqualTo(400);
        assertThat(get("/dashboard/sites/demo/users/long-history?after=nonsense")
                        .statusCode())
                .isEqualTo(400);
    }

    // Helpers

    private static ObjectNode event(String name, String deviceId, String userId, int second) {
        ObjectNode event = Batches.event(name);
        event.put("deviceId", deviceId);
        event.put("sessionId", "s-" + deviceId.hashCode());
        event.put("clientTime", T0 + second * 1000L);
        if (userId != null) {
            event.put("userId", userId);
        }
        return event;
    }

    private static ObjectNode with(ObjectNode event, String key, String value) {
        event.with("properties").put(key, value);
        return event;
    }

    private static String search(String query) {
        return "/dashboard/sites/demo/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    private static String path(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> eventNames(String page) {
        var names = new ArrayList<String>();
        var matcher = Pattern.compile("<span class=\"event-name [^\"]*\">([^<]+)</span>")
                .matcher(page);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String olderLink(String page) {
        var matcher = Pattern.compile("<a href=\"([^\"]+)\">Older events</a>").matcher(page);
        return matcher.find() ? matcher.group(1).replace("&amp;", "&") : null;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void signIn() throws Exception {
        var request = HttpRequest.newBuilder(server.uri("/dashboard/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", server.baseUrl())
                .POST(HttpRequest.BodyPublishers.ofString(
                        "key=" + URLEncoder.encode(TestServer.ADMIN_KEY, StandardCharsets.UTF_8)))
                .build();
        assertThat(browser.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(302);
    }
}
