-- 0007, PostgreSQL only (an SQLite database has one process): the leader instance writes every
-- qBittorrent sync/maindata answer here for the followers (app/cluster.hpp; NOTIFY payloads stop
-- at 8000 bytes). UNLOGGED: a transient feed; a crash empties it, followers ask for a full one.
CREATE UNLOGGED TABLE sync_feed (
    seq      BIGSERIAL PRIMARY KEY,
    at       BIGINT NOT NULL,
    source   TEXT NOT NULL,              -- the leader instance that wrote it
    base_rid BIGINT NOT NULL,            -- rid asked with; 0 = full update; -1 for kind 'link'
    kind     TEXT NOT NULL CHECK (kind IN ('maindata', 'link')),
    payload  TEXT NOT NULL               -- maindata JSON, or {"state","error"} for 'link'
);
CREATE INDEX sync_feed_at ON sync_feed (at);
