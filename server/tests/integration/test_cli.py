"""13. The essaim command line (create-user, create-admin, reset-password, migrate, health…)."""

import json

import pytest

from conftest import (ON_PG, Browser, assert_error, db_file, db_query, free_port, looks_french,
                      run_cli)

BOB_PW = "bob-password-123"
BOB_NEW_PW = "bob-new-password-456"


def test_create_user_reset_password_and_sessions(server):
    dd = server.data_dir
    r = run_cli(["create-user", "--username", "bob", "--password-stdin"], data_dir=dd,
                stdin=BOB_PW + "\n")
    assert r.returncode == 0, r.stderr
    assert "bob" in r.stdout
    assert BOB_PW not in r.stdout + r.stderr  # a password read from stdin is never echoed

    bob = Browser(server)
    res = bob.login("bob", BOB_PW)
    assert res.status == 200, res
    assert res.json["role"] == "user"
    assert res.json["group"]["name"] == "Utilisateurs"
    assert bob.me().status == 200

    # Again: the name is taken, whatever its case.
    for name in ("bob", "BOB"):
        r = run_cli(["create-user", "--username", name, "--password-stdin"], data_dir=dd,
                    stdin="another-password-1\n")
        assert r.returncode != 0, r.stdout
        assert r.stderr.strip() and looks_french(r.stderr), r.stderr
        assert "pris" in r.stderr, r.stderr

    # reset-password: old password dead, new one works, existing session ended.
    r = run_cli(["reset-password", "bob", "--password-stdin"], data_dir=dd,
                stdin=BOB_NEW_PW + "\n")
    assert r.returncode == 0, r.stderr
    assert BOB_NEW_PW not in r.stdout
    assert_error(bob.me(), 401, "unauthenticated")
    assert_error(Browser(server).login("bob", BOB_PW), 401, "invalid_credentials")
    assert Browser(server).login("bob", BOB_NEW_PW).status == 200


def test_reset_password_ends_sessions_seen_before(server):
    """The session must be refused even if the server has already checked it (and may have
    cached the answer) before the CLI, another process, changed the password."""
    dd = server.data_dir
    assert run_cli(["create-user", "--username", "carol", "--password-stdin"], data_dir=dd,
                   stdin=BOB_PW + "\n").returncode == 0
    carol = Browser(server)
    assert carol.login("carol", BOB_PW).status == 200
    for _ in range(3):
        assert carol.me().status == 200
    r = run_cli(["reset-password", "carol", "--password-stdin"], data_dir=dd,
                stdin=BOB_NEW_PW + "\n")
    assert r.returncode == 0, r.stderr
    assert_error(carol.me(), 401, "unauthenticated")
    bearer = Browser(server).get("/api/me", headers={"Authorization": f"Bearer {carol.session}"})
    assert_error(bearer, 401, "unauthenticated")


def test_create_admin(server):
    dd = server.data_dir
    r = run_cli(["create-admin", "--username", "root2", "--password-stdin"], data_dir=dd,
                stdin="root2-password-1\n")
    assert r.returncode == 0, r.stderr
    res = Browser(server).login("root2", "root2-password-1")
    assert res.status == 200, res
    assert res.json["role"] == "admin"


def test_create_user_without_password_stdin_prints_a_generated_one(tmp_path):
    r = run_cli(["create-user", "--username", "dave"], data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = [l for l in r.stdout.splitlines() if l.startswith("Mot de passe : ")]
    assert len(lines) == 1, r.stdout
    assert len(lines[0].split(" : ", 1)[1].strip()) >= 10


@pytest.mark.parametrize("args,stdin", [
    (["create-user", "--username", "eve", "--password-stdin"], "short\n"),
    (["create-user", "--username", "e", "--password-stdin"], "long-enough-password\n"),
    (["create-user", "--password-stdin"], "long-enough-password\n"),
    (["create-user", "--username", "frank", "--group", "Inexistant", "--password-stdin"],
     "long-enough-password\n"),
    (["reset-password", "nobody", "--password-stdin"], "long-enough-password\n"),
])
def test_cli_errors_are_french_and_non_zero(tmp_path, args, stdin):
    r = run_cli(args, data_dir=tmp_path, stdin=stdin)
    assert r.returncode != 0, r.stdout
    assert r.stderr.strip() and looks_french(r.stderr), r.stderr


def test_cli_users_are_in_the_database(tmp_path):
    assert run_cli(["create-user", "--username", "gina", "--password-stdin"], data_dir=tmp_path,
                   stdin="gina-password-1\n").returncode == 0
    [row] = db_query(tmp_path, "SELECT role, password_hash FROM users WHERE username='gina'")
    assert row[0] == "user"
    assert row[1].startswith("$argon2id$"), row[1]


def test_migrate(tmp_path):
    r = run_cli(["migrate"], data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    # The schema is there, in data/essaim.db or in PostgreSQL (and then no SQLite file at all).
    assert db_file(tmp_path).exists() != ON_PG
    assert db_query(tmp_path, "SELECT COUNT(*) FROM schema_migrations")[0][0] >= 6
    r2 = run_cli(["migrate"], data_dir=tmp_path)
    assert r2.returncode == 0, r2.stderr
    assert "à jour" in r2.stdout, r2.stdout


def test_migrate_while_server_runs(server):
    r = run_cli(["migrate"], data_dir=server.data_dir)
    assert r.returncode == 0, r.stderr
    assert "à jour" in r.stdout
    assert server.health().status == 200


def test_health_command(shared_server):
    r = run_cli(["health"], env={"ESSAIM_LISTEN": f"127.0.0.1:{shared_server.port}"})
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["status"] == "ok"
    r = run_cli(["health", "--url", shared_server.base_url])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["status"] == "ok"


def test_health_command_nothing_listening():
    r = run_cli(["health"], env={"ESSAIM_LISTEN": f"127.0.0.1:{free_port()}"}, timeout=20)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert looks_french(r.stderr), r.stderr


def test_help():
    for args in (["--help"], ["-h"], ["help"]):
        r = run_cli(args)
        assert r.returncode == 0, args
        assert "Utilisation" in r.stdout
        for cmd in ("serve", "migrate", "create-admin", "create-user", "reset-password", "health"):
            assert cmd in r.stdout


def test_version():
    r = run_cli(["version"])
    assert r.returncode == 0
    assert r.stdout.startswith("essaim ")
    assert run_cli(["--version"]).stdout == r.stdout


@pytest.mark.parametrize("args", [["frobnicate"], ["--bogus"], ["create-user", "--username"]])
def test_usage_errors_exit_2(args):
    r = run_cli(args)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert looks_french(r.stderr), r.stderr


def test_bad_configuration_is_reported(tmp_path):
    r = run_cli(["migrate"], data_dir=tmp_path, env={"ESSAIM_QBT_MANAGED": "peut-être"})
    assert r.returncode != 0
    assert "ESSAIM_QBT_MANAGED" in r.stderr and looks_french(r.stderr), r.stderr
