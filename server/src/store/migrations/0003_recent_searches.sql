-- 0003: a user's recent searches (the Recherche page offers them again). The same query with the
-- same category and indexer is one row whose date moves; the store keeps the last 20 per user.
CREATE TABLE recent_searches (
    id          BIGINT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    query       TEXT NOT NULL,
    category    TEXT NOT NULL DEFAULT 'tout',
    indexer     TEXT NOT NULL DEFAULT '',
    results     BIGINT NOT NULL DEFAULT 0,
    searched_at BIGINT NOT NULL
) STRICT;
CREATE UNIQUE INDEX recent_searches_key ON recent_searches (user_id, query, category, indexer);
CREATE INDEX recent_searches_user ON recent_searches (user_id, searched_at);
