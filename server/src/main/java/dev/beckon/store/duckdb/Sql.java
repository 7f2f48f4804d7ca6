package dev.beckon.store.duckdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A piece of SQL and the values of its {@code ?} placeholders, in order. Pieces join with
 * {@link #then}, so a query built from parts always carries its parameters in the right order and
 * never holds a value as text.
 */
record Sql(String text, List<Object> parameters) {

    Sql {
        parameters = List.copyOf(parameters);
    }

    static Sql of(String text, Object... parameters) {
        return new Sql(text, Arrays.asList(parameters));
    }

    /** This piece followed by {@code next}. */
    Sql then(Sql next) {
        List<Object> joined = new ArrayList<>(parameters);
        joined.addAll(next.parameters);
        return new Sql(text + next.text, joined);
    }

    Sql then(String text, Object... parameters) {
        return then(of(text, parameters));
    }

    /** The pieces with {@code separator} between them. */
    static Sql join(String separator, List<Sql> pieces) {
        Sql joined = of("");
        for (int i = 0; i < pieces.size(); i++) {
            joined = joined.then(i == 0 ? "" : separator).then(pieces.get(i));
        }
        return joined;
    }
}
