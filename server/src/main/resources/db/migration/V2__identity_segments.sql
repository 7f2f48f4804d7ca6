-- The time zone that day windows of a site count in.
ALTER TABLE sites ADD COLUMN time_zone VARCHAR NOT NULL DEFAULT 'UTC';

-- Which custom user ids each device was identified as, and when: the identity links
-- (docs/identity.md). Kept by the event writer in the same transaction as the events.
CREATE TABLE device_users (
    site_id    VARCHAR NOT NULL,
    device_id  VARCHAR NOT NULL,
    user_id    VARCHAR NOT NULL,
    first_time TIMESTAMP NOT NULL,
    last_time  TIMESTAMP NOT NULL,
    PRIMARY KEY (site_id, device_id, user_id)
);

INSERT INTO device_users
SELECT site_id, device_id, user_id, min(time), max(time)
FROM events WHERE user_id IS NOT NULL
GROUP BY site_id, device_id, user_id;

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
