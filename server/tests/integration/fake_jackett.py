"""A small HTTP server answering like Jackett (shared/notes/jackett.md): the manual search JSON
(PascalCase, nulls, an indexer in error), /dl/ links that return .torrent bytes, a 302 to a
magnet, or HTML, and the Torznab indexer list. Standard library only; driven by
server/tests/fixtures/jackett/sample.json."""

import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "jackett" / "sample.json"
INDEXERS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<indexers><indexer id="yggtorrent" configured="true"><title>YGGtorrent</title></indexer>
<indexer id="torrent9" configured="true"><title>Torrent9 &amp; co</title></indexer></indexers>"""


class FakeJackett:
    def __init__(self, api_key: str, torrent_bytes: bytes, redirect_magnet: str):
        self.api_key = api_key
        self.torrent_bytes = torrent_bytes
        self.redirect_magnet = redirect_magnet
        self.requests: list = []
        self.hugo_hash = os.urandom(20).hex()  # one per fake: tests do not share torrents
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def dl(self, what: str) -> str:
        return f"{self.url}/dl/yggtorrent/?jackett_apikey={self.api_key}&path={what}&file=x"

    def results(self, query: str) -> dict:
        doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
        amelie, dune, hugo = doc["Results"]
        amelie["Link"] = self.dl("torrent")  # real .torrent bytes (seeded by the swarm)
        dune["MagnetUri"] = None
        dune["InfoHash"] = None
        dune["Link"] = self.dl("magnet")  # 302 to a magnet the swarm seeds
        hugo["MagnetUri"] = "magnet:?xt=urn:btih:" + self.hugo_hash + "&dn=Les+Mis%C3%A9rables"
        hugo["InfoHash"] = None  # known from the magnet only
        html = dict(amelie, Title="Une page HTML", Link=self.dl("html"), Seeders=3, Peers=0)
        evil = dict(amelie, Title="Lien ailleurs", Link="http://127.0.0.1:1/evil.torrent", Seeders=2)
        doc["Results"] = [amelie, dune, hugo, html, evil]
        if query == "gros":
            doc["Results"] = [dict(hugo, Title=f"Résultat {i}", Seeders=i % 97,
                                   MagnetUri=f"magnet:?xt=urn:btih:{i:040x}") for i in range(2000)]
        return doc

    def _handler(self):
        fake = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def send(self, status, body=b"", ctype="application/json; charset=utf-8", headers=()):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                u = urllib.parse.urlparse(self.path)
                q = urllib.parse.parse_qs(u.query)
                fake.requests.append(self.path)
                if u.path == "/api/v2.0/indexers/all/results":
                    if q.get("apikey", [""])[0] != fake.api_key:
                        return self.send(401)
                    query = q.get("Query", [""])[0]
                    if query == "lent":
                        time.sleep(6)
                    if query == "casse":
                        return self.send(200, b"{not json")
                    doc = fake.results(query)
                    trackers = q.get("Tracker[]")  # Jackett's indexer filter
                    if trackers:
                        doc["Results"] = [r for r in doc["Results"] if r["TrackerId"] in trackers]
                        doc["Indexers"] = [i for i in doc["Indexers"] if i["ID"] in trackers]
                    return self.send(200, json.dumps(doc).encode())
                if u.path == "/api/v2.0/indexers/all/results/torznab/api":
                    if q.get("apikey", [""])[0] != fake.api_key:
                        return self.send(200, b'<error code="100" description="Invalid API Key"/>',
                                         "application/xml")
                    return self.send(200, INDEXERS_XML.encode(), "application/xml")
                if u.path.startswith("/dl/"):
                    if q.get("jackett_apikey", [""])[0] != fake.api_key:
                        return self.send(401)
                    what = q.get("path", [""])[0]
                    if what == "torrent":
                        return self.send(200, fake.torrent_bytes, "application/x-bittorrent")
                    if what == "magnet":
                        return self.send(302, headers=[("Location", fake.redirect_magnet)])
                    if what == "html":
                        return self.send(200, b"<html><body>Connexion requise</body></html>",
                                         "text/html")
                    return self.send(404)
                self.send(404)

        return H


if __name__ == "__main__":
    # For the Playwright run (scripts/e2e.sh): fake_jackett.py API_KEY TORRENT_FILE MAGNET
    import sys

    fake = FakeJackett(sys.argv[1], Path(sys.argv[2]).read_bytes(), sys.argv[3])
    print(fake.url, flush=True)
    try:
        fake.thread.join()
    except KeyboardInterrupt:
        fake.stop()
