-- 0009: every user has their own folder under the download root (PostgreSQL twin of
-- migrations/0009_user_folders.sql).
ALTER TABLE users ADD COLUMN folder TEXT;
UPDATE users SET folder = lower(username COLLATE "C");
CREATE UNIQUE INDEX users_folder ON users(folder);
