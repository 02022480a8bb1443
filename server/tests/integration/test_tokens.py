"""9. Tampered and forged session tokens are refused."""

import base64
import hashlib
import hmac
import json
import os

import pytest

from conftest import GOOD_PASSWORD, Browser, assert_error, raw_request, unique_name


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


@pytest.fixture
def token(shared_server):
    b = Browser(shared_server)
    assert b.register(unique_name(), GOOD_PASSWORD).status == 201
    assert b.me().status == 200
    return b.session


def me_with(srv, token, bearer=False):
    if bearer:
        return raw_request(srv.port, "GET", "/api/me", headers={"Authorization": f"Bearer {token}"})
    return raw_request(srv.port, "GET", "/api/me", headers={"Cookie": f"essaim_session={token}"})


@pytest.mark.parametrize("bearer", [False, True])
def test_real_token_works(shared_server, token, bearer):
    assert me_with(shared_server, token, bearer).status == 200


@pytest.mark.parametrize("bearer", [False, True])
def test_one_character_changed_in_payload(shared_server, token, bearer):
    h, p, s = token.split(".")
    i = len(p) // 2
    p2 = p[:i] + ("A" if p[i] != "A" else "B") + p[i + 1:]
    assert p2 != p
    assert_error(me_with(shared_server, f"{h}.{p2}.{s}", bearer), 401, "unauthenticated")


def test_payload_with_other_user_id_keeps_old_signature(shared_server, token):
    h, p, s = token.split(".")
    claims = json.loads(b64url_decode(p))
    claims["sub"] = "1"  # the admin
    p2 = b64url(json.dumps(claims, separators=(",", ":")).encode())
    assert_error(me_with(shared_server, f"{h}.{p2}.{s}"), 401, "unauthenticated")


@pytest.mark.parametrize("sig", ["", None])
def test_alg_none(shared_server, token, sig):
    _, p, _ = token.split(".")
    h = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    forged = f"{h}.{p}." if sig == "" else f"{h}.{p}"
    assert_error(me_with(shared_server, forged), 401, "unauthenticated")
    assert_error(me_with(shared_server, forged, bearer=True), 401, "unauthenticated")


def test_signed_with_another_key(shared_server, token):
    _, p, _ = token.split(".")
    h = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    key = os.urandom(32)
    sig = b64url(hmac.new(key, f"{h}.{p}".encode(), hashlib.sha256).digest())
    assert_error(me_with(shared_server, f"{h}.{p}.{sig}"), 401, "unauthenticated")
    assert_error(me_with(shared_server, f"{h}.{p}.{sig}", bearer=True), 401, "unauthenticated")


def test_other_algorithm_header(shared_server, token):
    h, p, s = token.split(".")
    h2 = b64url(json.dumps({"alg": "HS512", "typ": "JWT"}).encode())
    assert_error(me_with(shared_server, f"{h2}.{p}.{s}"), 401, "unauthenticated")


def test_token_from_another_instance(essaim, shared_server, token):
    other = essaim.start()
    b = Browser(other)
    assert b.register(unique_name(), GOOD_PASSWORD).status == 201
    # Same shape, other secret key: refused by the first instance.
    assert_error(me_with(shared_server, b.session), 401, "unauthenticated")


@pytest.mark.parametrize("garbage", ["garbage", "a.b.c", "...", "%%%", "x" * 5000,
                                     "eyJhbGciOiJIUzI1NiJ9", "a.b.c.d"])
def test_garbage_cookie(shared_server, garbage):
    assert_error(me_with(shared_server, garbage), 401, "unauthenticated")


# Tokens signed with the instance's REAL key (read from the data dir): the signature is right,
# so what refuses them is the server-side session check.

def sign(key: bytes, claims: dict) -> str:
    h = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    p = b64url(json.dumps(claims, separators=(",", ":")).encode())
    return f"{h}.{p}.{b64url(hmac.new(key, f'{h}.{p}'.encode(), hashlib.sha256).digest())}"


@pytest.fixture
def real_key(shared_server):
    return (shared_server.data_dir / "secret.key").read_bytes()


def claims_of(token):
    return json.loads(b64url_decode(token.split(".")[1]))


def test_resigned_token_with_the_real_key_works(shared_server, token, real_key):
    # Sanity check of the forging helper: same claims, same key → accepted.
    assert me_with(shared_server, sign(real_key, claims_of(token))).status == 200


@pytest.mark.parametrize("change", ["expired", "unknown_session", "old_token_version",
                                    "other_user", "exp_as_string"])
def test_correctly_signed_but_invalid_claims(shared_server, token, real_key, change):
    import time
    c = claims_of(token)
    if change == "expired":
        c["exp"] = int(time.time()) - 1
    elif change == "unknown_session":
        c["sid"] = b64url(os.urandom(18))
    elif change == "old_token_version":
        c["tv"] = c["tv"] + 1
    elif change == "other_user":
        c["sub"] = "1"
    elif change == "exp_as_string":
        c["exp"] = str(c["exp"])
    assert_error(me_with(shared_server, sign(real_key, c)), 401, "unauthenticated")
