-- 0004: group limits acting on torrents. `limit_state`: 'queued' = added stopped behind the
-- active-downloads limit (the sync loop starts it when a slot frees), 'stopped' = over the size
-- or quota limit once a magnet's size was known (left stopped, reason shown to the owner).
-- `size_checked` = 0 for a magnet added while a size limit applied, until its size is checked.
ALTER TABLE torrents ADD COLUMN limit_state TEXT CHECK (limit_state IN ('queued', 'stopped'));
ALTER TABLE torrents ADD COLUMN limit_reason TEXT;
ALTER TABLE torrents ADD COLUMN size_checked INTEGER NOT NULL DEFAULT 1;
