package dev.beckon.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an account or an API key may do. Each role includes the ones below it: an admin may do
 * everything an editor may, and an editor everything a viewer may.
 */
public enum Role {
    /** Reads reports, events, users and segments of the sites it is granted. */
    VIEWER,
    /** Also changes segments, campaigns and surveys, and imports, on the sites it is granted. */
    EDITOR,
    /** Everything, on every site: also accounts, API keys and the sites themselves. */
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The name in the API, the dashboard and the database: {@code viewer}, {@code editor}, {@code admin}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a wire name; empty for anything else, including null. */
    public static Optional<Role> parse(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }

    /** The wire names, for messages: {@code viewer, editor, admin}. */
    public static String choices() {
        return Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName();
    }
}
