package dev.beckon.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.scaleout.clickhouse.ClickHouseHttp.ExternalTable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a query's values travel: never in its text, always in the external table {@code parameters},
 * one typed column a value, as JSON. The engine's behaviour on a real ClickHouse is tested by the
 * segment tests ({@code dev.beckon.segment}, on both engines).
 */
class ClickHouseSqlTest {

    static final String HOSTILE = "'); DROP TABLE events; --\\\u0000\n\"}";

    @Test
    void eachPlaceholderBecomesAScalarSubqueryOfTheParametersAndNoValueIsInTheText() {
        ClickHouseSql sql = ClickHouseSql.of("SELECT 1 WHERE name = ?", HOSTILE)
                .then(" AND n >= ? AND x IN (?)", 5L, List.of(HOSTILE, "b"));

        assertThat(sql.rendered())
                .isEqualTo("SELECT 1 WHERE name = (SELECT p1 FROM parameters) AND n >= (SELECT p2 FROM parameters)"
                        + " AND x IN ((SELECT p3 FROM parameters))")
                .doesNotContain("DROP");
    }

    @Test
    void theParametersAreOneRowOfTypedColumnsInJson() {
        ClickHouseSql sql = ClickHouseSql.of("? ? ? ? ?", HOSTILE, 7L, 3, 1.5, List.of("a", HOSTILE));

        ExternalTable table = sql.parameters().getFirst();

        assertThat(table.name()).isEqualTo("parameters");
        assertThat(table.structure()).isEqualTo("p1 String, p2 Int64, p3 Int64, p4 Float64, p5 Array(String)");
        assertThat(new String(table.jsonEachRow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"p1\":\"'); DROP TABLE events; --\\\\\\u0000\\n\\\"}\",\"p2\":7,\"p3\":3,\"p4\":1.5,"
                        + "\"p5\":[\"a\",\"'); DROP TABLE events; --\\\\\\u0000\\n\\\"}\"]}")
                .doesNotContain("\n");
    }

    @Test
    void aQueryWithoutValuesSendsNoTable() {
        assertThat(ClickHouseSql.of("SELECT 1").parameters()).isEmpty();
    }

    @Test
    void placeholdersAndValuesMustAgree() {
        assertThatThrownBy(() -> new ClickHouseSql("SELECT ?, ?", List.of("one")).rendered())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the query has 2 placeholders and 1 values");
    }

    @Test
    void aValueOfNoClickHouseTypeIsRefused() {
        assertThatThrownBy(() -> ClickHouseSql.of("?", new Object()).parameters())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no ClickHouse type for");
    }

    @Test
    void aPropertyNameIsLookedForAsItsJsonKey() {
        assertThat(ClickHouseSegmentSql.needle("a\"b\\c\u0001é😀")).isEqualTo("\"a\\\"b\\\\c\\u0001é😀\":");
        assertThat(ClickHouseSegmentSql.likePattern("/p/*_%\\x")).isEqualTo("/p/%\\_\\%\\\\x");
    }
}
