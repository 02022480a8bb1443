"""GET /api/admin/users: administrators only (the Utilisateurs page, assigning torrents)."""

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
    assert set(users[name]) == {"id", "username", "display_name", "email", "role", "group",
                                "permissions", "created_at", "last_login_at", "disabled",
                                "torrents", "disk_used", "folder", "identities"}  # never a hash
    assert users[name]["folder"] == name.lower() and users[name]["identities"] == []
    assert "argon2" not in res.text

    assert_error(user.get("/api/admin/users"), 403, "forbidden")
    assert_error(Browser(shared_server).get("/api/admin/users"), 401, "unauthenticated")
