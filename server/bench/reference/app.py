#!/usr/bin/env python3
"""Reference for `make bench`: the design essaim replaces, written the straightforward way.

A multi-user portal in front of one qBittorrent that asks qBittorrent on every page load:
FastAPI on uvicorn (Debian bookworm's python3-fastapi and python3-uvicorn, with uvloop and httptools
when they are installed), one worker process, synchronous handlers in FastAPI's thread pool.
For every `GET /api/torrents` it
  1. authenticates the `session` cookie against its own SQLite table `sessions(token, user_id)`,
  2. reads the user's torrent hashes from its own SQLite table `torrents(hash, owner_id)` (seeded
     by `init` with the same 100 hashes essaim gives the benchmark user),
  3. asks qBittorrent `GET /api/v2/torrents/info` over a keep-alive connection (one per worker
     thread, one qBittorrent session logged in at start, again on 403):
       --mode all     (default) the whole list, as a portal that filters itself does;
       --mode hashes  only `?hashes=h1|h2|…` of the user's torrents — the cheapest question a
                      per-request design can ask (shown as a second, stronger reference row);
  4. keeps the user's rows, maps them to essaim's field names and states and answers JSON
     (json.dumps into a plain Response: no pydantic model on the hot path).
There is no cache and no shared poller: qBittorrent receives one request per page load and per
browser poll — exactly what essaim's single sync loop removes. Nothing else (no CSRF, no
permissions beyond "own torrents"): it is as cheap as such a design gets.

  app.py init  --db FILE --user NAME --hashes-file FILE   prints the cookie "session=<token>"
  app.py serve --db FILE --listen 127.0.0.1:PORT --qbt http://127.0.0.1:QP
               [--qbt-user admin --qbt-pass adminadmin] [--mode all|hashes]
"""
import argparse
import http.client
import json
import secrets
import sqlite3
import threading
import urllib.parse

STATES = {  # qBittorrent state → essaim's state name (server/src/qbt/maindata.cpp)
    "metaDL": "metadata", "forcedMetaDL": "metadata", "downloading": "downloading",
    "forcedDL": "downloading", "stalledDL": "stalled", "uploading": "seeding",
    "stalledUP": "seeding", "forcedUP": "seeding", "pausedDL": "paused", "stoppedDL": "paused",
    "pausedUP": "completed", "stoppedUP": "completed", "queuedDL": "queued", "queuedUP": "queued",
    "checkingDL": "checking", "checkingUP": "checking", "checkingResumeData": "checking",
    "allocating": "checking", "moving": "moving",
}
FIELDS = ("hash", "name", "size", "progress", "dlspeed", "upspeed", "eta", "added_on",
          "completion_on")


def init(db, user, hashes_file):
    c = sqlite3.connect(db)
    c.executescript("""
        CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL);
        CREATE TABLE IF NOT EXISTS sessions(token TEXT PRIMARY KEY,
                                            user_id INTEGER NOT NULL REFERENCES users(id));
        CREATE TABLE IF NOT EXISTS torrents(hash TEXT PRIMARY KEY,
                                            owner_id INTEGER NOT NULL REFERENCES users(id));
        CREATE INDEX IF NOT EXISTS torrents_owner ON torrents(owner_id);
    """)
    c.execute("INSERT OR IGNORE INTO users(username) VALUES (?)", (user,))
    uid = c.execute("SELECT id FROM users WHERE username=?", (user,)).fetchone()[0]
    with open(hashes_file) as f:
        c.executemany("INSERT OR REPLACE INTO torrents(hash, owner_id) VALUES (?, ?)",
                      [(h.strip().lower(), uid) for h in f if h.strip()])
    token = secrets.token_urlsafe(32)
    c.execute("INSERT INTO sessions(token, user_id) VALUES (?, ?)", (token, uid))
    c.commit()
    print("session=" + token)


def make_app(db, qbt, qbt_user, qbt_pass, mode):
    from fastapi import FastAPI, Request, Response

    up = urllib.parse.urlsplit(qbt)
    local = threading.local()
    sid = {"cookie": ""}
    sid_lock = threading.Lock()

    def connection():
        if getattr(local, "qbt", None) is None:
            local.qbt = http.client.HTTPConnection(up.hostname, up.port, timeout=300)
        return local.qbt

    def qbt_request(method, path, body=None, headers=None):
        for attempt in (0, 1):  # a kept-alive connection may have been closed by qBittorrent
            c = connection()
            try:
                c.request(method, path, body=body, headers=headers or {})
                r = c.getresponse()
                return r.status, r.getheader("Set-Cookie") or "", r.read()
            except (http.client.HTTPException, OSError):
                c.close()
                local.qbt = None
                if attempt:
                    raise

    def login():
        with sid_lock:
            body = urllib.parse.urlencode({"username": qbt_user, "password": qbt_pass})
            status, cookie, text = qbt_request(
                "POST", "/api/v2/auth/login", body,
                {"Content-Type": "application/x-www-form-urlencoded"})
            if status != 200 or text != b"Ok.":
                raise RuntimeError("qBittorrent login failed: %s %r" % (status, text))
            sid["cookie"] = cookie.split(";", 1)[0]

    def db_conn():
        if getattr(local, "db", None) is None:
            local.db = sqlite3.connect(db, check_same_thread=False)
        return local.db

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.on_event("startup")
    def startup():
        login()

    @app.get("/api/health")
    def health():
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.get("/api/torrents")
    def torrents(request: Request):
        token = request.cookies.get("session")
        d = db_conn()
        row = token and d.execute("SELECT user_id FROM sessions WHERE token=?", (token,)).fetchone()
        if not row:
            return Response(b'{"error":{"code":"unauthenticated"}}', status_code=401,
                            media_type="application/json")
        mine = {h for (h,) in d.execute("SELECT hash FROM torrents WHERE owner_id=?", row)}
        path = "/api/v2/torrents/info"
        if mode == "hashes":
            path += "?hashes=" + "|".join(sorted(mine))
        for attempt in (0, 1):
            status, _, body = qbt_request("GET", path, headers={"Cookie": sid["cookie"]})
            if status != 403 or attempt:
                break
            login()  # qBittorrent's session expired
        if status != 200:
            return Response(b'{"error":{"code":"qbittorrent_down"}}', status_code=502,
                            media_type="application/json")
        out = []
        for t in json.loads(body):
            if t["hash"] in mine:
                item = {k: t.get(k) for k in FIELDS}
                item["state"] = STATES.get(t.get("state"), "error")
                item["owner"] = row[0]
                out.append(item)
        return Response(json.dumps({"torrents": out}).encode(), media_type="application/json")

    return app


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("init")
    i.add_argument("--db", required=True)
    i.add_argument("--user", required=True)
    i.add_argument("--hashes-file", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--db", required=True)
    s.add_argument("--listen", required=True)
    s.add_argument("--qbt", required=True)
    s.add_argument("--qbt-user", default="admin")
    s.add_argument("--qbt-pass", default="adminadmin")
    s.add_argument("--mode", choices=("all", "hashes"), default="all")
    a = ap.parse_args()
    if a.cmd == "init":
        init(a.db, a.user, a.hashes_file)
        return
    import uvicorn
    host, port = a.listen.rsplit(":", 1)
    uvicorn.run(make_app(a.db, a.qbt, a.qbt_user, a.qbt_pass, a.mode), host=host, port=int(port),
                log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
