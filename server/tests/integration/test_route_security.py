"""Walks the route table — every `r.add("METHOD", "/api/…")` and `r.add_async(…)` in
server/src/api and server/src/qbtapi — so a new route
cannot forget its permission check: without a session every route but the public ones answers
401 in French; with a session but without the CSRF token, every mutation answers 403; as an
ordinary user, every /api/admin route answers 403. The tools' qBittorrent-compatible API
(/api/v2) answers as qBittorrent does instead: 403 "Forbidden" without a tool's session, and the
web app's session is no tool's session."""

from conftest import Browser, assert_error, unique_name
from route_table import PUBLIC, TOOL_API, concrete, routes


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
