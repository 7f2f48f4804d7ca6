-- PostgreSQL's counterpart of db/migration/V4. One row per uploaded import file
-- (docs/imports-exports.md): what it was, where it went and how its rows fared.
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
