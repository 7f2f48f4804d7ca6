package dev.beckon.store.clickhouse;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.beckon.Json;
import dev.beckon.scaleout.clickhouse.ClickHouseHttp.ExternalTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A piece of ClickHouse SQL and the values of its {@code ?} placeholders, in order, as {@code
 * duckdb.Sql} is for DuckDB. ClickHouse 18.16 has no query parameters, so {@link #text()} turns each
 * placeholder into a scalar subquery of a one-row table, {@value #PARAMETERS}, that is sent with the
 * query as external data ({@link #parameters()}): value {@code n} is {@code (SELECT p<n> FROM
 * parameters)}. ClickHouse computes such a subquery once, before it plans the query, so a value there
 * serves the primary key's index and the month partitions as a literal would, and it may stand where
 * a function needs a constant (a JSON key, a pattern). No value is ever part of the text.
 *
 * <p>A value is a {@code String}, a {@code Long} or {@code Integer} ({@code Int64}), a {@code Double}
 * ({@code Float64}) or a {@code List<String>} ({@code Array(String)}).
 */
record ClickHouseSql(String text, List<Object> values) {

    /** The name of the table of values, in the query. */
    static final String PARAMETERS = "parameters";

    ClickHouseSql {
        values = List.copyOf(values);
    }

    static ClickHouseSql of(String text, Object... values) {
        return new ClickHouseSql(text, Arrays.asList(values));
    }

    /** This piece followed by {@code next}. */
    ClickHouseSql then(ClickHouseSql next) {
        List<Object> joined = new ArrayList<>(values);
        joined.addAll(next.values);
        return new ClickHouseSql(text + next.text, joined);
    }

    ClickHouseSql then(String text, Object... values) {
        return then(of(text, values));
    }

    /** The pieces with {@code separator} between them. */
    static ClickHouseSql join(String separator, List<ClickHouseSql> pieces) {
        ClickHouseSql joined = of("");
        for (int i = 0; i < pieces.size(); i++) {
            joined = joined.then(i == 0 ? "" : separator).then(pieces.get(i));
        }
        return joined;
    }

    /** The query as ClickHouse reads it: each placeholder a scalar subquery of {@link #PARAMETERS}. */
    String rendered() {
        var out = new StringBuilder(text.length() + values.size() * 32);
        int next = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '?') {
                out.append("(SELECT p")
                        .append(++next)
                        .append(" FROM ")
                        .append(PARAMETERS)
                        .append(')');
            } else {
                out.append(c);
            }
        }
        if (next != values.size()) {
            throw new IllegalStateException("the query has " + next + " placeholders and " + values.size() + " values");
        }
        return out.toString();
    }

    /** The table of values that {@link #rendered()} reads, or none when there are no values. */
    List<ExternalTable> parameters() {
        if (values.isEmpty()) {
            return List.of();
        }
        List<String> columns = new ArrayList<>();
        var row = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.mapper().createGenerator(row)) {
            json.writeStartObject();
            for (int i = 0; i < values.size(); i++) {
                String column = "p" + (i + 1);
                Object value = values.get(i);
                json.writeFieldName(column);
                columns.add(column + " "
                        + switch (value) {
                            case String s -> {
                                json.writeString(s);
                                yield "String";
                            }
                            case Long n -> {
                                json.writeNumber(n);
                                yield "Int64";
                            }
                            case Integer n -> {
                                json.writeNumber(n);
                                yield "Int64";
                            }
                            case Double d -> {
                                json.writeNumber(d);
                                yield "Float64";
                            }
                            case List<?> list -> {
                                json.writeStartArray();
                                for (Object item : list) {
                                    json.writeString((String) item);
                                }
                                json.writeEndArray();
                                yield "Array(String)";
                            }
                            default -> throw new IllegalArgumentException("no ClickHouse type for " + value.getClass());
                        });
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of(new ExternalTable(PARAMETERS, String.join(", ", columns), row.toByteArray()));
    }
}
