-- 0012: several qBittorrent servers behind one essaim (issue 20). Server 1 is the one the
-- settings' qBittorrent and downloads sections describe (its url, credentials, download root and
-- link base stay there, so that ESSAIM_QBT_* and the settings page keep working): its row holds
-- only its name and state. Other servers hold their own connection; the password is sealed like
-- the secret settings. state: active | draining (no new torrents) | disabled (not contacted).
CREATE TABLE qbt_servers (
    id                BIGINT PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    url               TEXT NOT NULL DEFAULT '',
    username          TEXT NOT NULL DEFAULT '',
    password          TEXT NOT NULL DEFAULT '',
    download_root     TEXT NOT NULL DEFAULT '',
    download_base_url TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL DEFAULT 'active'
                      CHECK (state IN ('active', 'draining', 'disabled')),
    created_at        BIGINT NOT NULL
) STRICT;
-- postgresql: CREATE UNIQUE INDEX qbt_servers_name_nocase ON qbt_servers (lower(name COLLATE "C"));
INSERT INTO qbt_servers (id, name, created_at) VALUES (1, 'Serveur 1', unixepoch());
-- postgresql: SELECT setval(pg_get_serial_sequence('qbt_servers', 'id'), 1);

-- Each torrent row records its server (every existing one is on server 1). No foreign key: a
-- server is removed only once it holds no live torrent, and removed rows keep their history.
ALTER TABLE torrents ADD COLUMN server_id BIGINT NOT NULL DEFAULT 1;

-- A group's servers: where its members' new torrents may go (none listed = every server).
CREATE TABLE group_servers (
    group_id  BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    server_id BIGINT NOT NULL REFERENCES qbt_servers (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, server_id)
) STRICT;
