"""15. Graceful shutdown on SIGTERM / SIGINT."""

import json
import signal
import socket
import time

import pytest

from conftest import parse_raw_response, raw_request


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_exits_zero_quickly(essaim, sig):
    srv = essaim.start()
    assert srv.health().status == 200
    t0 = time.monotonic()
    srv.proc.send_signal(sig)
    code = srv.proc.wait(10)
    elapsed = time.monotonic() - t0
    assert code == 0, srv.output()[-2000:]
    assert elapsed < 5, f"took {elapsed:.1f} s to stop"
    assert "arrêt" in srv.output()


def test_sigterm_lets_an_in_flight_request_finish(essaim):
    """A request whose body is still arriving when SIGTERM comes is answered, then essaim
    exits 0 (it drains in-flight requests for up to 10 s)."""
    srv = essaim.start()
    body = json.dumps({"username": "admin", "password": srv.admin_password}).encode()
    head = (f"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(head + body[:10])
        time.sleep(0.3)  # the server has read the headers: the request is in flight
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert srv.proc.poll() is None, "essaim quit with a request in flight"
        # No new connection is accepted while draining.
        with pytest.raises(OSError):
            raw_request(srv.port, "GET", "/api/health", timeout=2)
        s.sendall(body[10:])
        raw = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            raw += chunk
    res = parse_raw_response(raw)
    assert res.status == 200, raw[:300]
    assert json.loads(res.body)["username"] == "admin"
    assert (res.header("Connection") or "").lower() == "close"
    assert srv.proc.wait(10) == 0
