"""A real OpenID Connect provider for the tests (issue 22), driven from Python.

Wraps provider.mjs (panva's oidc-provider, installed in ../clients/node_modules) in a process
started on a free loopback port, plus a scripted "browser" that goes through its login form.
Standard library only. See README.md in this folder.

    from oidc.oidc_provider import OidcProvider, browser_login, make_opener

    op = OidcProvider(
        clients=[{"client_id": "essaim", "client_secret": "s3cret",
                  "redirect_uris": [f"{portal}/api/auth/oidc/callback"],
                  "post_logout_redirect_uris": [f"{portal}/"]}],
        accounts=[{"sub": "u-alice", "password": "pw",
                   "claims": {"preferred_username": "alice", "name": "Alice",
                              "email": "alice@example.test", "email_verified": True,
                              "groups": ["famille"]}}])
    op.start()
    try:
        opener = make_opener()
        final = browser_login(authorization_url, "alice", "pw", opener)  # not fetched
        ...
    finally:
        op.stop()
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROVIDER_JS = HERE / "provider.mjs"
MODULES_DIR = HERE.parent / "clients"  # holds node_modules/oidc-provider

MUTATIONS = ("wrong_aud", "wrong_nonce", "expired", "wrong_iss", "forged", "alg_none", "hs256",
             "unknown_kid", "replay", "userinfo_other_sub")


class OidcProviderError(RuntimeError):
    pass


class LoginFailed(OidcProviderError):
    """The provider's login form came back (wrong identifier or password)."""


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def decode_jwt(token: str) -> tuple[dict, dict]:
    """(header, payload) of a JWS compact token, without checking anything."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a JWS compact serialization")
    return json.loads(b64url_decode(parts[0])), json.loads(b64url_decode(parts[1]))


class OidcProvider:
    """One provider process. `clients` and `accounts` use the config format of README.md."""

    def __init__(self, clients: list[dict], accounts: list[dict], *, id_token_ttl: int = 600,
                 keys: list[dict] | None = None, node: str | None = None,
                 startup_timeout: float = 20.0, claims_in_id_token: bool = True):
        self.clients = clients
        self.accounts = accounts
        self.id_token_ttl = id_token_ttl
        # False: groups, e-mail and profile only from userinfo (Authelia's and Zitadel's default).
        self.claims_in_id_token = claims_in_id_token
        self.keys = keys
        self.node = node or os.environ.get("ESSAIM_NODE") or shutil.which("node") or "node"
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self.issuer: str | None = None
        self.port: int | None = None
        self._tmpdir: tempfile.TemporaryDirectory | None = None
        self._stdout_lines: list[str] = []
        self._ready = threading.Event()
        self._reader: threading.Thread | None = None

    # -- process ---------------------------------------------------------------------------

    def start(self) -> "OidcProvider":
        if self.proc is not None:
            raise OidcProviderError("already started")
        self._tmpdir = tempfile.TemporaryDirectory(prefix="essaim-oidc-")
        cfg = {"clients": self.clients, "accounts": self.accounts,
               "id_token_ttl": self.id_token_ttl,
               "claims_in_id_token": self.claims_in_id_token}
        if self.keys:
            cfg["keys"] = self.keys
        cfg_path = Path(self._tmpdir.name) / "config.json"
        cfg_path.write_text(json.dumps(cfg), encoding="utf-8")
        self.stderr_path = Path(self._tmpdir.name) / "provider.stderr.log"
        self._stderr_file = open(self.stderr_path, "wb")
        # --port 0: the provider binds a free loopback port itself and prints it (no race)
        self.proc = subprocess.Popen(
            [self.node, str(PROVIDER_JS), "--port", "0", "--config", str(cfg_path),
             "--modules", str(MODULES_DIR)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr_file,
            cwd=str(HERE))
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        if not self._ready.wait(self.startup_timeout) or self.issuer is None:
            log = self.stderr_tail()
            self._kill()
            raise OidcProviderError(
                f"provider.mjs not ready after {self.startup_timeout:.0f} s; stderr:\n{log}")
        return self

    def _read_stdout(self):
        assert self.proc is not None and self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self._stdout_lines.append(line)
            if line.startswith("READY ") and not self._ready.is_set():
                self.issuer = line.split(" ", 1)[1].strip()
                self.port = int(urllib.parse.urlsplit(self.issuer).port)
                self._ready.set()
        self._ready.set()  # process ended: wake start() up

    def stderr_tail(self, n: int = 4000) -> str:
        try:
            return self.stderr_path.read_bytes()[-n:].decode("utf-8", "replace")
        except (OSError, AttributeError):
            return ""

    def _kill(self):
        p = self.proc
        if p is not None:
            if p.poll() is None:
                p.terminate()  # by PID
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
            if p.stdout:
                p.stdout.close()
        self.proc = None
        if getattr(self, "_stderr_file", None):
            self._stderr_file.close()
            self._stderr_file = None

    def stop(self):
        self._kill()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- plain HTTP ------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        if self.issuer is None:
            raise OidcProviderError("not started")
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.issuer + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise OidcProviderError(f"{method} {path}: {e.code} {e.read()[:500]!r}") from None

    def discovery(self) -> dict:
        return self._call("GET", "/.well-known/openid-configuration")

    def jwks(self) -> dict:
        return self._call("GET", "/jwks")

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.issuer}/auth"

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    @property
    def end_session_endpoint(self) -> str:
        return f"{self.issuer}/session/end"

    # -- test controls ---------------------------------------------------------------------

    def rotate(self, drop_old: bool = False) -> dict:
        """New RS256 signing key used from now on. Returns {"kid", "kids", "dropped"}."""
        return self._call("POST", "/_test/rotate", {"drop_old": bool(drop_old)})

    def mutate(self, kind: str | None) -> dict:
        """The NEXT token response's id_token is replaced by a crafted one (see MUTATIONS) —
        "userinfo_other_sub": the next userinfo answer names another subject instead; None
        disarms a pending mutation."""
        if kind is not None and kind not in MUTATIONS:
            raise ValueError(f"unknown mutation {kind!r}; one of {MUTATIONS}")
        return self._call("POST", "/_test/mutate", {"kind": kind})

    def last_id_token(self) -> str | None:
        return self._call("GET", "/_test/last_id_token")["id_token"]

    def logouts(self) -> int:
        return self._call("GET", "/_test/logouts")["count"]

    def logout_requests(self) -> list[dict]:
        """Each end-session request received: {"method", "params": {query parameters}}."""
        return self._call("GET", "/_test/logouts")["requests"]

    def state(self) -> dict:
        return self._call("GET", "/_test/state")

    # -- browser ---------------------------------------------------------------------------

    def browser_login(self, start_url: str, username: str, password: str, opener=None,
                      **kw) -> str:
        return browser_login(start_url, username, password, opener, **kw)


# ---------------------------------------------------------------------------------------------
# A scripted browser: cookies, manual redirects, HTML forms
# ---------------------------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError(3xx) and we follow by hand


def make_opener(jar: http.cookiejar.CookieJar | None = None):
    """An opener with a cookie jar (opener.cookie_jar) that does not follow redirects."""
    jar = jar if jar is not None else http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    opener.cookie_jar = jar
    return opener


def _cookie_jar_of(opener) -> http.cookiejar.CookieJar:
    if opener is None:
        return http.cookiejar.CookieJar()
    jar = getattr(opener, "cookie_jar", None)
    if jar is not None:
        return jar
    for h in getattr(opener, "handlers", []):
        if isinstance(h, urllib.request.HTTPCookieProcessor):
            return h.cookiejar
    raise ValueError("opener has no HTTPCookieProcessor: cookies would be lost")


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._cur: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._cur = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                         "id": a.get("id"), "fields": [], "buttons": [], "password": False}
            self.forms.append(self._cur)
        elif self._cur is not None and tag == "input":
            typ = a.get("type", "text").lower()
            if typ == "password":
                self._cur["password"] = True
            if typ in ("submit", "image"):
                if a.get("name"):
                    self._cur["buttons"].append((a["name"], a.get("value", "")))
            elif a.get("name") and (typ not in ("checkbox", "radio") or "checked" in a):
                self._cur["fields"].append((a["name"], a.get("value", ""), typ))
        elif self._cur is not None and tag == "button":
            if a.get("type", "submit").lower() == "submit" and a.get("name"):
                self._cur["buttons"].append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._cur = None


def _forms(html: str) -> list[dict]:
    p = _Forms()
    p.feed(html)
    p.close()
    return p.forms


class _Browser:
    def __init__(self, opener, timeout: float):
        self.jar = _cookie_jar_of(opener)
        self.opener = make_opener(self.jar)
        self.timeout = timeout

    def request(self, url: str, data: dict | None = None):
        """One request, no redirect followed: (status, location or None, body text, final url)."""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
        if body is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(req, timeout=self.timeout) as r:
                return r.status, None, r.read().decode("utf-8", "replace"), url
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            loc = e.headers.get("Location")
            if 300 <= e.code < 400 and loc:
                return e.code, urllib.parse.urljoin(url, loc), text, url
            return e.code, None, text, url


def _is_authorization_response(url: str, redirect_uri: str | None) -> bool:
    if redirect_uri is not None:
        return url.split("?", 1)[0].split("#", 1)[0] == redirect_uri.split("?", 1)[0]
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    # oidc-provider always adds iss (RFC 9207) to authorization responses
    return "iss" in q and ("code" in q or "error" in q)


def browser_login(start_url: str, username: str, password: str, opener=None, *,
                  redirect_uri: str | None = None, max_steps: int = 20,
                  timeout: float = 10.0) -> str:
    """Follows redirects from `start_url` (the provider's authorization URL, or a client URL that
    redirects to it) through the provider's login form, posting `username`/`password`, and
    returns the URL the provider finally redirects to (the client's redirect_uri with `code`,
    `state`, `iss`, or `error`) WITHOUT fetching it.

    `opener` must keep cookies (an urllib opener with an HTTPCookieProcessor, e.g. make_opener());
    its cookie jar is used, redirects are followed by hand whatever its handlers. When the
    provider session is already logged in, no form is shown and the code comes straight back.
    The end is recognised by `redirect_uri` when given, else by a redirect carrying `iss` and
    `code` or `error`. Raises LoginFailed when the form comes back after posting."""
    b = _Browser(opener, timeout)
    url, data = start_url, None
    posted_login = False
    for _ in range(max_steps):
        status, location, text, _ = b.request(url, data)
        data = None
        if location:
            if _is_authorization_response(location, redirect_uri):
                return location
            url = location
            continue
        forms = _forms(text) if "<form" in text.lower() else []
        login = next((f for f in forms if f["password"]), None)
        if login is not None:
            if posted_login:
                raise LoginFailed(f"login refused for {username!r} (HTTP {status})")
            posted_login = True
            fields = {name: value for name, value, _typ in login["fields"]}
            fields["username"] = username
            fields["password"] = password
            url, data = urllib.parse.urljoin(url, login["action"] or url), fields
            continue
        if len(forms) == 1 and forms[0]["method"] == "post":
            # an auto-submitting page (response_mode=form_post): submit it as a browser would
            f = forms[0]
            target = urllib.parse.urljoin(url, f["action"] or url)
            fields = {name: value for name, value, _typ in f["fields"]}
            if _is_authorization_response(target + "?" + urllib.parse.urlencode(fields),
                                          redirect_uri):
                return target + "?" + urllib.parse.urlencode(fields)
            url, data = target, fields
            continue
        raise OidcProviderError(f"unexpected page at {url} (HTTP {status}): {text[:500]}")
    raise OidcProviderError(f"more than {max_steps} steps from {start_url}")


def browser_logout(end_session_url: str, opener=None, *, max_steps: int = 10,
                   timeout: float = 10.0) -> str | None:
    """Opens the provider's end-session URL, confirms the sign-out ("Se déconnecter") and returns
    the post_logout_redirect_uri it redirects to (not fetched), or None when the provider ends on
    its own "Vous êtes déconnecté" page (no post_logout_redirect_uri)."""
    b = _Browser(opener, timeout)
    provider_origin = urllib.parse.urlsplit(end_session_url)[:2]
    url, data = end_session_url, None
    for _ in range(max_steps):
        status, location, text, _ = b.request(url, data)
        data = None
        if location:
            if urllib.parse.urlsplit(location)[:2] != provider_origin:
                return location
            url = location
            continue
        forms = [f for f in _forms(text) if f["method"] == "post"] if "<form" in text else []
        if forms:
            f = forms[0]
            fields = {name: value for name, value, _typ in f["fields"]}
            fields.update(dict(f["buttons"][:1]))  # the "Se déconnecter" button: logout=yes
            url, data = urllib.parse.urljoin(url, f["action"] or url), fields
            continue
        if status == 200:
            return None
        raise OidcProviderError(f"unexpected page at {url} (HTTP {status}): {text[:500]}")
    raise OidcProviderError(f"more than {max_steps} steps from {end_session_url}")
