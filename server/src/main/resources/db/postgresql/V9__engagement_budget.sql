-- PostgreSQL's counterpart of db/migration/V9: a site's engagement budget (docs/campaigns.md).
ALTER TABLE sites ADD COLUMN holdout_percent DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN fatigue_per_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN fatigue_per_week INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN min_gap_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN quiet_from VARCHAR;
ALTER TABLE sites ADD COLUMN quiet_to VARCHAR;
