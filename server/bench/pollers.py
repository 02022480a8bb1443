#!/usr/bin/env python3
"""Simulated browsers that poll a page, for `make bench` (what the reference's users do, and
essaim's web app when its socket is down): N browsers, each with its own keep-alive HTTP/1.1
connection, `GET PATH` every `--every` seconds (a poll whose answer has not come yet delays
the next one, as a fetch-based poller does; no timeout, as in a browser).

    pollers.py --base http://127.0.0.1:PORT --path /api/torrents --cookie 'session=…' -n 50
               [--every 5] [--duration 30] [--ready-file F]

The browsers start spread over the first period (not all at once). After `--duration` seconds
it prints JSON on stdout: polls wanted (N × duration / every), answered (2xx), failed (non-2xx
or connection errors), and the p50/p99 latency of the answered ones.
"""
import argparse
import asyncio
import json
import random
import sys
import time
import urllib.parse


async def get(reader, writer, host, path, cookie):
    writer.write(("GET %s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nAccept: application/json\r\n\r\n"
                  % (path, host, cookie)).encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() == "close"


async def browser(u, path, cookie, every, t_end, st):
    await asyncio.sleep(random.uniform(0, every))  # browsers do not all open the page at once
    conn = None
    nxt = time.monotonic()
    while time.monotonic() < t_end:
        t0 = time.monotonic()
        try:
            if conn is None:
                conn = await asyncio.open_connection(u.hostname, u.port, limit=1 << 22)
            status, close = await get(*conn, u.netloc, path, cookie)
            if 200 <= status < 300:
                st["answered"] += 1
                st["lat"].append(time.monotonic() - t0)
            else:
                st["failed"] += 1
                st["statuses"][status] = st["statuses"].get(status, 0) + 1
            if close:
                conn[1].close()
                conn = None
        except (OSError, asyncio.IncompleteReadError, ValueError) as e:
            st["failed"] += 1
            st["errors"][type(e).__name__] = st["errors"].get(type(e).__name__, 0) + 1
            if conn:
                conn[1].close()
            conn = None
        nxt = max(nxt + every, time.monotonic())  # a late answer: the next poll at once, no burst
        await asyncio.sleep(nxt - time.monotonic())
    if conn:
        conn[1].close()


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


async def amain(a):
    u = urllib.parse.urlsplit(a.base)
    st = {"answered": 0, "failed": 0, "lat": [], "statuses": {}, "errors": {}}
    t_end = time.monotonic() + a.duration
    tasks = [asyncio.ensure_future(browser(u, a.path, a.cookie, a.every, t_end, st))
             for _ in range(a.n)]
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write("started\n")
    # a poll still waiting when the time is up is abandoned (counted neither way)
    done, pending = await asyncio.wait(tasks, timeout=a.duration + 1)
    for t in pending:
        t.cancel()
    out = {"browsers": a.n, "every": a.every, "duration": a.duration,
           "wanted": int(a.n * a.duration / a.every), "answered": st["answered"],
           "failed": st["failed"], "statuses": st["statuses"], "errors": st["errors"],
           "p50": pct(st["lat"], 50), "p99": pct(st["lat"], 99)}
    print(json.dumps(out), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--path", default="/api/torrents")
    ap.add_argument("--cookie", required=True)
    ap.add_argument("-n", type=int, default=1)
    ap.add_argument("--every", type=float, default=5.0)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--ready-file")
    asyncio.run(amain(ap.parse_args()))
    sys.exit(0)


if __name__ == "__main__":
    main()
