"""Torrents 4–6: pause/resume, delete (with and without the data), permissions between users."""

import time

import pytest

import swarm as sw
from swarm import assert_api_error as assert_error

pytestmark = pytest.mark.timeout(90)


def add_seeding(portal, browser, name: str = "sample-single") -> str:
    """browser adds the swarm's magnet `name` through essaim; waits until it is seeding."""
    s = portal.swarm
    r = sw.single_result(sw.add_magnets(browser, s.magnets[name]))
    assert r["ok"], r
    h = s.torrents[name][1]
    sw.wait_entry(browser, h, sw.is_seeding, 30, scope="mine",
                  what=f"{name} downloaded (seeding)")
    return h


# 4. -----------------------------------------------------------------------------------------


def test_pause_then_resume(portal):
    s, a = portal.swarm, portal.a
    h = add_seeding(portal, a)

    res = a.post(f"/api/torrents/{h}/pause", csrf=True)
    assert res.status == 204, res
    t0 = time.monotonic()
    t = sw.wait_entry(a, h, lambda t: t["state"] in ("paused", "completed"), 3, scope="mine",
                      what="state paused/completed after pause")
    assert time.monotonic() - t0 <= 3.5
    assert t["state"] == "completed" and t["qbt_state"] == "pausedUP", t  # it was complete
    q = s.main.torrent(h)
    assert q["state"] in ("pausedUP", "pausedDL"), q

    res = a.post(f"/api/torrents/{h}/resume", csrf=True)
    assert res.status == 204, res
    t = sw.wait_entry(a, h, lambda t: t["state"] in ("seeding", "downloading"), 5, scope="mine",
                      what="state seeding after resume")
    assert t["state"] == "seeding", t
    q = s.main.torrent(h)
    assert q["state"] in ("stalledUP", "uploading"), q

    # Unknown hash → 404.
    assert_error(a.post("/api/torrents/" + "0" * 40 + "/pause", csrf=True), 404,
                 "torrent_not_found")


def test_pause_before_completion_is_paused(portal):
    """A magnet nobody can serve stays without metadata: pausing gives 'paused' (pausedDL)."""
    s, a = portal.swarm, portal.a
    h = "5" * 40
    r = sw.single_result(sw.add_magnets(a, f"magnet:?xt=urn:btih:{h}&dn=personne"))
    assert r["ok"] and r["hash"] == h, r
    s.main.wait_listed(h)
    sw.wait_entry(a, h, lambda t: t["qbt_state"] is not None, 5, scope="mine")
    res = a.post(f"/api/torrents/{h}/pause", csrf=True)
    assert res.status == 204, res
    t = sw.wait_entry(a, h, lambda t: t["state"] == "paused", 3, scope="mine",
                      what="state paused after pause")
    assert t["qbt_state"] == "pausedDL", t
    assert s.main.torrent(h)["state"] == "pausedDL"


# 5. -----------------------------------------------------------------------------------------


def test_delete_with_files_removes_the_data(portal):
    s, a = portal.swarm, portal.a
    h = add_seeding(portal, a, "sample-multi")
    root = s.user_dir(portal.a_user["username"]) / "sample-multi"
    assert (root / "sub" / "b.bin").is_file()

    res = a.delete(f"/api/torrents/{h}?delete_files=true", csrf=True)
    assert res.status == 204, res
    sw.wait_until(lambda: s.main.torrent(h) is None, 5, 0.1, "qBittorrent to drop it")
    sw.wait_until(lambda: not root.exists(), 10, 0.1, "the data to be deleted from disk")
    sw.wait_until(lambda: sw.entry(a, h, "all") is None, 3, 0.1, "essaim to stop listing it")
    time.sleep(1.5)  # and it stays hidden
    assert sw.entry(a, h, "all") is None
    assert sw.entry(portal.admin, h, "all") is None
    assert_error(a.delete(f"/api/torrents/{h}?delete_files=true", csrf=True), 404,
                 "torrent_not_found")


def test_delete_without_files_keeps_the_data(portal):
    s, a = portal.swarm, portal.a
    h = add_seeding(portal, a, "sample-single")
    f = s.user_dir(portal.a_user["username"]) / "sample-single.bin"
    assert f.stat().st_size == 2 * 1024 * 1024

    res = a.delete(f"/api/torrents/{h}?delete_files=false", csrf=True)
    assert res.status == 204, res
    sw.wait_until(lambda: s.main.torrent(h) is None, 5, 0.1, "qBittorrent to drop it")
    sw.wait_until(lambda: sw.entry(a, h, "all") is None, 3, 0.1, "essaim to stop listing it")
    time.sleep(2)  # give qBittorrent the time it takes to delete files (it must not)
    assert f.is_file() and f.stat().st_size == 2 * 1024 * 1024
    assert sw.entry(a, h, "all") is None
    f.unlink()  # kept on purpose: the fixture's clean waits only for what qBittorrent deletes

    # Wrong parameter value.
    h2 = add_seeding(portal, a, "sample-multi")
    assert_error(a.delete(f"/api/torrents/{h2}?delete_files=oui", csrf=True), 400,
                 "invalid_parameter", field="delete_files")
    assert s.main.torrent(h2) is not None


# 6. -----------------------------------------------------------------------------------------


def test_other_users_cannot_act_admin_can(portal):
    s, a, b, admin = portal.swarm, portal.a, portal.b, portal.admin
    h = add_seeding(portal, a)

    for method, path in (("POST", f"/api/torrents/{h}/pause"),
                         ("POST", f"/api/torrents/{h}/resume"),
                         ("DELETE", f"/api/torrents/{h}?delete_files=true"),
                         ("DELETE", f"/api/torrents/{h}?delete_files=false")):
        res = b.request(method, path, csrf=True)
        err = assert_error(res, 403, "forbidden")
        assert "autre utilisateur" in err["message"], err
    q = s.main.torrent(h)
    assert q is not None and q["state"] in ("stalledUP", "uploading"), q  # untouched

    assert h not in [t["hash"] for t in sw.entries(b, "mine")]
    t = sw.entry(b, h, "all")
    assert t is not None and t["can_act"] is False, t
    assert sw.entry(a, h, "mine")["can_act"] is True

    # The admin may act on it.
    t = sw.entry(admin, h, "all")
    assert t is not None and t["can_act"] is True, t
    res = admin.post(f"/api/torrents/{h}/pause", csrf=True)
    assert res.status == 204, res
    sw.wait_entry(a, h, lambda t: t["state"] in ("paused", "completed"), 3, scope="mine")
    assert s.main.torrent(h)["state"] in ("pausedUP", "pausedDL")

    # B sees A as the owner (B's group may see all torrents).
    sw.assert_owner(sw.entry(b, h, "all"), portal.a_id, portal.a_user)
