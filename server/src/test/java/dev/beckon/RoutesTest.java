package dev.beckon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fixed paths of a demo-mode server: health, the demo shop, and where the root leads. */
class RoutesTest {

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

    @Test
    void healthAnswersOkWithJsonOnceEventsCanBeTaken() {
        var health = server.send(HttpRequest.newBuilder(server.uri("/health")));

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        assertThat(health.json().at("/store/writable").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"/, /demo/", "/demo, /demo/", "/dashboard, /dashboard/", "/dashboard/, /dashboard/login"})
    void pathsRedirectOnceToWhereAPersonMeantToGo(String path, String location) {
        var response = server.send(HttpRequest.newBuilder(server.uri(path)));

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location").orElseThrow()).endsWith(location);
    }

    @Test
    void demoShopIsServedWithItsPages() {
        var home = server.send(HttpRequest.newBuilder(server.uri("/demo/")));
        var shoes = server.send(HttpRequest.newBuilder(server.uri("/demo/shoes.html")));

        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("/sdk/beckon-full.js");
        assertThat(shoes.status()).isEqualTo(200);
    }

    @Test
    void pathTraversalOutOfTheDemoFolderFinds404() {
        var response = server.send(
                HttpRequest.newBuilder(server.uri("/demo/..%2f..%2fdb/migration/V1__sites_keys_events.sql")));

        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void unknownPathsAnswer404WithJson() {
        var response = server.send(HttpRequest.newBuilder(server.uri("/no/such/page")));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").asText()).isEqualTo("nothing is served at /no/such/page");
    }
}
