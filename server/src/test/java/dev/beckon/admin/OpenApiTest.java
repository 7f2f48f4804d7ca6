package dev.beckon.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beckon.BeckonServer;
import dev.beckon.TestServer;
import dev.beckon.auth.Access;
import io.javalin.http.HandlerType;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document (server/src/main/resources/openapi.json) against the routes the server
 * really registers under /api/: each route is described, each described operation exists, and
 * each operation's x-beckon-role is what auth.Access enforces. A failure names the routes to add to
 * or remove from the document.
 */
class OpenApiTest {

    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    @TempDir
    static Path dataDir;

    static TestServer server;
    static JsonNode document;

    @BeforeAll
    static void start() {
        server = TestServer.start(dataDir);
        var answer = server.send(HttpRequest.newBuilder(server.uri(AdminApiRoutes.OPENAPI_PATH)));
        assertThat(answer.status())
                .as("GET %s needs no key", AdminApiRoutes.OPENAPI_PATH)
                .isEqualTo(200);
        document = answer.json();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theDocumentIsOpenApi31() {
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.at("/components/securitySchemes/apiKey/scheme").asText())
                .isEqualTo("bearer");
    }

    @Test
    void theSiteSchemaNamesEveryFieldOfASite() {
        var site = server.admin("/api/v1/sites/demo").json();
        var described = document.at("/components/schemas/Site/properties");

        assertThat(fieldNames(described)).isEqualTo(fieldNames(site));
    }

    @Test
    void everyApiRouteIsInTheDocumentAndEveryOperationIsARoute() {
        Set<String> registered = new TreeSet<>();
        for (BeckonServer.Route route : server.routes()) {
            if (HTTP_METHODS.contains(route.method().name()) && route.path().startsWith("/api/")) {
                registered.add(route.method().name() + " " + route.path());
            }
        }
        Set<String> described = documentedOperations().keySet();

        Set<String> undescribed = new TreeSet<>(registered);
        undescribed.removeAll(described);
        Set<String> unregistered = new TreeSet<>(described);
        unregistered.removeAll(registered);

        var softly = new SoftAssertions();
        softly.assertThat(undescribed)
                .as("routes the server registers that server/src/main/resources/openapi.json does not describe;"
                        + " add each under \"paths\" with its x-beckon-role")
                .isEmpty();
        softly.assertThat(unregistered)
                .as("operations in server/src/main/resources/openapi.json that the server does not register;"
                        + " remove them, or register the routes")
                .isEmpty();
        softly.assertAll();
    }

    @Test
    void eachOperationNamesTheRoleThatAccessEnforces() {
        Map<String, String> wrong = new TreeMap<>();
        documentedOperations().forEach((operation, role) -> {
            String[] methodAndPath = operation.split(" ", 2);
            Access.Need need = Access.needed(HandlerType.findOrCreate(methodAndPath[0]), methodAndPath[1]);
            String enforced =
                    need == Access.Need.NOBODY ? "nobody" : need.name().toLowerCase(Locale.ROOT);
            if (!enforced.equals(role)) {
                wrong.put(operation, "x-beckon-role is '" + role + "' but the server asks for '" + enforced + "'");
            }
        });

        assertThat(wrong).as("x-beckon-role in openapi.json").isEmpty();
    }

    /** "METHOD /path" of each operation, with its x-beckon-role. */
    private static Map<String, String> documentedOperations() {
        Map<String, String> operations = new TreeMap<>();
        document.get("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    String method = operation.getKey().toUpperCase(Locale.ROOT);
                    if (HTTP_METHODS.contains(method)) {
                        operations.put(
                                method + " " + path.getKey(),
                                operation.getValue().path("x-beckon-role").asText("(none)"));
                    }
                }));
        return operations.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
