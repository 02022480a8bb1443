"""11. Security headers on every response, request ids."""

import pytest

from conftest import raw_request


def check_security_headers(res):
    csp = res.header("Content-Security-Policy")
    assert csp, res.headers
    assert "frame-ancestors 'none'" in csp, csp
    assert "default-src 'self'" in csp, csp
    assert res.header("X-Content-Type-Options") == "nosniff"
    assert res.header("Referrer-Policy"), res.headers
    rid = res.header("X-Request-Id")
    assert rid and len(rid) >= 8, res.headers
    assert len(res.header_all("X-Request-Id")) == 1


@pytest.mark.parametrize("method,path", [("GET", "/api/health"), ("GET", "/api/me"),
                                         ("GET", "/api/nope"), ("DELETE", "/api/me")])
def test_api_responses(shared_server, method, path):
    res = raw_request(shared_server.port, method, path)
    check_security_headers(res)
    assert res.header("Cache-Control") == "no-store", res.headers


def test_non_api_response(shared_server):
    # No web dir: "/" answers a small French HTML page (503), with the same headers.
    res = raw_request(shared_server.port, "GET", "/")
    assert res.status in (200, 503)
    check_security_headers(res)
    assert res.header("Cache-Control") != "no-store" or res.status != 200


def test_request_ids_are_unique(shared_server):
    ids = {raw_request(shared_server.port, "GET", "/api/health").header("X-Request-Id")
           for _ in range(5)}
    assert len(ids) == 5


def test_valid_client_request_id_is_echoed(shared_server):
    res = raw_request(shared_server.port, "GET", "/api/health", headers={"X-Request-Id": "abc-123"})
    assert res.header("X-Request-Id") == "abc-123"
    res = raw_request(shared_server.port, "GET", "/api/nope", headers={"X-Request-Id": "abc-123"})
    assert res.header("X-Request-Id") == "abc-123"


@pytest.mark.parametrize("bad", ["has space", "a" * 65, "<script>", "x;y"])
def test_invalid_client_request_id_is_replaced(shared_server, bad):
    res = raw_request(shared_server.port, "GET", "/api/health", headers={"X-Request-Id": bad})
    rid = res.header("X-Request-Id")
    assert rid and rid != bad
    assert all(c.isalnum() or c in "-_" for c in rid)


def test_request_id_appears_in_the_log(shared_server):
    raw_request(shared_server.port, "GET", "/api/health", headers={"X-Request-Id": "trace-42-xyz"})
    import time
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if "trace-42-xyz" in shared_server.output():
            return
        time.sleep(0.05)
    raise AssertionError("request id not found in the server log")
