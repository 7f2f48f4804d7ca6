-- PostgreSQL's counterpart of db/migration/V11: signed-in dashboard browsers, the token kept only as
-- its SHA-256.
CREATE TABLE dashboard_sessions (
    token_sha256 VARCHAR PRIMARY KEY,
    kind         VARCHAR NOT NULL,
    principal_id VARCHAR NOT NULL,
    csrf_token   VARCHAR NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
