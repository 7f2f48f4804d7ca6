-- PostgreSQL's counterpart of db/migration/V7: how many days a site's events are kept.
ALTER TABLE sites ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 395;
