-- 0010: API tokens (issue 19): a user's tools (Sonarr, scripts, phone apps) sign in with a token
-- of their own instead of the account's password. Only the token's SHA-256 is kept: a token is
-- 32 random bytes, so a slow hash would buy nothing, and the lookup is by equality. Revoking
-- deletes the row (the journal keeps the story); a user's tokens go with the user.
CREATE TABLE api_tokens (
    id           BIGINT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    read_only    INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    last_used_ip TEXT
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);
-- Every instance drops its cached token checks when a token is revoked (0008's trigger).
-- postgresql: CREATE TRIGGER api_tokens_auth_changed AFTER DELETE OR TRUNCATE ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION essaim_auth_changed();

-- A session opened with a token (qBittorrent's auth/login) dies with the token.
ALTER TABLE sessions ADD COLUMN api_token_id BIGINT REFERENCES api_tokens (id) ON DELETE CASCADE;
