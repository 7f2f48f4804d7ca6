-- A site's engagement budget (docs/campaigns.md, "The config answer"): the share of people held
-- out of every campaign, and the limits on campaigns shown to one visitor across nudges and
-- surveys: per day, per week, a minimum gap, and quiet hours in the visitor's own time zone
-- (HH:MM, both null for none). 0 is no limit; the bounds are checked where an admin types them.
ALTER TABLE sites ADD COLUMN holdout_percent DOUBLE NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN fatigue_per_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN fatigue_per_week INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN min_gap_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN quiet_from VARCHAR;
ALTER TABLE sites ADD COLUMN quiet_to VARCHAR;
