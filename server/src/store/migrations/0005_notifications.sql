-- 0005: notifications. A completion is notified exactly once: the row's `completion_notified`
-- flips from 0 to 1 in the same transaction that inserts the notification, so neither a second
-- scan nor a restart (even after kill -9) can notify it again, and a completion that happened
-- while essaim was down is notified when it comes back.
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
