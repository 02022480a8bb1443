"""Issue 16: sign-in throttling that cannot be turned against a user (auth/throttle.hpp).

Failures count per (user name, address) and per address; a much higher ceiling per user name
stops guessing from many addresses without locking out the addresses that signed in to that
account before. The current-password check of POST /api/me/password is throttled like a
sign-in, with the same keys. 127.0.0.0/8 is all local on Linux: each test "client" binds its
own source address."""

import http.client
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import (GOOD_PASSWORD, Browser, Response, assert_error, unique_name)

NEW_PASSWORD = "another-horse-77"


def post_from(port: int, src_ip: str, path: str, body: dict, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(src_ip, 0))
    try:
        conn.request("POST", path, body=json.dumps(body).encode(),
                     headers={"Content-Type": "application/json", **(headers or {})})
        r = conn.getresponse()
        return Response(r.status, r.reason, list(r.getheaders()), r.read())
    finally:
        conn.close()


def login_from(port: int, src_ip: str, username: str, password: str) -> Response:
    return post_from(port, src_ip, "/api/auth/login", {"username": username, "password": password})


def retry_after(res: Response) -> int:
    assert_error(res, 429, "too_many_attempts")
    value = res.header("Retry-After")
    assert value is not None and value.isdigit() and int(value) >= 1, res.headers
    assert value in res.json["error"]["message"], res.json
    return int(value)


@pytest.mark.timeout(40)
def test_failures_from_one_address_do_not_lock_the_admin_out(server):
    """The attack of the review: five wrong passwords for the admin from another address no
    longer lock the admin out."""
    name, pw = server.admin_username, server.admin_password
    for i in range(5):
        assert_error(login_from(server.port, "127.0.0.2", name, f"faux-{i}-mot-de-passe"), 401,
                     "invalid_credentials")
    ok = login_from(server.port, "127.0.0.1", name, pw)
    assert ok.status == 200, ok
    assert ok.set_cookies()["essaim_session"][0]
    # The guessing address itself is locked, the right password included.
    retry_after(login_from(server.port, "127.0.0.2", name, pw))
    retry_after(login_from(server.port, "127.0.0.2", name.upper(), "faux-encore"))
    # And the admin can go on signing in from elsewhere, repeatedly.
    for src in ("127.0.0.1", "127.0.0.3"):
        assert login_from(server.port, src, name, pw).status == 200


@pytest.mark.timeout(60)
def test_ceiling_stops_distributed_guessing_but_not_the_usual_address(server):
    """100 addresses, one guess each (under every per-address limit): the user name's ceiling
    is reached; new addresses wait, the address the user signed in from before does not."""
    name = unique_name("cible")
    assert Browser(server).register(name, GOOD_PASSWORD).status == 201
    assert login_from(server.port, "127.0.1.1", name, GOOD_PASSWORD).status == 200  # usual

    def guess(i):
        return login_from(server.port, f"127.0.2.{1 + i}", name, f"essai-{i:03d}-faux")

    with ThreadPoolExecutor(8) as pool:
        statuses = [r.status for r in pool.map(guess, range(100))]
    # (Near the ceiling, parallel attempts may be asked to wait 1 s for those in flight.)
    assert set(statuses) <= {401, 429}, statuses
    for i in range(100, 130):  # one at a time until the ceiling answers
        r = guess(i)
        statuses.append(r.status)
        if r.status == 429:
            break
    assert 100 <= statuses.count(401) <= 101, statuses  # the ceiling: 100 failures
    # A new address waits, even with the right password.
    wait = retry_after(login_from(server.port, "127.0.3.1", name, GOOD_PASSWORD))
    assert wait <= 10
    # The usual address gets in during the attack.
    ok = login_from(server.port, "127.0.1.1", name, GOOD_PASSWORD)
    assert ok.status == 200, ok
    # Other accounts are not concerned.
    assert login_from(server.port, "127.0.3.1", server.admin_username,
                      server.admin_password).status == 200


@pytest.mark.timeout(40)
def test_current_password_check_is_throttled_like_a_sign_in(server):
    name = unique_name("compte")
    b = Browser(server)
    assert b.register(name, GOOD_PASSWORD).status == 201
    cookies = "; ".join(f"{k}={v}" for k, v in b.cookies.items())
    headers = {"Cookie": cookies, "X-CSRF-Token": b.csrf}

    def change(src, current):
        return post_from(server.port, src, "/api/me/password",
                         {"current_password": current, "new_password": NEW_PASSWORD}, headers)

    for i in range(5):
        assert_error(change("127.0.0.5", f"pas-le-bon-{i}"), 422, "wrong_password",
                     "current_password")
    # The 6th from that address: 429, the right current password included…
    retry_after(change("127.0.0.5", "pas-le-bon-5"))
    retry_after(change("127.0.0.5", GOOD_PASSWORD))
    # …and the same keys as a sign-in: that user name from that address is locked there too.
    retry_after(login_from(server.port, "127.0.0.5", name, GOOD_PASSWORD))
    # Another address is not concerned (the session works from anywhere).
    res = change("127.0.0.6", GOOD_PASSWORD)
    assert res.status == 204, res
    assert login_from(server.port, "127.0.0.6", name, NEW_PASSWORD).status == 200
