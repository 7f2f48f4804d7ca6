-- Signed-in dashboard browsers (dashboard.DashboardSessions), kept in the metadata database so that
-- any node of a scale-out deployment takes a signed-in browser's request, and a restart signs no one
-- out. The session's token is kept only as its SHA-256: a copy of the table opens no session.
CREATE TABLE dashboard_sessions (
    token_sha256 VARCHAR PRIMARY KEY,
    kind         VARCHAR NOT NULL,
    principal_id VARCHAR NOT NULL,
    csrf_token   VARCHAR NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
