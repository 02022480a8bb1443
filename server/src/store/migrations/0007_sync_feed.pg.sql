-- 0007, PostgreSQL only (an SQLite database has one process; the version counts there too):
-- several essaim instances on one PostgreSQL (app/cluster.hpp). The leader writes every
-- qBittorrent sync/maindata answer it applied here (NOTIFY payloads are limited to 8000 bytes,
-- a full update of many torrents is megabytes), then NOTIFY essaim_sync; followers read the rows
-- after the last one they applied. Pruned to the last ten minutes by the leader.
-- UNLOGGED: a transient feed, worth no WAL; a crash empties it and followers then ask for a
-- full update.
CREATE UNLOGGED TABLE sync_feed (
    seq      BIGSERIAL PRIMARY KEY,
    at       BIGINT NOT NULL,
    source   TEXT NOT NULL,              -- the leader instance that wrote it
    base_rid BIGINT NOT NULL,            -- rid asked with; 0 = full update; -1 for kind 'link'
    kind     TEXT NOT NULL CHECK (kind IN ('maindata', 'link')),
    payload  TEXT NOT NULL               -- maindata JSON, or {"state","error"} for 'link'
);
CREATE INDEX sync_feed_at ON sync_feed (at);
