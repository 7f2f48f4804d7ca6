-- Surveys (docs/surveys.md). A survey is a campaign, stored in campaigns, and its answers are
-- events; the site only gains the recontact wait: how many days after a person was shown any
-- survey of the site before they are shown another. The bounds are checked where an admin types
-- the value.
ALTER TABLE sites ADD COLUMN recontact_days INTEGER NOT NULL DEFAULT 7;
