"""Search through a fake Jackett (fake_jackett.py) and add results to the real swarm."""

import pytest

import swarm as sw
from conftest import Browser, assert_error, free_port, looks_french, unique_name
from fake_jackett import FakeJackett

pytestmark = pytest.mark.timeout(90)
KEY = "k3j9x2m8q7w1v5b4n6c0z8l2p4r6t8y1"


@pytest.fixture
def jackett(swarm_clean):
    path, _btih = swarm_clean.torrents["sample-multi"]
    fake = FakeJackett(KEY, path.read_bytes(), swarm_clean.magnets["sample-single"])
    yield fake
    fake.stop()


def start(essaim, swarm, url, key=KEY, timeout="3"):
    env = dict(sw.essaim_env(swarm.main_url), ESSAIM_JACKETT_URL=url, ESSAIM_JACKETT_API_KEY=key,
               ESSAIM_JACKETT_TIMEOUT=timeout)
    srv = essaim.start(env=env)
    sw.wait_link(srv, "ok")
    b = Browser(srv)
    assert b.register(unique_name("chercheur"), display_name="Chercheur").status == 201
    return srv, b


def search(b, q="amelie", **params):
    qs = "&".join([f"q={q}"] + [f"{k}={v}" for k, v in params.items()])
    return b.get(f"/api/search?{qs}")


def test_search_sorted_by_seeders_without_jackett_links(essaim, swarm_clean, jackett):
    _srv, b = start(essaim, swarm_clean, jackett.url)
    res = search(b, category="films")
    assert res.status == 200, res
    body = res.json
    seeders = [r["seeders"] for r in body["results"]]
    assert seeders == sorted([s for s in seeders if s is not None], reverse=True) + [None] * seeders.count(None)
    assert body["results"][0]["seeders"] == 1024
    assert "Amélie" in body["results"][1]["title"]
    assert body["failed"] == ["Cpasbien"]
    assert KEY not in res.text and "jackett_apikey" not in res.text and "/dl/" not in res.text
    assert "Category%5B%5D=2000" in jackett.requests[-1]
    assert set(body["results"][0]) >= {"id", "title", "tracker", "size", "seeders", "leechers", "published"}


def test_add_results_torrent_bytes_magnet_redirect_html_and_foreign_link(essaim, swarm_clean, jackett):
    _srv, b = start(essaim, swarm_clean, jackett.url)
    results = {r["title"].split(" ")[0]: r for r in search(b).json["results"]}

    add = lambda key: b.post("/api/search/add", {"id": results[key]["id"]}, csrf=True)  # noqa: E731
    r = add("Le")  # Amélie: Link → .torrent bytes of sample-multi
    assert r.status == 200 and r.json["ok"] is True, r
    assert r.json["hash"] == swarm_clean.torrents["sample-multi"][1]
    r = add("Dune")  # Link → 302 → magnet of sample-single
    assert r.json["ok"] is True, r
    assert r.json["hash"] == swarm_clean.torrents["sample-single"][1]
    r = add("Une")  # Link → HTML
    assert r.json["ok"] is False and r.json["error"]["code"] == "not_a_torrent", r
    r = add("Lien")  # Link outside the configured Jackett: never fetched
    assert r.json["ok"] is False and r.json["error"]["code"] == "url_fetch_failed", r
    assert "Jackett" in r.json["error"]["message"]
    r = add("Le")
    assert r.json["ok"] is False and r.json["error"]["code"] == "duplicate_torrent", r

    def both_done():
        mine = {t["hash"]: t for t in sw.listing(b)["torrents"]}
        return all(mine.get(h, {}).get("progress") == 1 for _, h in swarm_clean.torrents.values())
    sw.wait_until(both_done, 40, what="search results downloaded to 100 %")
    again = {r["title"].split(" ")[0]: r for r in search(b).json["results"]}
    assert again["Dune"]["added"] is None  # no InfoHash in that result: unknown until added
    assert again["Les"]["added"] is None


def test_result_ids_are_per_user_and_expire(essaim, swarm_clean, jackett):
    srv, b = start(essaim, swarm_clean, jackett.url)
    rid = search(b).json["results"][0]["id"]
    other = Browser(srv)
    assert other.register(unique_name("autre")).status == 201
    assert_error(other.post("/api/search/add", {"id": rid}, csrf=True), 404, "search_result_expired")
    assert_error(b.post("/api/search/add", {"id": "nope"}, csrf=True), 404, "search_result_expired")


def test_jackett_errors_are_clear(essaim, swarm_clean, jackett):
    srv, b = start(essaim, swarm_clean, jackett.url)
    assert_error(search(b, q="lent"), 504, "jackett_timeout")
    assert_error(search(b, q="casse"), 502, "jackett_unreachable")
    assert_error(b.get("/api/search?q="), 422, "missing_query")
    assert_error(search(b, category="opera"), 422, "invalid_category")
    res = b.get("/api/search/indexers")
    assert res.status == 200 and res.json["indexers"] == [
        {"id": "yggtorrent", "name": "YGGtorrent"}, {"id": "torrent9", "name": "Torrent9 & co"}]
    big = search(b, q="gros")
    assert big.status == 200 and len(big.json["results"]) == 2000
    assert srv.health().status == 200

    _s2, b2 = start(essaim, swarm_clean, jackett.url, key="wrong")
    err = assert_error(search(b2), 502, "jackett_auth_failed")
    assert looks_french(err["message"])
    _s3, b3 = start(essaim, swarm_clean, f"http://127.0.0.1:{free_port()}")
    assert_error(search(b3), 502, "jackett_unreachable")
    _s4, b4 = start(essaim, swarm_clean, "")
    assert_error(search(b4), 503, "jackett_not_configured")


def test_indexer_filter_is_sent_to_jackett(essaim, swarm_clean, jackett):
    _srv, b = start(essaim, swarm_clean, jackett.url)
    res = search(b, indexer="torrent9")
    assert res.status == 200, res
    assert "Tracker%5B%5D=torrent9" in jackett.requests[-1]
    assert [r["tracker_id"] for r in res.json["results"]] == ["torrent9"]
    assert res.json["failed"] == [] and [i["id"] for i in res.json["indexers"]] == ["torrent9"]
    assert len(search(b).json["results"]) == 5  # without the filter: every indexer


def test_recent_searches_are_kept_per_user_and_clearable(essaim, swarm_clean, jackett):
    srv, b = start(essaim, swarm_clean, jackett.url)
    assert b.get("/api/search/recent").json == {"searches": []}
    assert search(b, q="dune", category="films", indexer="torrent9").status == 200
    assert search(b, q="amelie").status == 200
    assert search(b, q="lent").status == 504  # a failed search is not remembered
    recent = b.get("/api/search/recent").json["searches"]
    assert [(s["q"], s["category"], s["indexer"]) for s in recent] == [
        ("amelie", "tout", ""), ("dune", "films", "torrent9")]
    assert recent[0]["results"] == 5 and recent[0]["searched_at"] > 0

    for i in range(22):
        assert search(b, q=f"requete{i}").status == 200
    assert search(b, q="dune", category="films", indexer="torrent9").status == 200  # moves up
    recent = b.get("/api/search/recent").json["searches"]
    assert len(recent) == 20
    assert recent[0]["q"] == "dune" and recent[-1]["q"] == "requete3"

    other = Browser(srv)
    assert other.register(unique_name("autre")).status == 201
    assert other.get("/api/search/recent").json == {"searches": []}
    assert_error(other.delete(f"/api/search/recent/{recent[0]['id']}", csrf=True), 404, "not_found")
    assert_error(b.delete("/api/search/recent/abc", csrf=True), 404, "not_found")
    assert b.delete(f"/api/search/recent/{recent[0]['id']}", csrf=True).status == 204
    assert len(b.get("/api/search/recent").json["searches"]) == 19
    assert b.delete("/api/search/recent").status == 403  # no CSRF token: refused
    assert b.delete("/api/search/recent", csrf=True).status == 204
    assert b.get("/api/search/recent").json == {"searches": []}


def test_results_already_on_the_server_say_so(essaim, swarm_clean, jackett):
    """A result with only a magnet (no InfoHash) is recognised by the magnet's hash: "added" for
    the user who has it, "on_server" for everyone (an add would be a duplicate)."""
    srv, b = start(essaim, swarm_clean, jackett.url)
    other = Browser(srv)
    assert other.register(unique_name("voisin")).status == 201
    les = next(r for r in search(b).json["results"] if r["title"].startswith("Les"))
    assert les["info_hash"] and len(les["info_hash"]) == 40  # from the magnet's btih
    assert les["added"] is None and les["on_server"] is False
    r = b.post("/api/search/add", {"id": les["id"]}, csrf=True)
    assert r.status == 200 and r.json["ok"] is True and r.json["hash"] == les["info_hash"], r
    swarm_clean.main.wait_listed(les["info_hash"])
    mine = next(r for r in search(b).json["results"] if r["title"].startswith("Les"))
    assert mine["added"] == {"hash": les["info_hash"]} and mine["on_server"] is True
    theirs = next(r for r in search(other).json["results"] if r["title"].startswith("Les"))
    assert theirs["added"] is None and theirs["on_server"] is True
    res = other.post("/api/search/add", {"id": theirs["id"]}, csrf=True)
    assert res.json["ok"] is False and res.json["error"]["code"] == "duplicate_torrent", res
