"""ESSAIM_BASE_URL: https base URL → Secure cookies, and its origin is accepted."""

from conftest import GOOD_PASSWORD, Browser, assert_error, unique_name

BASE = "https://essaim.example.org"


def test_https_base_url(essaim):
    srv = essaim.start(env={"ESSAIM_BASE_URL": BASE + "/"})
    b = Browser(srv)
    name = unique_name()
    res = b.post("/api/auth/register", {"username": name, "password": GOOD_PASSWORD},
                 headers={"Origin": BASE})
    assert res.status == 201, res
    cookies = res.set_cookies()
    for cname in ("essaim_session", "csrf_token"):
        assert cookies[cname][1].get("secure") is True, res.header_all("Set-Cookie")
        assert str(cookies[cname][1].get("samesite")).lower() == "strict"
    res = Browser(srv).post("/api/auth/login", {"username": name, "password": GOOD_PASSWORD},
                            headers={"Origin": BASE})
    assert res.status == 200, res
    res = Browser(srv).post("/api/auth/login", {"username": name, "password": GOOD_PASSWORD},
                            headers={"Origin": "https://evil.example"})
    assert_error(res, 403, "origin_refused")
    # http:// of the same host is another origin.
    res = Browser(srv).post("/api/auth/login", {"username": name, "password": GOOD_PASSWORD},
                            headers={"Origin": "http://essaim.example.org"})
    assert_error(res, 403, "origin_refused")
