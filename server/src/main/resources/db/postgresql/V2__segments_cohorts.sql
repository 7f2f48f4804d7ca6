-- PostgreSQL's counterpart of db/migration/V2 for the metadata tables; the identity links
-- (device_users) are kept with the events.

-- The time zone that day windows of a site count in.
ALTER TABLE sites ADD COLUMN time_zone VARCHAR NOT NULL DEFAULT 'UTC';

-- Imported lists of custom user ids.
CREATE TABLE cohort_members (
    site_id VARCHAR NOT NULL,
    cohort  VARCHAR NOT NULL,
    user_id VARCHAR NOT NULL,
    PRIMARY KEY (site_id, cohort, user_id)
);

-- Saved segments: a name and a condition in the JSON form of docs/segments.md.
CREATE TABLE segments (
    site_id    VARCHAR NOT NULL,
    id         VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    condition  JSON NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (site_id, id)
);
