package dev.beckon.event;

/**
 * The event names that the SDK logs on its own. App event names may not start with {@link #PREFIX},
 * so these can never collide with a site's own events.
 */
public final class ReservedEvent {

    public static final String PREFIX = "$";
    public static final String PAGE_VIEW = "$page_view";
    public static final String SESSION_START = "$session_start";
    public static final String SESSION_END = "$session_end";
    public static final String USER_PROPERTIES = "$user_properties";
    public static final String SESSION_PROPERTIES = "$session_properties";

    /** What the nudges plugin records about a campaign (docs/campaigns.md). */
    public static final String CAMPAIGN_TRIGGERED = "$campaign_triggered";

    public static final String CAMPAIGN_SHOWN = "$campaign_shown";
    public static final String CAMPAIGN_HELD = "$campaign_held";
    public static final String CAMPAIGN_CLICKED = "$campaign_clicked";
    public static final String CAMPAIGN_DISMISSED = "$campaign_dismissed";
    public static final String CAMPAIGN_NOT_SHOWN = "$campaign_not_shown";
    public static final String CAMPAIGN_GOAL = "$campaign_goal";

    /** What the surveys plugin records about the answers to a survey (docs/surveys.md). */
    public static final String SURVEY_ANSWERED = "$survey_answered";

    public static final String SURVEY_COMPLETED = "$survey_completed";

    private static final java.util.Set<String> ALL = java.util.Set.of(
            PAGE_VIEW,
            SESSION_START,
            SESSION_END,
            USER_PROPERTIES,
            SESSION_PROPERTIES,
            CAMPAIGN_TRIGGERED,
            CAMPAIGN_SHOWN,
            CAMPAIGN_HELD,
            CAMPAIGN_CLICKED,
            CAMPAIGN_DISMISSED,
            CAMPAIGN_NOT_SHOWN,
            CAMPAIGN_GOAL,
            SURVEY_ANSWERED,
            SURVEY_COMPLETED);

    private ReservedEvent() {}

    /** Whether {@code name} is one of the reserved names. */
    public static boolean isReserved(String name) {
        return ALL.contains(name);
    }
}
