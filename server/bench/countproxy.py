#!/usr/bin/env python3
"""Counting reverse proxy for `make bench`: put it in front of qBittorrent and it counts every
request it forwards, so "how many requests does qBittorrent receive" is measured from outside the
program under test.

    countproxy.py --listen 127.0.0.1:PORT --upstream 127.0.0.1:QBT_PORT [--log FILE]

HTTP/1.1 with keep-alive on both sides: each client connection gets its own upstream connection
(opened on first use, reopened when qBittorrent closes it), so a client that keeps its connection
open (essaim's pool, a Python http.client) costs qBittorrent no new TCP/TLS handshake per request.
Bodies are relayed as they come (Content-Length, chunked, or until close). The Host header is
rewritten to the upstream's (qBittorrent refuses a Host whose port differs from its WebUI port);
Origin and Referer are dropped (qBittorrent refuses a foreign Origin).

Counters: `GET /__count` (answered by the proxy itself, never forwarded) returns
{"total": N, "paths": {"/api/v2/sync/maindata": n, …}, "since": epoch}; `--log` also appends
"epoch method path" per request.
"""
import argparse
import asyncio
import json
import sys
import time

HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"upgrade",
       b"host", b"origin", b"referer"}


class Counts:
    def __init__(self, log):
        self.total = 0
        self.paths = {}
        self.since = time.time()
        self.log = open(log, "a", buffering=1) if log else None

    def add(self, method, target):
        path = target.split(b"?", 1)[0].decode("latin-1")
        self.total += 1
        self.paths[path] = self.paths.get(path, 0) + 1
        if self.log:
            self.log.write("%.3f %s %s\n" % (time.time(), method.decode(), path))

    def json(self):
        return json.dumps({"total": self.total, "paths": self.paths, "since": self.since}).encode()


async def read_head(reader):
    """Request or status line + headers → (first line parts, [(name, value)]) or None at EOF."""
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if e.partial.strip():
            raise ConnectionError("truncated HTTP head")
        return None
    lines = raw[:-4].split(b"\r\n")
    headers = []
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers.append((k.strip(), v.strip()))
    return lines[0].split(b" ", 2), headers


def header(headers, name):
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


async def relay_body(reader, writer, headers, *, until_close=False):
    """Copies one message body from reader to writer, framed as its headers say."""
    te = header(headers, b"transfer-encoding")
    if te and b"chunked" in te.lower():
        while True:
            line = await reader.readuntil(b"\r\n")
            writer.write(line)
            size = int(line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while True:  # trailers, then the empty line
                    t = await reader.readuntil(b"\r\n")
                    writer.write(t)
                    if t == b"\r\n":
                        break
                break
            writer.write(await reader.readexactly(size + 2))
            await writer.drain()
        return
    n = header(headers, b"content-length")
    if n is not None:
        left = int(n)
        while left > 0:
            chunk = await reader.read(min(left, 1 << 16))
            if not chunk:
                raise ConnectionError("upstream closed mid-body")
            writer.write(chunk)
            left -= len(chunk)
            await writer.drain()
        return
    if until_close:
        while chunk := await reader.read(1 << 16):
            writer.write(chunk)
            await writer.drain()


class Buffer:
    """A writer that keeps what is written (relay_body's target for request bodies)."""

    def __init__(self):
        self.data = bytearray()

    def write(self, b):
        self.data += b

    async def drain(self):
        pass


class Proxy:
    def __init__(self, up_host, up_port, counts):
        self.up_host, self.up_port, self.counts = up_host, up_port, counts

    async def handle(self, creader, cwriter):
        up = None  # (reader, writer) kept across requests of this client connection
        try:
            while True:
                head = await read_head(creader)
                if head is None:
                    break
                (method, target, version), headers = head
                if target == b"/__count":
                    body = self.counts.json()
                    cwriter.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                    await cwriter.drain()
                    continue
                self.counts.add(method, target)
                client_close = (header(headers, b"connection") or b"").lower() == b"close"
                out = [b"%s %s HTTP/1.1" % (method, target),
                       b"Host: %s:%d" % (self.up_host.encode(), self.up_port)]
                out += [k + b": " + v for k, v in headers if k.lower() not in HOP]
                req_head = b"\r\n".join(out) + b"\r\n\r\n"
                body = Buffer()  # small (form fields, .torrent files): kept to replay it
                await relay_body(creader, body, headers)
                for attempt in (0, 1):  # a kept-alive upstream connection may have been closed
                    if up is None:
                        up = await asyncio.open_connection(self.up_host, self.up_port,
                                                           limit=1 << 20)
                    try:
                        up[1].write(req_head + bytes(body.data))
                        await up[1].drain()
                        resp = await read_head(up[0])
                        if resp is None:
                            raise ConnectionError("upstream closed")
                        break
                    except (ConnectionError, OSError):
                        up[1].close()
                        up = None
                        if attempt == 1:
                            raise
                (_, status, *reason), rheaders = resp
                up_close = (header(rheaders, b"connection") or b"").lower() == b"close"
                framed = (header(rheaders, b"content-length") is not None or
                          b"chunked" in (header(rheaders, b"transfer-encoding") or b"").lower())
                keep = not (client_close or up_close or not framed) and method != b"HEAD"
                rl = [b"HTTP/1.1 " + status + (b" " + reason[0] if reason else b"")]
                rl += [k + b": " + v for k, v in rheaders
                       if k.lower() not in (b"connection", b"keep-alive")]
                rl.append(b"Connection: keep-alive" if keep else b"Connection: close")
                cwriter.write(b"\r\n".join(rl) + b"\r\n\r\n")
                no_body = method == b"HEAD" or status in (b"204", b"304") or status.startswith(b"1")
                if not no_body:
                    await relay_body(up[0], cwriter, rheaders, until_close=not framed)
                await cwriter.drain()
                if up_close or not framed:
                    up[1].close()
                    up = None
                if not keep:
                    break
        except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ValueError):
            pass
        finally:
            if up:
                up[1].close()
            cwriter.close()


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", required=True, help="HOST:PORT")
    ap.add_argument("--upstream", required=True, help="HOST:PORT of qBittorrent")
    ap.add_argument("--log")
    a = ap.parse_args()
    lh, lp = a.listen.rsplit(":", 1)
    uh, up = a.upstream.rsplit(":", 1)
    proxy = Proxy(uh, int(up), Counts(a.log))
    server = await asyncio.start_server(proxy.handle, lh, int(lp), limit=1 << 20, backlog=1024)
    print("countproxy: %s → %s" % (a.listen, a.upstream), file=sys.stderr, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
