"""Issue 21: `essaim backup` / `essaim restore` (a consistent online backup, a round trip that
keeps accounts, torrents, settings and sealed secrets; every way a bad archive or a careless
restore could lose data refused), a newer database refused, and `essaim doctor`'s French report
on a healthy installation and on a broken one. Real essaim, real qbittorrent-nox (the session
swarm), real nginx; SQLite and PostgreSQL (pg_dump / pg_restore)."""

import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import tarfile
from pathlib import Path

import pytest

import swarm as sw
from conftest import (GOOD_PASSWORD, ON_PG, Browser, db_exec, db_query, free_port, looks_french,
                      pg_database_for, run_cli, unique_name)
from fake_jackett import FakeJackett
from smtp_sink import SmtpSink
from test_downloads import Nginx


def backup(data_dir: Path, archive: Path, env: dict | None = None):
    return run_cli(["backup", str(archive)], data_dir=data_dir, env=env, timeout=60)


def restore(data_dir: Path, archive: Path, *extra, env: dict | None = None):
    return run_cli(["restore", str(archive), *extra], data_dir=data_dir, env=env, timeout=60)


def wipe(data_dir: Path) -> None:
    """The data dir and, on PostgreSQL, every table of its database: nothing left."""
    if ON_PG:
        subprocess.run(["psql", pg_database_for(data_dir), "-q", "-c",
                        "DROP SCHEMA public CASCADE; CREATE SCHEMA public"], check=True,
                       capture_output=True, timeout=30)
    shutil.rmtree(data_dir)
    data_dir.mkdir()  # empty, with the umask's mode: restore makes it 0700


def members(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as t:
        return {m.name: t.extractfile(m).read() for m in t.getmembers()}


def rewrite(archive: Path, out: Path, change) -> None:
    """A copy of `archive` whose members `change(dict)` edits; the manifest's sizes and SHA-256
    are made to match again unless the change sets them itself (a forger would)."""
    files = members(archive)
    manifest = json.loads(files.pop("essaim-backup.json"))
    change(manifest, files)
    if not manifest.get("_keep_files"):
        manifest["files"] = [{"name": n, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
                             for n, b in files.items()]
    manifest.pop("_keep_files", None)
    with tarfile.open(out, "w:gz") as t:
        for name, data in [("essaim-backup.json", json.dumps(manifest).encode()), *files.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


def refused(r, *words) -> None:
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert looks_french(r.stderr), r.stderr
    for w in words:
        assert w in r.stderr, (w, r.stderr)


def test_backup_while_running_then_wipe_and_restore_keeps_everything(portal, tmp_path):
    p = portal
    magnet, h = f"magnet:?xt=urn:btih:{os.urandom(20).hex()}&dn=sauvegarde", None
    res = sw.add_magnets(p.a, magnet)
    h = sw.single_result(res)["hash"]
    # Sealed secrets of three kinds: a setting, the qBittorrent password, a server's password.
    res = p.admin.request("PUT", "/api/admin/settings", {"jackett": {
        "url": "http://127.0.0.1:9", "api_key": "cle-jackett-de-test-0123456789"}}, csrf=True)
    assert res.status == 200, res
    res = p.admin.request("POST", "/api/admin/servers", {
        "name": "Boîte 2", "url": "http://127.0.0.1:9", "username": "admin",
        "password": "mot-de-passe-boite-2", "state": "disabled"}, csrf=True)
    assert res.status == 201, res
    before = {r[0] for r in db_query(p.server.data_dir, "SELECT username FROM users")}
    sealed_before = dict(db_query(p.server.data_dir, "SELECT key, value FROM settings"))

    archive = tmp_path / "essaim.tar.gz"
    r = backup(p.server.data_dir, archive)  # essaim is running: an online backup
    assert r.returncode == 0, r.stderr
    assert "3 comptes" in r.stdout and "1 torrent" in r.stdout, r.stdout
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    names = set(members(archive))
    assert {"essaim-backup.json", "secret.key",
            "essaim.pgdump" if ON_PG else "essaim.db"} <= names, names
    key_before = (p.server.data_dir / "secret.key").read_bytes()

    dd, port, env = p.server.data_dir, p.server.port, p.env
    admin_name, admin_pw = p.server.admin_username, p.server.admin_password
    p.server.stop()
    wipe(dd)
    r = restore(dd, archive)
    assert r.returncode == 0, r.stderr
    assert "3 comptes" in r.stdout and "1 torrent" in r.stdout, r.stdout
    assert "3 secrets vérifiés" in r.stdout, r.stdout  # jackett key, qBittorrent, Boîte 2
    assert (dd / "secret.key").read_bytes() == key_before
    assert stat.S_IMODE((dd / "secret.key").stat().st_mode) == 0o600
    assert {r[0] for r in db_query(dd, "SELECT username FROM users")} == before
    assert dict(db_query(dd, "SELECT key, value FROM settings")) == sealed_before

    p.server = p.factory.start(data_dir=dd, port=port, env=env)
    a = Browser(p.server)
    assert a.login(p.a_user["username"], GOOD_PASSWORD).status == 200
    sw.wait_entry(a, h, lambda t: True, 10, scope="mine", what="the restored torrent")
    admin = Browser(p.server)
    assert admin.login(admin_name, admin_pw).status == 200
    # The sealed qBittorrent password still opens: essaim talks to qBittorrent again.
    sw.wait_until(lambda: admin.request("GET", "/api/health").json["qbittorrent"] == "ok", 10)
    s = admin.request("GET", "/api/admin/settings").json
    assert s["jackett"]["url"] == "http://127.0.0.1:9"
    assert s["jackett"].get("api_key_set") is True, s["jackett"]
    # And essaim doctor agrees: every sealed value opens with the restored key.
    r = run_cli(["doctor"], data_dir=dd)
    assert "[ok]        3 secret(s) chiffré(s), tous lisibles avec la clé" in r.stdout, r.stdout


@pytest.mark.skipif(ON_PG, reason="the archive checks are the engine's own; file-level checks")
def test_restore_refuses_what_would_lose_data(essaim, tmp_path):
    srv = essaim.start()
    dd = srv.data_dir
    archive = tmp_path / "b.tar.gz"
    assert backup(dd, archive).returncode == 0
    # essaim still answers on its address: it would keep serving the replaced database.
    r = restore(dd, archive, "--force", env={"ESSAIM_LISTEN": f"127.0.0.1:{srv.port}"})
    refused(r, "arrêtez essaim")
    srv.stop()
    db = dd / "essaim.db"
    digest = hashlib.sha256(db.read_bytes()).hexdigest()

    r = restore(dd, archive)
    refused(r, "--force")
    # Truncated, altered, foreign: refused before anything is touched.
    data = archive.read_bytes()
    (tmp_path / "trunc.tar.gz").write_bytes(data[: len(data) // 2])
    refused(restore(dd, tmp_path / "trunc.tar.gz", "--force"), "refusée")
    altered = bytearray(data)
    altered[len(altered) // 2] ^= 0xFF
    (tmp_path / "alt.tar.gz").write_bytes(bytes(altered))
    refused(restore(dd, tmp_path / "alt.tar.gz", "--force"), "refusée")
    (tmp_path / "foreign.tar.gz").write_bytes(b"pas une archive " * 100)
    refused(restore(dd, tmp_path / "foreign.tar.gz", "--force"))

    def evil_name(m, files):
        files["../../evil"] = b"x"
    rewrite(archive, tmp_path / "evil.tar.gz", evil_name)
    refused(restore(dd, tmp_path / "evil.tar.gz", "--force"), "refus")
    assert not (tmp_path / "evil").exists() and not (dd.parent / "evil").exists()

    def stowaway(m, files):  # a member the manifest does not name
        m["_keep_files"] = True
        files["secret.key.extra"] = b"y"
    rewrite(archive, tmp_path / "stow.tar.gz", stowaway)
    refused(restore(dd, tmp_path / "stow.tar.gz", "--force"), "inattendu")

    def tampered(m, files):  # the database changed, the manifest not
        m["_keep_files"] = True
        files["essaim.db"] = files["essaim.db"][:-1] + b"\x01"
    rewrite(archive, tmp_path / "tamp.tar.gz", tampered)
    refused(restore(dd, tmp_path / "tamp.tar.gz", "--force"), "empreinte")

    def newer(m, files):
        m["schema_version"] = 9999
    rewrite(archive, tmp_path / "newer.tar.gz", newer)
    refused(restore(dd, tmp_path / "newer.tar.gz", "--force"), "plus récente")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest  # nothing was touched
    assert not [f for f in dd.iterdir() if "avant-restauration" in f.name or
                f.name.startswith(".restauration")]

    # Restored by root into the service user's data dir, the files would be root's and essaim
    # could not open them: refused.
    if os.geteuid() == 0:
        os.chown(dd, 65534, 65534)
        try:
            refused(restore(dd, archive, "--force"), "autre utilisateur")
        finally:
            os.chown(dd, 0, 0)

    # --force replaces, and keeps the old database beside it.
    r = restore(dd, archive, "--force")
    assert r.returncode == 0, r.stderr
    kept = [f for f in dd.iterdir() if f.name.startswith("essaim.db.avant-restauration-")]
    assert len(kept) == 1 and hashlib.sha256(kept[0].read_bytes()).hexdigest() == digest
    assert "Ancien fichier gardé" in r.stdout


@pytest.mark.skipif(ON_PG, reason="the key check is the same on both engines")
def test_a_key_that_does_not_open_the_secrets_is_refused(essaim, tmp_path):
    key1, key2 = "k" * 40, "z" * 40
    srv = essaim.start(env={"ESSAIM_SECRET": key1, "ESSAIM_JACKETT_URL": "http://127.0.0.1:9",
                            "ESSAIM_JACKETT_API_KEY": "cle-jackett-de-test-0123456789"})
    dd = srv.data_dir
    srv.stop()
    archive = tmp_path / "b.tar.gz"
    r = backup(dd, archive, env={"ESSAIM_SECRET": key1})
    assert r.returncode == 0 and "ESSAIM_SECRET" in r.stdout, r.stdout
    assert "secret.key" not in members(archive)
    target = tmp_path / "neuf"
    target.mkdir()
    refused(restore(target, archive, env={"ESSAIM_SECRET": key2}), "n'ouvre pas")
    assert not (target / "essaim.db").exists()
    r = restore(target, archive, env={"ESSAIM_SECRET": key1})
    assert r.returncode == 0 and "1 secret vérifié" in r.stdout, (r.stdout, r.stderr)


def test_a_database_from_a_newer_essaim_is_refused(essaim):
    srv = essaim.start()
    dd = srv.data_dir
    srv.stop()
    db_exec(dd, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, "
                "'9999_futur.sql', 0)")
    bad = essaim.start(data_dir=dd, wait_ready=False)
    assert bad.proc.wait(15) != 0
    err = Path(bad.stderr_path).read_text() + Path(bad.stdout_path).read_text()
    assert "plus récente que ce binaire" in err, err
    r = run_cli(["doctor"], data_dir=dd)
    assert r.returncode == 1
    assert "[problème]" in r.stdout and "plus récent que ce binaire" in r.stdout, r.stdout


@pytest.fixture
def doctor_setup(portal, tmp_path):
    """The portal with Jackett (fake), e-mail (a local SMTP sink) and nginx serving signed links
    from a download root, all configured as an administrator would."""
    p = portal
    jackett = FakeJackett("cle-jackett", b"", "magnet:?xt=urn:btih:" + "0" * 40)
    sink = SmtpSink()
    root = tmp_path / "racine"
    root.mkdir()
    port = free_port()
    res = p.admin.request("PUT", "/api/admin/settings", {
        "jackett": {"url": jackett.url, "api_key": "cle-jackett"},
        "notifications": {"smtp_host": "127.0.0.1", "smtp_port": sink.port,
                          "smtp_from": "essaim <essaim@example.org>", "smtp_starttls": True,
                          "smtp_verify_tls": False},
        "downloads": {"root": str(root), "base_url": f"http://127.0.0.1:{port}/dl/",
                      "secret": "secret-de-test-nginx-0123"}}, csrf=True)
    assert res.status == 200, res
    snippet = run_cli(["nginx-snippet"], data_dir=p.server.data_dir).stdout
    nginx = Nginx(snippet, port)
    env = {"ESSAIM_LISTEN": f"127.0.0.1:{p.server.port}"}
    yield p, root, env
    nginx.stop()
    sink.stop()
    jackett.stop()


def doctor(p, env) -> subprocess.CompletedProcess:
    return run_cli(["doctor"], data_dir=p.server.data_dir, env=env, timeout=60)


def section(report: str, title: str) -> str:
    return report.split("\n" + title + "\n", 1)[1].split("\n\n", 1)[0]


def test_doctor_on_a_healthy_installation(doctor_setup):
    p, root, env = doctor_setup
    r = doctor(p, env)
    out = r.stdout
    assert r.returncode == 0, out
    assert "Bilan : aucun problème" in out, out
    assert "[problème]" not in out, out
    for title, words in {
        "Dossier de données": ["droits 0700", "clé secrète"],
        "Base de données": ["(à jour)", "tous lisibles"] + ([] if ON_PG else ["intégrité vérifiée"]),
        "qBittorrent": ["qBittorrent v", "identifiants acceptés"],
        "Jackett": ["indexeur"],
        "Téléchargements": ["mode nginx", "lien signé de test servi correctement"],
        "E-mail": ["connexion acceptés (rien envoyé)"],
    }.items():
        part = section(out, title)
        assert "[ok]" in part, (title, out)
        for w in words:
            assert w in part, (title, w, out)
    assert not list(root.iterdir())  # the probe file is removed


def test_doctor_names_each_problem_in_french(doctor_setup):
    p, root, env = doctor_setup
    dd = p.server.data_dir
    # Every piece broken a different way.
    res = p.admin.request("PUT", "/api/admin/settings", {
        "jackett": {"url": "http://127.0.0.1:9"},
        "downloads": {"secret": "un-autre-secret-que-nginx-0123"},
        "notifications": {"smtp_port": 9}}, csrf=True)
    assert res.status == 200, res
    res = p.admin.request("POST", "/api/admin/servers", {
        "name": "Boîte 2", "url": p.swarm.main_url, "username": "admin",
        "password": "pas-le-bon-mot-de-passe"}, csrf=True)
    assert res.status == 201, res
    os.chmod(dd, 0o755)
    try:
        r = doctor(p, env)
    finally:
        os.chmod(dd, 0o700)
    out = r.stdout
    assert r.returncode == 1, out
    assert looks_french(out)
    assert "0700 attendus" in section(out, "Dossier de données"), out
    assert "« Boîte 2 »" in section(out, "qBittorrent") and "[problème]" in section(
        out, "qBittorrent"), out
    assert "[problème]" in section(out, "Jackett"), out
    assert "signature refusée (403)" in section(out, "Téléchargements"), out
    assert "[problème]" in section(out, "E-mail"), out
    assert "Bilan : 5 problèmes" in out, out
    assert "pas-le-bon-mot-de-passe" not in out and "un-autre-secret" not in out
