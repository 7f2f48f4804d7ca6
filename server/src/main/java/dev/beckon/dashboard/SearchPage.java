package dev.beckon.dashboard;

import dev.beckon.site.Site;
import java.util.List;

/**
 * The answer to a search that did not lead straight to one profile.
 *
 * @param query the id searched for, as typed
 * @param problem why the query cannot be an id, or empty
 * @param matches the user and the device with that id, when both exist
 */
public record SearchPage(Site site, Chrome chrome, String query, String problem, List<Match> matches) {

    /** One profile that the id leads to: a user or a device. */
    public record Match(String kind, String id, String href) {}
}
