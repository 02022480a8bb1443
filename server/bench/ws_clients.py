#!/usr/bin/env python3
"""Many browsers on essaim's live socket, for `make bench` and `make soak` (python3-websockets).

    ws_clients.py --base http://127.0.0.1:PORT (--cookie 'essaim_session=…' | --login USER:PASS)
                  -n 500 [--duration 30] [--ramp 200] [--ready-file F] [--json F] [--progress 10]
                  [--track-state]

Opens N WebSocket clients on /api/ws the way a browser does (Origin equal to the page's origin,
the session cookie; essaim refuses a handshake without a same-origin Origin), `--ramp` new
connections per second, keeps them connected for `--duration` seconds (0 = until SIGTERM/SIGINT)
and then closes them normally. `--login` logs in once and all clients share that session (one
login per client would measure argon2id, not the socket). Counts, per run: clients connected,
handshake failures, unexpected closes (the server closing a socket we did not close), frames by
`type` (`torrents` full/delta, `status`, `notification`, `speed`) and bytes. `--track-state` keeps
each client's torrent list up to date from the full list and the deltas (what the web app does)
and checks that every delta applies to a known list.

When every client has connected (or failed to) it writes `--ready-file` ("connected failed").
At the end it prints one JSON summary on stdout (and to `--json`); `--progress S` also prints a
line every S seconds on stderr (used by the soak). Exit status: 0 if no client failed or was
closed by the server, 1 otherwise.

As a module: `Fleet(base, cookie).run(n, …)`; `Client` takes an `on_message(client, msg, t)`
callback (freshness.py uses it).
"""
import argparse
import asyncio
import json
import signal
import sys
import time
import urllib.parse
import urllib.request

import websockets


def login(base, username, password):
    """POST /api/auth/login → 'essaim_session=…' (the session cookie only)."""
    req = urllib.request.Request(
        base + "/api/auth/login", method="POST",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        for k, v in r.headers.items():
            if k.lower() == "set-cookie" and v.startswith("essaim_session="):
                return v.split(";", 1)[0]
    raise RuntimeError("login: no essaim_session cookie")


class Stats:
    def __init__(self):
        self.connected = 0      # handshakes that succeeded
        self.open = 0           # sockets open right now
        self.failed = 0         # handshakes refused or timed out
        self.server_closed = 0  # sockets the server (or the network) closed under us
        self.bad_frames = 0     # not JSON, or a delta for an unknown list (--track-state)
        self.frames = {}        # "torrents:full", "torrents:delta", "status", …
        self.bytes = 0
        self.errors = []        # first few error texts

    def error(self, what):
        if len(self.errors) < 10:
            self.errors.append(what)

    def summary(self):
        return {"connected": self.connected, "open": self.open, "failed": self.failed,
                "server_closed": self.server_closed, "bad_frames": self.bad_frames,
                "frames": dict(sorted(self.frames.items())), "frames_total": sum(
                    self.frames.values()), "bytes": self.bytes, "errors": self.errors}


class Client:
    def __init__(self, fleet, idx, on_message=None, track_state=False):
        self.fleet, self.idx = fleet, idx
        self.on_message = on_message
        self.track_state = track_state
        self.torrents = {} if track_state else None  # hash → torrent, as the web app keeps it
        self.have_full = False
        self.ws = None

    async def run(self, connected: asyncio.Event, stop: asyncio.Event):
        st, f = self.fleet.stats, self.fleet
        try:
            self.ws = await websockets.connect(
                f.ws_url, origin=f.origin, extra_headers={"Cookie": f.cookie},
                open_timeout=30, close_timeout=5, ping_interval=None, max_size=None,
                max_queue=None)
        except Exception as e:  # refused (403/401), timeout, reset…
            st.failed += 1
            st.error("client %d: handshake: %r" % (self.idx, e))
            connected.set()
            return
        st.connected += 1
        st.open += 1
        connected.set()
        stopper = asyncio.ensure_future(stop.wait())
        try:
            while True:
                recv = asyncio.ensure_future(self.ws.recv())
                done, _ = await asyncio.wait({recv, stopper}, return_when=asyncio.FIRST_COMPLETED)
                if recv not in done:
                    recv.cancel()
                    break
                try:
                    msg = recv.result()
                except websockets.ConnectionClosed as e:
                    st.server_closed += 1
                    st.error("client %d: closed by the server: code %s %s" % (
                        self.idx, e.code, e.reason))
                    return
                self.handle(msg)
        finally:
            stopper.cancel()
            st.open -= 1
            await self.ws.close()

    def handle(self, msg):
        st = self.fleet.stats
        now = time.monotonic()
        st.bytes += len(msg)
        try:
            m = json.loads(msg)
            kind = m.get("type", "?")
            if kind == "torrents":
                kind += ":full" if m.get("full") else ":delta"
        except ValueError:
            st.bad_frames += 1
            st.error("client %d: frame is not JSON: %r" % (self.idx, msg[:80]))
            return
        st.frames[kind] = st.frames.get(kind, 0) + 1
        if self.track_state and m.get("type") == "torrents":
            if m.get("full"):
                self.torrents = {t["hash"]: t for t in m.get("torrents", [])}
                self.have_full = True
            elif not self.have_full:
                st.bad_frames += 1
                st.error("client %d: a delta before the full list" % self.idx)
            else:
                for t in m.get("changed", []):
                    self.torrents[t["hash"]] = t
                for h in m.get("removed", []):
                    self.torrents.pop(h, None)
        if self.on_message:
            self.on_message(self, m, now)


class Fleet:
    def __init__(self, base, cookie, origin=None):
        u = urllib.parse.urlsplit(base)
        self.ws_url = ("wss" if u.scheme == "https" else "ws") + "://" + u.netloc + "/api/ws"
        self.origin = origin or "%s://%s" % (u.scheme, u.netloc)
        self.cookie = cookie
        self.stats = Stats()
        self.clients = []

    async def run(self, n, duration=0.0, ramp=200.0, stop=None, on_ready=None, on_message=None,
                  track_state=False, progress=0.0):
        """Connects n clients (ramp per second), calls on_ready() once all have connected or
        failed, keeps them until `duration` seconds after that (0: until `stop` is set)."""
        stop = stop or asyncio.Event()
        tasks = []
        t0 = time.monotonic()
        for i in range(n):
            c = Client(self, i, on_message, track_state)
            self.clients.append(c)
            ev = asyncio.Event()
            tasks.append(asyncio.ensure_future(c.run(ev, stop)))
            if ramp > 0:
                await asyncio.sleep(max(0.0, t0 + (i + 1) / ramp - time.monotonic()))
        while self.stats.connected + self.stats.failed < n:
            await asyncio.sleep(0.05)
        if on_ready:
            on_ready()
        reporter = asyncio.ensure_future(self._progress(progress, stop)) if progress else None
        if duration > 0:
            try:
                await asyncio.wait_for(stop.wait(), duration)
            except asyncio.TimeoutError:
                pass
        else:
            await stop.wait()
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        if reporter:
            reporter.cancel()
        return self.stats

    async def _progress(self, every, stop):
        t0 = time.monotonic()
        while not stop.is_set():
            await asyncio.sleep(every)
            s = self.stats
            print("ws_clients: t=%4.0fs open=%d failed=%d server_closed=%d frames=%d" % (
                time.monotonic() - t0, s.open, s.failed, s.server_closed,
                sum(s.frames.values())), file=sys.stderr, flush=True)


async def amain(a):
    cookie = a.cookie or login(a.base, *a.login.split(":", 1))
    fleet = Fleet(a.base, cookie, a.origin)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def ready():
        if a.ready_file:
            with open(a.ready_file, "w") as f:
                f.write("%d %d\n" % (fleet.stats.connected, fleet.stats.failed))

    st = await fleet.run(a.n, a.duration, a.ramp, stop, ready, track_state=a.track_state,
                         progress=a.progress)
    out = st.summary()
    if a.track_state:
        sizes = [len(c.torrents) for c in fleet.clients if c.torrents is not None]
        out["torrents_per_client"] = [min(sizes), max(sizes)] if sizes else []
    text = json.dumps(out)
    print(text, flush=True)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")
    return 0 if not (st.failed or st.server_closed or st.bad_frames) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="essaim's URL, e.g. http://127.0.0.1:8080")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--cookie", help="essaim_session=… (shared by every client)")
    g.add_argument("--login", help="USER:PASS, logged in once")
    ap.add_argument("--origin", help="Origin header (default: the base URL's origin)")
    ap.add_argument("-n", type=int, default=1, help="number of clients")
    ap.add_argument("--duration", type=float, default=0, help="seconds after all connected "
                    "(0: until SIGTERM/SIGINT)")
    ap.add_argument("--ramp", type=float, default=200, help="new connections per second")
    ap.add_argument("--ready-file")
    ap.add_argument("--json")
    ap.add_argument("--progress", type=float, default=0)
    ap.add_argument("--track-state", action="store_true")
    sys.exit(asyncio.run(amain(ap.parse_args())))


if __name__ == "__main__":
    main()
