"""Issue 19: signing a tool in to the qBittorrent-compatible API (POST /api/v2/auth/login).
The account's password is refused unless the administrator allows it (general.api_password_login);
a group without use_api gets "Fails." even with a good token; failures count in the web app's
sign-in throttle and past it the answer is qBittorrent's ban (403 with its sentence), the right
token included — from that address; and what a tool sends never reaches the journal or the log."""

import time
import urllib.parse

from conftest import GOOD_PASSWORD, Browser, db_exec, raw_request, unique_name
from test_api_tokens import grant_use_api

BANNED = "Your IP address has been banned after too many failed authentication attempts."


def tool_login(srv, username: str, password: str):
    body = urllib.parse.urlencode({"username": username, "password": password}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return raw_request(srv.port, "POST", "/api/v2/auth/login", body, headers=headers)


def sid_of(res) -> str | None:
    for v in res.header_all("Set-Cookie"):
        if v.startswith("SID="):
            return v.split(";")[0]
    return None


def new_token(srv, b: Browser, name: str = "Outil") -> str:
    res = b.post("/api/me/tokens", {"name": name}, csrf=True)
    assert res.status == 201, res
    return res.json["token"]


def test_password_login_only_when_allowed_and_use_api_decides(server):
    admin = Browser(server)
    assert admin.login("admin", server.admin_password).status == 200
    user = Browser(server)
    name = unique_name("outil")
    assert user.register(name).status == 201
    grant_use_api(server, admin)
    token = new_token(server, user)

    # The account's password: "Fails." (200, no cookie) while the setting is off (default).
    res = tool_login(server, name, GOOD_PASSWORD)
    assert (res.status, res.text, sid_of(res)) == (200, "Fails.", None)
    # The token, under another user's name: "Fails." too.
    assert tool_login(server, "admin", token).text == "Fails."
    # The token, under its user's name (any case): "Ok." and a SID like qBittorrent's.
    res = tool_login(server, name.upper(), token)
    assert (res.status, res.text) == (200, "Ok.") and sid_of(res)
    cookie = [v for v in res.header_all("Set-Cookie") if v.startswith("SID=")][0]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie

    res = admin.request("PUT", "/api/admin/settings", {"general": {"api_password_login": True}},
                        csrf=True)
    assert res.status == 200 and res.json["general"]["api_password_login"] is True, res
    res = tool_login(server, name, GOOD_PASSWORD)
    assert res.text == "Ok." and sid_of(res)
    sid = sid_of(res)
    res = raw_request(server.port, "GET", "/api/v2/torrents/info", headers={"Cookie": sid})
    assert (res.status, res.text) == (200, "[]")

    # Losing use_api: the open session ends, the next sign-in fails, with a token or without.
    grant_use_api(server, admin, allow=False)
    res = raw_request(server.port, "GET", "/api/v2/torrents/info", headers={"Cookie": sid})
    assert (res.status, res.text) == (403, "Forbidden")
    assert tool_login(server, name, token).text == "Fails."
    assert tool_login(server, name, GOOD_PASSWORD).text == "Fails."

    # The journal has the sign-ins, marked as the API's, and never what was typed.
    journal = admin.get("/api/admin/audit?limit=100")
    logins = [e for e in journal.json["entries"] if e["action"] == "user.login"
              and e.get("details", {}).get("api")]
    assert len(logins) == 2, logins  # the token's and the password's
    assert token not in journal.text and GOOD_PASSWORD not in journal.text
    assert token not in server.output() and GOOD_PASSWORD not in server.output()


def test_failures_are_throttled_like_the_web_sign_in_then_banned_as_qbittorrent_says(server):
    admin = Browser(server)
    assert admin.login("admin", server.admin_password).status == 200
    token = new_token(server, admin, "Sonarr")  # administrators always have use_api
    answers = [tool_login(server, "admin", "essaim_" + "x" * 43) for _ in range(8)]
    assert [a.text for a in answers[:5]] == ["Fails."] * 5
    assert answers[-1].status == 403 and answers[-1].text == BANNED
    # The good token is refused too while the lock lasts (as qBittorrent's ban does)…
    res = tool_login(server, "admin", token)
    assert (res.status, res.text) == (403, BANNED)
    # … and the web app's sign-in shares the counters.
    assert admin.post("/api/auth/login", {"username": "admin",
                                          "password": server.admin_password}).status == 429


def test_a_token_that_expires_ends_its_open_sid_at_once(server):
    admin = Browser(server)
    assert admin.login("admin", server.admin_password).status == 200
    res = admin.post("/api/me/tokens", {"name": "Court", "expires_in_days": 1}, csrf=True)
    assert res.status == 201, res
    token, tid = res.json["token"], res.json["id"]
    # Its expiry brought to 3 s from now (a day is long for a test).
    expires = int(time.time()) + 3
    assert db_exec(server.data_dir, "UPDATE api_tokens SET expires_at = ? WHERE id = ?",
                   (expires, tid)) == 1
    res = tool_login(server, "admin", token)
    assert res.text == "Ok.", res
    sid = sid_of(res)
    for headers in ({"Cookie": sid}, {"Authorization": f"Bearer {token}"}):
        res = raw_request(server.port, "GET", "/api/v2/torrents/info", headers=headers)
        assert res.status == 200, res
    time.sleep(max(0, expires - time.time()) + 1.1)
    for headers in ({"Cookie": sid}, {"Authorization": f"Bearer {token}"}):
        res = raw_request(server.port, "GET", "/api/v2/torrents/info", headers=headers)
        assert (res.status, res.text) == (403, "Forbidden"), res
    assert tool_login(server, "admin", token).text == "Fails."
