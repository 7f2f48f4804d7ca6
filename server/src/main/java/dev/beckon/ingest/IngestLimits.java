package dev.beckon.ingest;

/** The documented limits of one ingestion request (docs/ingestion-protocol.md). */
public final class IngestLimits {

    public static final int MAX_BODY_BYTES = 1024 * 1024;
    public static final int MAX_EVENTS_PER_BATCH = 500;
    public static final int MIN_ID_LENGTH = 8;
    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_DEVICE_ID_LENGTH = 128;
    public static final int MAX_USER_ID_LENGTH = 256;
    public static final int MAX_SESSION_ID_LENGTH = 128;
    public static final int MAX_VERSION_LENGTH = 100;
    public static final int MAX_PROPERTY_KEYS = 100;
    public static final int MAX_PROPERTY_DEPTH = 5;
    public static final int MAX_PROPERTY_KEY_LENGTH = 200;
    public static final int MAX_PROPERTIES_BYTES = 32 * 1024;

    private IngestLimits() {}
}
