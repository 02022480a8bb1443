"""E-mail (a local SMTP sink with STARTTLS: smtp_sink.py) and webhook (a local HTTP receiver)
deliveries of notifications, with a real qbittorrent-nox completing a real download."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import swarm as sw
from conftest import assert_error, unique_name, Browser
from smtp_sink import SmtpSink

pytestmark = pytest.mark.timeout(150)


class Receiver:
    """Records POSTs; answers `status`."""

    def __init__(self, status=200):
        self.hits: list = []
        rec = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                rec.hits.append((self.path, dict(self.headers), body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/message?token=abc"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def channels(swarm_clean, essaim):
    sink, ok, bad = SmtpSink(), Receiver(200), Receiver(500)
    portal = sw.Portal(essaim, swarm_clean, Browser, unique_name,
                       env={"ESSAIM_NOTIFY_RETRY_SECONDS": "0"})
    res = portal.admin.request("PUT", "/api/admin/settings", {"notifications": {
        "smtp_host": "127.0.0.1", "smtp_port": sink.port, "smtp_from": "essaim <essaim@example.org>",
        "smtp_starttls": True, "smtp_verify_tls": False}}, csrf=True)
    assert res.status == 200, res
    yield portal, sink, ok, bad
    sink.stop()
    ok.stop()
    bad.stop()


def test_email_and_webhook_once_per_completion_and_failures_visible(channels):
    portal, sink, ok, bad = channels
    # The test e-mail from the settings page, over STARTTLS.
    t = portal.admin.post("/api/admin/settings/test/smtp", {"to": "admin@example.org"},
                          csrf=True).json
    assert t == {"ok": True, "to": "admin@example.org"}, t
    assert len(sink.messages) == 1 and sink.messages[0][3] is True
    assert sink.messages[0][2]["Subject"] == "essaim : e-mail de test"

    # Opt-ins on the account: e-mail needs an address; webhooks are http(s) URLs. (Webhooks to
    # private addresses need the administrator's permission: notify_messages_test.cpp.)
    a = portal.a
    assert_error(a.patch("/api/me", {"notify_email": True}, csrf=True), 422, "email_required",
                 "notify_email")
    res = a.patch("/api/me", {"email": "alice@example.org", "notify_email": True,
                              "webhook_url": ok.url}, csrf=True)
    assert res.status == 200 and res.json["notify_email"] is True and res.json["webhook_url"] == ok.url
    assert portal.b.patch("/api/me", {"webhook_url": bad.url}, csrf=True).status == 200
    assert_error(a.patch("/api/me", {"webhook_url": "ftp://x"}, csrf=True), 422, "invalid_url")

    portal.admin.request("PUT", "/api/admin/settings",
                         {"notifications": {"webhook_allow_private": True}}, csrf=True)
    h = sw.add_magnets(a, portal.swarm.magnets["sample-single"]).json["results"][0]["hash"]
    hb = sw.add_files(portal.b, [("m.torrent", portal.swarm.torrents["sample-multi"][0].read_bytes())]
                      ).json["results"][0]["hash"]
    sw.wait_until(lambda: len(sink.messages) == 2 and len(ok.hits) == 1, 60,
                  what="one e-mail and one webhook for A's completion")
    _from, rcpts, msg, tls = sink.messages[1]
    assert rcpts == ["<alice@example.org>"] and tls
    assert msg["Subject"] == "essaim : « sample-single.bin » est téléchargé"
    assert "« sample-single.bin » est entièrement téléchargé." in msg.get_content()
    path, headers, body = ok.hits[0]
    assert path == "/message?token=abc" and headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["title"] == "essaim" and payload["priority"] == 5
    assert payload["extras"]["essaim"]["torrent"]["hash"] == h

    # B's receiver fails: retried, then marked failed with the reason, visible to B.
    def failed():
        ds = portal.b.get("/api/me/deliveries").json["deliveries"]
        return ds and ds[0]["status"] == "failed" and ds[0]
    d = sw.wait_until(failed, 60, what="B's webhook marked failed")
    assert d["attempts"] == 5 and len(bad.hits) == 5 and "500" in d["last_error"]
    assert d["notification"]["torrent_hash"] == hb and d["channel"] == "webhook"
    assert [x["status"] for x in a.get("/api/me/deliveries").json["deliveries"]] == ["sent", "sent"]
    # Exactly once: nothing more arrives.
    sw.wait_until(lambda: True, 1)
    assert len(sink.messages) == 2 and len(ok.hits) == 1
