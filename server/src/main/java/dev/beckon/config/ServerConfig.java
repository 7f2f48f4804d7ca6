package dev.beckon.config;

import dev.beckon.auth.Passwords;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How one Beckon server runs, read from environment variables. Every setting has a default except
 * the admin key; a wrong value fails the start with a message that names the setting.
 *
 * @param host the address to listen on ({@code BECKON_HOST}, default {@code 127.0.0.1})
 * @param port the HTTP port ({@code BECKON_PORT}, default 8080)
 * @param dataDir the folder that holds the database file ({@code BECKON_DATA_DIR}, default {@code ./data})
 * @param adminKey an admin API key that works from the first start ({@code BECKON_ADMIN_KEY})
 * @param demo whether to create the demo site and serve the demo shop at {@code /demo/}
 * @param firstAdmin an admin account to create at start unless its email has one ({@code
 *     BECKON_ADMIN_EMAIL} and {@code BECKON_ADMIN_PASSWORD})
 * @param trustProxy whether a reverse proxy in front sets {@code X-Forwarded-Proto} and {@code
 *     X-Forwarded-For} ({@code BECKON_TRUST_PROXY}); when false, both headers are ignored
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        Optional<String> adminKey,
        boolean demo,
        Optional<FirstAdmin> firstAdmin,
        boolean trustProxy) {

    /** The first admin account, from the environment. */
    public record FirstAdmin(String email, String password) {

        @Override
        public String toString() {
            return "FirstAdmin[" + email + "]";
        }
    }

    /** A configuration without a first admin account, behind no proxy. */
    public ServerConfig(String host, int port, Path dataDir, Optional<String> adminKey, boolean demo) {
        this(host, port, dataDir, adminKey, demo, Optional.empty(), false);
    }

    public static final int MIN_ADMIN_KEY_LENGTH = 16;
    private static final Set<String> LOG_FORMATS = Set.of("text", "json");

    /**
     * Reads the configuration from {@code env}.
     *
     * @throws ConfigException when a variable is set to a value that cannot be used
     */
    public static ServerConfig fromEnvironment(Map<String, String> env, boolean demo) {
        String host = env.getOrDefault("BECKON_HOST", "127.0.0.1").strip();
        if (host.isEmpty()) {
            throw new ConfigException("BECKON_HOST is empty; give an address such as 127.0.0.1 or 0.0.0.0");
        }
        int port = parsePort(env.getOrDefault("BECKON_PORT", "8080"));
        Path dataDir = Path.of(env.getOrDefault("BECKON_DATA_DIR", "./data"))
                .toAbsolutePath()
                .normalize();
        Optional<String> adminKey =
                Optional.ofNullable(env.get("BECKON_ADMIN_KEY")).filter(k -> !k.isBlank());
        adminKey.ifPresent(ServerConfig::checkAdminKey);
        checkLogFormat(env.getOrDefault("BECKON_LOG_FORMAT", "text"));
        return new ServerConfig(host, port, dataDir, adminKey, demo, firstAdmin(env), flag(env, "BECKON_TRUST_PROXY"));
    }

    private static Optional<FirstAdmin> firstAdmin(Map<String, String> env) {
        String email = env.getOrDefault("BECKON_ADMIN_EMAIL", "").strip();
        String password = env.getOrDefault("BECKON_ADMIN_PASSWORD", "");
        if (email.isEmpty() && password.isEmpty()) {
            return Optional.empty();
        }
        if (email.isEmpty() || password.isEmpty()) {
            throw new ConfigException("BECKON_ADMIN_EMAIL and BECKON_ADMIN_PASSWORD go together; set both or neither");
        }
        String problem = Passwords.problem(password);
        if (!problem.isEmpty()) {
            throw new ConfigException("BECKON_ADMIN_PASSWORD is not usable: " + problem);
        }
        return Optional.of(new FirstAdmin(email, password));
    }

    private static boolean flag(Map<String, String> env, String variable) {
        String value = env.getOrDefault(variable, "false").strip();
        return switch (value) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new ConfigException(variable + " must be 'true' or 'false', not '" + value + "'");
        };
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw new ConfigException("BECKON_PORT must be a number from 0 to 65535, not '" + value + "'");
    }

    /** The log format is read by logback (logback.xml); it is checked here so that a typo fails the start. */
    private static void checkLogFormat(String format) {
        if (!LOG_FORMATS.contains(format)) {
            throw new ConfigException("BECKON_LOG_FORMAT must be 'text' or 'json', not '" + format + "'");
        }
    }

    private static void checkAdminKey(String key) {
        if (key.length() < MIN_ADMIN_KEY_LENGTH) {
            throw new ConfigException("BECKON_ADMIN_KEY must have at least " + MIN_ADMIN_KEY_LENGTH
                    + " characters; it has " + key.length());
        }
        if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ConfigException("BECKON_ADMIN_KEY may contain only printable ASCII without spaces");
        }
    }
}
