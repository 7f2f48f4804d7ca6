-- Events, one row each, as the embedded store's events table holds them (db/migration/V1). Only
-- SQL that ClickHouse 18.16 and current releases both accept (docs/scale-out.md, "ClickHouse
-- versions and features relied on").
--
-- Times are epoch milliseconds: 18.16 has no DateTime64. `time` is the event time in whole
-- seconds, computed by the server from time_ms, for the month partitions, the sorting key and
-- the date functions; MATERIALIZED, so that no insert can set it to anything else.
--
-- The sorting key serves the segment queries, which read one site's people and their events in
-- time order. It ends with the id, so that a ReplacingMergeTree merge collapses a row written
-- twice from one Kafka message; ingestion itself stores each event once (ClickHouseEventWriter).
CREATE TABLE IF NOT EXISTS events (
    site_id        String,
    id             String,
    name           String,
    device_id      String,
    user_id        Nullable(String),
    session_id     String,
    properties     String,
    version        String,
    client_time_ms Int64,
    server_time_ms Int64,
    time_ms        Int64,
    time           DateTime MATERIALIZED toDateTime(intDiv(time_ms, 1000))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (site_id, device_id, time, id)
