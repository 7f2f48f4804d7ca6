package dev.beckon.dashboard;

import dev.beckon.site.Site;
import dev.beckon.store.NameCount;
import dev.beckon.store.SeenSubject;
import dev.beckon.store.SessionSummary;
import java.util.List;

/** What the overview page of a site shows. */
public record SitePage(
        Site site,
        Chrome chrome,
        String window,
        List<NameCount> counts,
        List<SeenSubject> devices,
        List<SeenSubject> users,
        List<SessionSummary> sessions,
        LivePage live,
        boolean demo) {

    /** The width of an event name's bar, in percent of the most frequent name's. */
    public int barPercent(NameCount count) {
        long max = counts.isEmpty() ? 1 : Math.max(1, counts.getFirst().events());
        return (int) Math.max(1, Math.round(100.0 * count.events() / max));
    }
}
