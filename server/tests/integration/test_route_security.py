"""Walks the route table — every `r.add("METHOD", "/api/…")` and `r.add_async(…)` in
server/src/api and server/src/qbtapi — so a new route
cannot forget its permission check: without a session every route but the public ones answers
401 in French; with a session but without the CSRF token, every mutation answers 403; as an
ordinary user, every /api/admin route answers 403. The tools' qBittorrent-compatible API
(/api/v2) answers as qBittorrent does instead: 403 "Forbidden" without a tool's session, and the
web app's session is no tool's session."""

import re
from pathlib import Path

from conftest import Browser, assert_error, unique_name

SRCS = [Path(__file__).resolve().parents[2] / "src" / d for d in ("api", "qbtapi")]
ROUTE = re.compile(r'r\.add(?:_async)?\(\s*"([A-Z]+)",\s*"(/[^"]*)"')
# The folder .zip link is opened by navigation or a download manager: no session, a signature
# naming the torrent and the folder instead (test_user_folders.py, test_downloads.py).
PUBLIC = {("GET", "/api/health"), ("GET", "/api/instance"), ("POST", "/api/auth/login"),
          ("POST", "/api/auth/register"), ("POST", "/api/auth/logout"), ("GET", "/metrics"),
          ("GET", "/api/torrents/{hash}/zip"), ("POST", "/api/v2/auth/login"),
          # Single sign-on: browser navigations answered with redirects (docs/api-auth.md).
          ("GET", "/api/auth/oidc/start"), ("GET", "/api/auth/oidc/callback"),
          ("GET", "/api/auth/proxy")}
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


def test_every_non_public_route_needs_a_session(shared_server):
    anon = Browser(shared_server)
    checked = 0
    for method, path in routes():
        if (method, path) in PUBLIC or not path.startswith("/api/"):
            continue
        res = anon.request(method, concrete(path), {} if method != "GET" else None)
        if path.startswith(TOOL_API):
            assert (res.status, res.text) == (403, "Forbidden"), (method, path, res)
        else:
            assert_error(res, 401, "unauthenticated")
        checked += 1
    assert checked > 90


def test_mutations_need_the_csrf_token_and_admin_routes_the_admin_role(shared_server):
    user = Browser(shared_server)
    assert user.register(unique_name("marcheur")).status == 201
    for method, path in routes():
        if not path.startswith("/api/") or (method, path) in PUBLIC:
            continue
        if path.startswith(TOOL_API):
            # The web app's session cookie opens no tool's session, with or without CSRF.
            for csrf in (False, True):
                res = user.request(method, concrete(path), {} if method != "GET" else None,
                                   csrf=csrf)
                assert (res.status, res.text) == (403, "Forbidden"), (method, path, res)
            continue
        if method != "GET":
            res = user.request(method, concrete(path), {})  # session cookie, no X-CSRF-Token
            assert_error(res, 403, "csrf_failed")
        if path.startswith("/api/admin/"):
            res = user.request(method, concrete(path), {} if method != "GET" else None, csrf=True)
            assert_error(res, 403, "forbidden")
