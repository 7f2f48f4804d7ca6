package dev.beckon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Uploads import files to a test server through the admin API and waits for them to finish. */
public final class ImportClient {

    public static final String IMPORTS = "/api/v1/sites/demo/imports";

    private final TestServer server;

    public ImportClient(TestServer server) {
        this.server = server;
    }

    /** Uploads the file and answers the import once it has finished. */
    public JsonNode imported(String csv, String cohort) {
        return imported(HttpRequest.BodyPublishers.ofString(csv), cohort);
    }

    public JsonNode imported(HttpRequest.BodyPublisher body, String cohort) {
        TestServer.Response answer = submit(body, cohort);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        return finished(answer.json().get("id").asText(), Duration.ofSeconds(120));
    }

    public TestServer.Response submit(HttpRequest.BodyPublisher body, String cohort) {
        String query = cohort == null ? "" : "?cohort=" + URLEncoder.encode(cohort, StandardCharsets.UTF_8);
        return server.send(HttpRequest.newBuilder(server.uri(IMPORTS + query))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY)
                .header("Content-Type", "text/csv")
                .POST(body));
    }

    /** Polls the import until it is done or failed. */
    public JsonNode finished(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = server.admin(IMPORTS + "/" + id).json();
            String status = job.get("status").asText();
            if (status.equals("done") || status.equals("failed")) {
                return job;
            }
            assertThat(System.nanoTime()).as("import %s still %s", id, status).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public String report(JsonNode job) {
        TestServer.Response report = server.admin(job.get("report").asText());
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        return report.body();
    }
}
