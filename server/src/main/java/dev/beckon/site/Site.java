package dev.beckon.site;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A website that sends events to Beckon.
 *
 * @param id the public site id that the SDK's {@code init} takes; it only allows writing events
 * @param allowedOrigins the browser origins (such as {@code https://shop.example}) whose pages may
 *     send events; {@link #SELF} stands for the Beckon server's own origin
 * @param timeZone the zone that day windows of segments count in
 * @param retentionDays how many days the site's events are kept after the server received them
 *     ({@code RetentionPurge}); from {@link SiteRules#MIN_RETENTION_DAYS} to {@link
 *     SiteRules#MAX_RETENTION_DAYS}
 * @param recontactDays how many days after a person was shown any survey of the site before the
 *     config endpoint gives them another (docs/surveys.md); from 0 to {@link
 *     SiteRules#MAX_RECONTACT_DAYS}
 * @param engagement the holdout and the fatigue budget of its campaigns; never null
 */
public record Site(
        String id,
        String name,
        List<String> allowedOrigins,
        ZoneId timeZone,
        int retentionDays,
        int recontactDays,
        Instant createdAt,
        @JsonUnwrapped Engagement engagement) {

    /** The allowed-origin entry that stands for the origin the Beckon server is reached at. */
    public static final String SELF = "self";

    public Site {
        allowedOrigins = List.copyOf(allowedOrigins);
        engagement = engagement == null ? Engagement.NONE : engagement;
    }

    /** A site with the default recontact wait, no holdout and no fatigue budget. */
    public Site(
            String id,
            String name,
            List<String> allowedOrigins,
            ZoneId timeZone,
            int retentionDays,
            Instant createdAt) {
        this(id, name, allowedOrigins, timeZone, retentionDays, SiteRules.DEFAULT_RECONTACT_DAYS, createdAt);
    }

    /** A site with no holdout and no fatigue budget. */
    public Site(
            String id,
            String name,
            List<String> allowedOrigins,
            ZoneId timeZone,
            int retentionDays,
            int recontactDays,
            Instant createdAt) {
        this(id, name, allowedOrigins, timeZone, retentionDays, recontactDays, createdAt, Engagement.NONE);
    }

    /** This site with another name and allowed origins. */
    public Site withNameAndOrigins(String newName, List<String> newOrigins) {
        return new Site(id, newName, newOrigins, timeZone, retentionDays, recontactDays, createdAt, engagement);
    }

    /** This site with another time zone. */
    public Site withTimeZone(ZoneId zone) {
        return new Site(id, name, allowedOrigins, zone, retentionDays, recontactDays, createdAt, engagement);
    }

    /** This site with another retention period. */
    public Site withRetentionDays(int days) {
        return new Site(id, name, allowedOrigins, timeZone, days, recontactDays, createdAt, engagement);
    }

    /** This site with another engagement budget. */
    public Site withEngagement(Engagement changed) {
        return new Site(id, name, allowedOrigins, timeZone, retentionDays, recontactDays, createdAt, changed);
    }

    /** This site with another recontact wait. */
    public Site withRecontactDays(int days) {
        return new Site(id, name, allowedOrigins, timeZone, retentionDays, days, createdAt, engagement);
    }

    /**
     * Whether a page of {@code origin} may send events to this site.
     *
     * @param origin the request's {@code Origin} header
     * @param serverHost the request's {@code Host} header, which is what {@link #SELF} matches
     */
    public boolean allowsOrigin(String origin, String serverHost) {
        if (allowedOrigins.contains(origin)) {
            return true;
        }
        return allowedOrigins.contains(SELF) && serverHost != null && serverHost.equalsIgnoreCase(authority(origin));
    }

    private static String authority(String origin) {
        try {
            return URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
