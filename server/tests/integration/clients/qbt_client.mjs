#!/usr/bin/env node
// Drives the real npm client library @ctrl/qbittorrent against a qBittorrent Web API (here:
// essaim's /api/v2), for test_qbt_api_clients.py.
//
// stdin: one JSON object
//   { "baseUrl": "http://127.0.0.1:PORT/", "username": "...", "password": "essaim_...",
//     "apiKey": <optional: the library's API-key mode, `Authorization: Bearer` on every call
//                (qBittorrent 5.2 style) instead of a login and a SID>,
//     "state": <optional, a previous run's "state": reuses its SID without logging in>,
//     "ops": [ { "op": "login" },
//              { "op": "listTorrents", "args": [{ "category": "tv" }] },
//              { "op": "addMagnet", "args": ["magnet:?…", { "category": "tv" }] },
//              { "op": "addTorrentFile", "path": "/x.torrent", "options": { "savepath": "a" } },
//              { "op": "mainData", "rid": 0 },
//              { "op": "removeTorrent", "args": ["<hash>", true] }, … ] }
//   "op" is any method of the library's QBittorrent class (login, getAllData, listTorrents,
//   addMagnet, pauseTorrent, resumeTorrent, removeTorrent, setTorrentLocation, setTorrentName,
//   addTorrentTags, setTorrentCategory, createCategory, getCategories, getTags, …) called with
//   "args", plus two helpers: addTorrentFile (reads the file and calls addTorrent with its bytes)
//   and mainData (GET sync/maindata?rid= through the library's own authenticated request()).
// stdout: one JSON object
//   { "results": [ { "op", "ok": true, "result" } | { "op", "ok": false, "status", "error",
//                  "data" } … ],
//     "state": the client's exportState() (its SID), for a later run }
// An operation that fails does not stop the next ones. The password is never printed.
import { readFileSync } from 'node:fs';

import { QBittorrent } from '@ctrl/qbittorrent';

function readStdin() {
  return readFileSync(0, 'utf8');
}

function describeError(err, password) {
  const status = err?.statusCode ?? err?.status ?? err?.response?.status ?? null;
  let data = err?.data ?? null;
  if (data !== null && typeof data !== 'string') {
    data = JSON.stringify(data);
  }
  const scrub = (s) => (typeof s === 'string' && password ? s.split(password).join('***') : s);
  // FetchError: "[POST] "http://…/api/v2/torrents/add": 403 Forbidden"; other errors: the
  // library's own message ("Failed to add torrent", "Cookie not found. Auth Failed.").
  return { status, error: scrub(String(err?.message ?? err)), data: scrub(data) };
}

async function run(client, op) {
  switch (op.op) {
    case 'addTorrentFile':
      return client.addTorrent(new Uint8Array(readFileSync(op.path)), op.options ?? {});
    case 'mainData':
      return client.request('/sync/maindata', 'GET', { rid: op.rid ?? 0 });
    default: {
      const fn = client[op.op];
      if (typeof fn !== 'function') {
        throw new Error(`unknown operation ${op.op}`);
      }
      return fn.apply(client, op.args ?? []);
    }
  }
}

async function main() {
  const input = JSON.parse(readStdin());
  const config = {
    baseUrl: input.baseUrl,
    username: input.username,
    password: input.password,
    timeout: input.timeout ?? 20000,
  };
  if (input.apiKey) {
    config.apiKey = input.apiKey;
  }
  const client = input.state
    ? QBittorrent.createFromState(config, input.state)
    : new QBittorrent(config);
  const results = [];
  for (const op of input.ops ?? []) {
    try {
      const result = await run(client, op);
      results.push({ op: op.op, ok: true, result: result ?? null });
    } catch (err) {
      results.push({ op: op.op, ok: false, ...describeError(err, input.password || input.apiKey) });
    }
  }
  process.stdout.write(`${JSON.stringify({ results, state: client.exportState() })}\n`);
}

main().catch((err) => {
  process.stderr.write(`qbt_client: ${err?.stack ?? err}\n`);
  process.exit(2);
});
