-- PostgreSQL's counterpart of db/migration/V5. Dashboard accounts, with their passwords only as
-- Argon2id hashes; an editor or a viewer sees only the sites granted in account_sites.
CREATE TABLE accounts (
    id            VARCHAR PRIMARY KEY,
    email         VARCHAR NOT NULL UNIQUE,
    name          VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE account_sites (
    account_id VARCHAR NOT NULL,
    site_id    VARCHAR NOT NULL,
    PRIMARY KEY (account_id, site_id)
);

-- API keys get a role and a scope: one site, or every site when site_id is NULL.
ALTER TABLE api_keys ADD COLUMN role VARCHAR NOT NULL DEFAULT 'admin';
ALTER TABLE api_keys ADD COLUMN site_id VARCHAR;
ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMP;
