"""API tokens (issue 19): per user, shown once, stored hashed, read-only or full, optional expiry,
revoked at once; usable as `Authorization: Bearer` on /api without CSRF; the group's use_api
decides who may create and use them; never in the journal or the server's output."""

import hashlib

from conftest import Browser, assert_error, db_exec, db_query, unique_name


def grant_use_api(srv, admin: Browser, allow: bool = True) -> None:
    groups = admin.get("/api/admin/groups").json["groups"]
    users = next(g for g in groups if g["name"] == "Utilisateurs")
    perms = [p for p in users["permissions"] if p != "use_api"] + (["use_api"] if allow else [])
    res = admin.patch(f"/api/admin/groups/{users['id']}", {"permissions": perms}, csrf=True)
    assert res.status == 200, res


def bearer(srv, token: str, method: str, path: str, json_body=None) -> "Response":
    return Browser(srv).request(method, path, json_body, headers={"Authorization": f"Bearer {token}"})


def test_tokens_are_created_shown_once_used_and_revoked_at_once(server):
    admin = Browser(server)
    assert admin.login("admin", server.admin_password).status == 200
    user = Browser(server)
    name = unique_name("outil")
    assert user.register(name).status == 201

    # Without use_api in the group: refused, with a French sentence.
    assert_error(user.post("/api/me/tokens", {"name": "Sonarr"}, csrf=True), 403, "forbidden")
    grant_use_api(server, admin)

    res = user.post("/api/me/tokens", {"name": "Sonarr", "expires_in_days": 30}, csrf=True)
    assert res.status == 201, res
    token = res.json["token"]
    assert token.startswith("essaim_") and len(token) > 40
    assert res.json["name"] == "Sonarr" and res.json["read_only"] is False
    assert res.json["expires_at"] - res.json["created_at"] == 30 * 86400

    # Listed without the secret; stored only as its SHA-256.
    listed = user.get("/api/me/tokens").json["tokens"]
    assert [t["name"] for t in listed] == ["Sonarr"] and "token" not in listed[0]
    rows = db_query(server.data_dir, "SELECT token_hash FROM api_tokens")
    assert rows == [(hashlib.sha256(token.encode()).hexdigest(),)]

    # Bearer: the user's own API, changes without CSRF (no cookie is involved).
    me = bearer(server, token, "GET", "/api/me")
    assert me.status == 200 and me.json["username"] == name
    res = bearer(server, token, "PATCH", "/api/me", {"display_name": "Par Sonarr"})
    assert res.status == 200, res
    listed = user.get("/api/me/tokens").json["tokens"]
    assert listed[0]["last_used_at"] is not None and listed[0]["last_used_ip"] == "127.0.0.1"

    # A token cannot mint tokens.
    assert_error(bearer(server, token, "POST", "/api/me/tokens", {"name": "x"}), 403, "forbidden")

    # Revoked: refused at the very next request.
    tid = listed[0]["id"]
    assert user.delete(f"/api/me/tokens/{tid}", csrf=True).status == 204
    assert_error(bearer(server, token, "GET", "/api/me"), 401, "unauthenticated")
    assert_error(user.delete(f"/api/me/tokens/{tid}", csrf=True), 404, "token_not_found")

    # Never in the journal nor in the server's output; the journal names the application.
    journal = admin.get("/api/admin/audit?limit=100").text
    assert token not in journal and token[7:] not in journal
    assert "Sonarr" in journal
    assert token not in server.output()
    actions = [e["action"] for e in admin.get("/api/admin/audit?limit=100").json["entries"]]
    assert "token.create" in actions and "token.revoke" in actions


def test_read_only_expired_and_other_users_tokens(server):
    admin = Browser(server)
    assert admin.login("admin", server.admin_password).status == 200
    grant_use_api(server, admin)
    alice, bob = Browser(server), Browser(server)
    assert alice.register(unique_name("alice")).status == 201
    assert bob.register(unique_name("bob")).status == 201

    ro = alice.post("/api/me/tokens", {"name": "Lecture", "read_only": True}, csrf=True).json
    assert bearer(server, ro["token"], "GET", "/api/torrents").status == 200
    assert_error(bearer(server, ro["token"], "PATCH", "/api/me", {"display_name": "x"}), 403,
                 "read_only_token")
    assert_error(bearer(server, ro["token"], "POST", "/api/torrents",
                        {"magnets": ["magnet:?xt=urn:btih:" + "a" * 40]}), 403, "read_only_token")

    # Someone else's token is "not found" for bob; an administrator sees and revokes it.
    assert_error(bob.delete(f"/api/me/tokens/{ro['id']}", csrf=True), 404, "token_not_found")
    everyone = admin.get("/api/admin/tokens").json["tokens"]
    assert any(t["id"] == ro["id"] and t["user"]["username"] for t in everyone)
    assert_error(bob.get("/api/admin/tokens"), 403, "forbidden")

    # Expired: refused at once.
    full = alice.post("/api/me/tokens", {"name": "Court"}, csrf=True).json
    assert bearer(server, full["token"], "GET", "/api/me").status == 200
    db_exec(server.data_dir, "UPDATE api_tokens SET expires_at = 1 WHERE id = ?", (full["id"],))
    assert_error(bearer(server, full["token"], "GET", "/api/me"), 401, "unauthenticated")

    # The group loses use_api: every token of its members stops.
    assert admin.delete(f"/api/admin/tokens/{ro['id']}", csrf=True).status == 204
    keep = alice.post("/api/me/tokens", {"name": "Garde"}, csrf=True).json
    assert bearer(server, keep["token"], "GET", "/api/me").status == 200
    grant_use_api(server, admin, allow=False)
    assert_error(bearer(server, keep["token"], "GET", "/api/me"), 401, "unauthenticated")

    # Bad input: French errors naming the field; a flood stops at 20.
    grant_use_api(server, admin)
    assert_error(alice.post("/api/me/tokens", {"name": ""}, csrf=True), 422, "invalid_name", "name")
    assert_error(alice.post("/api/me/tokens", {"name": "x", "expires_in_days": 0}, csrf=True), 422,
                 "invalid_expiry", "expires_in_days")
    held = len(alice.get("/api/me/tokens").json["tokens"])  # an expired one still counts
    assert held == 2
    for i in range(20 - held):
        assert alice.post("/api/me/tokens", {"name": f"t{i}"}, csrf=True).status == 201
    assert_error(alice.post("/api/me/tokens", {"name": "trop"}, csrf=True), 409, "too_many_tokens")
    # A forged token of the right shape is just refused.
    assert_error(bearer(server, "essaim_" + "A" * 43, "GET", "/api/me"), 401, "unauthenticated")
