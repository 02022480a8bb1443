"""10. HTTP-level errors: unknown routes, wrong methods, oversized bodies, malformed requests."""

import json
import socket

import pytest

from conftest import (Browser, assert_error, parse_raw_response, raw_request, socket_exchange,
                      unique_name)


def test_unknown_api_route_is_json_404(shared_server):
    for path in ("/api/nope", "/api/nope/deeper", "/api/"):
        res = raw_request(shared_server.port, "GET", path)
        assert_error(res, 404, "not_found")
        assert res.header("Cache-Control") == "no-store", f"GET {path}: {res.headers}"
    res = raw_request(shared_server.port, "POST", "/api/nope", body=b"{}",
                      headers={"Content-Type": "application/json"})
    assert_error(res, 404, "not_found")


def test_bare_api_path_is_an_api_answer(shared_server):
    # "/api" is routed as API (JSON 404), so it must get the API's Cache-Control too.
    res = raw_request(shared_server.port, "GET", "/api")
    assert_error(res, 404, "not_found")
    assert res.header("Cache-Control") == "no-store", res.headers


def test_wrong_method_is_405_with_allow(shared_server):
    res = raw_request(shared_server.port, "DELETE", "/api/me")
    assert_error(res, 405, "method_not_allowed")
    allow = [m.strip() for m in (res.header("Allow") or "").split(",")]
    assert "GET" in allow and "PATCH" in allow, res.headers
    assert "DELETE" not in allow

    res = raw_request(shared_server.port, "GET", "/api/auth/login")
    assert_error(res, 405, "method_not_allowed")
    assert "POST" in (res.header("Allow") or "")


def test_trailing_slash_is_the_same_route(shared_server):
    assert raw_request(shared_server.port, "GET", "/api/health/").status == 200


@pytest.mark.timeout(30)
def test_two_megabyte_json_body_is_413(shared_server):
    body = json.dumps({"username": unique_name(), "password": "p" * (2 * 1024 * 1024)}).encode()
    req = (f"POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1:{shared_server.port}\r\n"
           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    res = parse_raw_response(socket_exchange(shared_server.port, req + body))
    assert_error(res, 413, "payload_too_large")
    assert shared_server.health().status == 200


@pytest.mark.timeout(30)
def test_two_megabyte_chunked_body_is_413(shared_server):
    chunk = b"x" * 65536
    req = (f"POST /api/auth/register HTTP/1.1\r\nHost: 127.0.0.1:{shared_server.port}\r\n"
           f"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    payload = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(32)) + b"0\r\n\r\n"
    res = parse_raw_response(socket_exchange(shared_server.port, req + payload))
    assert_error(res, 413, "payload_too_large")
    assert shared_server.health().status == 200


def test_body_just_under_the_limit_is_parsed(shared_server):
    # ~900 KB of JSON is accepted by the HTTP layer and rejected by validation instead.
    body = {"username": unique_name(), "password": "p" * (900 * 1024)}
    res = Browser(shared_server).post("/api/auth/register", body)
    assert_error(res, 422, "weak_password", field="password")


@pytest.mark.parametrize("line", [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
    b"GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,  # a TLS ClientHello
    b"GET /api/health HTTP/1.1\r\nBad Header Line\r\n\r\n",
])
def test_malformed_request_is_400_and_server_survives(shared_server, line):
    raw = socket_exchange(shared_server.port, line, timeout=5)
    assert raw.startswith(b"HTTP/1.1 400"), raw[:200]
    res = parse_raw_response(raw)
    assert_error(res, 400, "bad_request")
    assert shared_server.health().status == 200
    assert shared_server.alive()


def test_client_disconnecting_mid_request_does_not_hurt(shared_server):
    for partial in (b"GET /api/hea", b"POST /api/auth/login HTTP/1.1\r\nContent-Length: 100\r\n"
                    b"Content-Type: application/json\r\n\r\n{\"user"):
        with socket.create_connection(("127.0.0.1", shared_server.port), timeout=5) as s:
            s.sendall(partial)
    assert shared_server.health().status == 200


def test_oversized_headers_are_refused(shared_server):
    req = (f"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: {'a' * 20000}\r\n\r\n").encode()
    raw = socket_exchange(shared_server.port, req, timeout=5)
    res = parse_raw_response(raw)
    assert res.status == 431, raw[:200]
    assert shared_server.health().status == 200


@pytest.mark.parametrize("path", ["/api/%zz", "/api/me%zz", "/api/auth/%zzlogin", "/api/%"])
def test_bad_percent_encoding_is_400_json(shared_server, path):
    res = raw_request(shared_server.port, "GET", path)
    assert_error(res, 400, "bad_request")
    assert shared_server.health().status == 200


def test_keep_alive_connection_serves_several_requests(shared_server):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", shared_server.port, timeout=5)
    try:
        for _ in range(3):
            conn.request("GET", "/api/health")
            r = conn.getresponse()
            assert r.status == 200
            r.read()
        conn.request("GET", "/api/nope")
        r = conn.getresponse()
        assert r.status == 404
        r.read()
        conn.request("GET", "/api/instance")
        r = conn.getresponse()
        assert r.status == 200
        r.read()
    finally:
        conn.close()


def test_http_1_0_request(shared_server):
    raw = socket_exchange(shared_server.port, b"GET /api/health HTTP/1.0\r\n\r\n", timeout=5)
    res = parse_raw_response(raw)
    assert res.status == 200, raw[:200]
    assert json.loads(res.body)["status"] == "ok"


def test_head_on_protected_route(shared_server):
    res = raw_request(shared_server.port, "HEAD", "/api/me")
    assert res.status == 401
    assert res.body == b""


def test_absolute_form_target_is_refused(shared_server):
    raw = socket_exchange(shared_server.port,
                          b"GET http://127.0.0.1/api/health HTTP/1.1\r\nHost: x\r\n\r\n",
                          timeout=5)
    res = parse_raw_response(raw)
    assert_error(res, 400, "bad_request")
    assert shared_server.health().status == 200
