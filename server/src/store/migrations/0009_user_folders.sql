-- 0009: every user has their own folder under the download root (issue 16). Chosen once, kept
-- when the display name changes. Existing accounts get their user name in lower case: user
-- names are [A-Za-z0-9._-]{3,32} and unique without regard to case, so the result is a unique,
-- single, safe path segment ("." and ".." are too short to be user names).
ALTER TABLE users ADD COLUMN folder TEXT;
UPDATE users SET folder = lower(username);
CREATE UNIQUE INDEX users_folder ON users(folder);
