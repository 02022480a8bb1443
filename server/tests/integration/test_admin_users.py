"""GET /api/admin/users: administrators only (used to assign torrents)."""

from conftest import Browser, assert_error, unique_name


def test_admin_lists_users_others_are_refused(shared_server):
    admin = Browser(shared_server)
    assert admin.login("admin", shared_server.admin_password).status == 200
    user = Browser(shared_server)
    name = unique_name("lister")
    assert user.register(name, display_name="Lise Ter").status == 201

    res = admin.get("/api/admin/users")
    assert res.status == 200
    users = {u["username"]: u for u in res.json["users"]}
    assert "admin" in users
    assert users[name]["display_name"] == "Lise Ter"
    assert set(users[name]) == {"id", "username", "display_name"}  # no hashes, no e-mails

    assert_error(user.get("/api/admin/users"), 403, "forbidden")
    assert_error(Browser(shared_server).get("/api/admin/users"), 401, "unauthenticated")
