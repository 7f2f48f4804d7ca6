-- PostgreSQL's counterpart of db/migration/V8: the recontact wait of a site's surveys.
ALTER TABLE sites ADD COLUMN recontact_days INTEGER NOT NULL DEFAULT 7;
