"""Torrents 1–3, 7: adding magnets, .torrent files and URLs, checked against the real
qBittorrent of the local swarm (swarm.py, fixtures `swarm`/`portal` in conftest.py)."""

import os
import time

import pytest

import swarm as sw
from conftest import parse_raw_response, socket_exchange
from swarm import assert_api_error as assert_error

pytestmark = pytest.mark.timeout(120)


def qbt_tags(t: dict) -> set:
    return {x.strip() for x in t["tags"].split(",") if x.strip()}


# 1. -----------------------------------------------------------------------------------------


def test_magnet_add_is_owned_tagged_and_completes(portal):
    s = portal.swarm
    magnet = s.magnets["sample-single"]
    btih = s.torrents["sample-single"][1]

    r = sw.single_result(sw.add_magnets(portal.a, magnet))
    assert r["ok"] is True, r
    assert r["hash"] == btih, r
    assert r["input"] == magnet, r

    q = s.main.wait_listed(btih)
    assert q["hash"] == r["hash"]
    assert f"essaim:{portal.a_id}" in qbt_tags(q), q["tags"]

    t = sw.wait_entry(portal.a, btih, scope="mine")  # scope=mine: owned by A
    assert t["removed"] is False and t["can_act"] is True, t
    assert t["info_hash_v1"] == btih and t["info_hash_v2"] is None, t

    t = sw.wait_entry(portal.a, btih, sw.is_seeding, 30, scope="mine",
                      what="the magnet to be downloaded (progress 1, seeding)")
    assert t["size"] == 2 * 1024 * 1024, t
    assert t["name"] == "sample-single.bin", t
    assert t["completion_on"], t
    q = s.main.torrent(btih)
    assert q["progress"] == 1 and q["state"] in sw.COMPLETE_STATES, q
    # Saved in A's own folder (issue 16), not in the shared downloads dir.
    mine = s.user_dir(portal.a_user["username"])
    assert (mine / "sample-single.bin").stat().st_size == 2 * 1024 * 1024
    assert not (s.downloads / "sample-single.bin").exists()
    assert q["save_path"].rstrip("/") == str(mine), q

    # The owner object names A (A registered after essaim started, as every user does).
    sw.assert_owner(t, portal.a_id, portal.a_user)


# 2. -----------------------------------------------------------------------------------------

UPLOADED = ["v1-multi", "v2-single", "v2-multi", "hybrid-multi"]


def test_torrent_files_upload_ids_hashes_files_and_download(portal):
    s = portal.swarm
    sample_path, sample_hash = s.torrents["sample-multi"]
    files = [("sample-multi.torrent", sample_path.read_bytes())]
    files += [(f"{n}.torrent", sw.fixture_bytes(n)) for n in UPLOADED]
    res = sw.add_files(portal.a, files)
    assert res.status == 200, res
    results = res.json["results"]
    assert [x["input"] for x in results] == [f for f, _ in files], results
    assert all(x["ok"] for x in results), results

    expected = {"sample-multi": (sample_hash, None, sample_hash)}
    expected.update({n: sw.FIXTURES[n][:3] for n in UPLOADED})
    for (fname, _), x in zip(files, results):
        name = fname.removesuffix(".torrent")
        v1, v2, qid = expected[name]
        assert x["hash"] == qid, (name, x)
        # Everything not seeded by the tracker: tell the main instance where the seeder is.
        if name != "sample-multi":
            s.connect_to_seed(qid)

    for name, (v1, v2, qid) in expected.items():
        q = s.main.wait_listed(qid)
        assert q["hash"] == qid, (name, q)  # essaim's id == qBittorrent's id
        assert (q["infohash_v1"] or None) == v1 and (q["infohash_v2"] or None) == v2, (name, q)
        t = sw.wait_entry(portal.a, qid, scope="mine")
        assert t["info_hash_v1"] == (q["infohash_v1"] or None), (name, t, q)
        assert t["info_hash_v2"] == (q["infohash_v2"] or None), (name, t, q)

    for name, (v1, v2, qid) in expected.items():
        sw.wait_entry(portal.a, qid, sw.is_seeding, 30, scope="mine",
                      what=f"{name} downloaded from the seeder")

    # Files: paths with the root folder and sub-folders, accented names intact, on disk in A's
    # own folder.
    mine = s.user_dir(portal.a_user["username"])
    want_files = {
        "sample-multi": ["sample-multi/a.bin", "sample-multi/sub/b.bin", "sample-multi/sub/c.txt"],
    }
    want_files.update({n: sw.FIXTURES[n][3] for n in UPLOADED})
    for name, paths in want_files.items():
        qid = expected[name][2]
        res = portal.a.get(f"/api/torrents/{qid}/files")
        assert res.status == 200, res
        got = res.json["files"]
        assert sorted(f["path"] for f in got) == sorted(paths), (name, got)
        for f in got:
            assert set(f) == {"index", "path", "size", "progress", "priority", "downloadable",
                              "unavailable"}, f
            assert f["progress"] == 1, (name, f)
            assert (mine / f["path"]).stat().st_size == f["size"], (name, f)
    # Bytes identical to the committed content.
    for name in UPLOADED:
        for p in sw.FIXTURES[name][3]:
            assert (mine / p).read_bytes() == \
                (sw.FIXTURES_DIR / "content" / name / p).read_bytes(), (name, p)


# 3. -----------------------------------------------------------------------------------------


def test_hybrid_magnet_with_v1_btih_only_follows_the_id_change(portal):
    s = portal.swarm
    v1, v2, qid = sw.FIXTURES["hybrid-multi"][:3]
    r = sw.single_result(sw.add_magnets(portal.a, f"magnet:?xt=urn:btih:{v1}"))
    assert r["ok"] and r["hash"] == v1, r

    # Before metadata (no peer known yet): listed by both under the btih.
    q = s.main.wait_listed(v1)
    assert q["hash"] == v1 and q["state"] in ("metaDL", "checkingResumeData", "pausedDL"), q
    t = sw.wait_entry(portal.a, v1, scope="mine")
    assert t["removed"] is False, t
    assert t["state"] == "metadata", t

    # The seeder brings the metadata: qBittorrent's id becomes the truncated v2.
    s.main.add_peers(v1, [s.seed_peer])
    sw.wait_until(lambda: s.main.torrent(qid), 20, 0.2, "qBittorrent's id to become the v2")
    assert s.main.torrent(v1) is None

    t = sw.wait_entry(portal.a, qid, sw.is_seeding, 30, scope="mine",
                      what="the hybrid listed under its new id and downloaded")
    assert t["removed"] is False, t  # listed in A's scope=mine: still A's
    assert t["info_hash_v1"] == v1 and t["info_hash_v2"] == v2, t
    for b, scope in ((portal.a, "mine"), (portal.a, "all"), (portal.admin, "all")):
        mine = [x for x in sw.entries(b, scope)
                if {x["hash"], x["info_hash_v1"], x["info_hash_v2"]} & {v1, v2, qid}]
        assert len(mine) == 1, (scope, mine)  # no duplicate, no leftover under the btih
        assert mine[0]["hash"] == qid and mine[0]["removed"] is False, mine
    q = s.main.torrent(qid)
    assert f"essaim:{portal.a_id}" in qbt_tags(q), q
    for p in sw.FIXTURES["hybrid-multi"][3]:
        assert (s.user_dir(portal.a_user["username"]) / p).read_bytes() == \
            (sw.FIXTURES_DIR / "content" / "hybrid-multi" / p).read_bytes()


# 7. -----------------------------------------------------------------------------------------


def result_error(res, code: str) -> dict:
    r = sw.single_result(res)
    assert r["ok"] is False, r
    err = r["error"]
    assert err["code"] == code, r
    assert err["message"] and err["message"] != code, r
    return err


def assert_nothing_added(s, before: set) -> None:
    time.sleep(0.5)  # qBittorrent lists a new torrent ~0.2 s after adding it
    assert s.main.hashes() == before, "something was added to qBittorrent"


def assert_alive(portal) -> None:
    h = sw.health(portal.server)
    assert h["status"] == "ok" and h["qbittorrent"] == "ok", h


def test_invalid_inputs_are_refused_and_add_nothing(portal):
    s, a = portal.swarm, portal.a
    before = s.main.hashes()
    assert before == set()

    # Nothing given.
    assert_error(a.post("/api/torrents", {"magnets": []}, csrf=True), 400, "no_torrents")

    # Invalid magnet.
    result_error(sw.add_magnets(a, "magnet:?xt=urn:btih:123"), "invalid_magnet")
    assert_nothing_added(s, before)

    # Corrupt .torrent.
    result_error(sw.add_files(a, [("corrompu.torrent", os.urandom(4096))]), "invalid_torrent")
    assert_nothing_added(s, before)

    # 20 MB file: under the 32 MiB request limit, over the 10 MiB per-file limit.
    big = b"d8:announce" + os.urandom(20 * 1000 * 1000)
    result_error(sw.add_files(a, [("gros.torrent", big)]), "torrent_too_large")
    assert_nothing_added(s, before)
    assert sw.entries(a, "all") == []
    assert_alive(portal)


def test_upload_over_the_request_limit_is_413(portal):
    s, a = portal.swarm, portal.a
    # 40 MB request (a browser sends its Content-Length): over the 32 MiB request limit.
    body, ctype = sw.multipart((), [("torrents", "enorme.torrent", os.urandom(40 * 1000 * 1000))])
    head = (f"POST /api/torrents HTTP/1.1\r\nHost: 127.0.0.1:{portal.server.port}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
            f"Cookie: {'; '.join(f'{k}={v}' for k, v in a.cookies.items())}\r\n"
            f"X-CSRF-Token: {a.csrf}\r\nConnection: close\r\n\r\n").encode()
    res = parse_raw_response(socket_exchange(portal.server.port, head + body, timeout=20))
    try:
        assert_error(res, 413, "payload_too_large")
    finally:
        assert_nothing_added(s, set())
        assert_alive(portal)


def test_urls_html_redirect_to_magnet_and_torrent(portal):
    s, a = portal.swarm, portal.a
    # The test server is on loopback: refused unless allowed (issue 16, test_ssrf.py).
    assert portal.admin.request("PUT", "/api/admin/settings",
                                {"general": {"allow_private_targets": True}},
                                csrf=True).status == 200
    before = s.main.hashes()
    v1_single = sw.fixture_bytes("v1-single")
    html = b"<!doctype html><html><head><title>Pas un torrent</title></head><body>x</body></html>"
    redirect_magnet = s.magnets["sample-multi"]
    with sw.StaticHttp({
        "/page.html": (200, {"Content-Type": "text/html; charset=utf-8"}, html),
        "/vers-magnet": (302, {"Location": redirect_magnet}, b""),
        "/bonjour.torrent": (200, {"Content-Type": "application/x-bittorrent"}, v1_single),
    }) as web:
        # A URL to an HTML page.
        result_error(sw.add_urls(a, web.url("/page.html")), "not_a_torrent")
        assert web.hits.get("/page.html") == 1, web.hits
        assert_nothing_added(s, before)

        # A URL redirecting to a magnet: added as that magnet.
        btih = s.torrents["sample-multi"][1]
        r = sw.single_result(sw.add_urls(a, web.url("/vers-magnet")))
        assert r["ok"] is True and r["hash"] == btih, r
        q = s.main.wait_listed(btih)
        assert f"essaim:{portal.a_id}" in qbt_tags(q), q
        sw.wait_entry(a, btih, timeout=10, scope="mine")

        # A URL serving a valid .torrent.
        v1, _, qid = sw.FIXTURES["v1-single"][:3]
        r = sw.single_result(sw.add_urls(a, web.url("/bonjour.torrent")))
        assert r["ok"] is True and r["hash"] == qid, r
        assert r["name"] == "bonjour.txt", r
        assert web.hits.get("/bonjour.torrent") == 1, web.hits
        q = s.main.wait_listed(qid)
        assert f"essaim:{portal.a_id}" in qbt_tags(q), q
        sw.wait_entry(a, qid, timeout=10, scope="mine")
    assert s.main.hashes() == {btih, qid}
    assert_alive(portal)


def test_duplicates_by_the_same_and_another_user(portal):
    s, a, b = portal.swarm, portal.a, portal.b
    magnet = s.magnets["sample-single"]
    r = sw.single_result(sw.add_magnets(a, magnet))
    assert r["ok"], r
    s.main.wait_listed(s.torrents["sample-single"][1])
    before = s.main.hashes()

    err = result_error(sw.add_magnets(a, magnet), "duplicate_torrent")
    assert "déjà dans votre liste" in err["message"], err
    # B may see all torrents (default group): the message names A's display name.
    err = result_error(sw.add_magnets(b, magnet), "duplicate_torrent")
    assert "Alice Essaim" in err["message"], err
    # The same torrent as a .torrent file is a duplicate too.
    err = result_error(sw.add_files(b, [("sample-single.torrent",
                                          s.torrents["sample-single"][0].read_bytes())]),
                       "duplicate_torrent")
    assert "Alice Essaim" in err["message"], err
    assert_nothing_added(s, before)
    assert sw.entries(b, "mine") == []
    assert len(sw.entries(a, "mine")) == 1
    assert_alive(portal)
