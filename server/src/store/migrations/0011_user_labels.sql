-- 0011: each user's own categories and tags for their tools (issue 19: the qBittorrent-compatible
-- API, qbtapi/). qBittorrent's categories and tags are one list for everybody; a user's tools
-- must see only theirs. A category's save_path is relative to the user's folder ("" = the
-- folder itself). The torrents carry the names in qBittorrent; these rows are the namespace.
CREATE TABLE user_labels (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('category', 'tag')),
    name      TEXT NOT NULL,
    save_path TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, kind, name)
) STRICT;
