-- 0001: accounts, groups, settings, sessions, audit log.
CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    permissions TEXT NOT NULL DEFAULT '[]',  -- JSON array of permission names
    limits      TEXT NOT NULL DEFAULT '{}',  -- JSON object; an absent key means unlimited
    created_at  INTEGER NOT NULL
) STRICT;

INSERT INTO groups (id, name, permissions, created_at) VALUES
  (1, 'Administrateurs',
   '["add_torrents","add_torrent_files","add_magnets","search","pause_own","delete_own","delete_own_data","see_all","act_all","download_own","download_any","see_charts"]',
   unixepoch()),
  (2, 'Utilisateurs',
   '["add_torrents","add_torrent_files","add_magnets","search","pause_own","delete_own","delete_own_data","see_all","download_own","see_charts"]',
   unixepoch());

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    email         TEXT,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    group_id      INTEGER NOT NULL REFERENCES groups (id),
    disabled      INTEGER NOT NULL DEFAULT 0,
    token_version INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    last_login_at INTEGER
) STRICT;

-- One row per logged-in browser or script; logout deletes it, so a stolen cookie dies with it.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ip         TEXT,
    user_agent TEXT
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT,
    action      TEXT NOT NULL,
    target_type TEXT,
    target_id   TEXT,
    details     TEXT NOT NULL DEFAULT '{}',
    ip          TEXT
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
