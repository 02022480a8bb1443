"""6. CSRF tokens on mutating requests, Origin checks, Authorization: Bearer for scripts."""

from conftest import GOOD_PASSWORD, Browser, assert_error, raw_request, unique_name


def signed_in(srv):
    b = Browser(srv)
    name = unique_name()
    assert b.register(name, GOOD_PASSWORD).status == 201
    assert b.session and b.csrf
    return name, b


def test_mutation_without_csrf_header_is_refused(shared_server):
    _, b = signed_in(shared_server)
    res = b.patch("/api/me", {"display_name": "Sans jeton"})
    assert_error(res, 403, "csrf_failed")
    assert b.me().json["display_name"] != "Sans jeton"


def test_mutation_with_wrong_csrf_token_is_refused(shared_server):
    _, b = signed_in(shared_server)
    for token in ("wrong", b.csrf[:-1] + ("A" if b.csrf[-1] != "A" else "B"), " "):
        res = b.patch("/api/me", {"display_name": "Mauvais jeton"},
                      headers={"X-CSRF-Token": token})
        assert_error(res, 403, "csrf_failed")
    assert b.me().json["display_name"] != "Mauvais jeton"


def test_csrf_token_of_another_session_is_refused(shared_server):
    _, alice = signed_in(shared_server)
    _, mallory = signed_in(shared_server)
    res = alice.patch("/api/me", {"display_name": "Volé"}, headers={"X-CSRF-Token": mallory.csrf})
    assert_error(res, 403, "csrf_failed")


def test_mutation_with_right_csrf_token_succeeds(shared_server):
    _, b = signed_in(shared_server)
    res = b.patch("/api/me", {"display_name": "Avec jeton"}, csrf=True)
    assert res.status == 200, res
    assert res.json["display_name"] == "Avec jeton"
    assert b.me().json["display_name"] == "Avec jeton"


def test_password_change_and_logout_also_need_csrf(shared_server):
    _, b = signed_in(shared_server)
    res = b.post("/api/me/password", {"current_password": GOOD_PASSWORD,
                                      "new_password": "another-password-1"})
    assert_error(res, 403, "csrf_failed")
    res = b.post("/api/auth/logout")
    assert_error(res, 403, "csrf_failed")
    assert b.me().status == 200  # still signed in


def test_cross_site_origin_on_login_is_refused(shared_server):
    name, _ = signed_in(shared_server)
    b = Browser(shared_server)
    res = b.post("/api/auth/login", {"username": name, "password": GOOD_PASSWORD},
                 headers={"Origin": "http://evil.example"})
    assert_error(res, 403, "origin_refused")
    assert not res.header_all("Set-Cookie")
    # Same on register.
    res = b.post("/api/auth/register", {"username": unique_name(), "password": GOOD_PASSWORD},
                 headers={"Origin": "http://evil.example"})
    assert_error(res, 403, "origin_refused")
    # Sandboxed frames and file:// pages send "Origin: null".
    res = b.post("/api/auth/login", {"username": name, "password": GOOD_PASSWORD},
                 headers={"Origin": "null"})
    assert_error(res, 403, "origin_refused")
    # A look-alike of the real origin is foreign too.
    res = b.post("/api/auth/login", {"username": name, "password": GOOD_PASSWORD},
                 headers={"Origin": f"http://127.0.0.1:{shared_server.port}.evil.example"})
    assert_error(res, 403, "origin_refused")


def test_same_origin_login_is_accepted(shared_server):
    name, _ = signed_in(shared_server)
    b = Browser(shared_server)
    res = b.post("/api/auth/login", {"username": name, "password": GOOD_PASSWORD},
                 headers={"Origin": f"http://127.0.0.1:{shared_server.port}"})
    assert res.status == 200, res
    assert b.me().status == 200


def test_cross_site_origin_refused_even_with_valid_csrf(shared_server):
    _, b = signed_in(shared_server)
    res = b.patch("/api/me", {"display_name": "Évil"}, csrf=True,
                  headers={"Origin": "http://evil.example"})
    assert_error(res, 403, "origin_refused")
    assert b.me().json["display_name"] != "Évil"


def test_bearer_token_for_scripts(shared_server):
    name, b = signed_in(shared_server)
    token = b.session
    auth = {"Authorization": f"Bearer {token}"}
    res = raw_request(shared_server.port, "GET", "/api/me", headers=auth)
    assert res.status == 200, res
    assert res.json["username"] == name

    # No cookie, no X-CSRF-Token: a script with a bearer token needs none.
    res = raw_request(shared_server.port, "PATCH", "/api/me",
                      body=b'{"display_name":"Script"}',
                      headers={**auth, "Content-Type": "application/json"})
    assert res.status == 200, res
    assert res.json["display_name"] == "Script"
    assert b.me().json["display_name"] == "Script"


def test_bearer_with_invalid_token_is_unauthenticated(shared_server):
    res = raw_request(shared_server.port, "GET", "/api/me",
                      headers={"Authorization": "Bearer not-a-token"})
    assert_error(res, 401, "unauthenticated")


def test_csrf_token_alone_is_not_a_credential(shared_server):
    _, b = signed_in(shared_server)
    res = raw_request(shared_server.port, "PATCH", "/api/me", body=b'{"display_name":"x"}',
                      headers={"Content-Type": "application/json", "X-CSRF-Token": b.csrf,
                               "Cookie": f"csrf_token={b.csrf}"})
    assert_error(res, 401, "unauthenticated")
