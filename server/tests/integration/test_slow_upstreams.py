"""Issue 16: a slow upstream never slows other users down. Adding by URL waits for the remote
server asynchronously (no thread held), each user has at most 4 URLs being fetched at once, and
meanwhile another user's pages — which ask qBittorrent — answer as fast as ever.

The review's attack: 12 concurrent adds of a URL that answers slowly held the 8 worker threads;
another user's GET /files then took 16 s, and timed out at 60 s with 8 × 4 slow URLs.
"""

import http.server
import statistics
import threading
import time

import pytest

import swarm as sw
from conftest import Browser, db_set_setting, unique_name

pytestmark = pytest.mark.timeout(180)

SLOW_SECONDS = 8.0  # under the test client's 10 s timeout


class SlowServer:
    """Answers every GET after SLOW_SECONDS (404): a .torrent URL on a very slow host."""

    def __init__(self):
        self.requests = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                with outer.lock:
                    outer.requests += 1
                time.sleep(SLOW_SECONDS)
                try:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_slow_url_adds_do_not_slow_other_users(swarm_clean, essaim):
    s = swarm_clean
    portal = sw.Portal(essaim, s, Browser, unique_name)
    # The slow host is on loopback: private targets must be allowed for the fetch to happen.
    db_set_setting(portal.server.data_dir, "allow_private_targets", "true")
    # The victim's own torrent, whose file list asks qBittorrent each time.
    r = sw.single_result(sw.add_magnets(portal.b, s.magnets["sample-multi"]))
    assert r["ok"], r
    h = r["hash"]
    sw.wait_entry(portal.b, h, sw.is_seeding, 60, scope="mine")
    assert portal.b.get(f"/api/torrents/{h}/files").status == 200

    slow = SlowServer()
    attackers = [portal.a] + [Browser(portal.server) for _ in range(2)]
    for b in attackers[1:]:
        assert b.register(unique_name("lent")).status == 201
    results: list = []
    lock = threading.Lock()

    def add(b, i):
        res = b.post("/api/torrents", {"urls": [f"http://127.0.0.1:{slow.port}/{i}.torrent"]},
                     csrf=True)
        with lock:
            results.append(res)

    # 3 users × 4 URLs = 12 fetches at once, every one allowed by the per-user limit.
    threads = [threading.Thread(target=add, args=(b, f"{n}-{i}"), daemon=True)
               for n, b in enumerate(attackers) for i in range(4)]
    try:
        for t in threads:
            t.start()
        sw.wait_until(lambda: slow.requests >= 12, 10, 0.05, "12 fetches in flight")
        # A 5th URL of the same user is refused at once, not queued behind the others.
        t0 = time.monotonic()
        res = portal.a.post("/api/torrents", {"urls": [f"http://127.0.0.1:{slow.port}/5"]},
                            csrf=True)
        assert time.monotonic() - t0 < 1.0
        item = sw.single_result(res)
        assert item["ok"] is False and item["error"]["code"] == "too_many_fetches", item
        # Meanwhile, another user's pages answer at once.
        times = []
        while slow.requests >= 12 and len(times) < 200 and \
                any(t.is_alive() for t in threads):
            t0 = time.monotonic()
            assert portal.b.get(f"/api/torrents/{h}/files").status == 200
            assert portal.b.get("/api/me").status == 200
            times.append(time.monotonic() - t0)
        assert len(times) >= 50, len(times)
        times.sort()
        p99 = times[int(len(times) * 0.99) - 1]
        print(f"/files + /me of another user during 12 slow adds: n={len(times)} "
              f"p50={statistics.median(times) * 1000:.1f} ms p99={p99 * 1000:.1f} ms")
        assert p99 < 0.2, times[-5:]
        for t in threads:
            t.join(SLOW_SECONDS + 15)
    finally:
        slow.close()
    assert len(results) == 12
    for res in results:
        item = sw.single_result(res)
        assert item["ok"] is False and item["error"]["code"] == "url_fetch_failed", item
        assert str(slow.port) not in item["error"]["message"], item
