"""Issue 9: essaim on PostgreSQL (Debian's postgresql, started by scripts/pg-test.sh in a
temporary directory): `essaim migrate`, `essaim serve`, `essaim migrate-sqlite-to-postgres`, and
a clean refusal when PostgreSQL cannot be reached. Skipped when PostgreSQL is not installed
(except the unreachable-server test, which needs no server)."""

import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from conftest import GOOD_PASSWORD, REPO, Browser, looks_french, run_cli

PG_SCRIPT = REPO / "scripts" / "pg-test.sh"


@pytest.fixture(scope="module")
def pg_admin_url():
    # Short directory: the server's unix socket lives in it (107-byte limit).
    root = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))
    started = subprocess.run([str(PG_SCRIPT), "start", str(root)], capture_output=True,
                             text=True, timeout=120)
    if started.returncode == 3:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip("PostgreSQL absent (paquet Debian postgresql) : " + started.stderr.strip())
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(PG_SCRIPT), "stop", str(root)], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def password_of(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]


@pytest.fixture
def pg_url(pg_admin_url):
    """A fresh, empty database on the test server for this test."""
    name = "it_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", pg_admin_url, "-q", "-c", f"CREATE DATABASE {name}"], check=True,
                   capture_output=True, timeout=30)
    base, _, _ = pg_admin_url.rpartition("/")
    yield f"{base}/{name}"
    subprocess.run(["psql", pg_admin_url, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                   capture_output=True, timeout=30)


def test_unreachable_postgres_fails_cleanly_without_showing_the_password(tmp_path):
    url = "postgresql://essaim:tres-secret-42@127.0.0.1:1/essaim"  # nothing listens on port 1
    for args in (["serve"], ["migrate"], ["create-user", "--username", "bob", "--password-stdin"]):
        r = run_cli(args, data_dir=tmp_path, env={"ESSAIM_DATABASE_URL": url},
                    stdin=GOOD_PASSWORD + "\n")
        assert r.returncode == 1, (args, r.returncode, r.stderr)
        assert "PostgreSQL" in r.stderr and looks_french(r.stderr), r.stderr
        assert "tres-secret-42" not in r.stdout + r.stderr
        assert "Segmentation" not in r.stderr and "terminate called" not in r.stderr


def test_migrate_command_on_postgres(tmp_path, pg_url):
    env = {"ESSAIM_DATABASE_URL": pg_url}
    r = run_cli(["migrate"], data_dir=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    # One list: NNNN_name.sql and/or NNNN_name.pg.sql per version, recorded as NNNN_name.sql.
    names = sorted({p.name.replace(".pg.sql", ".sql")
                    for p in (REPO / "server/src/store/migrations").glob("*.sql")})
    assert names[0] == "0001_init.sql"
    for name in names:
        assert f"Migration appliquée : {name}" in r.stdout, (name, r.stdout)
    r = run_cli(["migrate"], data_dir=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    newest = int(names[-1][:4])
    assert f"Base de données à jour (version {newest})" in r.stdout, r.stdout
    assert password_of(pg_url) not in r.stdout + r.stderr


def test_copy_sqlite_to_postgres_then_serve_from_postgres(essaim, pg_url):
    # 1. An ordinary SQLite install with an admin, a user and a secret setting (SQLite even
    #    when the suite runs on PostgreSQL, ESSAIM_IT_PG_URL).
    sqlite = {"ESSAIM_DATABASE_URL": None}
    srv = essaim.start(env=sqlite)
    dd = srv.data_dir
    r = run_cli(["create-user", "--username", "Bob", "--password-stdin"], data_dir=dd,
                stdin=GOOD_PASSWORD + "\n", env=sqlite)
    assert r.returncode == 0, r.stderr
    assert Browser(srv).login("bob", GOOD_PASSWORD).status == 200
    r = run_cli(["settings", "qbt_password", "-"], data_dir=dd, stdin="mdp-qbt-secret\n",
                env=sqlite)
    assert r.returncode == 0, r.stderr
    srv.stop()
    # A tool's token and a category of Bob's (issue 19) travel too.
    con = sqlite3.connect(dd / "essaim.db")
    with con:
        bob = con.execute("SELECT id FROM users WHERE username = 'bob'").fetchone()[0]
        con.execute("INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
                    " VALUES (?, 'Sonarr', ?, 1)", (bob, "0" * 64))
        con.execute("INSERT INTO user_labels (user_id, kind, name) VALUES (?, 'category', 'tv')",
                    (bob,))
    con.close()

    # 2. The copy, which says what it copied and never shows the password of the URL.
    copy = ["migrate-sqlite-to-postgres", "--from", str(dd / "essaim.db"), "--to", pg_url]
    r = run_cli(copy, data_dir=dd)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "users : 2 lignes copiées" in out, out
    assert "groups : 2 lignes copiées" in out, out
    assert "api_tokens : 1 ligne copiée" in out and "user_labels : 1 ligne copiée" in out, out
    assert "settings :" in out and "audit_log :" in out and "torrents : 0 ligne copiée" in out
    assert password_of(pg_url) not in out + r.stderr

    # 3. Again: the target now holds data, refused without --force, accepted with it.
    r = run_cli(copy, data_dir=dd)
    assert r.returncode != 0
    assert "--force" in r.stderr and looks_french(r.stderr), r.stderr
    assert password_of(pg_url) not in r.stdout + r.stderr
    r = run_cli(copy + ["--force"], data_dir=dd)
    assert r.returncode == 0, r.stderr

    # 4. essaim on PostgreSQL, same data dir (same secret key): the accounts are there, no new
    #    first admin, the sealed secret still opens, new writes work.
    pg = essaim.start(data_dir=dd, env={"ESSAIM_DATABASE_URL": pg_url})
    assert "Premier démarrage" not in pg.stdout()
    bob = Browser(pg)
    assert bob.login("BOB", GOOD_PASSWORD).status == 200
    assert bob.me().json["username"] == "Bob"
    r = run_cli(["settings", "qbt_password"], data_dir=dd, env={"ESSAIM_DATABASE_URL": pg_url})
    assert r.returncode == 0 and "(défini)" in r.stdout, r.stdout + r.stderr
    r = run_cli(["create-user", "--username", "carol", "--password-stdin"], data_dir=dd,
                stdin=GOOD_PASSWORD + "\n", env={"ESSAIM_DATABASE_URL": pg_url})
    assert r.returncode == 0, r.stderr
    assert Browser(pg).login("carol", GOOD_PASSWORD).status == 200
    assert password_of(pg_url) not in pg.output()
