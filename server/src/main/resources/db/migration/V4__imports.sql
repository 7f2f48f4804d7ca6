-- One row per uploaded import file (docs/imports-exports.md): what it was, where it went and how
-- its rows fared. A file is known by the SHA-256 of its bytes; the first import of a digest fixes
-- the event time of the user properties that every later import of the same file writes again.
CREATE TABLE imports (
    site_id          VARCHAR NOT NULL,
    id               VARCHAR NOT NULL,
    file_sha256      VARCHAR NOT NULL,
    file_bytes       BIGINT NOT NULL,
    cohort           VARCHAR,
    status           VARCHAR NOT NULL,
    error            VARCHAR,
    rows_read        BIGINT NOT NULL,
    rows_kept        BIGINT NOT NULL,
    rows_rejected    BIGINT NOT NULL,
    members_added    BIGINT NOT NULL,
    properties_added BIGINT NOT NULL,
    bytes_read       BIGINT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP,
    PRIMARY KEY (site_id, id)
);
