-- 0004: group limits acting on torrents (PostgreSQL twin of migrations/0004_limits.sql).
ALTER TABLE torrents ADD COLUMN limit_state TEXT CHECK (limit_state IN ('queued', 'stopped'));
ALTER TABLE torrents ADD COLUMN limit_reason TEXT;
ALTER TABLE torrents ADD COLUMN size_checked INTEGER NOT NULL DEFAULT 1;
