"""Issue 22: single sign-on through a real OpenID Connect provider (panva's oidc-provider, run by
oidc/provider.mjs on loopback, with a plain login form and test controls).

A browser is an urllib opener with a cookie jar (oidc/oidc_provider.py): it follows essaim's
/api/auth/oidc/start to the provider, signs in on its form, and is sent back to essaim's
callback, which the test then opens with the same cookies. Every refusal leaves the browser
without a session and on /connexion?sso=<code>, and is in the audit log."""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import Browser, db_query, free_port, looks_french
from test_api_tokens import bearer, grant_use_api
from oidc.oidc_provider import OidcProvider, browser_login, browser_logout, make_opener

CLIENT_SECRET = "secret-du-client-essaim-0123456789"
ACCOUNTS = [
    {"sub": "sub-alice", "password": "alice-mdp",
     "claims": {"preferred_username": "alice", "name": "Alice Martin", "email": "alice@example.org",
                "email_verified": True, "groups": ["famille"]}},
    {"sub": "sub-bob", "password": "bob-mdp",
     "claims": {"preferred_username": "bob", "name": "Bob", "groups": ["admins", "famille"]}},
    {"sub": "sub-carol", "password": "carol-mdp", "claims": {"preferred_username": "carol"}},
]
GROUP_MAP = "admins = Administrateurs\nfamille = Utilisateurs"


class Sso:
    def __init__(self, essaim, *, claims_in_id_token=True):
        self.port = free_port()
        self.callback = f"http://127.0.0.1:{self.port}/api/auth/oidc/callback"
        self.provider = OidcProvider(
            clients=[{"client_id": "essaim", "client_secret": CLIENT_SECRET,
                      "redirect_uris": [self.callback],
                      "post_logout_redirect_uris": [f"http://127.0.0.1:{self.port}/connexion"]}],
            accounts=ACCOUNTS, claims_in_id_token=claims_in_id_token).start()
        self.server = essaim.start(port=self.port)
        self.admin = Browser(self.server)
        assert self.admin.login(self.server.admin_username,
                                self.server.admin_password).status == 200
        self.configure(auto_create=True)

    def configure(self, **oidc):
        body = {"general": {"allow_private_targets": True},
                "oidc": {"issuer": self.provider.issuer, "client_id": "essaim",
                         "client_secret": CLIENT_SECRET, "scopes": "openid profile email groups",
                         "group_claim": "groups", "group_map": GROUP_MAP,
                         "display_name": "Fournisseur de test", **oidc}}
        res = self.admin.request("PUT", "/api/admin/settings", body, csrf=True)
        assert res.status == 200, res
        return res.json

    def login(self, username, password, *, tamper=None):
        """The whole browser flow; returns (Location essaim sends the browser to, Browser with
        the cookies essaim set)."""
        opener = make_opener()
        start = f"http://127.0.0.1:{self.port}/api/auth/oidc/start?return_to=/torrents"
        url = browser_login(start, username, password, opener, redirect_uri=self.callback)
        if tamper:
            url = tamper(url)
        return self.open_callback(url, opener)

    def open_callback(self, url, opener):
        req = urllib.request.Request(url)
        try:
            res = opener.open(req, timeout=10)
            location, headers = res.headers.get("Location"), res.headers
        except urllib.error.HTTPError as e:  # the opener does not follow redirects
            location, headers = e.headers.get("Location"), e.headers
        b = Browser(self.server)
        for cookie in opener.cookie_jar:
            if cookie.name in ("essaim_session", "csrf_token", "essaim_oidc_logout"):
                b.cookies[cookie.name] = cookie.value
        return location, b

    def stop(self):
        self.provider.stop()


@pytest.fixture
def sso(essaim):
    s = Sso(essaim)
    yield s
    s.stop()


@pytest.fixture
def sso_userinfo(essaim):
    """A provider whose ID tokens carry no group, e-mail or name (Authelia's, Zitadel's default):
    they come from its userinfo endpoint."""
    s = Sso(essaim, claims_in_id_token=False)
    yield s
    s.stop()


def users(s):
    return {u["username"]: u for u in s.admin.get("/api/admin/users").json["users"]}


def audit_actions(s):
    return [(e["action"], e.get("details") or {}) for e in
            s.admin.get("/api/admin/audit?limit=200").json["entries"]]


def test_first_login_creates_the_account_in_the_mapped_group_and_the_second_reuses_it(sso):
    inst = Browser(sso.server).get("/api/instance").json
    assert inst["sso"] == {"display_name": "Fournisseur de test", "start": "/api/auth/oidc/start"}
    location, b = sso.login("bob", "bob-mdp")
    assert location == "/torrents"
    me = b.me()
    assert me.status == 200, me
    assert me.json["username"] == "bob" and me.json["group"]["name"] == "Administrateurs"
    first_id = me.json["id"]
    # CSRF works as for a password session.
    res = b.request("PATCH", "/api/me", {"display_name": "Bob l'éponge"}, csrf=True)
    assert res.status == 200, res
    location, b2 = sso.login("bob", "bob-mdp")
    assert b2.me().json["id"] == first_id
    assert list(users(sso)).count("bob") == 1
    # Alice: the e-mail the provider verified is copied, her group is the mapped one.
    _, a = sso.login("alice", "alice-mdp")
    me = a.me().json
    assert me["group"]["name"] == "Utilisateurs" and me["email"] == "alice@example.org"
    actions = audit_actions(sso)
    assert ("user.login", {"method": "oidc"}) in actions
    assert ("user.register", {"method": "oidc"}) in actions
    rows = db_query(sso.server.data_dir, "SELECT subject FROM user_identities ORDER BY subject")
    assert [r[0] for r in rows] == ["sub-alice", "sub-bob"]
    # The administrators' list says who signs in through the provider, and as whom.
    listed = users(sso)
    assert [(i["kind"], i["issuer"], i["subject"]) for i in listed["bob"]["identities"]] == [
        ("oidc", sso.provider.issuer, "sub-bob")]
    assert listed["bob"]["identities"][0]["last_login_at"] is not None
    assert listed[sso.server.admin_username]["identities"] == []


def test_logout_goes_on_to_the_providers_end_session_page(sso):
    location, b = sso.login("alice", "alice-mdp")
    token = sso.provider.last_id_token()
    hint = b.cookies["essaim_oidc_logout"]
    res = b.request("POST", "/api/auth/logout", csrf=True)
    assert res.status == 200, res
    url = res.json["end_session_url"]
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == sso.provider.end_session_endpoint
    q = dict(urllib.parse.parse_qsl(parts.query))
    assert q == {"client_id": "essaim", "id_token_hint": token,
                 "post_logout_redirect_uri": f"http://127.0.0.1:{sso.port}/connexion",
                 "state": "deconnexion"}
    # essaim's session is over, and the hint cookie cleared with it.
    assert b.me().status == 401
    assert "essaim_oidc_logout" not in b.cookies
    # The provider accepts the request and sends the browser back to essaim's sign-in page.
    before = sso.provider.logouts()
    assert browser_logout(url) == f"http://127.0.0.1:{sso.port}/connexion?state=deconnexion"
    assert sso.provider.logouts() == before + 1
    assert sso.provider.logout_requests()[-1]["params"]["id_token_hint"] == token

    # A password session logs out as before (204), even carrying someone's old hint: the hint
    # only counts for the session it was issued with.
    local = Browser(sso.server)
    assert local.login(sso.server.admin_username, sso.server.admin_password).status == 200
    local.cookies["essaim_oidc_logout"] = hint
    res = local.request("POST", "/api/auth/logout", csrf=True)
    assert res.status == 204, res
    # A forged hint neither.
    _, c = sso.login("carol", "carol-mdp")
    c.cookies["essaim_oidc_logout"] = c.cookies["essaim_oidc_logout"][:-2] + "AA"
    assert c.request("POST", "/api/auth/logout", csrf=True).status == 204


def test_api_tokens_stay_per_user_for_a_provider_account(sso):
    grant_use_api(sso.server, sso.admin)  # Utilisateurs (Alice's mapped group) may use tools
    _, a = sso.login("alice", "alice-mdp")
    res = a.post("/api/me/tokens", {"name": "Sonarr"}, csrf=True)
    assert res.status == 201, res
    token = res.json["token"]
    assert bearer(sso.server, token, "GET", "/api/me").json["username"] == "alice"
    # Her token is hers: not in Bob's list; Bob's group (Administrateurs) does not allow tools.
    _, b = sso.login("bob", "bob-mdp")
    assert b.get("/api/me/tokens").json["tokens"] == []
    assert b.post("/api/me/tokens", {"name": "x"}, csrf=True).status == 403
    # It outlives her browser's logout (at the provider too), as for a password account.
    assert a.request("POST", "/api/auth/logout", csrf=True).status == 200
    assert bearer(sso.server, token, "GET", "/api/me").status == 200


def test_claims_only_in_userinfo_still_name_and_place_the_account(sso_userinfo):
    s = sso_userinfo
    location, b = s.login("bob", "bob-mdp")
    token = s.provider.last_id_token()
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert "groups" not in payload and "preferred_username" not in payload  # really elsewhere
    assert location == "/torrents"
    me = b.me().json
    assert me["username"] == "bob" and me["group"]["name"] == "Administrateurs"
    assert me["display_name"] == "Bob"
    _, a = s.login("alice", "alice-mdp")
    me = a.me().json
    assert me["email"] == "alice@example.org" and me["group"]["name"] == "Utilisateurs"
    assert s.provider.state()["userinfo_responses"] == 2

    # Userinfo naming another subject (a substituted access token): refused, nothing created.
    s.provider.mutate("userinfo_other_sub")
    location, c = s.login("carol", "carol-mdp")
    assert location == "/connexion?sso=invalid_token"
    assert c.me().status == 401
    assert "carol" not in users(s)
    failed = [d for a, d in audit_actions(s) if a == "user.login_failed"]
    assert {"method": "oidc", "reason": "invalid_token"} in failed


@pytest.mark.parametrize("kind", ["wrong_aud", "wrong_nonce", "expired", "wrong_iss", "forged",
                                  "alg_none", "hs256", "unknown_kid", "replay"])
def test_a_bad_id_token_is_refused(sso, kind):
    if kind == "replay":
        sso.login("carol", "carol-mdp")  # a genuine token to replay
    sso.provider.mutate(kind)
    location, b = sso.login("carol", "carol-mdp")
    assert location == "/connexion?sso=invalid_token", (kind, location)
    assert b.session is None
    assert b.me().status == 401
    failed = [d for a, d in audit_actions(sso) if a == "user.login_failed"]
    assert {"method": "oidc", "reason": "invalid_token"} in failed


def test_state_is_bound_to_the_browser(sso):
    # A tampered state.
    def other_state(url):
        u = urllib.parse.urlsplit(url)
        q = dict(urllib.parse.parse_qsl(u.query))
        q["state"] = "x" + q["state"][1:]
        return urllib.parse.urlunsplit(u._replace(query=urllib.parse.urlencode(q)))
    location, b = sso.login("carol", "carol-mdp", tamper=other_state)
    assert location == "/connexion?sso=bad_state" and b.session is None
    # The right callback opened by another browser (no login cookie), then replayed by the
    # browser that started it after it succeeded once.
    opener = make_opener()
    start = f"http://127.0.0.1:{sso.port}/api/auth/oidc/start"
    url = browser_login(start, "carol", "carol-mdp", opener, redirect_uri=sso.callback)
    location, b = sso.open_callback(url, make_opener())
    assert location == "/connexion?sso=bad_state" and b.session is None
    location, b = sso.open_callback(url, opener)
    assert location == "/" and b.me().status == 200
    location, b = sso.open_callback(url, opener)
    assert location == "/connexion?sso=bad_state"


def test_key_rotation_is_followed(sso):
    sso.login("carol", "carol-mdp")  # essaim now holds the provider's keys
    sso.provider.rotate(drop_old=True)
    location, b = sso.login("carol", "carol-mdp")
    assert location == "/torrents" and b.me().status == 200


def test_without_auto_create_only_linked_accounts_and_essaim_disabling_wins(sso):
    sso.configure(auto_create=False)
    location, _ = sso.login("carol", "carol-mdp")
    assert location == "/connexion?sso=oidc_no_account"
    res = sso.admin.request("POST", "/api/admin/users",
                            {"username": "caroline", "password": "mot-de-passe-caroline-1"},
                            csrf=True)
    assert res.status == 201, res
    cid = res.json["user"]["id"]
    res = sso.admin.request("PUT", f"/api/admin/users/{cid}/oidc", {"subject": "sub-carol"},
                            csrf=True)
    assert res.status == 200, res
    location, b = sso.login("carol", "carol-mdp")
    assert location == "/torrents" and b.me().json["username"] == "caroline"
    # The same subject cannot be linked twice.
    res = sso.admin.request("PUT", f"/api/admin/users/{sso.admin.me().json['id']}/oidc",
                            {"subject": "sub-carol"}, csrf=True)
    assert res.status == 409 and looks_french(res.json["error"]["message"])
    res = sso.admin.request("PATCH", f"/api/admin/users/{cid}", {"disabled": True}, csrf=True)
    assert res.status == 200, res
    assert b.me().status == 401  # sessions end with the account
    location, _ = sso.login("carol", "carol-mdp")
    assert location == "/connexion?sso=account_disabled"


def test_local_login_off_leaves_only_the_break_glass_admin(sso):
    res = sso.admin.request("POST", "/api/admin/users",
                            {"username": "dora", "password": "mot-de-passe-dora-12"}, csrf=True)
    assert res.status == 201
    sso.configure(local_login=False, break_glass_admin=sso.server.admin_username)
    inst = Browser(sso.server).get("/api/instance").json
    assert inst["local_login"] is False and inst["registration_open"] is False
    # No sign-up form either: accounts come from the provider.
    res = Browser(sso.server).register("eve-inscrite", "mot-de-passe-eve-12")
    assert res.status == 403 and res.json["error"]["code"] == "registration_closed"
    res = Browser(sso.server).login("dora", "mot-de-passe-dora-12")
    assert res.status == 403 and res.json["error"]["code"] == "local_login_disabled"
    assert looks_french(res.json["error"]["message"])
    # A wrong password is still the usual 401 (no oracle on who the break-glass admin is).
    assert Browser(sso.server).login("dora", "faux").status == 401
    assert Browser(sso.server).login(sso.server.admin_username,
                                     sso.server.admin_password).status == 200
    # The provider still signs in.
    location, b = sso.login("bob", "bob-mdp")
    assert location == "/torrents" and b.me().status == 200


def test_an_http_issuer_needs_private_targets(sso):
    res = sso.admin.request("PUT", "/api/admin/settings",
                            {"general": {"allow_private_targets": False}}, csrf=True)
    assert res.status == 200
    opener = make_opener()
    req = urllib.request.Request(f"http://127.0.0.1:{sso.port}/api/auth/oidc/start")
    try:
        opener.open(req, timeout=10)
        location = None
    except urllib.error.HTTPError as e:
        location = e.headers.get("Location")
    assert location == "/connexion?sso=disabled"
