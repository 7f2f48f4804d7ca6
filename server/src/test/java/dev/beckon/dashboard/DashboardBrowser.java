package dev.beckon.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.TestServer;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser signed in to the dashboard with the test admin key: it keeps the session cookie and
 * sends the page's CSRF token with every form, as the dashboard's own forms do.
 */
public final class DashboardBrowser {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final TestServer server;
    private final HttpClient client =
            HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private String csrf;

    private DashboardBrowser(TestServer server) {
        this.server = server;
    }

    /** Signs in, then reads the CSRF token from {@code pageWithAForm}. */
    public static DashboardBrowser signIn(TestServer server, String pageWithAForm) throws Exception {
        var browser = new DashboardBrowser(server);
        var response = browser.post("/dashboard/login", Map.of("key", TestServer.ADMIN_KEY));
        assertThat(response.statusCode()).isEqualTo(302);
        var token = CSRF_FIELD.matcher(browser.get(pageWithAForm).body());
        assertThat(token.find()).isTrue();
        browser.csrf = token.group(1);
        return browser;
    }

    HttpClient client() {
        return client;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts {@code form} from the server's own origin, with the CSRF token unless it has one. */
    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        var withToken = new LinkedHashMap<>(form);
        if (csrf != null) {
            withToken.putIfAbsent("csrf", csrf);
        }
        String body = withToken.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", server.baseUrl())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
