package dev.beckon.site;

import dev.beckon.http.HttpError;
import dev.beckon.ingest.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a site's id, name, allowed origins, time zone and retention period may be, checked where an
 * admin types them.
 *
 * <p>The retention period is 395 days unless an admin sets another: 13 months, so that a month can
 * still be compared with the same month a year before. It is at least one day, and at most ten
 * years, beyond which a period promises nothing that keeping everything would not.
 */
public final class SiteRules {

    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_ORIGINS = 50;
    public static final int DEFAULT_RETENTION_DAYS = 395;
    /** A new site's time zone: the IANA zone {@code UTC}, as the database's column default names it. */
    public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");

    public static final int MIN_RETENTION_DAYS = 1;
    public static final int MAX_RETENTION_DAYS = 3650;
    /** The recontact wait of surveys (docs/surveys.md): a week unless an admin sets another; 0 is none. */
    public static final int DEFAULT_RECONTACT_DAYS = 7;

    public static final int MAX_RECONTACT_DAYS = 365;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,18}");

    private SiteRules() {}

    static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw HttpError.badRequest("id: give 1 to " + MAX_ID_LENGTH
                    + " characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
    }

    static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw HttpError.badRequest("name: give 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (!Text.isClean(name)) {
            throw HttpError.badRequest("name: must not hold control characters or unpaired surrogates");
        }
        if (Text.overridesDirection(name)) {
            throw HttpError.badRequest("name: must not hold a bidirectional override (U+202D or U+202E),"
                    + " which shows text in the other direction");
        }
    }

    /** Each origin is {@code self} or a scheme, host and optional port, such as {@code https://shop.example}. */
    static void checkOrigins(List<String> origins) {
        if (origins.size() > MAX_ORIGINS) {
            throw HttpError.badRequest("allowedOrigins: give at most " + MAX_ORIGINS + " origins");
        }
        for (int i = 0; i < origins.size(); i++) {
            String origin = origins.get(i);
            if (!Site.SELF.equals(origin) && !isOrigin(origin)) {
                throw HttpError.badRequest("allowedOrigins[" + i + "]: '" + origin
                        + "' is not an origin such as https://shop.example (scheme, host and port, no path), nor "
                        + Site.SELF);
            }
        }
    }

    private static boolean isOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            return web
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null
                    && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null
                    && origin.equals(origin.toLowerCase(java.util.Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * The IANA time zone of this name.
     *
     * @throws HttpError 400 when it is none
     */
    public static ZoneId zone(String name) {
        try {
            return ZoneId.of(String.valueOf(name));
        } catch (DateTimeException e) {
            throw HttpError.badRequest("timeZone: '" + name + "' is not an IANA time zone such as Europe/Berlin");
        }
    }

    /**
     * A retention period of this many days.
     *
     * @throws HttpError 400 when it is outside {@link #MIN_RETENTION_DAYS} to {@link #MAX_RETENTION_DAYS}
     */
    public static int retentionDays(long days) {
        if (days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
            throw HttpError.badRequest(retentionDaysExpected() + ", not " + days);
        }
        return (int) days;
    }

    /**
     * A retention period as typed in a form: a whole number of days.
     *
     * @throws HttpError 400 when it is no whole number, or outside the bounds
     */
    public static int retentionDays(String typed) {
        String days = String.valueOf(typed).strip();
        if (!WHOLE_NUMBER.matcher(days).matches()) {
            throw HttpError.badRequest(retentionDaysExpected() + ", not '" + typed + "'");
        }
        return retentionDays(Long.parseLong(days));
    }

    /**
     * A recontact wait of this many days, as a JSON number or as typed in a form.
     *
     * @throws HttpError 400 when it is no whole number, or outside 0 to {@link #MAX_RECONTACT_DAYS}
     */
    public static int recontactDays(Object days) {
        String typed = String.valueOf(days).strip();
        if (!WHOLE_NUMBER.matcher(typed).matches()
                || Long.parseLong(typed) < 0
                || Long.parseLong(typed) > MAX_RECONTACT_DAYS) {
            throw HttpError.badRequest("recontactDays: give a whole number of days from 0 to " + MAX_RECONTACT_DAYS
                    + ", not " + (days instanceof String ? "'" + days + "'" : typed));
        }
        return Integer.parseInt(typed);
    }

    private static String retentionDaysExpected() {
        return "retentionDays: give a whole number of days from " + MIN_RETENTION_DAYS + " to " + MAX_RETENTION_DAYS;
    }
}
