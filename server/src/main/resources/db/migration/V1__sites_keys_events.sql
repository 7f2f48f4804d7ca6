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

-- Events, one row each. All times are UTC. The primary key makes ingestion idempotent.
CREATE TABLE events (
    site_id     VARCHAR NOT NULL,
    id          VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    device_id   VARCHAR NOT NULL,
    user_id     VARCHAR,
    session_id  VARCHAR NOT NULL,
    properties  JSON NOT NULL,
    version     VARCHAR NOT NULL,
    client_time TIMESTAMP NOT NULL,
    server_time TIMESTAMP NOT NULL,
    time        TIMESTAMP NOT NULL,
    PRIMARY KEY (site_id, id)
);
