"""2. The first administrator is created and printed once, on the first start only."""

import re

from conftest import Browser


def test_first_admin_printed_once_with_working_password(essaim):
    first = essaim.start()
    assert first.admin_username == "admin", first.stdout()
    assert first.admin_password and len(first.admin_password) >= 10, first.stdout()
    assert first.stdout().count("Mot de passe : ") == 1

    b = Browser(first)
    res = b.login("admin", first.admin_password)
    assert res.status == 200, res
    assert res.json["username"] == "admin"
    assert res.json["role"] == "admin"
    assert b.me().json["role"] == "admin"

    # The password never goes to the log (stderr) either.
    assert first.admin_password not in first.stderr()

    data_dir = first.data_dir
    password = first.admin_password
    assert first.stop() == 0

    second = essaim.start(data_dir=data_dir)
    out = second.stdout()
    assert "Mot de passe" not in out, out
    assert not re.search(r"Administrateur créé", out), out
    assert second.admin_password is None
    assert password not in second.output()

    b2 = Browser(second)
    res = b2.login("admin", password)
    assert res.status == 200, res
    assert res.json["role"] == "admin"


def test_under_systemd_the_first_password_goes_to_a_private_file_not_the_journal(essaim):
    """Under systemd (JOURNAL_STREAM set) stdout is the journal, kept and readable by the adm
    group: the generated password is written to data_dir/admin-password (0600) instead."""
    import os
    import stat

    srv = essaim.start(env={"JOURNAL_STREAM": "8:12345"})
    f = srv.data_dir / "admin-password"
    password = f.read_text().strip()
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert len(password) >= 10
    assert password not in srv.output()
    assert str(f) in srv.stdout()
    assert Browser(srv).login("admin", password).status == 200
    assert os.path.getsize(f) > 0
