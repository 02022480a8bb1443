"""The route table as the tests see it: every `r.add("METHOD", "/api/…")` and `r.add_async(…)`
in server/src/api and server/src/qbtapi, and each route's rule, written once here for
test_route_security.py (no session, no CSRF, not an admin) and test_security_review.py (each
permission, each torrent rule)."""

import re
from pathlib import Path

SRCS = [Path(__file__).resolve().parents[2] / "src" / d for d in ("api", "qbtapi")]
ROUTE = re.compile(r'r\.add(?:_async)?\(\s*"([A-Z]+)",\s*"(/[^"]*)"')
TOOL_API = "/api/v2/"
HASH = "a" * 40


def routes() -> list:
    found = set()
    for src in SRCS:
        for f in src.glob("*.cpp"):
            found.update(ROUTE.findall(f.read_text(encoding="utf-8")))
    assert len(found) > 40, found  # the walk really sees the table
    return sorted(found)


def concrete(path: str) -> str:
    return path.replace("{hash}", HASH).replace("{id}", "1")


# Every route of the table and what it takes. "public": nobody; "session": any signed-in user
# (data scoped to them); "admin": the admin role, whatever the group; a permission name: that
# group permission; "torrent": a torrent the user may see (404 otherwise), plus what
# torrent_rules() says for acting on it.
RULES = {
    ("GET", "/api/health"): "public",
    ("GET", "/api/instance"): "public",
    ("POST", "/api/auth/login"): "public",
    ("POST", "/api/auth/register"): "public",
    ("POST", "/api/auth/logout"): "public",
    # Browser navigations of a single sign-on (redirects; the callback checks its own state).
    ("GET", "/api/auth/oidc/start"): "public",
    ("GET", "/api/auth/oidc/callback"): "public",
    ("GET", "/api/auth/proxy"): "public",  # honoured only from trusted_proxies
    ("GET", "/metrics"): "admin",  # or Authorization: Bearer $ESSAIM_METRICS_TOKEN
    ("GET", "/api/me"): "session",
    ("PATCH", "/api/me"): "session",
    ("GET", "/api/me/deliveries"): "session",
    ("GET", "/api/me/tokens"): "session",
    ("POST", "/api/me/tokens"): "use_api",
    ("DELETE", "/api/me/tokens/{id}"): "session",  # only the user's own (404 otherwise)
    ("GET", "/api/admin/tokens"): "admin",
    ("DELETE", "/api/admin/tokens/{id}"): "admin",
    ("POST", "/api/me/password"): "session",
    ("GET", "/api/notifications"): "session",
    ("POST", "/api/notifications/read"): "session",
    ("DELETE", "/api/notifications"): "session",
    ("GET", "/api/dashboard"): "session",
    ("GET", "/api/torrents"): "session",  # ?scope=all: see_all
    ("POST", "/api/torrents"): "add_torrents",  # per item: add_magnets / add_torrent_files
    ("GET", "/api/torrents/{hash}"): "torrent",
    ("GET", "/api/torrents/{hash}/files"): "torrent",
    ("POST", "/api/torrents/{hash}/pause"): "torrent",  # pause_own, or act_all for others'
    ("POST", "/api/torrents/{hash}/resume"): "torrent",
    ("DELETE", "/api/torrents/{hash}"): "torrent",  # delete_own (+ delete_own_data), act_all
    # The same for several torrents at once: each listed hash checked as above before anything
    # is done (test_torrents_bulk.py).
    ("POST", "/api/torrents/pause"): "session",
    ("POST", "/api/torrents/resume"): "session",
    ("POST", "/api/torrents/delete"): "session",
    ("POST", "/api/torrents/{hash}/links"): "torrent",  # download_own / download_any
    ("POST", "/api/torrents/{hash}/zip"): "torrent",
    ("GET", "/api/torrents/{hash}/zip"): "public",  # signed link (torrent + folder), no session
    ("GET", "/api/torrents/{hash}/speed"): "see_charts",
    ("POST", "/api/torrents/{hash}/owner"): "admin",
    ("GET", "/api/stats/speed"): "see_charts",
    ("GET", "/api/search"): "search",
    ("GET", "/api/search/indexers"): "search",
    ("GET", "/api/search/recent"): "search",
    ("DELETE", "/api/search/recent"): "search",
    ("DELETE", "/api/search/recent/{id}"): "search",
    ("POST", "/api/search/add"): "search",
    ("GET", "/api/admin/settings"): "admin",
    ("PUT", "/api/admin/settings"): "admin",
    ("POST", "/api/admin/settings/test/qbittorrent"): "admin",
    ("POST", "/api/admin/settings/test/jackett"): "admin",
    ("POST", "/api/admin/settings/test/downloads"): "admin",
    ("POST", "/api/admin/settings/test/smtp"): "admin",
    ("POST", "/api/admin/settings/test/oidc"): "admin",
    ("PUT", "/api/admin/users/{id}/oidc"): "admin",
    ("DELETE", "/api/admin/users/{id}/oidc"): "admin",
    ("GET", "/api/admin/users"): "admin",
    ("POST", "/api/admin/users"): "admin",
    ("PATCH", "/api/admin/users/{id}"): "admin",
    ("DELETE", "/api/admin/users/{id}"): "admin",
    ("POST", "/api/admin/users/{id}/password"): "admin",
    ("GET", "/api/admin/groups"): "admin",
    ("POST", "/api/admin/groups"): "admin",
    ("PATCH", "/api/admin/groups/{id}"): "admin",
    ("DELETE", "/api/admin/groups/{id}"): "admin",
    ("GET", "/api/admin/servers"): "admin",
    ("POST", "/api/admin/servers"): "admin",
    ("POST", "/api/admin/servers/test"): "admin",
    ("PATCH", "/api/admin/servers/{id}"): "admin",
    ("DELETE", "/api/admin/servers/{id}"): "admin",
    ("GET", "/api/admin/audit"): "admin",
    ("GET", "/api/admin/storage"): "admin",
    ("POST", "/api/admin/storage/move"): "admin",
    # The tools' qBittorrent-compatible API (qbtapi/): a tool's session or token, scoped to its
    # user (test_qbt_api_*.py); 403 "Forbidden" without one (test_route_security.py).
    ("GET", "/api/v2/app/buildInfo"): "tool",
    ("POST", "/api/v2/app/buildInfo"): "tool",
    ("GET", "/api/v2/app/defaultSavePath"): "tool",
    ("POST", "/api/v2/app/defaultSavePath"): "tool",
    ("GET", "/api/v2/app/preferences"): "tool",
    ("POST", "/api/v2/app/preferences"): "tool",
    ("POST", "/api/v2/app/setPreferences"): "tool",
    ("GET", "/api/v2/app/version"): "tool",
    ("POST", "/api/v2/app/version"): "tool",
    ("GET", "/api/v2/app/webapiVersion"): "tool",
    ("POST", "/api/v2/app/webapiVersion"): "tool",
    ("POST", "/api/v2/auth/login"): "public",
    ("POST", "/api/v2/auth/logout"): "tool",
    ("GET", "/api/v2/sync/maindata"): "tool",
    ("POST", "/api/v2/sync/maindata"): "tool",
    ("POST", "/api/v2/torrents/add"): "tool",
    ("POST", "/api/v2/torrents/addTags"): "tool",
    ("POST", "/api/v2/torrents/bottomPrio"): "tool",
    ("GET", "/api/v2/torrents/categories"): "tool",
    ("POST", "/api/v2/torrents/categories"): "tool",
    ("POST", "/api/v2/torrents/createCategory"): "tool",
    ("POST", "/api/v2/torrents/createTags"): "tool",
    ("POST", "/api/v2/torrents/decreasePrio"): "tool",
    ("POST", "/api/v2/torrents/delete"): "tool",
    ("POST", "/api/v2/torrents/deleteTags"): "tool",
    ("POST", "/api/v2/torrents/editCategory"): "tool",
    ("POST", "/api/v2/torrents/filePrio"): "tool",
    ("GET", "/api/v2/torrents/files"): "tool",
    ("POST", "/api/v2/torrents/files"): "tool",
    ("POST", "/api/v2/torrents/increasePrio"): "tool",
    ("GET", "/api/v2/torrents/info"): "tool",
    ("POST", "/api/v2/torrents/info"): "tool",
    ("POST", "/api/v2/torrents/pause"): "tool",
    ("GET", "/api/v2/torrents/pieceHashes"): "tool",
    ("POST", "/api/v2/torrents/pieceHashes"): "tool",
    ("GET", "/api/v2/torrents/pieceStates"): "tool",
    ("POST", "/api/v2/torrents/pieceStates"): "tool",
    ("GET", "/api/v2/torrents/properties"): "tool",
    ("POST", "/api/v2/torrents/properties"): "tool",
    ("POST", "/api/v2/torrents/reannounce"): "tool",
    ("POST", "/api/v2/torrents/recheck"): "tool",
    ("POST", "/api/v2/torrents/removeCategories"): "tool",
    ("POST", "/api/v2/torrents/removeTags"): "tool",
    ("POST", "/api/v2/torrents/rename"): "tool",
    ("POST", "/api/v2/torrents/renameFile"): "tool",
    ("POST", "/api/v2/torrents/renameFolder"): "tool",
    ("POST", "/api/v2/torrents/resume"): "tool",
    ("POST", "/api/v2/torrents/setCategory"): "tool",
    ("POST", "/api/v2/torrents/setDownloadLimit"): "tool",
    ("POST", "/api/v2/torrents/setForceStart"): "tool",
    ("POST", "/api/v2/torrents/setLocation"): "tool",
    ("POST", "/api/v2/torrents/setShareLimits"): "tool",
    ("POST", "/api/v2/torrents/setUploadLimit"): "tool",
    ("POST", "/api/v2/torrents/start"): "tool",
    ("POST", "/api/v2/torrents/stop"): "tool",
    ("GET", "/api/v2/torrents/tags"): "tool",
    ("POST", "/api/v2/torrents/tags"): "tool",
    ("POST", "/api/v2/torrents/toggleFirstLastPiecePrio"): "tool",
    ("POST", "/api/v2/torrents/toggleSequentialDownload"): "tool",
    ("POST", "/api/v2/torrents/topPrio"): "tool",
    ("GET", "/api/v2/torrents/trackers"): "tool",
    ("POST", "/api/v2/torrents/trackers"): "tool",
    ("GET", "/api/v2/torrents/webseeds"): "tool",
    ("POST", "/api/v2/torrents/webseeds"): "tool",
    ("GET", "/api/v2/transfer/info"): "tool",
    ("POST", "/api/v2/transfer/info"): "tool",
}

# Nobody needs a session for these (a signed .zip link, the sign-in navigations…).
PUBLIC = {route for route, rule in RULES.items() if rule == "public"}
