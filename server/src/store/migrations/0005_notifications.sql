-- 0005: notifications. A completion is notified exactly once: `completion_notified` flips from 0
-- to 1 in the transaction that inserts the notification (Store::record_completion).
ALTER TABLE torrents ADD COLUMN completion_notified INTEGER NOT NULL DEFAULT 0;
UPDATE torrents SET completion_notified = 1 WHERE removed_at IS NOT NULL;

CREATE TABLE notifications (
    id           BIGINT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('completed', 'limit_stopped', 'error', 'removed')),
    torrent_hash TEXT NOT NULL DEFAULT '',
    torrent_name TEXT NOT NULL DEFAULT '',
    message      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    read_at      BIGINT
) STRICT;
CREATE INDEX notifications_user ON notifications (user_id, id);
