package dev.beckon.dashboard;

import dev.beckon.identity.Profile;
import dev.beckon.site.Site;

/**
 * A device's or a user's profile, with one page of its timeline.
 *
 * @param newestUrl the link to the first page of the timeline, or empty on the first page
 * @param olderUrl the link to the next, older page, or empty on the last page
 */
public record ProfilePage(
        Site site,
        Chrome chrome,
        String kind,
        String subjectId,
        Profile profile,
        LivePage timeline,
        String newestUrl,
        String olderUrl) {}
