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

    private static final java.util.Set<String> ALL =
            java.util.Set.of(PAGE_VIEW, SESSION_START, SESSION_END, USER_PROPERTIES, SESSION_PROPERTIES);

    private ReservedEvent() {}

    /** Whether {@code name} is one of the reserved names. */
    public static boolean isReserved(String name) {
        return ALL.contains(name);
    }
}
