-- PostgreSQL's counterpart of db/migration/V1 for the metadata tables; the events table of V1 is
-- in ClickHouse in the scale-out deployment. Types are DuckDB's, spelled as PostgreSQL spells them.

-- Sites: the public site id that SDKs write to, and the browser origins allowed to write.
CREATE TABLE sites (
    id              VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    allowed_origins VARCHAR[] NOT NULL,
    created_at      TIMESTAMP NOT NULL
);

-- Admin API keys, stored only as SHA-256 hashes of the secret.
CREATE TABLE api_keys (
    id         VARCHAR PRIMARY KEY,
    key_hash   VARCHAR NOT NULL UNIQUE,
    label      VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
