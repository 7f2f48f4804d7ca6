package dev.beckon.dashboard;

import dev.beckon.identity.Profile;
import dev.beckon.site.Site;
import java.util.List;

/** A device's or a user's profile and timeline. */
public record ProfilePage(
        Site site, List<Site> sites, String kind, String subjectId, Profile profile, LivePage timeline) {}
