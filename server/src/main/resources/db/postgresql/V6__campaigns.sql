-- PostgreSQL's counterpart of db/migration/V6: campaigns (docs/campaigns.md), and who the config
-- endpoint served each campaign to, once per person.
CREATE TABLE campaigns (
    site_id      VARCHAR NOT NULL,
    id           VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    priority     INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    definition   JSON NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    PRIMARY KEY (site_id, id)
);

CREATE TABLE campaign_exposures (
    site_id     VARCHAR NOT NULL,
    campaign_id VARCHAR NOT NULL,
    person      VARCHAR NOT NULL,
    variant     VARCHAR NOT NULL,
    first_time  TIMESTAMP NOT NULL,
    PRIMARY KEY (site_id, campaign_id, person)
);
