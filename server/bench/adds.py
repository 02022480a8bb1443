#!/usr/bin/env python3
"""Adding torrents through essaim, for `make bench` (stores.sh: SQLite against PostgreSQL).

    adds.py --base http://127.0.0.1:PORT --login USER:PASS --magnets-file F [--conns 8]

Logs in once (session and CSRF cookies), then sends one `POST /api/torrents` per magnet of
--magnets-file, `{"magnets": [m]}` with the CSRF header, from --conns keep-alive connections in
parallel: each add is a request to qBittorrent (add, then tag) and rows in the store (torrent,
audit entry). Prints one JSON object: requests, ok (the torrent accepted), failed, seconds,
adds per second, latency p50/p99/max in ms, first errors.
"""
import argparse
import http.client
import json
import threading
import time
import urllib.parse


def login(base, username, password):
    u = urllib.parse.urlsplit(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    c.request("POST", "/api/auth/login", json.dumps({"username": username, "password": password}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    cookies = {}
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    if r.status != 200 or "essaim_session" not in cookies:
        raise SystemExit(f"adds: login failed ({r.status})")
    return cookies


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--login", required=True, help="USER:PASS")
    ap.add_argument("--magnets-file", required=True)
    ap.add_argument("--conns", type=int, default=8)
    a = ap.parse_args()

    user, _, password = a.login.partition(":")
    cookies = login(a.base, user, password)
    headers = {"Content-Type": "application/json", "Origin": a.base,
               "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
               "X-CSRF-Token": cookies.get("csrf_token", "")}
    magnets = [line.strip() for line in open(a.magnets_file) if line.strip()]
    u = urllib.parse.urlsplit(a.base)
    lock = threading.Lock()
    latencies, errors = [], []
    ok = failed = 0
    next_i = 0

    def worker():
        nonlocal ok, failed, next_i
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        while True:
            with lock:
                if next_i >= len(magnets):
                    return
                m = magnets[next_i]
                next_i += 1
            t0 = time.monotonic()
            try:
                c.request("POST", "/api/torrents", json.dumps({"magnets": [m]}), headers)
                r = c.getresponse()
                body = r.read()
                good = r.status == 200 and all(x.get("ok") for x in json.loads(body)["results"])
                err = None if good else f"{r.status} {body[:200]!r}"
            except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                good, err = False, repr(e)
                c.close()
                c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            dt = time.monotonic() - t0
            with lock:
                latencies.append(dt)
                if good:
                    ok += 1
                else:
                    failed += 1
                    if len(errors) < 5:
                        errors.append(err)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(max(1, a.conns))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.monotonic() - t0
    latencies.sort()
    ms = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    print(json.dumps({"requests": len(magnets), "ok": ok, "failed": failed, "conns": a.conns,
                      "seconds": round(secs, 2), "per_s": round(len(magnets) / secs, 1),
                      "p50_ms": ms(percentile(latencies, 0.5)),
                      "p99_ms": ms(percentile(latencies, 0.99)),
                      "max_ms": ms(latencies[-1] if latencies else None), "errors": errors}))


if __name__ == "__main__":
    main()
