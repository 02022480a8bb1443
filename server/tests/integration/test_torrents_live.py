"""Torrents 10: the /api/ws live feed, and the request rate to qBittorrent (GET /metrics) that
must not grow with the number of connected browsers."""

import time

import pytest

import swarm as sw
from swarm import WebSocket, WebSocketRefused

pytestmark = pytest.mark.timeout(120)


def cookie_of(browser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def ws_for(portal, browser, **kw) -> WebSocket:
    return WebSocket(portal.server.port, cookie=cookie_of(browser), **kw)


def changed_hashes(m: dict) -> set:
    if m.get("type") != "torrents" or m.get("full"):
        return set()
    return {t["hash"] for t in m.get("changed", [])}


def test_websocket_full_list_then_deltas(portal):
    s, a = portal.swarm, portal.a
    with ws_for(portal, a) as ws_a, ws_for(portal, portal.b) as ws_b:
        first = ws_a.recv_json(5)
        second = ws_a.recv_json(5)
        assert first == {"type": "status", "qbittorrent": "ok", "error": None,
                         "servers_down": 0}, first
        assert second == {"type": "torrents", "full": True, "torrents": []}, second
        assert ws_b.recv_json(5)["type"] == "status"
        assert ws_b.recv_json(5)["full"] is True

        h = s.torrents["sample-multi"][1]
        t0 = time.monotonic()
        r = sw.single_result(sw.add_magnets(a, s.magnets["sample-multi"]))
        assert r["ok"] and r["hash"] == h, r
        m, _ = ws_a.wait_for(lambda m: h in changed_hashes(m), 3)
        assert time.monotonic() - t0 <= 3.5
        # The seeder's address given directly too: on a loaded machine qBittorrent's first
        # tracker announce can fail and its retry come after the deadline below (seen once,
        # stuck in metaDL for 30 s). What is under test is essaim's stream, not the tracker.
        s.connect_to_seed(h)
        assert m["removed"] == [], m
        t = next(x for x in m["changed"] if x["hash"] == h)
        assert t["can_act"] is True and t["removed"] is False, t

        # Updates keep coming until the download is over.
        updates = [t]
        arrivals = [time.monotonic()]
        deadline = time.monotonic() + 30
        while not sw.is_seeding(updates[-1]):
            assert time.monotonic() < deadline, f"no 'seeding' update; got {updates}"
            m = ws_a.recv_json(deadline - time.monotonic())
            if m is None:
                continue
            if h in changed_hashes(m):
                updates.append(next(x for x in m["changed"] if x["hash"] == h))
                arrivals.append(time.monotonic())
        states = [(u["state"], u["progress"]) for u in updates]
        assert len(set(states)) >= 2, states
        assert updates[-1]["progress"] == 1 and updates[-1]["size"] == 3670016, updates[-1]

        # B (whose group may see all torrents) gets A's torrent too, without the right to act.
        m, _ = ws_b.wait_for(lambda m: h in changed_hashes(m), 5)
        assert all(x["can_act"] is False for x in m["changed"] if x["hash"] == h), m

        # A deletion through essaim arrives as `removed`.
        res = a.delete(f"/api/torrents/{h}?delete_files=true", csrf=True)
        assert res.status == 204, res
        m, _ = ws_a.wait_for(lambda m: m.get("type") == "torrents" and h in m.get("removed", []),
                             5)

    # "at most every half second" (docs/api-torrents.md), allowing for timer jitter. Checked last
    # so that everything above is checked first.
    gaps = [round(b - a_, 2) for a_, b in zip(arrivals, arrivals[1:])]
    assert all(g >= 0.4 for g in gaps), f"updates closer than 0.5 s: {gaps} {states}"


def test_websocket_refuses_unauthenticated_and_cross_origin(portal):
    port = portal.server.port
    with pytest.raises(WebSocketRefused) as e:
        WebSocket(port)  # same origin, no cookie
    assert e.value.status == 401, e.value
    assert (e.value.json or {}).get("error", {}).get("code") == "unauthenticated", e.value.body

    with pytest.raises(WebSocketRefused) as e:
        WebSocket(port, cookie=cookie_of(portal.a), origin="http://evil.example")
    assert e.value.status == 403, e.value

    with pytest.raises(WebSocketRefused) as e:
        WebSocket(port, cookie=cookie_of(portal.a), origin=None)  # no Origin at all
    assert e.value.status == 403, e.value

    # The same cookie from the right origin works.
    with ws_for(portal, portal.a) as ws:
        assert ws.recv_json(5)["type"] == "status"


def requests_during(admin, seconds: float) -> float:
    before = sw.metrics(admin)["essaim_qbittorrent_requests_total"]
    time.sleep(seconds)
    return sw.metrics(admin)["essaim_qbittorrent_requests_total"] - before


def test_upstream_rate_does_not_grow_with_clients(portal):
    s, a, admin = portal.swarm, portal.a, portal.admin
    # Something alive in the list, so that deltas flow to the clients.
    r = sw.single_result(sw.add_magnets(a, s.magnets["sample-single"]))
    assert r["ok"], r
    s.connect_to_seed(r["hash"])
    sw.wait_entry(a, r["hash"], sw.is_seeding, 30, scope="mine")

    res = portal.b.get("/metrics")
    assert res.status == 403, res  # admins only

    sockets = []
    try:
        sockets.append(ws_for(portal, a))
        time.sleep(1)
        one = requests_during(admin, 10)
        assert sw.metrics(admin)["essaim_websocket_clients"] == 1
        users = [portal.a, portal.b, portal.admin]
        for i in range(49):
            sockets.append(ws_for(portal, users[i % 3]))
        for ws in sockets[1:]:
            assert ws.recv_json(5)["type"] == "status"
            assert ws.recv_json(5)["full"] is True
        time.sleep(1)
        assert sw.metrics(admin)["essaim_websocket_clients"] == 50
        fifty = requests_during(admin, 10)
        # Every socket is still open and fed.
        for ws in sockets:
            while ws.recv_json(0.01) is not None:
                pass
        assert not any(ws.closed for ws in sockets)
    finally:
        for ws in sockets:
            ws.close()
    print(f"requests to qBittorrent in 10 s: {one} with 1 WebSocket client, {fifty} with 50")
    assert one > 0, one
    assert fifty <= one * 1.3 + 1, f"{one} requests to qBittorrent in 10 s with 1 client, " \
                                    f"{fifty} with 50"
    assert fifty >= one * 0.7 - 1, (one, fifty)
