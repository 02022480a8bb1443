"""Torrents 11: reconciliation with what was done directly in qBittorrent (not through essaim).

essaim reconciles after every full update of qBittorrent's data (so at start) and every 5 min:
the tests restart essaim on the same data dir instead of waiting. A row vanished from
qBittorrent is only marked removed once older than the 90 s grace period: the test makes it
older by editing added_at in essaim's database (SQLite or PostgreSQL) while essaim is
stopped."""

import pytest

import swarm as sw
from conftest import db_exec
from swarm import assert_api_error as assert_error

pytestmark = pytest.mark.timeout(90)


def test_reconcile_tags_ownerless_assign_and_vanished(portal):
    s, a, b, admin = portal.swarm, portal.a, portal.b, portal.admin
    tagged = s.torrents["sample-single"][1]
    untagged = s.torrents["sample-multi"][1]
    gone = sw.FIXTURES["v1-single"][2]

    # A adds `gone` through essaim; it is then deleted directly in qBittorrent.
    r = sw.single_result(sw.add_files(a, [("bonjour.torrent", sw.fixture_bytes("v1-single"))]))
    assert r["ok"] and r["hash"] == gone, r
    s.connect_to_seed(gone)
    sw.wait_entry(a, gone, sw.is_seeding, 30, scope="mine")

    # Added directly in qBittorrent: one with A's owner tag, one without any.
    assert s.main.add(urls=[s.magnets["sample-single"]], tags=f"essaim:{portal.a_id}") == "Ok."
    assert s.main.add(urls=[s.magnets["sample-multi"]]) == "Ok."
    s.main.wait_complete(tagged)
    s.main.wait_complete(untagged)

    # Without an owner: the admin sees it as "sans propriétaire"; A and B do not see it.
    t = sw.wait_entry(admin, untagged, timeout=5, scope="all")
    assert t["owner"] is None and t["can_act"] is True, t
    for user in (a, b):
        assert sw.entry(user, untagged, "all") is None
        assert sw.entry(user, untagged, "mine") is None
    assert_error(a.get(f"/api/torrents/{untagged}"), 404, "torrent_not_found")

    s.main.delete(gone, True)
    sw.wait_until(lambda: s.main.torrent(gone) is None, 5, 0.1, "qBittorrent to drop it")

    def age_rows():
        n = db_exec(portal.server.data_dir,
                    "UPDATE torrents SET added_at = added_at - 600 WHERE qbt_hash = ?", (gone,))
        assert n == 1, n

    portal.restart(between=age_rows)

    # The tagged torrent is A's now.
    t = sw.wait_entry(a, tagged, timeout=10, scope="mine",
                      what="the torrent tagged essaim:<A> to be A's after the restart")
    sw.assert_owner(t, portal.a_id, portal.a_user)
    assert t["can_act"] is True and t["removed"] is False, t

    # The one deleted behind essaim's back is listed as removed.
    t = sw.wait_entry(a, gone, lambda t: t["removed"], 10, scope="mine",
                      what="the vanished torrent listed as removed")
    assert t["state"] == "removed" and t["removed"] is True, t
    assert t["qbt_state"] is None, t

    # The untagged one is still without owner; the admin gives it to A.
    t = sw.entry(admin, untagged, "all")
    assert t is not None and t["owner"] is None, t
    assert sw.entry(a, untagged, "all") is None
    assert_error(b.post(f"/api/torrents/{untagged}/owner", {"user_id": portal.b_id}, csrf=True),
                 403, "forbidden")
    assert_error(admin.post(f"/api/torrents/{untagged}/owner", {"user_id": 999999}, csrf=True),
                 422, "unknown_user", field="user_id")
    res = admin.post(f"/api/torrents/{untagged}/owner", {"user_id": portal.a_id}, csrf=True)
    assert res.status == 200, res
    assert res.json["hash"] == untagged, res.json
    sw.assert_owner(res.json, portal.a_id, portal.a_user)
    t = sw.wait_entry(a, untagged, timeout=5, scope="mine")
    sw.assert_owner(t, portal.a_id, portal.a_user)
    assert t["can_act"] is True, t
    q = s.main.torrent(untagged)
    assert f"essaim:{portal.a_id}" in q["tags"], q
    assert sw.entry(b, untagged, "all")["can_act"] is False
