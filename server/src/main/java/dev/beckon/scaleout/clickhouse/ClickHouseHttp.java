package dev.beckon.scaleout.clickhouse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * ClickHouse's HTTP interface, with {@code java.net.http}: one statement per request.
 *
 * <p>Debian's ClickHouse is 18.16, and the current Java clients of ClickHouse expect newer
 * servers (docs/scale-out.md), so Beckon speaks the HTTP interface that every release has: the
 * statement in the body, or in the {@code query} parameter when the body carries the rows of an
 * INSERT. A statement in the body is limited by the server's {@code max_query_size} (256 KiB by
 * default); the rows of an INSERT are not. Answers are buffered by the server
 * ({@code wait_end_of_query}), so a statement that fails half way answers with an error status
 * rather than with a 200 and a truncated body.
 *
 * <p>Thread-safe: one instance may serve many threads.
 */
public final class ClickHouseHttp {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Enough of ClickHouse's error text to name the problem, and short enough for a log line. */
    private static final int MAX_ERROR_CHARS = 500;

    private final ClickHouseSettings settings;
    private final HttpClient client;

    public ClickHouseHttp(ClickHouseSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The settings this client was made with. */
    public ClickHouseSettings settings() {
        return settings;
    }

    /**
     * Runs a statement that answers nothing of interest, such as DDL, in Beckon's database.
     *
     * @throws ClickHouseException when ClickHouse refused it or could not be reached
     */
    public void execute(String sql) {
        send(parameters(true, Map.of()), HttpRequest.BodyPublishers.ofString(sql));
    }

    /**
     * Runs a statement outside Beckon's database, for what must exist before it does, such as
     * {@code CREATE DATABASE}.
     *
     * @throws ClickHouseException when ClickHouse refused it or could not be reached
     */
    public void executeOnServer(String sql) {
        send(parameters(false, Map.of()), HttpRequest.BodyPublishers.ofString(sql));
    }

    /**
     * Runs a query in Beckon's database and returns its whole answer as text, in the format that
     * the query names ({@code FORMAT TabSeparated}, {@code FORMAT JSONEachRow}).
     *
     * @throws ClickHouseException when ClickHouse refused it or could not be reached
     */
    public String query(String sql) {
        return send(parameters(true, Map.of()), HttpRequest.BodyPublishers.ofString(sql));
    }

    /**
     * Runs a query outside Beckon's database, for what may be asked before it exists.
     *
     * @throws ClickHouseException when ClickHouse refused it or could not be reached
     */
    public String queryOnServer(String sql) {
        return send(parameters(false, Map.of()), HttpRequest.BodyPublishers.ofString(sql));
    }

    /**
     * A table sent with a query, which the query reads by its name (ClickHouse's "external data"): the
     * way values reach a query without being written into its text.
     *
     * @param name the table's name in the query; letters, digits and '_'
     * @param structure its columns, such as {@code p1 String, p2 Array(String)}
     * @param jsonEachRow its rows, one JSON object a line
     */
    public record ExternalTable(String name, String structure, byte[] jsonEachRow) {

        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

        public ExternalTable {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("external table name '" + name + "' is not a plain identifier");
            }
        }
    }

    /**
     * Runs a query in Beckon's database with {@code tables} sent beside it, and returns its whole answer
     * as text, in the format that the query names. The request is a {@code multipart/form-data} body
     * that holds the query (so it is limited by {@code max_query_size}, not by the length of a URL)
     * and each table's rows.
     *
     * @throws ClickHouseException when ClickHouse refused it or could not be reached
     */
    public String query(String sql, List<ExternalTable> tables) {
        String boundary = "beckon-" + UUID.randomUUID();
        Map<String, String> extra = new LinkedHashMap<>();
        var body = new ByteArrayOutputStream();
        part(body, boundary, "query", null, sql.getBytes(StandardCharsets.UTF_8));
        for (ExternalTable table : tables) {
            extra.put(table.name() + "_structure", table.structure());
            extra.put(table.name() + "_format", "JSONEachRow");
            part(body, boundary, table.name(), table.name(), table.jsonEachRow());
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return send(
                parameters(true, extra),
                HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "multipart/form-data; boundary=" + boundary);
    }

    /**
     * One part of a multipart body. The boundary is a random UUID; the query's text holds no values and
     * a table's JSON lines hold no raw line breaks, so neither can contain it.
     */
    private static void part(ByteArrayOutputStream body, String boundary, String name, String file, byte[] content) {
        String header = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (file == null ? "" : "; filename=\"" + file + "\"") + "\r\n\r\n";
        body.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Runs {@code insert}, an {@code INSERT ... FORMAT} statement, with {@code rows} in that format.
     *
     * @throws ClickHouseException when ClickHouse refused it or could not be reached; some of the
     *     rows may have been kept all the same
     */
    public void insert(String insert, byte[] rows) {
        send(parameters(true, Map.of("query", insert)), HttpRequest.BodyPublishers.ofByteArray(rows));
    }

    private Map<String, String> parameters(boolean inDatabase, Map<String, String> extra) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (inDatabase) {
            parameters.put("database", settings.database());
        }
        parameters.put("wait_end_of_query", "1");
        parameters.putAll(extra);
        return parameters;
    }

    private String send(Map<String, String> parameters, HttpRequest.BodyPublisher body) {
        return send(parameters, body, null);
    }

    private String send(Map<String, String> parameters, HttpRequest.BodyPublisher body, String contentType) {
        String query = parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(URI.create(settings.url() + "?" + query))
                .timeout(settings.requestTimeout())
                .POST(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (settings.user() != null) {
            String credentials = settings.user() + ":" + settings.password();
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }

        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ClickHouseException("ClickHouse at " + settings.url() + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException("interrupted while waiting for ClickHouse at " + settings.url(), e);
        }
        if (response.statusCode() != 200) {
            throw new ClickHouseException("ClickHouse at " + settings.url() + " answered " + response.statusCode()
                    + ": " + shortened(response.body()));
        }
        return response.body();
    }

    private static String shortened(String text) {
        String line = text.strip();
        return line.length() <= MAX_ERROR_CHARS ? line : line.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
