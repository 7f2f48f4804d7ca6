package dev.beckon.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.TestServer;
import dev.beckon.http.JsonBody;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every refusal under /api/ is JSON of one shape, {"error": "..."}, with a status that says what
 * kind of mistake it is and a message that says what to fix.
 */
class ApiErrorsTest {

    @TempDir
    static Path dataDir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET    | /api/v1/no/such/thing          |                      | 404 | nothing is served at /api/v1/no/such/thing",
                "DELETE | /api/v1/sites                  |                      | 405 | DELETE is not allowed on /api/v1/sites",
                "PUT    | /api/v1/sites/demo/events      |                      | 405 | PUT is not allowed on /api/v1/sites/demo/events",
                "POST   | /api/v1/accounts               | {not json            | 400 | the body is not valid JSON: ",
                "POST   | /api/v1/accounts               | []                   | 400 | the body must be a JSON object",
                "POST   | /api/v1/accounts               | {}                   | 400 | email: is required",
                "POST   | /api/v1/keys                   | {\"label\": \"x\", \"role\": \"boss\"} | 400 | role: must be one of",
                "POST   | /api/v1/sites                  | {\"id\": \"A B\", \"name\": \"x\"} | 400 | id: give 1 to 64",
                "PATCH  | /api/v1/sites/demo             | {\"allowedOrigins\": [\"https://a.example/path\"]} | 400 | allowedOrigins[0]:",
                "GET    | /api/v1/accounts/nope          |                      | 404 | no account has the id 'nope'",
                "DELETE | /api/v1/keys/nope              |                      | 404 | no active API key has the id 'nope'",
                "GET    | /api/v1/sites/nope             |                      | 404 | no site has the id 'nope'",
            })
    void refusalsAreJsonWithAMessageThatSaysWhatToFix(
            String method, String path, String body, int status, String messageStart) {
        var answer = server.api(method, path, TestServer.ADMIN_KEY, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(answer.json().properties()).hasSize(1);
        assertThat(answer.json().get("error").asText()).startsWith(messageStart);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "POST, /api/v1/sites/demo/segments",
        "PUT, /api/v1/sites/demo/segments/s",
        "POST, /api/v1/sites",
        "PATCH, /api/v1/sites/demo",
        "POST, /api/v1/keys",
        "POST, /api/v1/accounts",
        "POST, /api/v1/sites/demo/campaigns"
    })
    void aBodyOverTheLimitIs413NamingTheLimit(String method, String path) {
        String huge = "{\"name\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}";

        var answer = server.api(method, path, TestServer.ADMIN_KEY, huge);

        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        assertThat(answer.json().properties()).hasSize(1);
        assertThat(answer.json().get("error").asText())
                .isEqualTo("the body is larger than " + JsonBody.MAX_BODY_BYTES + " bytes; shorten it (the limit is"
                        + " the same for every admin API route)");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"POST, /api/v1/sites/demo/segments", "POST, /api/v1/sites", "POST, /api/v1/keys"})
    void aKeyGivenTwiceIsNamedWithItsPosition(String method, String path) {
        var answer = server.api(method, path, TestServer.ADMIN_KEY, "{\"name\": \"a\",\n \"name\": \"b\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText())
                .isEqualTo("the body is not valid JSON: Duplicate field 'name' (at line 2, column 8)");
    }

    @Test
    void anUnclosedObjectIsPlacedInTheClientsWordsNotTheParsers() {
        var answer = server.api("PATCH", "/api/v1/sites/demo", TestServer.ADMIN_KEY, "{");

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText())
                .startsWith("the body is not valid JSON: Unexpected end-of-input: expected close marker for Object"
                        + " (opened at line 1, column 1)")
                .doesNotContain("Source")
                .doesNotContain("StreamReadFeature");
    }

    @ParameterizedTest
    @CsvSource({"GET, /api/v1/no/such/thing", "GET, /api/v1/sites", "DELETE, /api/v1/keys/x"})
    void withoutAKeyEveryPathIs401BeforeAnythingElse(String method, String path) {
        var answer = server.api(method, path, "not-a-key", null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().get("error").asText()).isEqualTo("the API key is not valid, or has been revoked");
    }
}
