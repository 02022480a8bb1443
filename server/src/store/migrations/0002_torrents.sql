-- 0002: which user owns which torrent. Rows are written BEFORE the torrent is added to
-- qBittorrent (the hash is computed by essaim), so ownership can never be lost.
CREATE TABLE torrents (
    id           BIGINT PRIMARY KEY,
    qbt_hash     TEXT NOT NULL,  -- the id qBittorrent reports as `hash` (40 hex)
    hash_v1      TEXT,           -- 40 hex, or NULL for v2-only
    hash_v2      TEXT,           -- 64 hex, or NULL for v1-only
    owner_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    source       TEXT NOT NULL CHECK (source IN ('magnet', 'file', 'url', 'search', 'reconciled', 'assigned')),
    name         TEXT NOT NULL DEFAULT '',
    size         BIGINT,
    added_at     BIGINT NOT NULL,
    removed_at   BIGINT,        -- set when it vanished from qBittorrent or was deleted
    removal      TEXT CHECK (removal IN ('deleted', 'vanished')),  -- deleted through essaim, or gone
    completed_at BIGINT
) STRICT;
-- At most one live row per torrent; removed rows stay as history.
CREATE UNIQUE INDEX torrents_live_qbt_hash ON torrents (qbt_hash) WHERE removed_at IS NULL;
CREATE INDEX torrents_hash_v1 ON torrents (hash_v1);
CREATE INDEX torrents_hash_v2 ON torrents (hash_v2);
CREATE INDEX torrents_owner ON torrents (owner_id);
