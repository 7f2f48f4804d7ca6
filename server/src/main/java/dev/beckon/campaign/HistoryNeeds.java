package dev.beckon.campaign;

import dev.beckon.event.ReservedEvent;
import dev.beckon.segment.Condition;
import dev.beckon.segment.PropertyFilter;
import dev.beckon.segment.Window;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which stored events the plugin needs to decide a trigger's condition in the browser: for each
 * event name that a leaf of the condition can match, the properties its filters name, and the
 * start of the widest window. A user property leaf needs {@code $user_properties}, a session
 * property leaf {@code $session_properties}, a page leaf {@code $page_view} with its {@code path};
 * a cohort leaf needs nothing the plugin could use.
 *
 * @param properties property names by event name, in the order the condition names them
 * @param since the first instant of the widest window of any leaf
 */
public record HistoryNeeds(Map<String, Set<String>> properties, Instant since) {

    /** What the condition needs, with windows resolved as of {@code now} in the site's zone. */
    public static HistoryNeeds of(Condition condition, Instant now, ZoneId zone) {
        var collector = new Collector(now, zone);
        collector.visit(condition);
        return new HistoryNeeds(collector.properties, collector.since == null ? now : collector.since);
    }

    public boolean isEmpty() {
        return properties.isEmpty();
    }

    private static final class Collector {

        private final Instant now;
        private final ZoneId zone;
        private final Map<String, Set<String>> properties = new LinkedHashMap<>();
        private Instant since;

        Collector(Instant now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        void visit(Condition condition) {
            switch (condition) {
                case Condition.All all -> all.conditions().forEach(this::visit);
                case Condition.Any any -> any.conditions().forEach(this::visit);
                case Condition.Not not -> visit(not.condition());
                case Condition.UserProperty p ->
                    need(ReservedEvent.USER_PROPERTIES, List.of(p.filter()), new Window.Ever());
                case Condition.SessionProperty p ->
                    need(ReservedEvent.SESSION_PROPERTIES, List.of(p.filter()), p.window());
                case Condition.Behaviour b -> need(b.event().name(), b.event().filters(), b.window());
                case Condition.Sequence s -> {
                    need(s.first().name(), s.first().filters(), s.window());
                    need(s.then().name(), s.then().filters(), s.window());
                }
                case Condition.PageVisited v -> need(ReservedEvent.PAGE_VIEW, List.of(), v.window(), "path");
                case Condition.InCohort c -> {
                    // The browser cannot see cohorts; the plugin decides such a leaf as not holding.
                }
            }
        }

        private void need(String name, List<PropertyFilter> filters, Window window, String... more) {
            Set<String> names = properties.computeIfAbsent(name, n -> new LinkedHashSet<>());
            filters.forEach(f -> names.add(f.property()));
            names.addAll(List.of(more));
            Instant start = Window.start(window, now, zone);
            if (since == null || start.isBefore(since)) {
                since = start;
            }
        }
    }
}
