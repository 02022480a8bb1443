"""3–4. POST /api/auth/register: success, cookies, validation errors, closed registration."""

import json

import pytest

from conftest import GOOD_PASSWORD, Browser, assert_error, db_query, db_set_setting, unique_name


def test_register_creates_user_and_signs_in(shared_server):
    b = Browser(shared_server)
    name = unique_name("alice")
    res = b.register(name, GOOD_PASSWORD, email="alice@example.org")
    assert res.status == 201, res
    u = res.json
    assert u["username"] == name
    assert u["role"] == "user"
    assert u["group"]["name"] == "Utilisateurs"
    assert isinstance(u["group"]["id"], int)
    assert u["email"] == "alice@example.org"
    assert u["display_name"] == name  # defaults to the user name
    assert isinstance(u["id"], int)
    assert isinstance(u["created_at"], int)
    # Registering signs in, so it counts as a login.
    assert isinstance(u["last_login_at"], int)
    assert isinstance(u["permissions"], list)
    assert "password_hash" not in u and "password" not in u

    cookies = res.set_cookies()
    assert set(cookies) >= {"essaim_session", "csrf_token"}, res.header_all("Set-Cookie")
    _, sess_attrs = cookies["essaim_session"]
    _, csrf_attrs = cookies["csrf_token"]
    assert sess_attrs.get("httponly") is True, sess_attrs
    assert str(sess_attrs.get("samesite", "")).lower() == "strict", sess_attrs
    assert sess_attrs.get("path") == "/"
    assert str(csrf_attrs.get("samesite", "")).lower() == "strict", csrf_attrs
    assert "httponly" not in csrf_attrs, csrf_attrs  # the SPA must read it
    assert csrf_attrs.get("path") == "/"
    # 7-day sessions: the cookies and the JWT agree.
    assert sess_attrs.get("max-age") == str(7 * 24 * 3600), sess_attrs
    assert csrf_attrs.get("max-age") == str(7 * 24 * 3600), csrf_attrs
    import base64
    payload = cookies["essaim_session"][0].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600, claims
    assert claims["sub"] == str(u["id"])
    # No Secure flag on plain http without an https base URL (the browser would drop it).
    assert "secure" not in sess_attrs

    me = b.me()
    assert me.status == 200, me
    assert me.json["id"] == u["id"]
    assert me.json["username"] == name


def test_register_display_name_is_kept(shared_server):
    b = Browser(shared_server)
    res = b.register(unique_name(), display_name="Élodie Martin")
    assert res.status == 201, res
    assert res.json["display_name"] == "Élodie Martin"
    assert res.json["email"] is None


def test_duplicate_username_is_case_insensitive(shared_server):
    base = unique_name("alice")
    first = Browser(shared_server).register(base.lower())
    assert first.status == 201, first
    for variant in (base.lower(), base.capitalize(), base.upper()):
        res = Browser(shared_server).register(variant)
        assert_error(res, 409, "username_taken")


@pytest.mark.parametrize("password", ["123456789", "", "abc"])
def test_weak_password(shared_server, password):
    res = Browser(shared_server).register(unique_name(), password)
    assert_error(res, 422, "weak_password", field="password")


def test_password_of_ten_characters_is_enough(shared_server):
    res = Browser(shared_server).register(unique_name(), "1234567890")
    assert res.status == 201, res


def test_password_length_counts_characters_not_bytes(shared_server):
    res = Browser(shared_server).register(unique_name(), "é" * 9)  # 18 bytes, 9 characters
    assert_error(res, 422, "weak_password", field="password")
    res = Browser(shared_server).register(unique_name(), "é" * 10)
    assert res.status == 201, res


def test_invalid_display_name_on_register(shared_server):
    res = Browser(shared_server).register(unique_name(), display_name="x" * 65)
    assert_error(res, 422, "invalid_display_name", field="display_name")


def test_too_long_email(shared_server):
    res = Browser(shared_server).register(unique_name(), email="a" * 250 + "@example.org")
    assert_error(res, 422, "invalid_email", field="email")


def test_user_name_is_trimmed(shared_server):
    name = unique_name()
    res = Browser(shared_server).register(f"  {name} ")
    assert res.status == 201, res
    assert res.json["username"] == name


def test_too_long_password(shared_server):
    res = Browser(shared_server).register(unique_name(), "x" * 1025)
    assert_error(res, 422, "weak_password", field="password")


@pytest.mark.parametrize("username", ["ab", "al ice", "élodie", "zoé", "a" * 33, "bob!", "a/b"])
def test_invalid_username(shared_server, username):
    res = Browser(shared_server).register(username)
    assert_error(res, 422, "invalid_username", field="username")


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "@example.org", "a@@example.org",
                                   "a b@example.org"])
def test_invalid_email(shared_server, email):
    res = Browser(shared_server).register(unique_name(), email=email)
    assert_error(res, 422, "invalid_email", field="email")


@pytest.mark.parametrize("missing", ["username", "password"])
def test_missing_field(shared_server, missing):
    body = {"username": unique_name(), "password": GOOD_PASSWORD}
    del body[missing]
    res = Browser(shared_server).post("/api/auth/register", body)
    assert_error(res, 422, "missing_field")


def test_wrong_type_is_invalid_json(shared_server):
    res = Browser(shared_server).post("/api/auth/register",
                                      {"username": unique_name(), "password": 123})
    assert_error(res, 400, "invalid_json")


@pytest.mark.parametrize("raw", ['{"username": "bob", "password": ', "{not json}", "",
                                 '{"username":"x"} trailing'])
def test_malformed_json(shared_server, raw):
    res = Browser(shared_server).post("/api/auth/register", body=raw,
                                      content_type="application/json")
    assert_error(res, 400, "invalid_json")


def test_json_array_body(shared_server):
    res = Browser(shared_server).post("/api/auth/register", [unique_name(), GOOD_PASSWORD])
    assert res.status == 400, res
    assert_error(res, 400, "invalid_json")


def test_invalid_utf8_body(shared_server):
    res = Browser(shared_server).post(
        "/api/auth/register", body=b'{"username":"\xff\xfe","password":"0123456789"}',
        content_type="application/json")
    assert_error(res, 400, "invalid_json")


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", None])
def test_non_json_content_type(shared_server, ctype):
    body = json.dumps({"username": unique_name(), "password": GOOD_PASSWORD})
    res = Browser(shared_server).post("/api/auth/register", body=body, content_type=ctype)
    assert_error(res, 415, "unsupported_media_type")


def test_json_content_type_with_charset_is_accepted(shared_server):
    body = json.dumps({"username": unique_name(), "password": GOOD_PASSWORD})
    res = Browser(shared_server).post("/api/auth/register", body=body,
                                      content_type="application/json; charset=utf-8")
    assert res.status == 201, res


def test_registration_closed(server):
    # The setting is written straight into the database while the server runs (SQLite in WAL
    # mode, or PostgreSQL), as another process would.
    db_set_setting(server.data_dir, "registration_open", "false")

    inst = server.request("GET", "/api/instance")
    assert inst.status == 200
    assert inst.json["registration_open"] is False

    name = unique_name()
    res = Browser(server).register(name)
    assert_error(res, 403, "registration_closed")
    assert not res.header_all("Set-Cookie")
    # Nobody was created: the name is still free once registration reopens.
    assert db_query(server.data_dir, "SELECT COUNT(*) FROM users WHERE username = ?",
                    (name,)) == [(0,)]
    db_set_setting(server.data_dir, "registration_open", "true")
    assert server.request("GET", "/api/instance").json["registration_open"] is True
    assert Browser(server).register(name).status == 201
