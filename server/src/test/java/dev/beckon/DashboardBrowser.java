package dev.beckon;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser of the dashboard for tests: a cookie jar, and forms that it sends as a page of the
 * server would, from the server's origin and with the session's CSRF token, unless told otherwise.
 */
public final class DashboardBrowser {

    public static final String COOKIE = "beckon_dashboard";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final TestServer server;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;
    private String csrfToken;

    public DashboardBrowser(TestServer server) {
        this.server = server;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).build();
    }

    /** Signs in with an API key, as the demo does; the answer is the sign-in's. */
    public HttpResponse<String> signInWithKey(String key) {
        return signedIn(postWithoutToken("/dashboard/login", Map.of("key", key), Optional.of(server.baseUrl())));
    }

    /** Signs in with an account; the answer is the sign-in's. */
    public HttpResponse<String> signIn(String email, String password) {
        return signedIn(postWithoutToken(
                "/dashboard/login", Map.of("email", email, "password", password), Optional.of(server.baseUrl())));
    }

    private HttpResponse<String> signedIn(HttpResponse<String> answer) {
        csrfToken = null;
        if (answer.statusCode() == 302) {
            var matcher = CSRF.matcher(following("/dashboard/").body());
            csrfToken = matcher.find() ? matcher.group(1) : null;
        }
        return answer;
    }

    /** The CSRF token of the signed-in session, as its pages carry it; null before sign-in. */
    public String csrfToken() {
        return csrfToken;
    }

    /** A GET that follows up to five redirects within the server. */
    public HttpResponse<String> following(String path) {
        HttpResponse<String> answer = get(path);
        for (int i = 0; i < 5 && answer.statusCode() / 100 == 3; i++) {
            answer = get(answer.headers().firstValue("Location").orElseThrow());
        }
        return answer;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(server.uri(path)));
    }

    /** A form sent from a page of the server, with the session's CSRF token. */
    public HttpResponse<String> post(String path, Map<String, String> form) {
        var withToken = new LinkedHashMap<>(form);
        if (csrfToken != null) {
            withToken.putIfAbsent("csrf", csrfToken);
        }
        return postWithoutToken(path, withToken, Optional.of(server.baseUrl()));
    }

    /** A form with only the fields given, from {@code origin} (none when empty). */
    public HttpResponse<String> postWithoutToken(String path, Map<String, String> form, Optional<String> origin) {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        origin.ifPresent(value -> request.header("Origin", value));
        return send(request);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The session token that a sign-in's answer set; it fails when the answer set none. */
    public static String issuedToken(HttpResponse<String> signIn) {
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    /** Plants a session cookie, as an attacker who can write cookies for the server's host could. */
    public void setSessionCookie(String token) {
        var cookie = new HttpCookie(COOKIE, token);
        cookie.setPath("/dashboard");
        cookie.setVersion(0);
        cookies.getCookieStore().add(server.uri("/dashboard/"), cookie);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
