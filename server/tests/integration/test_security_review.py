"""Security review (issue 8 « Prouvez-le »): what the other security tests do not already prove.

Read with SECURITY.md. Already covered elsewhere, not repeated here: 401/CSRF/admin walk of the
route table (test_route_security.py), forged and tampered JWTs (test_tokens.py), sequential
login throttling (test_login.py), Origin/CSRF/Bearer (test_csrf_origin_bearer.py), headers on a
few responses (test_security_headers.py), Secure cookies on register/login behind an https base
URL (test_base_url.py), WebSocket without cookie / foreign / missing Origin (test_torrents_live.py).

Here:
1. Permissions: every route of the table has a rule in RULES (a new route must be classified);
   each of the 13 group permissions is refused (403) on every route that needs it and only
   there; a group holding all 13 is still no administrator; a user cannot give themselves a role
   or group; on real torrents (swarm): own-torrent permissions, hidden torrents of others (404),
   act_all / download_any.
2. Cookies: attributes on every response that sets or clears them, with and without https.
3. Security headers on every kind of response: every route (anonymous, user, admin), static
   files, SPA fallback, 304, 4xx/5xx from the parser, /dl/ and /zip/ refusals and files.
4. No secret in any API response, WebSocket message or log line (swarm, fake Jackett, SMTP sink).
5. WebSocket Origin: other port, other host, look-alikes, base URL origin; a socket closes when
   its user's permissions change.
6. Login throttling under 1,000 concurrent attempts, from many addresses against one user and
   from one address over many user names (X-Forwarded-For does not split the per-IP budget).
7. Session rows: a correctly signed, unexpired JWT is refused once its session row expired or
   its user was deleted.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import http.client
import json
import os
import re
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import swarm as sw
from conftest import (GOOD_PASSWORD, ON_PG, Browser, Response, assert_error, db_exec, db_query,
                      db_raw_dumps, looks_french, parse_raw_response, raw_request,
                      socket_exchange, unique_name)
from fake_jackett import FakeJackett
from smtp_sink import SmtpSink
from swarm import WebSocket, WebSocketRefused, wait_until
from route_table import HASH, RULES, concrete, routes

ALL_PERMISSIONS = ["add_torrents", "add_torrent_files", "add_magnets", "search", "pause_own",
                   "delete_own", "delete_own_data", "see_all", "act_all", "download_own",
                   "download_any", "see_charts", "use_api"]


# A request that reaches the permission check of each permission-gated route (the body and
# query are valid enough that a user WITH the permission gets past it).
GATED_CALLS = {
    "add_torrents": [("POST", "/api/torrents",
                      {"magnets": ["magnet:?xt=urn:btih:" + "b" * 40 + "&dn=x"]})],
    "search": [("GET", "/api/search?q=amelie", None), ("GET", "/api/search/indexers", None),
               ("GET", "/api/search/recent", None), ("DELETE", "/api/search/recent", None),
               ("DELETE", "/api/search/recent/999", None),
               ("POST", "/api/search/add", {"id": "inconnu"})],
    "see_charts": [("GET", "/api/stats/speed", None), ("GET", f"/api/torrents/{HASH}/speed", None)],
    "see_all": [("GET", "/api/torrents?scope=all", None)],
    "use_api": [("POST", "/api/me/tokens", {"name": "Outil"})],
}


def login(srv, username: str, password: str) -> Browser:
    b = Browser(srv)
    res = b.login(username, password)
    assert res.status == 200, res
    return b


def admin_of(srv) -> Browser:
    return login(srv, srv.admin_username, srv.admin_password)


def make_group(admin: Browser, permissions: list, name: str | None = None) -> int:
    res = admin.post("/api/admin/groups", {"name": name or unique_name("g"),
                                           "permissions": permissions}, csrf=True)
    assert res.status == 201, res
    return res.json["id"]


def make_user(admin: Browser, group_id: int, password: str = GOOD_PASSWORD) -> tuple:
    name = unique_name("p")
    res = admin.post("/api/admin/users", {"username": name, "password": password,
                                          "group_id": group_id}, csrf=True)
    assert res.status == 201, res
    return name, res.json["user"]["id"]


def move(admin: Browser, user_id: int, group_id: int) -> None:
    res = admin.patch(f"/api/admin/users/{user_id}", {"group_id": group_id}, csrf=True)
    assert res.status == 200, res


def without(*perms) -> list:
    return [p for p in ALL_PERMISSIONS if p not in perms]


# =============================================================================================
# 1. Permissions
# =============================================================================================


def test_every_route_has_a_rule_in_this_review():
    """A new route fails here until it is classified in RULES (and tested for its rule)."""
    table = set(routes())
    assert table == set(RULES), (
        f"routes without a rule: {sorted(table - set(RULES))}; "
        f"rules for routes that no longer exist: {sorted(set(RULES) - table)}")
    gated = {rule for rule in RULES.values() if rule in ALL_PERMISSIONS}
    assert gated <= set(GATED_CALLS), gated
    # Every route with a permission rule is called, under that permission, by the walk below.
    for (method, path), rule in RULES.items():
        if rule in ALL_PERMISSIONS:
            pattern = re.sub(r"\{[a-z]+\}", "[^/]+", path)
            assert any(m == method and re.fullmatch(pattern, p.split("?")[0])
                       for m, p, _ in GATED_CALLS[rule]), (method, path, rule)


def test_each_missing_permission_is_refused_on_every_route_that_needs_it(shared_server):
    admin = admin_of(shared_server)
    full_name, _ = make_user(admin, make_group(admin, ALL_PERMISSIONS))
    full = login(shared_server, full_name, GOOD_PASSWORD)
    for perm, calls in GATED_CALLS.items():
        name, _ = make_user(admin, make_group(admin, without(perm)))
        lacking = login(shared_server, name, GOOD_PASSWORD)
        for method, path, body in calls:
            res = lacking.request(method, path, body, csrf=True)
            err = assert_error(res, 403, "forbidden")
            assert "groupe" in err["message"] or "autres" in err["message"], err
            # With the permission, the same request gets past the check (whatever comes next:
            # Jackett not configured, unknown result, no qBittorrent…).
            ok = full.request(method, path, body, csrf=True)
            assert ok.status != 403 and ok.status != 401, (perm, method, path, ok)
        # The other permissions still work for this user: the refusal is specific.
        assert lacking.get("/api/me").json["permissions"] == without(perm)


def test_add_permissions_per_kind_of_input(shared_server):
    """add_magnets and add_torrent_files are checked per item, before anything is fetched or
    sent to qBittorrent (a URL is a kind of file: it must not be fetched at all)."""
    admin = admin_of(shared_server)
    hits = []

    class H(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/x.torrent"
        magnet = "magnet:?xt=urn:btih:" + "c" * 40 + "&dn=x"
        cases = {
            "add_magnets": lambda b: sw.add_magnets(b, magnet),
            "add_torrent_files": lambda b: sw.add_files(b, [("x.torrent",
                                                             sw.fixture_bytes("v1-single"))]),
            "add_torrent_files ": lambda b: sw.add_urls(b, url),
        }
        for perm, call in cases.items():
            name, _ = make_user(admin, make_group(admin, without(perm.strip())))
            res = call(login(shared_server, name, GOOD_PASSWORD))
            # (Today the whole request is refused; a per-item refusal would do as well.)
            if res.status == 403:
                assert_error(res, 403, "forbidden")
            else:
                r = sw.single_result(res)
                assert r["ok"] is False and r["error"]["code"] == "forbidden", (perm, r)
        assert hits == [], "a URL was fetched for a user who may not add by URL"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_group_with_every_permission_is_still_not_an_administrator(shared_server):
    admin = admin_of(shared_server)
    name, uid = make_user(admin, make_group(admin, ALL_PERMISSIONS))
    b = login(shared_server, name, GOOD_PASSWORD)
    checked = 0
    for (method, path), rule in RULES.items():
        if rule != "admin":
            continue
        res = b.request(method, concrete(path), {} if method != "GET" else None, csrf=True)
        assert_error(res, 403, "forbidden")
        checked += 1
    assert checked >= 17
    # /metrics with the user's own token as a bearer: still not an admin.
    res = raw_request(shared_server.port, "GET", "/metrics",
                      headers={"Authorization": f"Bearer {b.session}"})
    assert_error(res, 403, "forbidden")


def test_users_cannot_give_themselves_a_role_group_or_permissions(shared_server):
    # On register: extra fields are ignored.
    b = Browser(shared_server)
    res = b.post("/api/auth/register", {"username": unique_name("ambitieux"),
                                        "password": GOOD_PASSWORD, "role": "admin",
                                        "group_id": 1, "permissions": ALL_PERMISSIONS,
                                        "id": 1, "disabled": False})
    assert res.status == 201, res
    me = res.json
    assert me["role"] == "user" and me["group"]["id"] == 2 and me["id"] != 1, me
    # On PATCH /api/me: only display_name, email and the notification opt-ins change.
    res = b.patch("/api/me", {"role": "admin", "group_id": 1, "permissions": ALL_PERMISSIONS,
                              "username": "admin", "id": 1, "token_version": 0}, csrf=True)
    assert res.status in (200, 400, 422), res
    after = b.me().json
    assert (after["role"], after["group"], after["username"], after["id"],
            after["permissions"]) == (me["role"], me["group"], me["username"], me["id"],
                                      me["permissions"]), after
    assert_error(b.get("/api/admin/users"), 403, "forbidden")


# --- on real torrents ------------------------------------------------------------------------

DL_SECRET = "secret-revue-de-securite-0123456789"


@pytest.fixture
def dl_portal(swarm_clean, essaim):
    """A portal serving downloads itself (direct mode) from the swarm's download dir, with A's
    torrent sample-multi complete."""
    env = {"ESSAIM_DOWNLOAD_ROOT": str(swarm_clean.downloads),
           "ESSAIM_DOWNLOAD_SECRET": DL_SECRET, "ESSAIM_DOWNLOAD_DIRECT": "1"}
    portal = sw.Portal(essaim, swarm_clean, Browser, unique_name, env=env)
    r = sw.single_result(sw.add_magnets(portal.a, swarm_clean.magnets["sample-multi"]))
    assert r["ok"], r
    h = swarm_clean.torrents["sample-multi"][1]
    sw.wait_entry(portal.a, h, sw.is_seeding, 40, scope="mine", what="sample-multi seeding")
    portal.hash = h
    files = portal.a.get(f"/api/torrents/{h}/files").json["files"]
    portal.file = files[0]["path"]
    portal.folder = portal.file.split("/")[0]
    return portal


def torrent_calls(h: str, file: str, folder: str) -> dict:
    return {
        "detail": ("GET", f"/api/torrents/{h}", None),
        "files": ("GET", f"/api/torrents/{h}/files", None),
        "speed": ("GET", f"/api/torrents/{h}/speed", None),
        "links": ("POST", f"/api/torrents/{h}/links", {"paths": [file]}),
        "zip": ("POST", f"/api/torrents/{h}/zip", {"folder": folder}),
        "pause": ("POST", f"/api/torrents/{h}/pause", None),
        "resume": ("POST", f"/api/torrents/{h}/resume", None),
        "delete": ("DELETE", f"/api/torrents/{h}?delete_files=false", None),
        "delete_data": ("DELETE", f"/api/torrents/{h}?delete_files=true", None),
    }


@pytest.mark.timeout(150)
def test_torrent_permissions_on_own_and_other_users_torrents(dl_portal):
    p = dl_portal
    admin, a, b = p.admin, p.a, p.b
    h = p.hash
    calls = torrent_calls(h, p.file, p.folder)

    def call(browser, what):
        method, path, body = calls[what]
        return browser.request(method, path, body, csrf=True)

    # Own torrent, one permission missing at a time (act_all also removed: it would cover it).
    own_rules = {"pause_own": ["pause", "resume"], "delete_own": ["delete", "delete_data"],
                 "delete_own_data": ["delete_data"], "download_own": ["links", "zip"]}
    for perm, refused in own_rules.items():
        move(admin, p.a_id, make_group(admin, without(perm, "act_all")))
        for what in refused:
            sw.assert_api_error(call(a, what), 403, "forbidden")
        if perm == "download_own":
            d = a.get(f"/api/torrents/{h}/files").json["downloads"]
            assert d == {**d, "available": False, "reason": "forbidden"}, d
        # Still visible, untouched.
        assert call(a, "detail").status == 200
    t = p.swarm.main.torrent(h)
    assert t is not None and t["state"] in sw.COMPLETE_STATES, t
    move(admin, p.a_id, 2)

    # B without see_all: A's torrent does not exist for B, whatever B asks (404, not 403).
    move(admin, p.b_id, make_group(admin, without("see_all", "act_all")))
    for what in calls:
        sw.assert_api_error(call(b, what), 404, "torrent_not_found")
    assert h not in [x["hash"] for x in sw.entries(b, "mine")]
    sw.assert_api_error(b.get("/api/torrents?scope=all"), 403, "forbidden")
    with WebSocket(p.server.port, cookie=cookie_of(b)) as ws:
        assert ws.recv_json(5)["type"] == "status"
        full = ws.recv_json(5)
        assert full["full"] is True and h not in [x["hash"] for x in full["torrents"]], full
    dash = b.get("/api/dashboard").json
    assert h not in json.dumps(dash) and "totals" not in dash, dash

    # B with see_all and download_any but not act_all: may fetch the files, not act.
    move(admin, p.b_id, make_group(admin, without("act_all")))
    res = call(b, "links")
    assert res.status == 200, res
    status, body = fetch(p.server.port, res.json["links"][0]["url"])
    assert status == 200 and body, status
    assert call(b, "zip").status == 200
    for what in ("pause", "resume", "delete", "delete_data"):
        sw.assert_api_error(call(b, what), 403, "forbidden")

    # B with act_all (a moderator): may pause and resume A's torrent.
    move(admin, p.b_id, make_group(admin, ["see_all", "act_all"]))
    assert call(b, "pause").status == 204
    sw.wait_until(lambda: p.swarm.main.torrent(h)["state"].startswith(("paused", "stopped")), 10,
                  what="paused by B")
    assert call(b, "resume").status == 204
    sw.assert_api_error(call(b, "links"), 403, "forbidden")  # act_all is not download_any
    # The audit log names B for the action on A's torrent.
    entries = admin.get("/api/admin/audit?action=torrent.pause").json["entries"]
    assert entries and entries[0]["actor_name"] == p.b_user["username"], entries


def cookie_of(browser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def fetch(port: int, url: str, headers: dict | None = None) -> tuple:
    u = urllib.parse.urlsplit(url)
    target = u.path + ("?" + u.query if u.query else "")
    res = raw_request(port, "GET", target, headers=headers)
    return res.status, res.body


# =============================================================================================
# 2. Cookies
# =============================================================================================

SEVEN_DAYS = 7 * 24 * 3600


def check_cookies(res: Response, secure: bool, cleared: bool = False) -> dict:
    """Both cookies set (or cleared) with the right attributes; returns name → value."""
    raw = res.header_all("Set-Cookie")
    cookies = res.set_cookies()
    assert set(cookies) == {"essaim_session", "csrf_token"} and len(raw) == 2, raw
    for name, (value, attrs) in cookies.items():
        assert str(attrs.get("samesite")).lower() == "strict", (name, raw)
        assert attrs.get("path") == "/", (name, raw)
        assert "domain" not in attrs, (name, raw)  # host-only
        assert (attrs.get("secure") is True) == secure, (name, raw)
        assert (attrs.get("httponly") is True) == (name == "essaim_session"), (name, raw)
        if cleared:
            assert value == "" and attrs.get("max-age") == "0", (name, raw)
        else:
            assert value and attrs.get("max-age") == str(SEVEN_DAYS), (name, raw)
    return {n: v for n, (v, _) in cookies.items()}


@pytest.mark.parametrize("base_url", [None, "https://essaim.example.org"])
def test_cookie_attributes_everywhere_they_are_set(essaim, base_url):
    env = {"ESSAIM_BASE_URL": base_url} if base_url else {}
    srv = essaim.start(env=env)
    secure = base_url is not None
    origin = {"Origin": base_url} if base_url else {}
    b = Browser(srv)
    name = unique_name("biscuit")
    res = b.post("/api/auth/register", {"username": name, "password": GOOD_PASSWORD},
                 headers=origin)
    assert res.status == 201, res
    first = check_cookies(res, secure)
    res = b.post("/api/auth/login", {"username": name, "password": GOOD_PASSWORD},
                 headers=origin)
    assert res.status == 200, res
    second = check_cookies(res, secure)
    assert second["essaim_session"] != first["essaim_session"]
    res = b.post("/api/me/password", {"current_password": GOOD_PASSWORD,
                                      "new_password": "nouveau-mot-de-passe-1"},
                 csrf=True, headers=origin)
    assert res.status == 204, res
    third = check_cookies(res, secure)
    assert third["essaim_session"] not in (first["essaim_session"], second["essaim_session"])
    # Nothing else sets a cookie: every GET route, as this user.
    for method, path in routes():
        if method == "GET":
            r = b.get(concrete(path))
            assert not r.header_all("Set-Cookie"), (path, r.header_all("Set-Cookie"))
    # The session cookie's value never appears in a body (not even the login answer's).
    for token in (first, second, third):
        assert token["essaim_session"] not in b.me().text
    res = b.post("/api/auth/logout", csrf=True, headers=origin)
    assert res.status == 204, res
    check_cookies(res, secure, cleared=True)
    # A client-sent X-Forwarded-Proto changes nothing: essaim has no proxy-header support, the
    # Secure attribute follows ESSAIM_BASE_URL only (SECURITY.md: set it behind a TLS proxy).
    res = Browser(srv).post("/api/auth/login", {"username": name,
                                                "password": "nouveau-mot-de-passe-1"},
                            headers={**origin, "X-Forwarded-Proto": "http" if secure else "https"})
    assert res.status == 200, res
    check_cookies(res, secure)


# =============================================================================================
# 3. Security headers on every response
# =============================================================================================

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP_MUST = ["default-src 'self'", "script-src 'self'", "object-src 'none'",
            "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'",
            "connect-src 'self'"]


def check_headers(res: Response, what: str) -> None:
    for name, value in EXPECTED_HEADERS.items():
        assert res.header_all(name) == [value], (what, res.status, name, res.headers)
    csp = res.header_all("Content-Security-Policy")
    assert len(csp) == 1, (what, res.headers)
    directives = [d.strip() for d in csp[0].split(";")]
    for d in CSP_MUST:
        assert d in directives, (what, d, csp)
    script = next(d for d in directives if d.startswith("script-src"))
    assert "unsafe-inline" not in script and "unsafe-eval" not in script, (what, csp)
    perms = res.header_all("Permissions-Policy")
    assert len(perms) == 1 and "camera=()" in perms[0], (what, res.headers)


def signed(rel: str, secret: str, expires: int, prefix: str = "/dl/") -> str:
    """A link as DESIGN.md's contract defines it (what nginx's secure_link checks)."""
    uri = prefix + rel
    digest = hashlib.md5(f"{expires}{uri} {secret}".encode()).digest()
    md5 = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return f"{prefix}{urllib.parse.quote(rel)}?md5={md5}&expires={expires}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A server with a web dir and direct downloads from a local folder holding files whose
    types a browser would run (html, svg, js, xml) — never as essaim's own content."""
    from conftest import EssaimFactory

    root = tmp_path_factory.mktemp("site")
    web = root / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<!doctype html><title>essaim</title>\n")
    (web / "assets" / "app-1a2b3c.js").write_text("console.log(1);\n")
    files = root / "files"
    (files / "Dossier").mkdir(parents=True)
    for n, data in {"page.html": "<script>alert(1)</script>", "image.svg": "<svg onload=x>",
                    "code.js": "alert(1)", "flux.xml": "<x/>", "film.mp4": "0" * 4096,
                    "notes.txt": "bonjour"}.items():
        (files / "Dossier" / n).write_text(data)
    f = EssaimFactory()
    try:
        srv = f.start(web_dir=web, env={"ESSAIM_DOWNLOAD_ROOT": str(files),
                                        "ESSAIM_DOWNLOAD_SECRET": DL_SECRET,
                                        "ESSAIM_DOWNLOAD_DIRECT": "1"})
        srv.files = files
        yield srv
    finally:
        f.close()


def test_security_headers_on_every_route_for_every_kind_of_caller(site):
    admin = admin_of(site)
    user = Browser(site)
    assert user.register(unique_name("entetes")).status == 201
    anon = Browser(site)
    seen = collections.Counter()
    for method, path in routes():
        for who, b in (("anonyme", anon), ("utilisateur", user), ("admin", admin)):
            if (who == "admin" and method == "DELETE" and "/users/" in path) or \
                    path == "/api/auth/logout" or path == "/api/me/password":
                continue  # would end the sessions used by the walk
            res = b.request(method, concrete(path), {} if method != "GET" else None, csrf=True)
            check_headers(res, f"{who} {method} {path}")
            assert res.header("Cache-Control") == "no-store", (method, path, res.headers)
            seen[res.status // 100] += 1
            if method == "GET":
                head = b.request("HEAD", concrete(path))
                check_headers(head, f"{who} HEAD {path}")
    assert seen[2] > 30 and seen[4] > 60, seen


@pytest.mark.parametrize("method,target,headers,body", [
    ("GET", "/", {}, None),
    ("GET", "/index.html", {}, None),
    ("GET", "/assets/app-1a2b3c.js", {}, None),
    ("GET", "/assets/absent-000000.js", {}, None),  # 404
    ("GET", "/torrents/abc?x=1", {}, None),  # SPA fallback
    ("HEAD", "/", {}, None),
    ("POST", "/compte", {"Content-Type": "text/plain"}, b"x"),  # 405
    ("GET", "/%2e%2e/%2e%2e/etc/passwd", {}, None),
    ("GET", "/api/nope", {}, None),
    ("PUT", "/api/me", {}, None),  # 405
    ("GET", "/api/%zz", {}, None),  # 400
    ("GET", "/api/ws", {}, None),  # not an upgrade
    ("OPTIONS", "/api/me", {"Origin": "http://evil.example",
                            "Access-Control-Request-Method": "PATCH"}, None),
    ("POST", "/api/auth/login", {"Content-Type": "text/plain"}, b"{}"),  # 415
    ("POST", "/api/auth/login", {"Content-Type": "application/json"}, b"{"),  # 400
    ("GET", "/dl/Dossier/notes.txt", {}, None),  # no signature: 403
    ("GET", "/dl/Dossier/notes.txt?md5=AAAAAAAAAAAAAAAAAAAAAA&expires=99999999999", {}, None),
    ("POST", "/dl/Dossier/notes.txt", {}, b""),  # 405
    ("GET", "/dl/../secret.key", {}, None),
    ("GET", f"/api/torrents/{HASH}/zip?folder=Dossier", {}, None),  # no signature: 403
])
def test_security_headers_on_static_files_errors_and_refusals(site, method, target, headers,
                                                              body):
    res = raw_request(site.port, method, target, body=body, headers=headers)
    check_headers(res, f"{method} {target} → {res.status}")
    assert not res.header("Access-Control-Allow-Origin"), res.headers  # no CORS, ever


def test_security_headers_on_served_files_conditional_answers_and_parser_errors(site):
    exp = int(time.time()) + 600
    # Files that a browser would run are never served as active content on essaim's origin.
    for name, expected in {"page.html": "application/octet-stream",
                           "image.svg": "application/octet-stream",
                           "code.js": "application/octet-stream",
                           "flux.xml": "application/octet-stream",
                           "film.mp4": "video/mp4", "notes.txt": "text/plain; charset=utf-8"}.items():
        link = signed(f"Dossier/{name}", DL_SECRET, exp)
        res = raw_request(site.port, "GET", link)
        assert res.status == 200, (name, res)
        check_headers(res, name)
        assert res.header("Content-Type") == expected, (name, res.headers)
        assert res.header("Cache-Control") == "private, max-age=0", res.headers
        assert res.header("Content-Disposition"), res.headers
        # Range, 416 and HEAD too.
        part = raw_request(site.port, "GET", link, headers={"Range": "bytes=0-1"})
        assert part.status == 206 and len(part.body) == 2
        check_headers(part, f"{name} 206")
        check_headers(raw_request(site.port, "GET", link, headers={"Range": "bytes=99999-"}),
                      f"{name} 416")
        check_headers(raw_request(site.port, "HEAD", link), f"{name} HEAD")
    # A folder's zip names its torrent under the signature; one that is not there: a French page.
    md5 = base64.urlsafe_b64encode(hashlib.md5(
        f"{exp}/api/torrents/{HASH}/zip/Dossier {DL_SECRET}".encode()).digest()).rstrip(b"=")
    res = raw_request(site.port, "GET",
                      f"/api/torrents/{HASH}/zip?folder=Dossier&expires={exp}&md5={md5.decode()}")
    assert res.status == 404 and "text/html" in res.header("Content-Type"), res
    check_headers(res, "zip of an unknown torrent")
    expired = signed("Dossier/notes.txt", DL_SECRET, int(time.time()) - 10)
    res = raw_request(site.port, "GET", expired)
    assert res.status == 410, res
    check_headers(res, "expired link")
    res = raw_request(site.port, "GET", signed("Dossier/absent.txt", DL_SECRET, exp))
    assert res.status == 404, res
    check_headers(res, "missing file")

    # 304 on the SPA's index.
    etag = raw_request(site.port, "GET", "/").header("ETag")
    res = raw_request(site.port, "GET", "/", headers={"If-None-Match": etag})
    assert res.status == 304
    check_headers(res, "304")

    # Errors written by the HTTP parser itself: 400 malformed, 431 headers too large, 413.
    raw = socket_exchange(site.port, b"NOT HTTP AT ALL\r\n\r\n")
    res = parse_raw_response(raw)
    assert res.status == 400, raw[:200]
    check_headers(res, "400 parser")
    raw = socket_exchange(site.port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000
                          + b"\r\n\r\n")
    res = parse_raw_response(raw)
    assert res.status == 431, raw[:200]
    check_headers(res, "431")
    big = b"{" + b" " * (2 << 20) + b"}"
    raw = socket_exchange(site.port, b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Type: application/json\r\nContent-Length: "
                          + str(len(big)).encode() + b"\r\n\r\n" + big)
    res = parse_raw_response(raw)
    assert res.status == 413, raw[:200]
    check_headers(res, "413")

    # WebSocket refusals.
    for origin in ("http://evil.example", "auto"):
        with pytest.raises(WebSocketRefused) as e:
            WebSocket(site.port, origin=origin)
        r = Response(e.value.status, "", list(e.value.headers.items()), e.value.body)
        assert r.status in (401, 403)
        # (the WebSocket client lower-cases header names; check_headers looks them up
        # case-insensitively)
        check_headers(r, f"WebSocket refused {r.status}")


def test_direct_downloads_disabled_still_answer_with_the_headers(shared_server):
    for target in ("/dl/x.txt", f"/api/torrents/{HASH}/zip?folder=x",
                   "/dl/x.txt?md5=a&expires=1"):
        res = raw_request(shared_server.port, "GET", target)
        assert res.status == 404, res
        check_headers(res, target)


# =============================================================================================
# 4. No secret in any API response, WebSocket message or log line
# =============================================================================================


def canary(kind: str) -> str:
    return f"{kind}-canari-{os.urandom(8).hex()}"


class Recorded:
    """Every response a RecordingBrowser got (label, Response), and WebSocket messages."""

    def __init__(self):
        self.responses: list = []
        self.messages: list = []


def recording_browser(rec: Recorded):
    class RecordingBrowser(Browser):
        def request(self, method, path, *a, **kw):
            res = super().request(method, path, *a, **kw)
            rec.responses.append((f"{method} {path} [{self.cookies.get('essaim_session', '')[:8]}]",
                                  res, self))
            return res
    return RecordingBrowser


class FakeQbt:
    """Answers qBittorrent's login with "Fails." (wrong password), recording what it got: the
    connection test with a wrong password goes here, not to the swarm's qBittorrent (which bans
    an address after 5 failures)."""

    def __init__(self):
        self.bodies: list = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                outer.bodies.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                body = b"Fails."
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def encodings(secret) -> set:
    """The ways a secret could show up: as is, URL- and JSON-escaped, base64/base64url, hex."""
    raw = secret.encode() if isinstance(secret, str) else secret
    out = {raw, base64.b64encode(raw), base64.urlsafe_b64encode(raw),
           base64.urlsafe_b64encode(raw).rstrip(b"="), base64.b64encode(raw).rstrip(b"="),
           raw.hex().encode()}
    if isinstance(secret, str):
        out |= {urllib.parse.quote(secret, safe="").encode(),
                urllib.parse.quote_plus(secret).encode(),
                json.dumps(secret)[1:-1].encode()}
    return {e for e in out if len(e) >= 8}


def find(blob: bytes, secrets: dict) -> list:
    return [name for name, s in secrets.items() if any(e in blob for e in encodings(s))]


@pytest.mark.timeout(240)
def test_no_secret_in_any_response_websocket_message_or_log_line(swarm_clean, essaim):
    s = swarm_clean
    secrets = {
        "jackett_api_key": canary("jackett"),
        "jackett_wrong_key": canary("jackett-faux"),
        "download_secret": canary("telechargement"),
        "download_secret_2": canary("telechargement2"),
        "smtp_password": canary("smtp"),
        "oidc_client_secret": canary("oidc"),
        "metrics_token": canary("metriques"),
        "qbt_password": sw.QBT_PASS,
        "qbt_wrong_password": canary("qbt-faux"),
        "password_a": canary("mdp-a"),
        "password_a_new": canary("mdp-a-nouveau"),
        "password_b": canary("mdp-b"),
        "password_b_reset": canary("mdp-b-reinit"),
        "wrong_password": canary("mdp-faux"),
    }
    webhook_token = canary("jeton-webhook")
    rec = Recorded()
    fake_jackett = FakeJackett(secrets["jackett_api_key"],
                               s.torrents["sample-multi"][0].read_bytes(),
                               s.magnets["sample-single"])
    fake_qbt = FakeQbt()
    sink = SmtpSink()
    try:
        env = {"ESSAIM_JACKETT_URL": fake_jackett.url,
               "ESSAIM_JACKETT_API_KEY": secrets["jackett_api_key"],
               "ESSAIM_JACKETT_TIMEOUT": "3",
               "ESSAIM_DOWNLOAD_ROOT": str(s.downloads),
               "ESSAIM_DOWNLOAD_SECRET": secrets["download_secret"],
               "ESSAIM_DOWNLOAD_DIRECT": "1",
               "ESSAIM_METRICS_TOKEN": secrets["metrics_token"],
               "ESSAIM_NOTIFY_RETRY_SECONDS": "0",
               "ESSAIM_LOG_LEVEL": "trace"}
        portal = sw.Portal(essaim, s, recording_browser(rec),
                           lambda p: unique_name(p), env=env)
        srv, admin = portal.server, portal.admin
        secrets["admin_password"] = srv.admin_password
        jwt_key = (srv.data_dir / "secret.key").read_bytes()
        port = srv.port

        # --- accounts ------------------------------------------------------------------------
        a = recording_browser(rec)(srv)
        a_name = unique_name("alice")
        assert a.register(a_name, secrets["password_a"], email="alice@example.org").status == 201
        assert a.login(a_name, secrets["password_a"]).status == 200
        assert_error(recording_browser(rec)(srv).login(a_name, secrets["wrong_password"]), 401,
                     "invalid_credentials")
        assert a.post("/api/me/password", {"current_password": secrets["password_a"],
                                           "new_password": secrets["password_a_new"]},
                      csrf=True).status == 204
        assert_error(a.post("/api/me/password", {"current_password": secrets["wrong_password"],
                                                 "new_password": secrets["wrong_password"]},
                            csrf=True), 422, "wrong_password")
        res = a.patch("/api/me", {"webhook_url": f"http://127.0.0.1:1/message?token={webhook_token}",
                                  "notify_email": True}, csrf=True)
        assert res.status == 200, res
        res = admin.post("/api/admin/users", {"username": unique_name("bruno"),
                                              "password": secrets["password_b"]}, csrf=True)
        assert res.status == 201 and res.json["password"] is None, res
        b_id, b_name = res.json["user"]["id"], res.json["user"]["username"]
        assert admin.post(f"/api/admin/users/{b_id}/password",
                          {"password": secrets["password_b_reset"]}, csrf=True).status == 200
        b = recording_browser(rec)(srv)
        assert b.login(b_name, secrets["password_b_reset"]).status == 200
        assert_error(recording_browser(rec)(srv).login(b_name, secrets["password_b"]), 401,
                     "invalid_credentials")
        # Generated passwords are shown once, to the admin who asked: allowed in that answer.
        res = admin.post("/api/admin/users", {"username": unique_name("carole")}, csrf=True)
        assert res.status == 201 and res.json["password"], res
        generated = {res.json["password"]: id(res)}

        # --- settings ------------------------------------------------------------------------
        res = admin.request("PUT", "/api/admin/settings", {
            "qbittorrent": {"url": s.main_url, "username": sw.QBT_USER,
                            "password": sw.QBT_PASS},
            "jackett": {"url": fake_jackett.url, "api_key": secrets["jackett_api_key"]},
            "downloads": {"secret": secrets["download_secret_2"]},
            "notifications": {"smtp_host": "127.0.0.1", "smtp_port": sink.port,
                              "smtp_username": "essaim", "smtp_password": secrets["smtp_password"],
                              "smtp_from": "essaim <essaim@example.org>", "smtp_starttls": True,
                              "smtp_verify_tls": False},
            "oidc": {"issuer": "https://id.example.invalid", "client_id": "essaim",
                     "client_secret": secrets["oidc_client_secret"]}}, csrf=True)
        assert res.status == 200, res
        assert res.json["oidc"]["client_secret_set"] is True
        t = admin.post("/api/admin/settings/test/oidc", {}, csrf=True).json
        assert t["ok"] is False and looks_french(t["message"]), t
        sw.wait_link(srv, "ok")
        for path in ("/api/admin/settings", "/api/admin/users", "/api/admin/groups",
                     "/api/admin/servers",
                     "/api/admin/audit", "/api/admin/audit?page=2", "/metrics", "/api/dashboard"):
            assert admin.get(path).status == 200, path
        t = admin.post("/api/admin/settings/test/qbittorrent", {}, csrf=True).json
        assert t["ok"] is True, t
        t = admin.post("/api/admin/settings/test/qbittorrent",
                       {"url": fake_qbt.url, "password": secrets["qbt_wrong_password"]},
                       csrf=True).json
        assert t["ok"] is False and t["code"] == "bad_credentials", t
        assert any(secrets["qbt_wrong_password"].encode() in x for x in fake_qbt.bodies)
        assert admin.post("/api/admin/settings/test/jackett", {}, csrf=True).json["ok"] is True
        t = admin.post("/api/admin/settings/test/jackett",
                       {"api_key": secrets["jackett_wrong_key"]}, csrf=True).json
        assert t["ok"] is False, t
        t = admin.post("/api/admin/settings/test/smtp", {"to": "admin@example.org"},
                       csrf=True).json
        assert "ok" in t, t
        # Metrics: by token (a scraper), wrong token.
        for token in (secrets["metrics_token"], secrets["metrics_token"] + "x"):
            r = raw_request(port, "GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
            rec.responses.append(("GET /metrics (token)", r, None))
        assert rec.responses[-2][1].status == 200 and rec.responses[-1][1].status == 401

        # --- torrents, search, downloads -----------------------------------------------------
        ws_a = WebSocket(port, cookie=cookie_of(a))
        ws_admin = WebSocket(port, cookie=cookie_of(admin))
        r = sw.single_result(sw.add_magnets(a, s.magnets["sample-single"]))
        assert r["ok"], r
        h = s.torrents["sample-single"][1]
        sw.wait_entry(a, h, sw.is_seeding, 40, scope="mine", what="sample-single seeding")
        res = a.get("/api/search?q=amelie")
        assert res.status == 200, res
        for path in ("/api/search/indexers", "/api/search/recent", "/api/torrents?scope=mine",
                     "/api/torrents?scope=all", f"/api/torrents/{h}", f"/api/torrents/{h}/files",
                     "/api/notifications", "/api/me/deliveries", "/api/dashboard",
                     "/api/stats/speed", "/api/me"):
            assert a.get(path).status == 200, path
        for result in res.json["results"]:
            a.post("/api/search/add", {"id": result["id"]}, csrf=True)
        files = a.get(f"/api/torrents/{h}/files").json["files"]
        links = a.post(f"/api/torrents/{h}/links", {"paths": [f["path"] for f in files]},
                       csrf=True)
        assert links.status == 200, links
        for fmt in ("meta4", "txt"):
            assert a.post(f"/api/torrents/{h}/links", {"paths": [files[0]["path"]],
                                                       "format": fmt}, csrf=True).status == 200
        for link in links.json["links"]:
            u = urllib.parse.urlsplit(link["url"])
            r = raw_request(port, "GET", u.path + "?" + u.query)
            assert r.status == 200, r
            rec.responses.append(("GET /dl/", r, None))
            tampered = u.path + "?" + u.query.replace("md5=", "md5=A")
            rec.responses.append(("GET /dl/ (modifié)", raw_request(port, "GET", tampered), None))
        t = admin.post("/api/admin/settings/test/downloads", {}, csrf=True).json
        assert t["ok"] is True, t
        # A's completion produces an e-mail (sink) and a webhook to a private address, refused.
        sw.wait_until(lambda: a.get("/api/me/deliveries").json["deliveries"], 20,
                      what="A's deliveries")
        sw.wait_until(lambda: any(d["status"] != "pending"
                                  for d in a.get("/api/me/deliveries").json["deliveries"]
                                  if d["channel"] == "webhook"), 30,
                      what="the webhook attempted")

        # Jackett unreachable, and a Jackett address that cannot be parsed: the error shown to
        # the user must not carry the API key (it is in the query string essaim builds).
        for bad in ("http://127.0.0.1:1", "http://", "http://[::1"):
            assert admin.request("PUT", "/api/admin/settings", {"jackett": {"url": bad}},
                                 csrf=True).status in (200, 422)
            a.get("/api/search?q=amelie")
            a.get("/api/search/indexers")
            admin.post("/api/admin/settings/test/jackett", {}, csrf=True)
            admin.post("/api/admin/settings/test/jackett", {"url": bad}, csrf=True)
        # An admin mistake that makes qBittorrent unreachable (then back).
        assert admin.request("PUT", "/api/admin/settings", {"qbittorrent": {
            "url": "http://127.0.0.1:1"}}, csrf=True).status == 200
        sw.wait_link(srv, "down", 15)
        sw.add_magnets(a, s.magnets["sample-multi"])
        assert admin.request("PUT", "/api/admin/settings", {"qbittorrent": {
            "url": s.main_url}}, csrf=True).status == 200
        sw.wait_link(srv, "ok", 15)

        # Bearer use by a script, logout, a 500-free error path.
        r = raw_request(port, "GET", "/api/me", headers={"Authorization": f"Bearer {b.session}"})
        assert r.status == 200
        rec.responses.append(("GET /api/me (bearer)", r, None))
        assert a.delete(f"/api/torrents/{h}?delete_files=true", csrf=True).status == 204
        time.sleep(1.5)
        for ws in (ws_a, ws_admin):
            rec.messages += [json.dumps(m) for m in ws.messages(0.5)]
            ws.close()
        sessions = {c for _, r, _ in rec.responses for n, (c, _) in r.set_cookies().items() if c}
        assert len(sessions) >= 10, sessions
        assert b.post("/api/auth/logout", csrf=True).status == 204
        assert srv.stop() == 0
        log = (srv.stdout() + srv.stderr()).encode()
        for f in srv.data_dir.rglob("*.log"):
            log += f.read_bytes()

        # --- what is allowed, exactly --------------------------------------------------------
        # 1. The first-start banner prints the admin password once on stdout; nowhere else.
        assert srv.stdout().count(secrets["admin_password"]) == 1
        assert f"Mot de passe : {secrets['admin_password']}\n" in srv.stdout()
        log = log.replace(f"Mot de passe : {secrets['admin_password']}".encode(), b"")
        # 2. Session and CSRF cookies: only in the Set-Cookie headers of login, register and
        #    password change (and in what the client sends back). Checked below on every body,
        #    every other header and the log.
        # 3. A generated password: only in the admin's answer that created it.
        # 4. A user's webhook URL (with its token) is theirs: in their own /api/me answers and
        #    the target of their deliveries.
        # 5. Signed links carry md5 = MD5(expires + path + secret), never the secret.
        problems = []
        cookie_values = {f"cookie {v[:10]}…": v for v in sessions}
        for label, r, browser in rec.responses:
            head = b"\n".join(f"{k}: {v}".encode() for k, v in r.headers
                              if k.lower() != "set-cookie")
            blob = r.body + b"\n" + head
            hits = find(blob, {**secrets, "jwt_key": jwt_key, **cookie_values})
            if id(r) not in generated.values():
                hits += find(blob, {"generated": next(iter(generated))})
            if webhook_token.encode() in blob and not (browser is a and (
                    label.startswith(("GET /api/me", "PATCH /api/me")))):
                hits.append("webhook_token")
            if hits:
                problems.append(f"{label} → {r.status}: {hits}: {r.text[:300]}")
        for m in rec.messages:
            hits = find(m.encode(), {**secrets, "jwt_key": jwt_key, **cookie_values,
                                     "webhook_token": webhook_token})
            if hits:
                problems.append(f"WebSocket message: {hits}: {m[:300]}")
        log_hits = find(log, {**secrets, "jwt_key": jwt_key, **cookie_values,
                              "webhook_token": webhook_token,
                              "generated": next(iter(generated))})
        for name in log_hits:
            s_ = {**secrets, "webhook_token": webhook_token}.get(name, "")
            lines = [ln for ln in log.decode("utf-8", "replace").splitlines()
                     if s_ and s_ in ln][:3]
            problems.append(f"server log: {name}: {lines}")
        # Shapes of secrets that no log line should carry, whatever their value.
        text = log.decode("utf-8", "replace")
        for pattern in ("apikey=", "jackett_apikey", "Authorization:", "Cookie:", "SID=",
                        "password="):
            if pattern.lower() in text.lower():
                problems.append(f"server log has {pattern!r}: " + next(
                    ln for ln in text.splitlines() if pattern.lower() in ln.lower())[:300])
        assert not problems, "\n".join(problems)
        # The log really holds the traffic (trace level: one line per request at least).
        assert text.count("/api/auth/login") >= 4 and "/api/search/add" in text, text[-2000:]
        print(f"secrets: {len(secrets) + 4} kinds, {len(rec.responses)} responses, "
              f"{len(rec.messages)} WebSocket messages, {len(log)} bytes of log: none leaked")
        # And the requests really exercised the routes that handle secrets.
        labels = " ".join(lbl for lbl, _, _ in rec.responses)
        for needed in ("/api/admin/settings/test/smtp", "/api/search/add", "/api/me/password",
                       "/api/admin/users/", "/links", "/dl/", "/metrics"):
            assert needed in labels, needed

        # At rest: secrets sealed in the database, passwords as argon2id hashes.
        for label, raw in db_raw_dumps(srv.data_dir):  # SQLite files + WAL, or a pg_dump
            assert not find(raw, {k: v for k, v in secrets.items() if k != "qbt_password"}), label
        assert oct((srv.data_dir / "secret.key").stat().st_mode & 0o777) == "0o600"
        assert oct(srv.data_dir.stat().st_mode & 0o777) == "0o700"
        hashes = [h for (h,) in db_query(srv.data_dir, "SELECT password_hash FROM users")]
        assert hashes and all(x.startswith("$argon2id$") for x in hashes), hashes
        for key in ("jackett_api_key", "download_secret", "qbt_password", "smtp_password",
                    "oidc_client_secret"):
            [(value,)] = db_query(srv.data_dir, "SELECT value FROM settings WHERE key = ?", (key,))
            assert value.startswith("enc:v1:"), (key, value[:20])
    finally:
        fake_jackett.stop()
        fake_qbt.stop()
        sink.stop()


# =============================================================================================
# 5. WebSocket Origin, and permissions changing under an open socket
# =============================================================================================


def test_websocket_origin_must_be_exactly_the_site(shared_server):
    port = shared_server.port
    b = Browser(shared_server)
    assert b.register(unique_name("prise")).status == 201
    refused = [f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}",  # other port
               f"http://localhost:{port}",  # other host name for the same server
               "http://127.0.0.1",  # no port
               f"http://127.0.0.1:{port}.evil.example", f"http://evil.127.0.0.1:{port}",
               f"http://127.0.0.1:{port}@evil.example", f"ws://127.0.0.1:{port}",
               f"http://127.0.0.1:{port}/", "null", "*", f"HTTP://127.0.0.1:{port}x"]
    for origin in refused:
        with pytest.raises(WebSocketRefused) as e:
            WebSocket(port, cookie=cookie_of(b), origin=origin)
        assert e.value.status == 403, (origin, e.value)
        assert (e.value.json or {}).get("error", {}).get("code") == "origin_refused", origin
    with WebSocket(port, cookie=cookie_of(b)) as ws:  # the site's own origin
        assert ws.recv_json(5)["type"] == "status"


def test_websocket_accepts_the_base_url_origin_only(essaim):
    srv = essaim.start(env={"ESSAIM_BASE_URL": "https://essaim.example.org/"})
    b = Browser(srv)
    assert b.post("/api/auth/register", {"username": unique_name("proxy"),
                                         "password": GOOD_PASSWORD},
                  headers={"Origin": "https://essaim.example.org"}).status == 201
    # Behind a reverse proxy that does not forward Host, the browser's Origin is the base URL's.
    with WebSocket(srv.port, cookie=cookie_of(b), origin="https://essaim.example.org") as ws:
        assert ws.recv_json(5)["type"] == "status"
    for origin in ("http://essaim.example.org", "https://essaim.example.org:8443",
                   "https://evil.example", "https://essaim.example.org.evil.example",
                   "https://sub.essaim.example.org"):
        with pytest.raises(WebSocketRefused) as e:
            WebSocket(srv.port, cookie=cookie_of(b), origin=origin)
        assert e.value.status == 403, (origin, e.value)


def closed_within(ws, seconds: float) -> float:
    """How long until the server closed `ws` (read all along); fails after `seconds`."""
    t0 = time.monotonic()
    with pytest.raises(ConnectionError):
        while time.monotonic() - t0 < seconds:
            ws.recv(seconds - (time.monotonic() - t0))
    return time.monotonic() - t0


@pytest.mark.timeout(90)
def test_open_websocket_closes_when_its_users_permissions_change(essaim):
    """The live feed is filtered with the permissions the user had when it opened: when an
    administrator changes them, the socket is closed at once (every socket re-checks its
    session on such a change made through this instance; otherwise within the 30 s re-check),
    so the app reconnects and gets a list filtered with the new ones. The same for a logout
    (that session's socket) and a disabled account."""
    srv = essaim.start()
    admin = admin_of(srv)
    name, uid = make_user(admin, 2)  # default group: may see every torrent
    other, _ = make_user(admin, 2)
    b, c = login(srv, name, GOOD_PASSWORD), login(srv, other, GOOD_PASSWORD)
    ws, control = WebSocket(srv.port, cookie=cookie_of(b)), WebSocket(srv.port, cookie=cookie_of(c))
    try:
        for w in (ws, control):
            assert w.recv_json(5)["type"] == "status" and w.recv_json(5)["full"] is True
        move(admin, uid, make_group(admin, without("see_all", "act_all")))
        took = closed_within(ws, 5)
        print(f"socket closed {took:.2f} s after the group change")
        assert ws.close_code == 1013, ws.close_code  # try again later: reconnect
        assert not control.closed and control.recv(0.2) is None  # unchanged user: still open
        with WebSocket(srv.port, cookie=cookie_of(b)) as again:
            assert again.recv_json(5)["type"] == "status"
            # Logging out ends that session's socket (policy: do not reconnect with it).
            assert b.request("POST", "/api/auth/logout", csrf=True).status == 204
            closed_within(again, 5)
            assert again.close_code == 1008, again.close_code
        assert not control.closed
        # An administrator disables the other user: their socket closes too.
        res = admin.request("PATCH", f"/api/admin/users/{c.me().json['id']}", {"disabled": True},
                            csrf=True)
        assert res.status == 200, res
        closed_within(control, 5)
        assert control.close_code == 1008, control.close_code
    finally:
        ws.close()
        control.close()


# =============================================================================================
# 6. Login throttling under 1,000 concurrent attempts
# =============================================================================================


def login_from(port: int, src_ip: str, username: str, password: str,
               headers: dict | None = None) -> Response:
    """One login on a fresh connection from a chosen loopback address (127.0.0.0/8 is all
    local on Linux): many "clients" from one machine."""
    # 60 s: a burst queues up to 64 argon2 hashes on the worker pool (issue 16's ceiling admits
    # 100 failures per user name), which takes a while on a loaded 2-core machine.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(src_ip, 0))
    try:
        conn.request("POST", "/api/auth/login",
                     body=json.dumps({"username": username, "password": password}).encode(),
                     headers={"Content-Type": "application/json", **(headers or {})})
        r = conn.getresponse()
        return Response(r.status, r.reason, list(r.getheaders()), r.read())
    finally:
        conn.close()


class HealthProbe:
    """GET /api/health every 50 ms in a thread, timing each answer."""

    def __init__(self, port: int):
        self.port, self.latencies, self.failures = port, [], []
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop_flag.is_set():
            t = time.monotonic()
            try:
                r = raw_request(self.port, "GET", "/api/health", timeout=10)
                if r.status != 200:
                    self.failures.append(r.status)
            except OSError as e:
                self.failures.append(repr(e))
            self.latencies.append(time.monotonic() - t)
            time.sleep(0.05)

    def stop(self):
        self.stop_flag.set()
        self.thread.join(15)


def burst(port: int, wrong: list, right: tuple) -> tuple:
    """Sends the `wrong` attempts (src_ip, username, password, headers) from 64 threads; the
    `right` one is sent once half of them are out AND a 429 has been seen (the key is locked).
    Returns (responses of the wrong ones, response of the right one, seconds)."""
    t0 = time.monotonic()
    with ThreadPoolExecutor(64) as pool:
        half = len(wrong) // 2
        first = [pool.submit(login_from, port, *w) for w in wrong[:half]]
        deadline = time.monotonic() + 60
        while not any(f.done() and f.result().status == 429 for f in first):
            assert time.monotonic() < deadline, "no 429 in the first half of the burst"
            time.sleep(0.01)
        right_future = pool.submit(login_from, port, *right)
        rest = [pool.submit(login_from, port, *w) for w in wrong[half:]]
        responses = [f.result() for f in first + rest]
        right_res = right_future.result()
    return responses, right_res, time.monotonic() - t0


def check_burst(responses: list, free: int, seconds: float, health: HealthProbe) -> int:
    statuses = collections.Counter(r.status for r in responses)
    assert set(statuses) <= {401, 429}, statuses
    # Parallel attempts get no more tries than sequential ones: the free failures, plus one per
    # lock that expired while the burst went on (locks of 5 s, 10 s, 20 s…).
    extra = 0 if seconds < 5 else int(seconds / 5).bit_length()
    assert free <= statuses[401] <= free + extra, (statuses, f"{seconds:.1f} s")
    retry_max = 0
    for r in responses:
        assert not r.header_all("Set-Cookie"), r.headers
        if r.status == 429:
            assert_error(r, 429, "too_many_attempts")
            retry = r.header("Retry-After")
            assert retry is not None and retry.isdigit() and int(retry) >= 1, r.headers
            assert retry in r.json["error"]["message"], r.json  # « Réessayez dans N secondes »
            retry_max = max(retry_max, int(retry))
        else:
            assert_error(r, 401, "invalid_credentials")
    # The server stayed responsive: /api/health kept answering, quickly, during the burst.
    assert not health.failures, health.failures
    assert len(health.latencies) >= 3, health.latencies
    assert max(health.latencies) < 3.0 and statistics.median(health.latencies) < 0.5, \
        sorted(health.latencies)[-5:]
    print(f"burst of {len(responses)}: {dict(statuses)} in {seconds:.2f} s; /api/health median "
          f"{statistics.median(health.latencies) * 1000:.0f} ms, max "
          f"{max(health.latencies) * 1000:.0f} ms; Retry-After ≤ {retry_max} s")
    return retry_max


@pytest.mark.timeout(150)
def test_thousand_parallel_attempts_on_one_user_from_many_addresses(essaim):
    """A distributed guesser (100 addresses, 10 tries each: under the per-IP limit): the user
    name's ceiling holds (issue 16: per (user name, address) 5 free failures, per user name 100)
    — exactly the 100 free failures, then 429 for every new address, the right password
    included; the address the user signed in from before still gets in."""
    srv = essaim.start()
    name = unique_name("cible")
    assert Browser(srv).register(name, GOOD_PASSWORD).status == 201
    assert login_from(srv.port, "127.0.0.250", name, GOOD_PASSWORD).status == 200  # usual
    wrong = [(f"127.0.0.{2 + i % 100}", name if i % 2 else name.upper(), f"essai-{i:04d}-faux", None)
             for i in range(1000)]
    health = HealthProbe(srv.port)
    try:
        responses, right, seconds = burst(srv.port, wrong, ("127.0.0.200", name, GOOD_PASSWORD,
                                                            None))
        # During the attack, from the usual address: in.
        usual = login_from(srv.port, "127.0.0.250", name, GOOD_PASSWORD)
    finally:
        health.stop()
    check_burst(responses, 100, seconds, health)
    assert_error(right, 429, "too_many_attempts")  # the right password, from a new address
    assert not right.header_all("Set-Cookie")
    assert usual.status == 200, usual
    # Once the lock expires, the right password works (from anywhere), and clears the count.
    wait = int(login_from(srv.port, "127.0.0.201", name, GOOD_PASSWORD).header("Retry-After"))
    assert wait <= 20, wait
    time.sleep(wait + 0.3)
    ok = login_from(srv.port, "127.0.0.1", name, GOOD_PASSWORD)
    assert ok.status == 200 and ok.set_cookies()["essaim_session"][0], ok
    assert_error(login_from(srv.port, "127.0.0.1", name, "encore-faux-1"), 401,
                 "invalid_credentials")
    assert srv.alive()


@pytest.mark.timeout(90)
def test_thousand_parallel_attempts_from_one_address_over_many_user_names(essaim):
    """One address sprays 1,000 user names (some real) with forged X-Forwarded-For/X-Real-IP/
    Forwarded headers: the per-IP limit holds — exactly 20 free failures, then 429 for all, the
    right password of a real user included — and other addresses are not affected."""
    srv = essaim.start()
    real = [unique_name("vrai") for _ in range(3)]
    for n in real:
        assert Browser(srv).register(n, GOOD_PASSWORD).status == 201
    wrong = []
    for i in range(1000):
        fake_ip = f"10.{i % 250}.{i // 250}.{i % 7}"
        user = real[i % 3] if i % 50 == 0 else f"inconnu{i:04d}"
        wrong.append(("127.0.0.1", user, f"essai-{i:04d}-faux",
                      {"X-Forwarded-For": fake_ip, "X-Real-IP": fake_ip,
                       "Forwarded": f"for={fake_ip}"}))
    health = HealthProbe(srv.port)
    try:
        responses, right, seconds = burst(srv.port, wrong, ("127.0.0.1", real[1], GOOD_PASSWORD,
                                                            {"X-Forwarded-For": "192.0.2.7"}))
        # Meanwhile another address logs in normally.
        other = login_from(srv.port, "127.0.0.77", real[2], GOOD_PASSWORD)
    finally:
        health.stop()
    check_burst(responses, 20, seconds, health)
    assert_error(right, 429, "too_many_attempts")
    assert other.status == 200, other
    wait = int(login_from(srv.port, "127.0.0.1", real[1], GOOD_PASSWORD).header("Retry-After"))
    assert wait <= 20, wait
    time.sleep(wait + 0.3)
    assert login_from(srv.port, "127.0.0.1", real[1], GOOD_PASSWORD).status == 200
    assert srv.alive()


# =============================================================================================
# 7. Session rows: a correctly signed JWT is not enough
# =============================================================================================


def claims_of(token: str) -> dict:
    p = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))


def me_with(srv, token: str, bearer: bool) -> Response:
    h = {"Authorization": f"Bearer {token}"} if bearer else {"Cookie": f"essaim_session={token}"}
    return raw_request(srv.port, "GET", "/api/me", headers=h)


def test_signed_unexpired_token_is_refused_once_its_session_row_expired(server):
    b = Browser(server)
    assert b.register(unique_name("expire")).status == 201
    token = b.session
    c = claims_of(token)
    assert c["exp"] > time.time() + 3600
    assert me_with(server, token, False).status == 200
    assert db_exec(server.data_dir, "UPDATE sessions SET expires_at = ? WHERE id = ?",
                   (int(time.time()) - 1, c["sid"])) == 1
    if ON_PG:
        # Another process's write reaches this one by NOTIFY essaim_auth after its commit
        # (docs/decisions.md, "Session cache on PostgreSQL"): the session must end within it.
        wait_until(lambda: me_with(server, token, False).status == 401, 5, 0.02,
                   "the expired session row is refused")
    for bearer in (False, True):
        assert_error(me_with(server, token, bearer), 401, "unauthenticated")
    with pytest.raises(WebSocketRefused) as e:
        WebSocket(server.port, cookie=f"essaim_session={token}")
    assert e.value.status == 401


def test_token_of_a_deleted_user_is_refused(server):
    admin = admin_of(server)
    name, uid = make_user(admin, 2)
    b = login(server, name, GOOD_PASSWORD)
    token = b.session
    assert me_with(server, token, True).status == 200
    assert admin.delete(f"/api/admin/users/{uid}?torrents=delete", csrf=True).status == 204
    for bearer in (False, True):
        assert_error(me_with(server, token, bearer), 401, "unauthenticated")
    # A new account that reuses the name is not reached by the old token either.
    again = Browser(server)
    assert again.register(name).status == 201
    assert_error(me_with(server, token, False), 401, "unauthenticated")
