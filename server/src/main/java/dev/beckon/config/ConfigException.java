package dev.beckon.config;

/** A setting that cannot be used. The message names the setting and says what to change. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
