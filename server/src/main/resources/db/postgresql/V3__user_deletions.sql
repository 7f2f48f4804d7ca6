-- PostgreSQL's counterpart of db/migration/V3. One row per request to delete a user's data
-- (docs/identity.md), with what it removed; the user is recorded only as the SHA-256 of site id, a
-- newline and the custom user id.
CREATE TABLE user_deletions (
    site_id            VARCHAR NOT NULL,
    user_id_sha256     VARCHAR NOT NULL,
    requested_by       VARCHAR NOT NULL,
    requested_at       TIMESTAMP NOT NULL,
    events             BIGINT NOT NULL,
    sessions           BIGINT NOT NULL,
    devices            BIGINT NOT NULL,
    cohort_memberships BIGINT NOT NULL
);
