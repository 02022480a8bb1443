"""8. POST /api/auth/logout."""

from conftest import GOOD_PASSWORD, Browser, assert_error, unique_name


def test_logout_clears_cookies_and_revokes_only_that_session(shared_server):
    b = Browser(shared_server)
    name = unique_name()
    assert b.register(name, GOOD_PASSWORD).status == 201
    other = Browser(shared_server)
    assert other.login(name, GOOD_PASSWORD).status == 200
    old_session, old_csrf = b.session, b.csrf

    res = b.post("/api/auth/logout", csrf=True)
    assert res.status == 204, res
    assert res.body == b""
    cookies = res.set_cookies()
    for cname in ("essaim_session", "csrf_token"):
        assert cname in cookies, res.header_all("Set-Cookie")
        value, attrs = cookies[cname]
        assert value == ""
        assert attrs.get("max-age") == "0", attrs
        assert attrs.get("path") == "/"
    assert b.session is None and b.csrf is None

    # The old cookie, sent by hand, no longer works (the session is revoked server-side).
    replay = Browser(shared_server)
    replay.cookies = {"essaim_session": old_session, "csrf_token": old_csrf}
    assert_error(replay.me(), 401, "unauthenticated")
    assert_error(replay.patch("/api/me", {"display_name": "x"}, csrf=True), 401, "unauthenticated")
    # Nor as a bearer token.
    replay2 = Browser(shared_server)
    assert_error(replay2.get("/api/me", headers={"Authorization": f"Bearer {old_session}"}),
                 401, "unauthenticated")

    # The other browser of the same user is still signed in.
    me = other.me()
    assert me.status == 200 and me.json["username"] == name


def test_logout_without_session_is_harmless(shared_server):
    res = Browser(shared_server).post("/api/auth/logout")
    assert res.status == 204, res
