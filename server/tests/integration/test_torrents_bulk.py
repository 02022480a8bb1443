"""Actions on several torrents at once: POST /api/torrents/pause|resume|delete {"hashes": […]}.
Exactly the named torrents are acted on, in one request to qBittorrent; one refused torrent
refuses the whole request before anything is done."""

import time

import pytest

import swarm as sw
from swarm import assert_api_error as assert_error

pytestmark = pytest.mark.timeout(90)


def add_unservable(portal, browser, count: int, seed: str) -> list:
    """`count` magnets nobody serves (they stay without metadata, downloading), added by browser."""
    hashes = [(seed + str(i)) * 40 for i in range(count)]
    hashes = [h[:40] for h in hashes]
    for i, h in enumerate(hashes):
        r = sw.single_result(sw.add_magnets(browser, f"magnet:?xt=urn:btih:{h}&dn=lot-{seed}-{i}"))
        assert r["ok"] and r["hash"] == h, r
    for h in hashes:
        portal.swarm.main.wait_listed(h)
    return hashes


def qbt_state(portal, h):
    t = portal.swarm.main.torrent(h)
    return t["state"] if t else None


def test_bulk_pause_resume_act_on_exactly_the_named_torrents(portal):
    a = portal.a
    hashes = add_unservable(portal, a, 4, "a")
    chosen, other = hashes[:3], hashes[3]

    res = a.post("/api/torrents/pause", {"hashes": chosen}, csrf=True)
    assert res.status == 204, res
    sw.wait_until(lambda: all(qbt_state(portal, h) == "pausedDL" for h in chosen), 5, 0.1,
                  "the three chosen torrents paused in qBittorrent")
    assert qbt_state(portal, other) != "pausedDL"
    for h in chosen:
        sw.wait_entry(a, h, lambda t: t["state"] == "paused", 5, scope="mine")

    # Upper-case and repeated hashes name the same torrents.
    res = a.post("/api/torrents/resume", {"hashes": [h.upper() for h in chosen] + [chosen[0]]},
                 csrf=True)
    assert res.status == 204, res
    sw.wait_until(lambda: all(qbt_state(portal, h) != "pausedDL" for h in chosen), 5, 0.1,
                  "the three resumed")

    # One action per torrent in the audit log, as for single actions.
    audit = portal.admin.get("/api/admin/audit?action=torrent.pause").json["entries"]
    assert sorted(e["target_id"] for e in audit) == sorted(chosen)


def test_bulk_refuses_the_whole_request_for_one_torrent_of_another_user(portal):
    a, b = portal.a, portal.b
    mine = add_unservable(portal, a, 2, "c")
    theirs = add_unservable(portal, b, 1, "d")[0]

    # B's torrent is visible to A (see_all) but not A's to act on: nothing is paused.
    assert_error(a.post("/api/torrents/pause", {"hashes": mine + [theirs]}, csrf=True), 403,
                 "forbidden")
    # An unknown hash: 404, nothing paused either.
    assert_error(a.post("/api/torrents/pause", {"hashes": mine + ["e" * 40]}, csrf=True), 404,
                 "torrent_not_found")
    # A delete naming B's torrent deletes none of A's.
    assert_error(a.post("/api/torrents/delete", {"hashes": mine + [theirs]}, csrf=True), 403,
                 "forbidden")
    time.sleep(1.5)  # what a wrong request would have done has reached qBittorrent by now
    for h in mine + [theirs]:
        assert qbt_state(portal, h) not in (None, "pausedDL"), (h, qbt_state(portal, h))

    for body in ({}, {"hashes": []}, {"hashes": "abc"}, {"hashes": [1, 2]},
                 {"hashes": ["f" * 40] * 501}):
        assert_error(a.post("/api/torrents/pause", body, csrf=True), 422, "invalid_hashes",
                     "hashes")
    # Mutations: the CSRF proof is required as everywhere.
    assert a.post("/api/torrents/pause", {"hashes": mine}).status == 403


def test_bulk_delete_removes_exactly_the_named_torrents(portal):
    a = portal.a
    hashes = add_unservable(portal, a, 3, "7")
    res = a.post("/api/torrents/delete", {"hashes": hashes[:2], "delete_files": False},
                 csrf=True)
    assert res.status == 204, res
    sw.wait_until(lambda: all(portal.swarm.main.torrent(h) is None for h in hashes[:2]), 5,
                  0.1, "the two deleted from qBittorrent")
    assert portal.swarm.main.torrent(hashes[2]) is not None
    sw.wait_until(lambda: all(sw.entry(a, h, "mine") is None for h in hashes[:2]), 3, 0.1,
                  "essaim to stop listing them")
    assert sw.entry(a, hashes[2], "mine") is not None
