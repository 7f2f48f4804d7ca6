-- How many days a site's events are kept, counted from when the server received each one
-- (docs/configuration.md, "Retention"). 395 days is 13 months: a year-on-year comparison of a
-- whole month still has both months. The bounds are checked where an admin types the value.
ALTER TABLE sites ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 395;
