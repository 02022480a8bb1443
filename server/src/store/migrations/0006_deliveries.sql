-- 0006: e-mail and webhook delivery of notifications, per user's choice. Each delivery is a row
-- (an outbox): retried with backoff, its last error visible to the user, never lost by a restart.
ALTER TABLE users ADD COLUMN notify_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN webhook_url TEXT;

CREATE TABLE deliveries (
    id              BIGINT PRIMARY KEY,
    notification_id BIGINT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    target          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_at         BIGINT NOT NULL,
    last_error      TEXT,
    updated_at      BIGINT NOT NULL
) STRICT;
CREATE INDEX deliveries_due ON deliveries (status, next_at);
CREATE INDEX deliveries_user ON deliveries (user_id, id);
