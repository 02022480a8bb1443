#!/usr/bin/env python3
"""Freshness, for `make bench`: how long after a change in qBittorrent a browser sees it on
essaim's live socket.

    freshness.py --base http://127.0.0.1:PORT --cookie 'essaim_session=…'
                 --qbt http://127.0.0.1:QP --hashes-file F [--qbt URL2 --hashes-file F2 …]
                 [--changes 100]

One WebSocket client (ws_clients.Client, keeping the list up to date) is connected as the user
who owns the torrents of --hashes-file (paused, metadata-less magnets). Then `--changes` state
changes are made through qBittorrent's own API, one every 0.1–0.5 s (random, so they do not
lock onto essaim's poll period): first `POST /api/v2/torrents/resume` of torrents 1…N/2
(pausedDL → metaDL: essaim state "paused" → "metadata"), then `POST /api/v2/torrents/pause` of the
same torrents (→ "paused"). For each change, latency = from just before the POST to the first
`torrents` delta frame carrying that torrent in the new state (15 s = missed).

Several qBittorrent servers behind one essaim (issue 20): repeat `--qbt URL --hashes-file F`
once per server (F = the user's torrents that server holds). The changes then go to the servers
in turn (torrent 1 of server 1, torrent 1 of server 2, …), each made through its own server's API.

To tell qBittorrent's share from essaim's, a probe asks qBittorrent itself
(`torrents/info?hashes=<pending>`, every 100 ms, one request per server for all its pending
changes, the servers asked in parallel) when it first reports the new state: "qBittorrent shows
it" below. Prints one JSON object.
"""
import argparse
import asyncio
import http.client
import json
import random
import time
import urllib.parse

from ws_clients import Client, Fleet

PAUSED = {"pausedDL", "pausedUP", "stoppedDL", "stoppedUP"}


class Qbt:
    """Blocking qBittorrent client (one keep-alive connection), used from worker threads."""

    def __init__(self, url, user, password):
        self.u = urllib.parse.urlsplit(url)
        self.c = http.client.HTTPConnection(self.u.hostname, self.u.port, timeout=60)
        body = urllib.parse.urlencode({"username": user, "password": password})
        r = self.req("POST", "/api/v2/auth/login", body)
        self.sid = r.getheader("Set-Cookie").split(";", 1)[0]
        r.read()

    def req(self, method, path, body=None):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        if getattr(self, "sid", None):
            h["Cookie"] = self.sid
        self.c.request(method, path, body=body, headers=h)
        return self.c.getresponse()

    def call(self, method, path, body=None):
        r = self.req(method, path, body)
        data = r.read()
        if r.status != 200:
            raise RuntimeError("qBittorrent %s %s: %d %r" % (method, path, r.status, data[:200]))
        return data


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))], 3)


async def amain(a):
    if len(a.qbt) != len(a.hashes_file):
        raise SystemExit("freshness: give one --hashes-file per --qbt")
    per_server = [[h.strip() for h in open(f) if h.strip()] for f in a.hashes_file]
    # round robin over the servers: server of each hash, in the order the changes are made
    server_of = {}
    hashes = []
    for i in range(max(len(x) for x in per_server)):
        for k, x in enumerate(per_server):
            if i < len(x):
                server_of[x[i]] = k
                hashes.append(x[i])
    half = a.changes // 2
    if len(hashes) < half:
        raise SystemExit("freshness: need %d torrents, have %d" % (half, len(hashes)))
    pending = {}  # hash → {"t0", "want_paused", "ws", "qbt"}
    done = []

    def on_message(client, m, now):
        if m.get("type") != "torrents" or m.get("full"):
            return
        for t in m.get("changed", []):
            p = pending.get(t["hash"])
            if p and p["ws"] is None and (t.get("state") == "paused") == p["want_paused"]:
                p["ws"] = now - p["t0"]

    fleet = Fleet(a.base, a.cookie)
    stop = asyncio.Event()
    client = Client(fleet, 0, on_message, track_state=True)
    connected = asyncio.Event()
    task = asyncio.ensure_future(client.run(connected, stop))
    await connected.wait()
    for _ in range(100):
        if client.have_full:
            break
        await asyncio.sleep(0.05)
    if not client.have_full:
        raise SystemExit("freshness: no full list on the socket: %s" % fleet.stats.summary())
    # The full list is the last snapshot sent to every socket (changes are coalesced to one
    # delta per second): torrents given to the user a moment ago come in the next delta.
    for _ in range(200):
        missing = [h for h in hashes[:half] if h not in client.torrents]
        if not missing:
            break
        await asyncio.sleep(0.05)
    if missing:
        raise SystemExit("freshness: %d torrents not on the socket" % len(missing))

    changers = [Qbt(u, a.qbt_user, a.qbt_pass) for u in a.qbt]
    probers = [Qbt(u, a.qbt_user, a.qbt_pass) for u in a.qbt]
    probe_stop = asyncio.Event()

    async def probe_server(k, want):
        data = await asyncio.to_thread(
            probers[k].call, "GET", "/api/v2/torrents/info?hashes=" + "|".join(want))
        t_resp = time.monotonic()
        for t in json.loads(data):
            p = pending.get(t["hash"])
            if p and p["qbt"] is None and (t["state"] in PAUSED) == p["want_paused"]:
                p["qbt"] = t_resp - p["t0"]  # visible by then (100 ms resolution)

    async def probe():
        while not probe_stop.is_set():
            want = {}
            for h, p in pending.items():
                if p["qbt"] is None:
                    want.setdefault(server_of[h], []).append(h)
            if want:
                await asyncio.gather(*(probe_server(k, w) for k, w in want.items()))
            await asyncio.sleep(0.1)

    prober_task = asyncio.ensure_future(probe())
    plan = [(h, False) for h in hashes[:half]] + [(h, True) for h in hashes[:half]]
    post_times = []
    for h, want_paused in plan:
        await asyncio.sleep(random.uniform(0.1, 0.5))
        while h in pending:  # its resume is still being timed: let it finish first
            q = pending[h]
            if (q["ws"] is not None and q["qbt"] is not None) or time.monotonic() - q["t0"] > 15:
                done.append(pending.pop(h))
                break
            await asyncio.sleep(0.05)
        p = {"t0": time.monotonic(), "want_paused": want_paused, "ws": None, "qbt": None}
        pending[h] = p
        await asyncio.to_thread(changers[server_of[h]].call, "POST",
                                "/api/v2/torrents/" + ("pause" if want_paused else "resume"),
                                "hashes=" + h)
        post_times.append(time.monotonic() - p["t0"])
        # forget changes that are complete or too old
        for k, q in list(pending.items()):
            if (q["ws"] is not None and q["qbt"] is not None) or time.monotonic() - q["t0"] > 15:
                done.append(pending.pop(k))
    t_end = time.monotonic() + 15
    while pending and time.monotonic() < t_end:
        await asyncio.sleep(0.1)
        for k, q in list(pending.items()):
            if q["ws"] is not None and q["qbt"] is not None:
                done.append(pending.pop(k))
    done += pending.values()
    probe_stop.set()
    stop.set()
    await asyncio.gather(task, prober_task, return_exceptions=True)
    ws = [d["ws"] for d in done if d["ws"] is not None]
    qb = [d["qbt"] for d in done if d["qbt"] is not None]
    gap = [d["ws"] - d["qbt"] for d in done if d["ws"] is not None and d["qbt"] is not None]
    print(json.dumps({
        "changes": len(done), "seen": len(ws), "missed": len(done) - len(ws),
        "p50": pct(ws, 50), "p99": pct(ws, 99), "max": pct(ws, 100),
        "qbt_p50": pct(qb, 50), "qbt_p99": pct(qb, 99),
        "after_qbt_p50": pct(gap, 50), "after_qbt_p99": pct(gap, 99),
        "post_p50": pct(post_times, 50),
        "socket": fleet.stats.summary()}), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--cookie", required=True)
    ap.add_argument("--qbt", required=True, action="append",
                    help="qBittorrent's URL; once per server, each followed by its --hashes-file")
    ap.add_argument("--qbt-user", default="admin")
    ap.add_argument("--qbt-pass", default="adminadmin")
    ap.add_argument("--hashes-file", required=True, action="append",
                    help="the user's torrents (one hash a line) on the --qbt of the same rank")
    ap.add_argument("--changes", type=int, default=100)
    asyncio.run(amain(ap.parse_args()))


if __name__ == "__main__":
    main()
