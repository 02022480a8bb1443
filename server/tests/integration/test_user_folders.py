"""Issue 16: every user's files are theirs — a folder per user, files only from the torrent's own
list, deletes that never reach another user's data. Against the real qbittorrent-nox of the
swarm, in direct mode (essaim serves the files itself) so that every byte can be checked.

The attacks are the outside review's, with an ordinary account A against a victim B:
  - a torrent named like B's folder whose file has length 0 (qBittorrent says 100 %);
  - the .zip of a look-alike folder (the old code walked the folder on disk);
  - a look-alike torrent that fails its hash check, deleted with its data;
and the same look-alikes among torrents still in the shared folder of older versions (added
here behind essaim's back, straight into qBittorrent's root, then given an owner by the admin),
which an administrator then moves into their owners' folders (API and CLI).
"""

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

import swarm as sw
from conftest import Browser, run_cli, unique_name
from test_downloads import fetch, links, make_content, make_torrent

pytestmark = pytest.mark.timeout(240)

SECRET = "secret-dossiers-par-utilisateur-0123456789"
VICTIM_BYTES = os.urandom(40000)


def tracker(s) -> str:
    return f"http://127.0.0.1:{s.ports['TRACKER_PORT']}/announce"


def torrent_of(s, base: Path, name: str, files: dict) -> bytes:
    """A .torrent (mktorrent) of `base/name` holding `files` ({relative path: bytes})."""
    top = base / name
    for rel, data in files.items():
        p = top / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return make_torrent(top, base / f"{name}.torrent", tracker(s))


def info_hash(data: bytes) -> str:
    """SHA-1 of the raw `info` value of a v1 .torrent made by mktorrent (`4:info` is the last
    key of its top dictionary, so the value runs to the final `e`)."""
    start = data.index(b"4:infod") + len(b"4:info")
    return hashlib.sha1(data[start:-1]).hexdigest()


def seeded(s, base: Path, name: str, files: dict) -> bytes:
    """torrent_of, seeded by the swarm's seeder (so that the main instance completes it)."""
    data = torrent_of(s, base, name, files)
    h = info_hash(data)
    if (t := s.seed.torrent(h)) is not None and t["save_path"].rstrip("/") != str(base):
        s.seed.delete(h, False)  # the same bytes seeded by an earlier test from another dir
        sw.wait_until(lambda: s.seed.torrent(h) is None, 10, 0.1, "the old seed dropped")
    assert s.seed.add(files=[(f"{name}.torrent", data)], savepath=str(base)) in ("Ok.", "Fails.")
    sw.wait_until(lambda: (t := s.seed.torrent(h)) and t["progress"] == 1
                  and t["state"] in sw.COMPLETE_STATES, 30, 0.2, f"the seeder to seed {name}")
    return data


def add_through(browser, s, data: bytes, seed: bool = True) -> str:
    res = sw.add_files(browser, [("t.torrent", data)])
    r = sw.single_result(res)
    assert r["ok"], r
    if seed:
        s.connect_to_seed(r["hash"])
    else:
        s.main.wait_listed(r["hash"])
    return r["hash"]


def complete(browser, h: str, timeout: float = 60) -> dict:
    return sw.wait_entry(browser, h, lambda t: t["progress"] == 1, timeout, scope="all",
                         what=f"{h} at 100 %")


@pytest.fixture
def direct(swarm_clean, essaim, tmp_path):
    env = {"ESSAIM_DOWNLOAD_ROOT": str(swarm_clean.downloads), "ESSAIM_DOWNLOAD_SECRET": SECRET,
           "ESSAIM_DOWNLOAD_DIRECT": "1"}
    portal = sw.Portal(essaim, swarm_clean, Browser, unique_name, env=env)
    portal.tmp = tmp_path
    return portal


def victim_torrent(p) -> tuple:
    """B's real torrent "Victime" (secret.bin, 40,000 bytes), complete in B's folder."""
    s = p.swarm
    data = seeded(s, p.tmp / "victim", "Victime", {"secret.bin": VICTIM_BYTES})
    h = add_through(p.b, s, data)
    complete(p.b, h)
    path = s.user_dir(p.b_user["username"]) / "Victime" / "secret.bin"
    assert path.read_bytes() == VICTIM_BYTES
    return h, path


def test_folders_are_per_user_stable_and_listed(direct):
    p = direct
    users = {u["id"]: u for u in p.admin.get("/api/admin/users").json["users"]}
    assert users[p.a_id]["folder"] == p.a_user["username"].lower()
    assert users[p.b_id]["folder"] == p.b_user["username"].lower()
    # Renaming (display name) keeps the folder.
    assert p.admin.patch(f"/api/admin/users/{p.b_id}", {"display_name": "Bruno Renommé"},
                         csrf=True).status == 200
    users = {u["id"]: u for u in p.admin.get("/api/admin/users").json["users"]}
    assert users[p.b_id]["folder"] == p.b_user["username"].lower()
    # A name already in use on disk under the root gets another folder.
    taken = unique_name("pris")
    (p.swarm.downloads / taken).mkdir()
    res = p.admin.post("/api/admin/users", {"username": taken}, csrf=True)
    assert res.status == 201, res
    assert res.json["user"]["folder"] == f"{taken}-2", res.json
    # Users never see where qBittorrent keeps the files; admins do.
    h, _ = victim_torrent(p)
    mine = sw.entry(p.b, h)
    assert "save_path" not in mine and "placement" not in mine, mine
    detail = p.b.get(f"/api/torrents/{h}").json
    assert detail["location"] == "" and str(p.swarm.downloads) not in str(detail), detail
    adm = sw.entry(p.admin, h)
    assert adm["placement"] == "user_folder", adm
    assert adm["save_path"].rstrip("/") == str(p.swarm.user_dir(p.b_user["username"])), adm


def test_zero_byte_look_alike_gets_no_link_and_no_byte(direct):
    p = direct
    s = p.swarm
    h_victim, victim_file = victim_torrent(p)
    # A's torrent named like B's folder, holding B's file name with length 0 (and one real file,
    # so that mktorrent has pieces to hash).
    b_folder = p.b_user["username"].lower()
    data = torrent_of(s, p.tmp / "attack", b_folder,
                      {"Victime/secret.bin": b"", "lisez-moi.txt": b"rien\n"})
    h = add_through(p.a, s, data, seed=False)
    files = sw.wait_until(lambda: (r := p.a.get(f"/api/torrents/{h}/files").json)["files"] and r,
                          15, what="the look-alike's files")
    zero = [f for f in files["files"] if f["path"].endswith("secret.bin")][0]
    assert zero["size"] == 0 and zero["progress"] == 1, zero  # "complete" without a byte
    assert zero["downloadable"] is False and zero["unavailable"] == "empty", zero
    res = links(p.a, h, [f"{b_folder}/Victime/secret.bin"])
    sw.assert_api_error(res, 409, "file_empty", "paths")
    # The empty file qBittorrent made is in A's own folder; B's file is untouched.
    assert (s.user_dir(p.a_user["username"]) / b_folder / "Victime" / "secret.bin").stat().st_size == 0
    assert victim_file.read_bytes() == VICTIM_BYTES
    # The victim's file is B's to download: A (no download_any) gets nothing of B's torrent.
    sw.assert_api_error(links(p.a, h_victim, ["Victime/secret.bin"]), 403, "forbidden")


def test_zip_of_a_look_alike_folder_holds_only_the_torrents_own_files(direct):
    p = direct
    s = p.swarm
    _, victim_file = victim_torrent(p)
    b_folder = p.b_user["username"].lower()
    data = seeded(s, p.tmp / "zip", b_folder, {"a.txt": b"a\n", "sous/b.txt": b"bb\n"})
    h = add_through(p.a, s, data)
    complete(p.a, h)
    res = p.a.post(f"/api/torrents/{h}/zip", {"folder": b_folder}, csrf=True)
    assert res.status == 200, res
    status, headers, body = fetch(res.json["url"])
    assert status == 200 and len(body) == res.json["size"], (status, headers)
    z = zipfile.ZipFile(io.BytesIO(body))
    assert sorted(z.namelist()) == [f"{b_folder}/a.txt", f"{b_folder}/sous/b.txt"]
    assert VICTIM_BYTES[:64] not in body
    # The link names its torrent and folder: another folder or torrent breaks the signature.
    url = res.json["url"]
    forged = url.replace(f"folder={b_folder}", "folder=autre")
    assert fetch(forged)[0] == 403
    assert victim_file.read_bytes() == VICTIM_BYTES


def test_look_alike_failing_its_check_deleted_with_data_spares_the_victim(direct):
    p = direct
    s = p.swarm
    h_victim, victim_file = victim_torrent(p)
    # Same names as B's torrent, other bytes: its hash check can never pass.
    data = torrent_of(s, p.tmp / "faux", "Victime", {"secret.bin": os.urandom(40000)})
    h = add_through(p.a, s, data, seed=False)
    sw.wait_entry(p.a, h, lambda t: t["qbt_state"] is not None, 15, scope="mine")
    res = p.a.delete(f"/api/torrents/{h}?delete_files=true", csrf=True)
    assert res.status == 204, res
    sw.wait_until(lambda: s.main.torrent(h) is None, 10, 0.1, "qBittorrent to drop it")
    sw.wait_until(lambda: not (s.user_dir(p.a_user["username"]) / "Victime").exists(), 10, 0.2,
                  "A's own files deleted")
    assert victim_file.read_bytes() == VICTIM_BYTES
    t = s.main.torrent(h_victim)
    assert t["progress"] == 1 and t["state"] in sw.COMPLETE_STATES, t


def legacy(p, name: str, files: dict, owner_id: int, seed: bool = True) -> str:
    """A torrent in the shared root, as older versions saved them: added straight to
    qBittorrent (default save path), then given an owner by the admin."""
    s = p.swarm
    base = p.tmp / f"legacy-{name}-{owner_id}"
    data = seeded(s, base, name, files) if seed else torrent_of(s, base, name, files)
    assert s.main.add(files=[(f"{name}.torrent", data)], savepath=str(s.downloads)) == "Ok."
    qid = s.main.wait_listed(info_hash(data))["hash"]
    if seed:
        s.connect_to_seed(qid)
    sw.wait_entry(p.admin, qid, timeout=15, what=f"{name} listed by essaim")
    res = p.admin.post(f"/api/torrents/{qid}/owner", {"user_id": owner_id}, csrf=True)
    assert res.status == 200, res
    assert res.json["placement"] == "shared", res.json
    return qid


def test_shared_folder_torrents_keep_working_and_deletes_never_cross_owners(direct):
    p = direct
    s = p.swarm
    h_b = legacy(p, "Commun", {"secret.bin": VICTIM_BYTES}, p.b_id)
    complete(p.b, h_b)
    shared_file = s.downloads / "Commun" / "secret.bin"
    assert shared_file.read_bytes() == VICTIM_BYTES
    # Still downloadable by its owner (complete, non-empty, its own file under the root).
    url = links(p.b, h_b, ["Commun/secret.bin"]).json["links"][0]["url"]
    assert fetch(url)[2] == VICTIM_BYTES
    # A look-alike of A in the shared folder (same names, other bytes: never complete).
    data = torrent_of(s, p.tmp / "faux-commun", "Commun", {"secret.bin": os.urandom(40000),
                                                          "x.txt": b"x"})
    assert s.main.add(files=[("faux.torrent", data)], savepath=str(s.downloads)) == "Ok."
    h_a = s.main.wait_listed(info_hash(data))["hash"]
    sw.wait_entry(p.admin, h_a, timeout=15)
    assert p.admin.post(f"/api/torrents/{h_a}/owner", {"user_id": p.a_id},
                        csrf=True).status == 200
    # A may not delete its data: outside A's folder.
    sw.assert_api_error(p.a.delete(f"/api/torrents/{h_a}?delete_files=true", csrf=True), 409,
                        "outside_user_folder")
    # Nor may the admin, confirmation or not: its content path is B's torrent's.
    for q in ("", "&confirm=true"):
        sw.assert_api_error(p.admin.delete(f"/api/torrents/{h_a}?delete_files=true{q}",
                                           csrf=True), 409, "content_shared")
    assert shared_file.read_bytes() == VICTIM_BYTES
    # Without its data, it goes.
    assert p.a.delete(f"/api/torrents/{h_a}?delete_files=false", csrf=True).status == 204
    sw.wait_until(lambda: s.main.torrent(h_a) is None, 10, what="look-alike removed")
    assert shared_file.read_bytes() == VICTIM_BYTES
    # B's own shared torrent: the admin is warned with what would be deleted, then may.
    err = sw.assert_api_error(p.admin.delete(f"/api/torrents/{h_b}?delete_files=true",
                                             csrf=True), 409, "confirm_required")
    assert "Commun" in err["message"] and str(s.downloads) not in err["message"], err
    sw.assert_api_error(p.b.delete(f"/api/torrents/{h_b}?delete_files=true", csrf=True), 409,
                        "outside_user_folder")
    assert shared_file.read_bytes() == VICTIM_BYTES


def test_admin_moves_shared_torrents_into_their_owners_folders(direct):
    p = direct
    s = p.swarm
    h1 = legacy(p, "Ancien", {"film.bin": VICTIM_BYTES, "sous/notes.txt": b"notes\n"}, p.b_id)
    h2 = legacy(p, "AutreAncien", {"b.bin": b"b" * 5000}, p.a_id)
    complete(p.admin, h1)
    complete(p.admin, h2)
    state = p.admin.get("/api/admin/storage").json
    assert state["root"] == str(s.downloads) and state["counts"]["shared"] == 2, state
    assert {i["hash"] for i in state["shared"]} == {h1, h2}
    sw.assert_api_error(p.a.get("/api/admin/storage"), 403, "forbidden")

    # One torrent from the API, with progress and a report.
    res = p.admin.post("/api/admin/storage/move", {"hashes": [h1]}, csrf=True)
    assert res.status == 202, res
    done = sw.wait_until(lambda: (m := p.admin.get("/api/admin/storage").json["move"])
                         and not m["running"] and m, 60, 0.5, "the move to finish")
    assert done["total"] == 1 and done["done"] == 1 and done["failed"] == 0, done
    target = s.user_dir(p.b_user["username"]) / "Ancien"
    assert (target / "film.bin").read_bytes() == VICTIM_BYTES
    assert (target / "sous" / "notes.txt").read_bytes() == b"notes\n"
    assert not (s.downloads / "Ancien").exists()
    t = sw.wait_entry(p.admin, h1, lambda t: t["placement"] == "user_folder", 10)
    assert t["progress"] == 1, t
    q = s.main.torrent(h1)
    assert q["state"] in sw.COMPLETE_STATES, q  # still seeding, from its new place
    url = links(p.b, h1, ["Ancien/film.bin"]).json["links"][0]["url"]
    assert fetch(url)[2] == VICTIM_BYTES
    audit = p.admin.get("/api/admin/audit?action=storage.move").json["entries"]
    assert audit and audit[0]["details"]["torrents"] == 1, audit

    # The rest from the command line, while the server runs.
    cli = run_cli(["storage", "move-to-user-folders"], data_dir=p.server.data_dir)
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert "AutreAncien" in cli.stdout and "1 déplacé(s), 0 échec(s)" in cli.stdout, cli.stdout
    assert (s.user_dir(p.a_user["username"]) / "AutreAncien" / "b.bin").read_bytes() == b"b" * 5000
    sw.wait_entry(p.admin, h2, lambda t: t["placement"] == "user_folder", 15)
    again = run_cli(["storage", "move-to-user-folders"], data_dir=p.server.data_dir)
    assert again.returncode == 0 and "Aucun torrent à déplacer" in again.stdout, again.stdout
    sw.assert_api_error(p.admin.post("/api/admin/storage/move", {}, csrf=True), 409,
                        "nothing_to_move")
