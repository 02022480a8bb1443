-- 0001: accounts, groups, settings, sessions, audit log. Times are Unix seconds, flags INTEGER 0/1.
-- How this file serves SQLite and PostgreSQL alike: store/migrate.hpp.
CREATE TABLE groups (
    id          BIGINT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    permissions TEXT NOT NULL DEFAULT '[]',  -- JSON array of permission names
    limits      TEXT NOT NULL DEFAULT '{}',  -- JSON object; an absent key means unlimited
    created_at  BIGINT NOT NULL
) STRICT;
-- postgresql: CREATE UNIQUE INDEX groups_name_nocase ON groups (lower(name COLLATE "C"));

INSERT INTO groups (id, name, permissions, created_at) VALUES
  (1, 'Administrateurs',
   '["add_torrents","add_torrent_files","add_magnets","search","pause_own","delete_own","delete_own_data","see_all","act_all","download_own","download_any","see_charts"]',
   unixepoch()),
  (2, 'Utilisateurs',
   '["add_torrents","add_torrent_files","add_magnets","search","pause_own","delete_own","delete_own_data","see_all","download_own","see_charts"]',
   unixepoch());
-- The rows above carry explicit ids: move PostgreSQL's identity past them.
-- postgresql: SELECT setval(pg_get_serial_sequence('groups', 'id'), 2);

CREATE TABLE users (
    id            BIGINT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    email         TEXT,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    group_id      BIGINT NOT NULL REFERENCES groups (id),
    disabled      INTEGER NOT NULL DEFAULT 0,
    token_version BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    last_login_at BIGINT
) STRICT;
-- postgresql: CREATE UNIQUE INDEX users_username_nocase ON users (lower(username COLLATE "C"));
-- postgresql: CREATE INDEX users_group ON users (group_id);

-- One row per logged-in browser or script; logout deletes it, so a stolen cookie dies with it.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip         TEXT,
    user_agent TEXT
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
) STRICT;

CREATE TABLE audit_log (
    id          BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT,
    action      TEXT NOT NULL,
    target_type TEXT,
    target_id   TEXT,
    details     TEXT NOT NULL DEFAULT '{}',
    ip          TEXT
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
