"""Issue 22: sign-in vouched for by a trusted reverse proxy's header (forward auth). essaim
listens on 127.0.0.1; the "proxy" is a client whose connections come from 127.0.0.2 (any
127.x source reaches the loopback listener), the only address in trusted_proxies. The same
header from 127.0.0.1 — anyone else — is ignored. Last, a real nginx in front (HTTP basic
authentication, its $remote_user as Remote-User, connecting from 127.0.0.2)."""

import base64
import http.client

import pytest

from conftest import GOOD_PASSWORD, Browser, assert_error, free_port, looks_french, parse_set_cookie
from test_downloads import Nginx

PROXY = "127.0.0.2"


def via(port, path, source, headers=None, cookies=None):
    """One request from `source`; returns (status, location, {cookie: value}, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                      source_address=(source, 0))
    h = dict(headers or {})
    if cookies:
        h["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        conn.request("GET", path, headers=h)
        r = conn.getresponse()
        body = r.read()
        set_cookies = {}
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, value, _ = parse_set_cookie(v)
                set_cookies[name] = value
        return r.status, r.getheader("Location"), set_cookies, body
    finally:
        conn.close()


@pytest.fixture
def proxied(essaim):
    srv = essaim.start()
    admin = Browser(srv)
    assert admin.login(srv.admin_username, srv.admin_password).status == 200
    res = admin.request("PUT", "/api/admin/settings", {
        "proxy_auth": {"header": "Remote-User", "trusted_proxies": f"{PROXY}/32"},
        "oidc": {"auto_create": True}}, csrf=True)
    assert res.status == 200, res
    assert res.json["proxy_auth"] == {"header": "Remote-User", "trusted_proxies": f"{PROXY}/32"}
    return srv, admin


def wait_proxy_on(srv):
    """Sessions re-read the proxy settings every 5 s: until then the proxy is unknown."""
    import time
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        if Browser(srv).get("/api/instance").json.get("proxy_sign_in"):
            return
        time.sleep(0.3)
    raise AssertionError("proxy sign-in never announced")


def test_the_header_counts_only_from_the_trusted_proxy(proxied):
    srv, admin = proxied
    wait_proxy_on(srv)
    hdr = {"Remote-User": "alice"}
    # From anyone else: ignored.
    status, location, cookies, _ = via(srv.port, "/api/auth/proxy", "127.0.0.1", hdr)
    assert (status, location) == (302, "/connexion?sso=proxy_untrusted")
    assert "essaim_session" not in cookies
    status, *_ = via(srv.port, "/api/me", "127.0.0.1", hdr)
    assert status == 401
    # From the proxy: signed in (account created, linked), sent back where it wanted.
    status, location, cookies, _ = via(srv.port, "/api/auth/proxy?return_to=/torrents", PROXY, hdr)
    assert (status, location) == (302, "/torrents") and cookies.get("essaim_session")
    b = Browser(srv)
    b.cookies.update(cookies)
    me = b.me().json
    assert me["username"] == "alice" and me["role"] == "user"
    # Again: the same account.
    _, _, again, _ = via(srv.port, "/api/auth/proxy", PROXY, hdr)
    b2 = Browser(srv)
    b2.cookies.update(again)
    assert b2.me().json["id"] == me["id"]
    # The session, from the proxy that now vouches for someone else: not honoured.
    status, *_ = via(srv.port, "/api/me", PROXY, {"Remote-User": "dave"}, cookies)
    assert status == 401
    status, *_ = via(srv.port, "/api/me", PROXY, hdr, cookies)
    assert status == 200


def test_a_local_user_of_that_name_is_not_taken_over(proxied):
    srv, admin = proxied
    wait_proxy_on(srv)
    # Someone registers "bob" first, with a password they know.
    mallory = Browser(srv)
    assert mallory.register("bob", GOOD_PASSWORD).status == 201
    _, location, cookies, _ = via(srv.port, "/api/auth/proxy", PROXY, {"Remote-User": "bob"})
    b = Browser(srv)
    b.cookies.update(cookies)
    me = b.me().json
    assert me["username"] != "bob" and me["id"] != mallory.me().json["id"], me
    # Without auto-creation, an unknown name is refused.
    res = admin.request("PUT", "/api/admin/settings", {"oidc": {"auto_create": False}}, csrf=True)
    assert res.status == 200
    status, location, cookies, _ = via(srv.port, "/api/auth/proxy", PROXY, {"Remote-User": "carol"})
    assert location == "/connexion?sso=oidc_no_account" and "essaim_session" not in cookies


def test_trusted_proxies_must_be_ranges(proxied):
    srv, admin = proxied
    res = admin.request("PUT", "/api/admin/settings",
                        {"proxy_auth": {"trusted_proxies": "10.0.0.0/8, exemple.org"}}, csrf=True)
    err = assert_error(res, 422, "invalid_cidr")
    assert looks_french(err["message"]) and "exemple.org" in err["message"]


def test_a_real_nginx_in_front_signs_in_whom_it_authenticated(proxied):
    srv, admin = proxied
    wait_proxy_on(srv)
    port = free_port()
    # nginx checks the password (HTTP basic authentication), then tells essaim who it was —
    # replacing whatever Remote-User the browser sent — from the trusted address.
    nginx = Nginx(f"""# 2)
        location / {{
            auth_basic "essaim";
            auth_basic_user_file htpasswd;
            proxy_pass http://127.0.0.1:{srv.port};
            proxy_bind {PROXY};
            proxy_set_header Host $http_host;
            proxy_set_header Remote-User $remote_user;
        }}""", port, files={"htpasswd": "marie:{PLAIN}mot-de-passe-de-marie\n"})
    try:
        basic = "Basic " + base64.b64encode(b"marie:mot-de-passe-de-marie").decode()
        status, location, cookies, _ = via(port, "/api/auth/proxy?return_to=/torrents",
                                           "127.0.0.1", {"Authorization": basic})
        assert (status, location) == (302, "/torrents") and cookies.get("essaim_session")
        status, _, _, body = via(port, "/api/me", "127.0.0.1", {"Authorization": basic}, cookies)
        assert status == 200 and b'"username":"marie"' in body
        # The browser's own Remote-User does not pass nginx: still Marie, not the admin.
        status, _, forged, _ = via(port, "/api/auth/proxy", "127.0.0.1",
                                   {"Authorization": basic, "Remote-User": srv.admin_username})
        b = Browser(srv)
        b.cookies.update(forged)
        assert status == 302 and b.me().json["username"] == "marie"
        # Without the password nginx answers itself; straight to essaim the header is nobody's.
        status, *_ = via(port, "/api/auth/proxy", "127.0.0.1")
        assert status == 401
        status, location, cookies, _ = via(srv.port, "/api/auth/proxy", "127.0.0.1",
                                           {"Remote-User": "marie"})
        assert location == "/connexion?sso=proxy_untrusted" and "essaim_session" not in cookies
    finally:
        nginx.stop()
