"""Issue 19: Sonarr's qBittorrent download client, replayed request by request against essaim's
qBittorrent-compatible API (/api/v2), with a real torrent of the local swarm.

What was read (repository Sonarr/Sonarr, folder src/NzbDrone.Core/Download/Clients/QBittorrent/,
commit f75120579ca9; develop since then only adds what is noted "newer" below):
- QBittorrentProxySelector.cs: FetchProxy() → QBittorrentProxyV2.IsApiSupported(), then
  GetApiVersion(); the pair is cached 10 min per host:port (GetProxy(force: true) in Test()).
- QBittorrentProxyV2.cs: every request carries `Authorization: Basic user:password` (the
  HttpRequestBuilder's BasicNetworkCredential) and, once logged in, the `SID` cookie.
    IsApiSupported   GET  /api/v2/app/webapiVersion, NO session: 404 → not v2, 403 → v2 (so is
                     200 with a version); any other error → "Failed to connect".
    AuthenticateClient POST /api/v2/auth/login  username=…&password=…  → body must be "Ok.",
                     cookies kept; "Fails." → authentication failure. ProcessRequest(): a 403 on
                     any call → log in again once and retry.
    GetApiVersion    GET  /api/v2/app/webapiVersion → Version.Parse(body)
    GetVersion       GET  /api/v2/app/version → body.TrimStart('v')
    GetConfig        GET  /api/v2/app/preferences → QBittorrentPreferences: save_path,
                     max_ratio_enabled, max_ratio, max_seeding_time_enabled, max_seeding_time,
                     max_ratio_act, queueing_enabled (defaults to TRUE when absent), dht
    GetTorrents      GET  /api/v2/torrents/info?category=<TvCategory> → QBittorrentTorrent: hash,
                     name, size, progress, eta, state, category, save_path, content_path, ratio,
                     ratio_limit, seeding_time_limit (newer: inactive_seeding_time_limit,
                     last_activity)
    IsTorrentLoaded / GetTorrentProperties  GET /api/v2/torrents/properties?hash=<lower hash>
                     (any error = "not loaded yet"); properties: save_path, seeding_time
    GetTorrentFiles  GET  /api/v2/torrents/files?hash= → [{name}]
    AddTorrentFromUrl  POST /api/v2/torrents/add  urls=<magnet>, category, paused=False (initial
                     state Start; nothing for ForceStart), sequentialDownload=True,
                     firstLastPiecePrio=True, ratioLimit, seedingTimeLimit (minutes) — inline
                     since webapi 2.8.1; "Fails." → error. (newer: contentLayout, `stopped`
                     instead of `paused` from webapi 2.11)
    AddTorrentFromFile same, multipart: part `torrents` (application/octet-stream, the release
                     name + .torrent) and the same fields
    SetTorrentSeedingConfiguration POST torrents/setShareLimits hashes, ratioLimit,
                     seedingTimeLimit (newer: inactiveSeedingTimeLimit=-2); 404 tolerated
    MoveTorrentToTopInQueue POST torrents/topPrio hashes — 409 (queueing off) is swallowed
    SetForceStart    POST torrents/setForceStart hashes, value=true
    SetTorrentLabel  POST torrents/setCategory hashes, category (post-import category)
    AddLabel / GetLabels POST torrents/createCategory category / GET torrents/categories
    RemoveTorrent    POST torrents/delete hashes (+ deleteFiles=true only when removing data in
                     this commit; newer always sends deleteFiles=true|false)
- QBittorrent.cs: Test() = TestConnection (version, preferences: refuses max_ratio_act 1 or 3
  when a ratio/time limit is on), TestCategory (categories, createCategory when missing, again),
  TestPrioritySupport (queueing_enabled), TestGetTorrents (torrents/info?category=).
  AddFromMagnetLink: preferences (dht off + magnet without &tr= → refused), add, then, for
  priority First / ForceStart / old webapi, WaitForTorrent (properties, 10 × 100 ms), topPrio,
  setForceStart. GetItems (every minute): webapiVersion, preferences, torrents/info?category=;
  state → status (pausedUP/uploading/stalledUP/queuedUP/forcedUP = completed); content_path must
  differ from save_path; removable when pausedUP and the ratio/seeding-time goal is reached
  (properties for seeding_time). MarkItemAsImported: setCategory. RemoveItem: delete.
  GetStatus: preferences.save_path.

The requests below are encoded as Sonarr's NzbDrone.Common/Http/HttpRequestBuilder does:
urlencoded `name=Uri.EscapeDataString(value)` unless a part is a file (or a value > 1024 bytes),
then multipart with a "-----------------------------<ticks>" boundary; C# booleans "True"/"False".
"""

from __future__ import annotations

import base64
import re
import shutil
import time
import urllib.parse
from pathlib import Path

import pytest

import swarm as sw
from conftest import Response, raw_request
from test_api_tokens import grant_use_api

pytestmark = pytest.mark.timeout(180)

TV = "tv-sonarr"
IMPORTED = "tv-imported"
SONARR_UA = "Sonarr/4.0.14.2939 (ubuntu 24.04)"
HEX40 = re.compile(r"^[0-9a-f]{40}$")


# --------------------------------------------------------------------------------------------
# Sonarr's HTTP client, as QBittorrentProxyV2 drives it
# --------------------------------------------------------------------------------------------


def cs(value) -> str:
    """Convert.ToString(value, InvariantCulture): True/False, 1.5, 0, text."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sonarr_form(fields: list, files: list = ()) -> tuple:
    """HttpRequestBuilder.ApplyFormData → (body, Content-Type). fields: [(name, value)],
    files: [(name, filename, bytes)] (AddFormUpload's default type application/octet-stream)."""
    data = [(n, cs(v).encode()) for n, v in fields]
    if not files and all(len(v) <= 1024 for _, v in data):
        body = "&".join(f"{n}={urllib.parse.quote(v.decode(), safe='')}" for n, v in data)
        return body.encode(), "application/x-www-form-urlencoded"
    boundary = "-----------------------------" + format(time.time_ns() // 100, "x")[-14:]
    out = bytearray()
    # AddTorrentFromFile adds the upload first, then the fields.
    for n, filename, content in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"; "
                f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).encode()
        out += content + b"\r\n"
    for n, v in data:
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n".encode()
        out += v + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


class Sonarr:
    """One Sonarr download client (host, port, username, password = an essaim API token)."""

    def __init__(self, port: int, username: str, password: str):
        self.port = port
        self.username = username
        self.password = password
        self.cookies: dict = {}
        self.logins = 0
        self.calls: list = []  # (method, resource, status)

    def send(self, method: str, resource: str, query: list | None = None,
             form: list | None = None, files: list = (), auth: bool = True,
             cookies: bool = True) -> Response:
        path = resource
        if query:
            path += "?" + "&".join(f"{k}={urllib.parse.quote(str(v), safe='')}"
                                   for k, v in query)
        headers = {"User-Agent": SONARR_UA, "Accept-Encoding": "gzip, deflate, br"}
        if auth:  # BasicNetworkCredential: on every request, even the probe and the login
            basic = f"{self.username}:{self.password}".encode("latin-1")
            headers["Authorization"] = "Basic " + base64.b64encode(basic).decode()
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None or files:
            body, headers["Content-Type"] = sonarr_form(form or [], files)
        res = raw_request(self.port, method, path, body, headers)
        self.calls.append((method, resource, res.status))
        return res

    def login(self) -> Response:
        """AuthenticateClient(): the cookies of an "Ok." answer are kept."""
        self.logins += 1
        self.cookies = {}
        res = self.send("POST", "/api/v2/auth/login",
                        form=[("username", self.username), ("password", self.password)])
        if res.status == 200 and res.text == "Ok.":
            self.cookies = {k: v for k, (v, _) in res.set_cookies().items()}
        return res

    def process(self, method: str, resource: str, **kw) -> Response:
        """ProcessRequest(): log in if there is no cookie yet; on 403, log in again and retry
        once. Fails the test where Sonarr would raise DownloadClientAuthenticationException."""
        if not self.cookies:
            res = self.login()
            assert res.status == 200 and res.text == "Ok.", f"login refused: {res}"
        res = self.send(method, resource, **kw)
        if res.status == 403:
            again = self.login()
            assert again.status == 200 and again.text == "Ok.", f"re-login refused: {again}"
            res = self.send(method, resource, **kw)
        return res

    # The proxy's calls, each returning what Sonarr parses ---------------------------------

    def ok(self, method: str, resource: str, **kw) -> Response:
        res = self.process(method, resource, **kw)
        assert res.status == 200, f"{method} {resource} → {res.status} {res.text[:300]!r}"
        return res

    def json(self, resource: str, query: list | None = None):
        res = self.ok("GET", resource, query=query)
        assert "application/json" in (res.header("Content-Type") or ""), res.headers
        return res.json

    def api_version(self) -> tuple:
        text = self.ok("GET", "/api/v2/app/webapiVersion").text
        assert re.fullmatch(r"\d+(\.\d+){1,3}", text.strip()), f"not a Version: {text!r}"
        return tuple(int(x) for x in text.strip().split("."))

    def preferences(self) -> dict:
        return self.json("/api/v2/app/preferences")

    def torrents(self, category: str = TV) -> list:
        return self.json("/api/v2/torrents/info", [("category", category)])

    def is_torrent_loaded(self, h: str) -> bool:
        return self.process("GET", "/api/v2/torrents/properties", query=[("hash", h)]).status \
            == 200

    def wait_for_torrent(self, h: str, tries: int = 10) -> bool:
        """QBittorrent.WaitForTorrent: 10 tries, 100 ms apart (then Sonarr skips topPrio and
        setForceStart with a warning)."""
        for _ in range(tries):
            if self.is_torrent_loaded(h):
                return True
            time.sleep(0.1)
        return False


def sonarr_for(portal, name: str = "Sonarr") -> tuple:
    """Alice's group gets use_api; she makes a full token → (Sonarr client, token)."""
    grant_use_api(portal.server, portal.admin)
    res = portal.a.post("/api/me/tokens", {"name": name, "read_only": False}, csrf=True)
    assert res.status == 201, res
    token = res.json["token"]
    return Sonarr(portal.server.port, portal.a_user["username"], token), token


def check_preferences(prefs: dict, user_dir: Path) -> None:
    """Every field QBittorrentPreferences reads, with the type Newtonsoft needs, and what
    Sonarr's Test() then decides."""
    assert isinstance(prefs, dict), prefs
    assert isinstance(prefs["save_path"], str), prefs
    assert prefs["save_path"].rstrip("/") == str(user_dir), prefs["save_path"]
    for key in ("max_ratio_enabled", "max_seeding_time_enabled", "queueing_enabled", "dht"):
        assert isinstance(prefs[key], bool), (key, prefs.get(key))
    assert isinstance(prefs["max_ratio"], (int, float)), prefs["max_ratio"]
    assert isinstance(prefs["max_seeding_time"], int), prefs["max_seeding_time"]
    assert isinstance(prefs["max_ratio_act"], int), prefs["max_ratio_act"]
    for key in ("max_inactive_seeding_time_enabled",):  # qBittorrent ≥ 4.6 only
        if key in prefs:
            assert isinstance(prefs[key], bool), (key, prefs[key])
    # TestConnection: "configured to remove torrents when they reach their Share Ratio Limit".
    limited = prefs["max_ratio_enabled"] or prefs["max_seeding_time_enabled"]
    assert not (limited and prefs["max_ratio_act"] in (1, 3)), prefs
    # The swarm's qBittorrent runs with queueing off (scripts/local-swarm.sh): Sonarr must see it
    # off, or it would expect topPrio to work. A MISSING field would read as true.
    assert prefs["queueing_enabled"] is False, prefs


def check_torrent(t: dict) -> None:
    """The fields of QBittorrentTorrent, with the types Sonarr deserialises them to."""
    assert HEX40.match(t["hash"]), t
    assert isinstance(t["name"], str) and t["name"], t
    assert isinstance(t["size"], int), t
    assert isinstance(t["progress"], (int, float)) and 0 <= t["progress"] <= 1, t
    assert isinstance(t["eta"], int), t
    assert isinstance(t["state"], str) and t["state"], t
    assert isinstance(t["category"], str), t
    assert isinstance(t["save_path"], str) and isinstance(t["content_path"], str), t
    assert isinstance(t["ratio"], (int, float)), t
    assert isinstance(t["ratio_limit"], (int, float)), t
    assert isinstance(t["seeding_time_limit"], int), t
    for key in ("seeding_time", "inactive_seeding_time_limit", "last_activity"):
        if key in t:
            assert isinstance(t[key], int), (key, t)
    assert "essaim:" not in t.get("tags", ""), t  # essaim's ownership tag is never shown


# Sonarr's GetItems(): state → status.
SONARR_COMPLETED = {"pausedUP", "uploading", "stalledUP", "queuedUP", "forcedUP"}


def sonarr_remove_allowed(t: dict, prefs: dict) -> bool:
    """QBittorrent.HasReachedSeedLimit for a pausedUP torrent (ratio part)."""
    if t["ratio_limit"] >= 0:
        return t["ratio"] >= t["ratio_limit"]
    if t["ratio_limit"] == -2 and prefs["max_ratio_enabled"]:
        return t["ratio"] >= prefs["max_ratio"]
    return False


def listed_by_essaim(portal, h: str) -> bool:
    return any(t["hash"] == h for t in sw.entries(portal.a, "mine"))


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def test_sonarr_connection_test_sequence(portal):
    """Sonarr's "Test" button, request by request: the unauthenticated webapiVersion probe is a
    403 (or 200), the login answers "Ok." with a SID cookie, webapiVersion/version/preferences
    parse, the categories Sonarr creates are the user's own, and torrents/info?category= is an
    empty list. The token, clear or inside the Basic header, never reaches the server's log."""
    s = portal.swarm
    sonarr, token = sonarr_for(portal)
    user_dir = s.user_dir(portal.a_user["username"])

    # Without any credential: 403 "Forbidden" (the spec), which Sonarr reads as "API v2".
    bare = raw_request(portal.server.port, "GET", "/api/v2/app/webapiVersion")
    assert bare.status == 403 and bare.text == "Forbidden", bare
    # IsApiSupported as Sonarr sends it (Basic header, no cookie): 403, or 200 with a version.
    probe = sonarr.send("GET", "/api/v2/app/webapiVersion")
    assert probe.status in (403, 200), probe
    if probe.status == 200:
        assert re.fullmatch(r"\d+(\.\d+){1,3}", probe.text.strip()), probe
    # A version request must never be a 404 (Sonarr would fall back to the v1 API).
    assert sonarr.send("GET", "/api/v2/app/version", cookies=False).status != 404

    # AuthenticateClient.
    res = sonarr.login()
    assert res.status == 200 and res.text == "Ok.", res
    sid, attrs = res.set_cookies()["SID"]
    assert sid and sid != token and token not in sid, res.headers
    assert attrs.get("httponly") is True and attrs.get("path") == "/", attrs
    assert (attrs.get("samesite") or "").lower() == "strict", attrs

    # GetApiVersion (>= 2.8.1: Sonarr sends the share limits with the add), GetVersion.
    assert sonarr.api_version() == (2, 8, 19)
    version = sonarr.ok("GET", "/api/v2/app/version").text
    assert version == s.main.ok("GET", "app/version"), version  # the connected qBittorrent's
    assert re.fullmatch(r"v?\d+\.\d+(\.\d+)?\S*", version), version

    # TestConnection → GetConfig.
    check_preferences(sonarr.preferences(), user_dir)

    # TestCategory (GetProxy(force) probes again, then categories).
    assert sonarr.send("GET", "/api/v2/app/webapiVersion", cookies=False).status in (200, 403)
    assert sonarr.api_version() == (2, 8, 19)
    labels = sonarr.json("/api/v2/torrents/categories")
    assert labels == {}, labels
    for cat in (TV, IMPORTED):
        res = sonarr.process("POST", "/api/v2/torrents/createCategory", form=[("category", cat)])
        assert res.status == 200 and res.text == "", res
        labels = sonarr.json("/api/v2/torrents/categories")
        assert cat in labels, labels
        assert labels[cat]["name"] == cat, labels
        # Empty savePath = <user folder>/<category> (qBittorrent's disk).
        assert labels[cat]["savePath"].rstrip("/") == str(user_dir / cat), labels[cat]
    # Sonarr creates a category only when missing; a second create is qBittorrent's 409.
    again = sonarr.process("POST", "/api/v2/torrents/createCategory", form=[("category", TV)])
    assert again.status == 409, again

    # TestPrioritySupport → preferences again (queueing off → Sonarr warns about "First").
    assert sonarr.preferences()["queueing_enabled"] is False
    # TestGetTorrents.
    assert sonarr.torrents(TV) == []

    # Another user's namespace stays empty: categories are per user.
    bruno_grant = portal.b.post("/api/me/tokens", {"name": "Sonarr"}, csrf=True)
    assert bruno_grant.status == 201, bruno_grant
    bruno = Sonarr(portal.server.port, portal.b_user["username"], bruno_grant.json["token"])
    assert bruno.json("/api/v2/torrents/categories") == {}

    # One login for the whole sequence (the SID was kept), and no secret in the log.
    assert sonarr.logins == 1, sonarr.calls
    out = portal.server.output()
    basic = base64.b64encode(f"{sonarr.username}:{token}".encode()).decode()
    for secret in (token, token[len("essaim_"):], basic, sid, bruno_grant.json["token"]):
        assert secret not in out, "a secret is in the server's output"


def test_sonarr_grab_poll_import_and_remove_with_data(portal):
    """A magnet grabbed by Sonarr (category, paused=False, sequential, ratio goal 0 inline) is
    added to the user's own folder and seen by essaim's web app; properties answers within
    Sonarr's WaitForTorrent window; topPrio is 409 (queueing off, swallowed by Sonarr); the
    queue poll (torrents/info?category=) shows it completed with a content_path distinct from
    save_path; qBittorrent pauses it at the ratio goal (pausedUP, so Sonarr may remove it);
    files/properties give the import path; setCategory moves it to the post-import category;
    delete with deleteFiles=true removes it everywhere and its data from disk."""
    s = portal.swarm
    sonarr, token = sonarr_for(portal)
    user_dir = s.user_dir(portal.a_user["username"])
    for cat in (TV, IMPORTED):
        assert sonarr.ok("POST", "/api/v2/torrents/createCategory",
                         form=[("category", cat)]).text == ""
    magnet = s.magnets["sample-single"]
    h = s.torrents["sample-single"][1]  # Sonarr computes it from the magnet, sends it lower-case

    # AddFromMagnetLink: preferences first (DHT off is fine: the magnet has a tracker).
    prefs = sonarr.preferences()
    assert prefs["dht"] or "&tr=" in magnet, prefs
    assert not sonarr.is_torrent_loaded(h)  # unknown yet: 404, "not loaded"
    unknown = sonarr.send("GET", "/api/v2/torrents/properties", query=[("hash", h)])
    assert unknown.status == 404 and unknown.text == "Torrent hash was not found", unknown

    res = sonarr.ok("POST", "/api/v2/torrents/add", form=[
        ("urls", magnet), ("category", TV), ("paused", False), ("sequentialDownload", True),
        ("firstLastPiecePrio", True), ("ratioLimit", 0.0)])
    assert res.text == "Ok.", res

    # Priority "First": WaitForTorrent, then topPrio → 409 (swallowed by Sonarr).
    # essaim answers 200 ~0.1 s after the add, sometimes ~1 s (the edge of Sonarr's 10 × 100 ms
    # window): 30 tries keep the test about what comes next, not about a busy machine.
    assert sonarr.wait_for_torrent(h, tries=30), "properties still 404 after 3 s"
    top = sonarr.process("POST", "/api/v2/torrents/topPrio", form=[("hashes", h)])
    assert top.status == 409, top
    assert top.text == "Torrent queueing must be enabled", top

    # Through essaim's one add path: owned by Alice, listed by the web app, in her folder.
    q = s.main.wait_listed(h)
    sw.wait_entry(portal.a, h, scope="mine", timeout=10)
    assert abs(q["ratio_limit"] - 0) < 1e-9, f"ratioLimit not applied in qBittorrent: {q}"

    # GetItems (every minute): webapiVersion, preferences, torrents/info?category=tv-sonarr.
    def completed():
        sonarr.api_version()
        sonarr.preferences()
        items = sonarr.torrents(TV)
        return items and items[0]["state"] in SONARR_COMPLETED and items[0]
    t = sw.wait_until(completed, 60, 0.5, "Sonarr's queue to show the download completed")
    check_torrent(t)
    assert t["hash"] == h and t["category"] == TV and t["name"] == "sample-single.bin", t
    assert t["size"] == 2 * 1024 * 1024 and t["progress"] == 1, t
    assert t["save_path"].rstrip("/") == str(user_dir) or \
        t["save_path"].startswith(str(user_dir) + "/"), t["save_path"]
    # version >= 2.6.1: OutputPath = content_path, which must differ from save_path.
    assert t["content_path"] != t["save_path"], t
    assert Path(t["content_path"]).is_file(), t["content_path"]
    assert Path(t["content_path"]).stat().st_size == 2 * 1024 * 1024
    assert Path(t["content_path"]).resolve().is_relative_to(user_dir.resolve()), t
    assert sonarr.torrents(IMPORTED) == []

    # The ratio goal 0 is reached: qBittorrent pauses it (its share-limit check runs every
    # ~10 s), so Sonarr may remove it (CanBeRemoved: pausedUP and HasReachedSeedLimit).
    t = sw.wait_until(lambda: (x := sonarr.torrents(TV)) and x[0]["state"] == "pausedUP" and x[0],
                      45, 0.5, "pausedUP at the ratio goal")
    assert t["ratio_limit"] == 0 and sonarr_remove_allowed(t, prefs), t

    # GetImportItem / FetchTorrentDetails.
    files = sonarr.json("/api/v2/torrents/files", [("hash", h)])
    assert [f["name"] for f in files] == ["sample-single.bin"], files
    props = sonarr.json("/api/v2/torrents/properties", [("hash", h)])
    assert props["save_path"].rstrip("/") == t["save_path"].rstrip("/"), props
    assert isinstance(props["seeding_time"], int) and props["seeding_time"] >= 0, props
    assert (Path(props["save_path"]) / files[0]["name"]).is_file()

    # MarkItemAsImported: the post-import category.
    res = sonarr.ok("POST", "/api/v2/torrents/setCategory",
                    form=[("hashes", h), ("category", IMPORTED)])
    assert res.text == "", res
    # qBittorrent shows it at once; essaim's registry within ~0.1 s (Sonarr reads it only at its
    # next poll).
    sw.wait_until(lambda: sonarr.torrents(TV) == [], 3, 0.05, "setCategory in torrents/info")
    assert [x["hash"] for x in sonarr.torrents(IMPORTED)] == [h]

    # RemoveItem(deleteData: true).
    content = Path(t["content_path"])
    res = sonarr.ok("POST", "/api/v2/torrents/delete",
                    form=[("hashes", h), ("deleteFiles", "true")])
    assert res.text == "", res
    sw.wait_until(lambda: s.main.torrent(h) is None, 10, 0.1, "qBittorrent to drop it")
    sw.wait_until(lambda: not content.exists(), 15, 0.1, "the data to be deleted from disk")
    assert sonarr.torrents(IMPORTED) == [] and sonarr.json("/api/v2/torrents/info") == []
    sw.wait_until(lambda: not listed_by_essaim(portal, h), 5, 0.1, "essaim to stop listing it")
    gone = sonarr.send("GET", "/api/v2/torrents/properties", query=[("hash", h)])
    assert gone.status == 404, gone
    assert sonarr.logins == 1, sonarr.calls
    assert token not in portal.server.output()


def test_sonarr_torrent_file_force_start_share_limits_and_keep_data(portal):
    """A .torrent grabbed by Sonarr with the initial state ForceStart: the multipart add (file
    part `torrents` as application/octet-stream, C# booleans) answers "Ok."; setShareLimits (the
    separate call of older webapis, with inactiveSeedingTimeLimit as newer Sonarr sends it) and
    setForceStart answer 200 with an empty body and reach qBittorrent; the old RemoveTorrent
    without deleteFiles is a 400 (as qBittorrent) and leaves it; deleteFiles=false removes the
    torrent but keeps its data on disk."""
    s = portal.swarm
    sonarr, _ = sonarr_for(portal)
    user_dir = s.user_dir(portal.a_user["username"])
    assert sonarr.ok("POST", "/api/v2/torrents/createCategory",
                     form=[("category", TV)]).text == ""
    path, h = s.torrents["sample-multi"]

    res = sonarr.ok("POST", "/api/v2/torrents/add", form=[
        ("category", TV), ("sequentialDownload", True), ("firstLastPiecePrio", True),
        ("ratioLimit", 2.5), ("seedingTimeLimit", 1440)],
        files=[("torrents", "Show.Name.S01E01.1080p.WEB.h264-GRP.torrent", path.read_bytes())])
    assert res.text == "Ok.", res
    assert sonarr.wait_for_torrent(h, tries=30), "properties still 404 after 3 s"

    # SetTorrentSeedingConfiguration (always = true: both limits, -2 = global).
    res = sonarr.ok("POST", "/api/v2/torrents/setShareLimits", form=[
        ("hashes", h), ("ratioLimit", 3.5), ("seedingTimeLimit", 2880),
        ("inactiveSeedingTimeLimit", -2)])
    assert res.text == "", res
    sw.wait_until(lambda: abs(s.main.torrent(h)["ratio_limit"] - 3.5) < 1e-6
                  and s.main.torrent(h)["seeding_time_limit"] == 2880, 5, 0.1,
                  "the share limits in qBittorrent")

    # SetForceStart.
    res = sonarr.ok("POST", "/api/v2/torrents/setForceStart",
                    form=[("hashes", h), ("value", "true")])
    assert res.text == "", res
    sw.wait_until(lambda: s.main.torrent(h)["force_start"] is True, 5, 0.1,
                  "force_start in qBittorrent")

    t = sw.wait_until(lambda: (x := sonarr.torrents(TV)) and x[0]["state"] in SONARR_COMPLETED
                      and x[0], 60, 0.5, "the .torrent download completed")
    check_torrent(t)
    assert t["hash"] == h and t["name"] == "sample-multi" and t["category"] == TV, t
    assert t["force_start"] is True, t
    assert abs(t["ratio_limit"] - 3.5) < 1e-6 and t["seeding_time_limit"] == 2880, t
    content = Path(t["content_path"])
    assert t["content_path"] != t["save_path"] and content.is_dir(), t
    assert content.resolve().is_relative_to(user_dir.resolve()), t
    files = sonarr.json("/api/v2/torrents/files", [("hash", h)])
    assert sorted(f["name"] for f in files) == ["sample-multi/a.bin", "sample-multi/sub/b.bin",
                                               "sample-multi/sub/c.txt"], files

    # RemoveTorrent as this Sonarr commit sends it when keeping the data: no deleteFiles → 400.
    res = sonarr.process("POST", "/api/v2/torrents/delete", form=[("hashes", h)])
    assert res.status == 400, res
    assert s.main.torrent(h) is not None and [x["hash"] for x in sonarr.torrents(TV)] == [h]
    # Newer Sonarr: deleteFiles=false → gone from the lists, data kept.
    res = sonarr.ok("POST", "/api/v2/torrents/delete",
                    form=[("hashes", h), ("deleteFiles", "false")])
    assert res.text == "", res
    sw.wait_until(lambda: s.main.torrent(h) is None, 10, 0.1, "qBittorrent to drop it")
    assert sonarr.torrents(TV) == []
    sw.wait_until(lambda: not listed_by_essaim(portal, h), 5, 0.1, "essaim to stop listing it")
    time.sleep(2)  # qBittorrent would have deleted the files by now if it had been told to
    assert (content / "sub" / "b.bin").stat().st_size == 2 * 1024 * 1024
    # Kept on purpose: the swarm's clean waits only for what qBittorrent deletes.
    shutil.rmtree(content)


def test_sonarr_logs_in_again_after_403_and_stops_on_a_revoked_token(portal):
    """Sonarr's ProcessRequest: a request with a SID essaim no longer knows is a 403 "Forbidden",
    after which Sonarr logs in again and retries successfully. A wrong password is "Fails."
    without a cookie (Sonarr: authentication failure). Once the token is revoked in the web
    app, the open SID is refused at once and a new login answers "Fails."."""
    sonarr, token = sonarr_for(portal)
    assert sonarr.login().text == "Ok."
    assert sonarr.torrents(TV) == []  # an unknown category: an empty list, as qBittorrent

    # The session ends (auth/logout, as Sonarr's newer LogoutClient): 200, then 403.
    old = dict(sonarr.cookies)
    res = sonarr.send("POST", "/api/v2/auth/logout")
    assert res.status == 200 and res.text == "", res
    stale = sonarr.send("GET", "/api/v2/torrents/info")
    assert stale.status == 403 and stale.text == "Forbidden", stale
    # ProcessRequest: 403 → login → retry.
    logins = sonarr.logins
    assert sonarr.process("GET", "/api/v2/torrents/info").json == []
    assert sonarr.logins == logins + 1 and sonarr.cookies != old

    # A wrong password: "Fails." and no SID.
    wrong = Sonarr(portal.server.port, sonarr.username, "essaim_" + "B" * 43)
    res = wrong.login()
    assert res.status == 200 and res.text == "Fails.", res
    assert "SID" not in res.set_cookies() and wrong.cookies == {}

    # Revoked in the web app: the open SID stops at the very next request.
    tokens = portal.a.get("/api/me/tokens").json["tokens"]
    tid = next(t["id"] for t in tokens if t["name"] == "Sonarr")
    assert portal.a.delete(f"/api/me/tokens/{tid}", csrf=True).status == 204
    res = sonarr.send("GET", "/api/v2/app/preferences")
    assert res.status == 403 and res.text == "Forbidden", res
    res = sonarr.login()
    assert res.status == 200 and res.text == "Fails.", res
    assert token not in portal.server.output()
