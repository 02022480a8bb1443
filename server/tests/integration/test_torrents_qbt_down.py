"""Torrents 8: qBittorrent unreachable, or refusing essaim's credentials.

qBittorrent bans an IP after 5 failed logins and every test shares 127.0.0.1: the wrong-password
test below makes exactly ONE failed login (essaim's) and checks that essaim does not retry."""

import json
import re
import time

import pytest

import swarm as sw
from conftest import Browser, free_port, looks_french, unique_name

pytestmark = pytest.mark.timeout(60)


def admin_of(srv) -> Browser:
    b = Browser(srv)
    res = b.login(srv.admin_username, srv.admin_password)
    assert res.status == 200, res
    return b


def test_qbittorrent_unreachable(essaim):
    closed = free_port()  # nothing listens there
    srv = essaim.start(env=sw.essaim_env(f"http://127.0.0.1:{closed}"))
    h = sw.wait_link(srv, "down", 10)
    assert h["status"] == "ok", h

    a = Browser(srv)
    assert a.register(unique_name("alice"), display_name="Alice").status == 201
    body = sw.listing(a)
    assert body["qbittorrent"] == "down", body
    assert body["torrents"] == [] and body["stale"] is False, body
    assert isinstance(body["error"], str) and looks_french(body["error"]), body
    # Users read a sentence without the address; the admin sees what failed.
    assert "ne répond pas" in body["error"] and "127.0.0.1" not in body["error"], body
    assert str(closed) not in json.dumps(body) and "error_detail" not in body, body
    detail = sw.listing(admin_of(srv), "all")["error_detail"]
    assert "injoignable" in detail and str(closed) in detail, detail

    magnet = "magnet:?xt=urn:btih:" + "7" * 40 + "&dn=rien"
    r = sw.single_result(sw.add_magnets(a, magnet))
    assert r["ok"] is False and r["error"]["code"] == "qbittorrent_unreachable", r
    assert r["error"]["message"], r
    r = sw.single_result(sw.add_files(a, [("bonjour.torrent", sw.fixture_bytes("v1-single"))]))
    assert r["ok"] is False and r["error"]["code"] == "qbittorrent_unreachable", r

    # The rows were rolled back: nothing listed, and adding again is not a "duplicate".
    for scope in ("mine", "all"):
        assert sw.entries(a, scope) == [], scope
    assert sw.entries(admin_of(srv), "all") == []
    r = sw.single_result(sw.add_magnets(a, magnet))
    assert r["error"]["code"] == "qbittorrent_unreachable", r

    assert sw.health(srv)["qbittorrent"] == "down"


def failed_logins(swarm) -> int:
    try:
        text = swarm.main_log.read_text("utf-8", "replace")
    except FileNotFoundError:
        return 0
    return len(re.findall(r"WebAPI login failure", text))


def test_wrong_password_is_reported_and_not_retried(swarm_clean, essaim):
    s = swarm_clean
    before = failed_logins(s)
    srv = essaim.start(env=sw.essaim_env(s.main_url, password="wrong-password"))
    sw.wait_link(srv, "down", 10)
    admin = admin_of(srv)
    body = sw.listing(admin, "all")
    assert body["qbittorrent"] == "down", body
    err = body["error"] or ""
    assert looks_french(err) and re.search(r"identifiant", err, re.I), err
    assert re.search(r"identifiant|mot de passe", body["error_detail"] or "", re.I), body

    t0 = time.monotonic()
    time.sleep(10)
    m = sw.metrics(admin)
    assert m["essaim_qbittorrent_logins_total"] == 1, m  # one attempt, no retry
    assert m["essaim_qbittorrent_up"] == 0, m
    after = failed_logins(s)
    assert after - before == 1, f"{after - before} failed logins in qBittorrent's log"
    assert sw.health(srv)["qbittorrent"] == "down"
    assert time.monotonic() - t0 >= 10

    # essaim's IP (ours too) is not banned: the right password still works.
    status, text = s.main.try_login()
    assert (status, text) == (200, "Ok."), (status, text)
    # And adding through essaim fails cleanly without another login attempt.
    a = Browser(srv)
    assert a.register(unique_name("alice")).status == 201
    r = sw.single_result(sw.add_magnets(a, s.magnets["sample-single"]))
    assert r["ok"] is False and r["error"]["code"] == "qbittorrent_unreachable", r
    assert re.search(r"identifiants refusés", r["error"]["message"], re.I), r
    assert sw.metrics(admin)["essaim_qbittorrent_logins_total"] == 1
    assert s.main.info() == []
