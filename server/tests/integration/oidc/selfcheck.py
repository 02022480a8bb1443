#!/usr/bin/env python3
"""Standalone check of the OIDC test provider (provider.mjs + oidc_provider.py). Not part of the
pytest suite. Run from anywhere:  python3 server/tests/integration/oidc/selfcheck.py
Prints OK per step and exits 0, or stops at the first failure with a traceback."""

import base64
import hashlib
import hmac
import json
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from oidc_provider import (MUTATIONS, LoginFailed, OidcProvider, _Browser,  # noqa: E402
                           b64url_decode, browser_login, browser_logout, decode_jwt,
                           make_opener)

REDIRECT = "http://127.0.0.1:9/cb"
BYE = "http://127.0.0.1:9/bye"
CLIENT = {"client_id": "essaim", "client_secret": "s3cret-essaim", "redirect_uris": [REDIRECT],
          "post_logout_redirect_uris": [BYE]}
CLIENT_POST = {"client_id": "essaim-post", "client_secret": "s3cret-post",
               "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "client_secret_post"}
ACCOUNT = {"sub": "u-alice-0001", "password": "mot de passe d'Alice",
           "claims": {"preferred_username": "alice", "name": "Alice Martin",
                      "email": "alice@example.test", "email_verified": True,
                      "groups": ["famille", "essaim-admins"]}}
SCOPE = "openid profile email groups"


def ok(msg):
    print(f"OK   {msg}", flush=True)


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def http_json(url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def auth_url(disc, client_id, *, challenge=None, state=None, nonce=None, extra=None):
    q = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": SCOPE}
    if challenge:
        q.update(code_challenge=challenge, code_challenge_method="S256")
    if state:
        q["state"] = state
    if nonce:
        q["nonce"] = nonce
    q.update(extra or {})
    return disc["authorization_endpoint"] + "?" + urllib.parse.urlencode(q)


def token_request(disc, code, verifier, client=CLIENT, method="basic"):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "code_verifier": verifier}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if method == "basic":
        cred = (urllib.parse.quote(client["client_id"], safe="") + ":"
                + urllib.parse.quote(client["client_secret"], safe=""))
        headers["Authorization"] = "Basic " + base64.b64encode(cred.encode()).decode()
    else:
        form.update(client_id=client["client_id"], client_secret=client["client_secret"])
    return http_json(disc["token_endpoint"], urllib.parse.urlencode(form).encode(), headers)


def rs256_verify(token, jwk):
    """RSASSA-PKCS1-v1_5 / SHA-256 check in pure Python (no crypto library needed)."""
    h, p, s = token.split(".")
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    k = (n.bit_length() + 7) // 8
    sig = b64url_decode(s)
    if len(sig) != k:
        return False
    em = pow(int.from_bytes(sig, "big"), e, n).to_bytes(k, "big")
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420")
    digest = hashlib.sha256(f"{h}.{p}".encode()).digest()
    expected = b"\x00\x01" + b"\xff" * (k - 3 - len(digest_info) - 32) + b"\x00" + digest_info + digest
    return hmac.compare_digest(em, expected)


def jwks_by_kid(op):
    return {k["kid"]: k for k in op.jwks()["keys"]}


def login_and_exchange(op, disc, opener=None, *, client=CLIENT, method="basic"):
    """A full code flow; returns (token response, nonce)."""
    verifier, challenge = pkce()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    final = browser_login(auth_url(disc, client["client_id"], challenge=challenge, state=state,
                                   nonce=nonce),
                          "alice", ACCOUNT["password"], opener or make_opener())
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(final).query))
    check(final.startswith(REDIRECT + "?"), f"redirected to {final}")
    check(q.get("state") == state, f"state {q.get('state')!r} != {state!r}")
    check(q.get("iss") == op.issuer, f"iss parameter {q.get('iss')!r}")
    check("code" in q, f"no code in {final}")
    status, tok = token_request(disc, q["code"], verifier, client, method)
    check(status == 200, f"token endpoint: {status} {tok}")
    return tok, nonce


def main():
    t0 = time.monotonic()
    op = OidcProvider([CLIENT, CLIENT_POST], [ACCOUNT])
    op.start()
    try:
        ok(f"provider started at {op.issuer} in {time.monotonic() - t0:.2f} s")
        run(op)
    except BaseException:
        print("---- provider stderr ----\n" + op.stderr_tail(), file=sys.stderr)
        raise
    finally:
        op.stop()
    print("ALL OK")


def run(op):
    # -- discovery ---------------------------------------------------------------------------
    disc = op.discovery()
    check(disc["issuer"] == op.issuer, "issuer")
    for field in ("authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint",
                  "userinfo_endpoint"):
        check(disc.get(field, "").startswith(op.issuer + "/"), f"discovery {field}: {disc.get(field)}")
    check(disc["code_challenge_methods_supported"] == ["S256"], "S256 only")
    check(set(disc["token_endpoint_auth_methods_supported"])
          == {"client_secret_basic", "client_secret_post"}, "auth methods")
    check("RS256" in disc["id_token_signing_alg_values_supported"], "RS256")
    check("groups" in disc["scopes_supported"] and "groups" in disc["claims_supported"], "groups")
    check(disc["response_types_supported"] == ["code"], "code only")
    ok("discovery: issuer, endpoints, S256, client_secret_basic/post, RS256, groups")
    jwks = jwks_by_kid(op)
    check(len(jwks) == 1, "one key at start")
    kid0 = next(iter(jwks))

    # -- PKCE is required ----------------------------------------------------------------------
    status, loc, _, _ = _raw(auth_url(disc, "essaim", state="s1", nonce="n1"))
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc or "").query))
    check(status in (302, 303) and loc.startswith(REDIRECT) and q.get("error") == "invalid_request"
          and "PKCE" in q.get("error_description", ""), f"no PKCE: {status} {loc}")
    ok(f"authorization request without code_challenge refused: {q['error_description']!r}")

    # -- a login through the form, code exchange (client_secret_basic) -------------------------
    t = time.monotonic()
    opener = make_opener()
    tok, nonce = login_and_exchange(op, disc, opener)
    header, claims = decode_jwt(tok["id_token"])
    check(header["alg"] == "RS256" and header["kid"] == kid0, f"header {header}")
    check(claims["iss"] == op.issuer and claims["aud"] == "essaim", f"iss/aud {claims}")
    check(claims["nonce"] == nonce, "nonce")
    check(claims["sub"] == ACCOUNT["sub"], "sub")
    check(claims["groups"] == ["famille", "essaim-admins"], f"groups {claims.get('groups')}")
    check(claims["email"] == "alice@example.test" and claims["email_verified"] is True, "email")
    check(claims["preferred_username"] == "alice" and claims["name"] == "Alice Martin", "profile")
    check(claims["exp"] - claims["iat"] == 600, "10 min lifetime")
    check(rs256_verify(tok["id_token"], jwks[kid0]), "signature")
    check(tok["token_type"] == "Bearer" and tok.get("access_token"), "access token")
    check(op.last_id_token() == tok["id_token"], "last_id_token")
    ok(f"login form + code + PKCE + client_secret_basic in {time.monotonic() - t:.2f} s; "
       f"ID token claims: {sorted(claims)}")
    ok(f"ID token: kid {kid0} in JWKS, RS256 signature valid, groups={claims['groups']}")
    first_token = tok["id_token"]

    # -- second login in the same browser: provider session, no form -------------------------
    tok2, _ = login_and_exchange(op, disc, opener)
    check(decode_jwt(tok2["id_token"])[1]["sub"] == ACCOUNT["sub"], "sso sub")
    ok("second authorization with the provider session: no form, new code")
    verifier, challenge = pkce()
    status, loc, _, _ = _raw(auth_url(disc, "essaim", challenge=challenge, state="s", nonce="n",
                                      extra={"prompt": "login"}), opener)
    check(status in (302, 303) and "/interaction/" in loc, f"prompt=login: {status} {loc}")
    final = browser_login(auth_url(disc, "essaim", challenge=challenge, state="s", nonce="n",
                                   extra={"prompt": "login"}), "alice", ACCOUNT["password"], opener)
    check("code=" in final, final)
    ok("prompt=login with a provider session: the form is shown again")

    # -- wrong password, PKCE verifier mismatch, auth method mismatch --------------------------
    try:
        verifier, challenge = pkce()
        browser_login(auth_url(disc, "essaim", challenge=challenge, state="x", nonce="y"),
                      "alice", "faux", make_opener())
        raise AssertionError("wrong password accepted")
    except LoginFailed:
        ok("wrong password: form shown again, LoginFailed raised")
    verifier, challenge = pkce()
    final = browser_login(auth_url(disc, "essaim", challenge=challenge, state="x", nonce="y"),
                          "u-alice-0001", ACCOUNT["password"], make_opener())  # login by sub too
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(final).query))["code"]
    status, body = token_request(disc, code, pkce()[0])
    check(status == 400 and body.get("error") == "invalid_grant", f"bad verifier: {status} {body}")
    ok("wrong code_verifier: 400 invalid_grant")
    tok3, _ = login_and_exchange(op, disc, client=CLIENT, method="post")
    check(decode_jwt(tok3["id_token"])[1]["aud"] == "essaim", "post aud")
    ok("client_secret_post accepted too for a client registered with client_secret_basic")
    tok3, _ = login_and_exchange(op, disc, client=CLIENT_POST, method="basic")
    check(decode_jwt(tok3["id_token"])[1]["aud"] == "essaim-post", "basic aud")
    ok("client_secret_basic accepted too for a client registered with client_secret_post")
    bad = dict(CLIENT, client_secret="pas-le-bon")
    verifier, challenge = pkce()
    final = browser_login(auth_url(disc, "essaim", challenge=challenge, state="x", nonce="y"),
                          "alice", ACCOUNT["password"], make_opener())
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(final).query))["code"]
    status, body = token_request(disc, code, verifier, bad)
    check(status == 401 and body.get("error") == "invalid_client", f"bad secret: {status} {body}")
    ok("wrong client secret: 401 invalid_client")

    # -- key rotation --------------------------------------------------------------------------
    verifier, challenge = pkce()
    final = browser_login(auth_url(disc, "essaim", challenge=challenge, state="r", nonce="r"),
                          "alice", ACCOUNT["password"], opener)
    pending_code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(final).query))["code"]
    r = op.rotate(drop_old=False)
    kid1 = r["kid"]
    jwks = jwks_by_kid(op)
    check(set(jwks) == {kid0, kid1} and kid1 != kid0, f"jwks after rotate {list(jwks)}")
    status, body = token_request(disc, pending_code, verifier)
    check(status == 200 and decode_jwt(body["id_token"])[0]["kid"] == kid1,
          f"code across rotation: {status} {body}")
    status, loc, _, _ = _raw(auth_url(disc, "essaim", challenge=pkce()[1], state="s", nonce="n"),
                             opener)
    check(status in (302, 303) and loc.startswith(REDIRECT + "?code="), f"sso lost: {loc}")
    ok("a rotation keeps the provider's state: a code issued before it is redeemed after it "
       "(ID token signed by the new key), the provider session still logs in without the form")
    tok, _ = login_and_exchange(op, disc, opener)
    h, _ = decode_jwt(tok["id_token"])
    check(h["kid"] == kid1 and rs256_verify(tok["id_token"], jwks[kid1]), "signed with new key")
    check(rs256_verify(first_token, jwks[kid0]), "old token still verifiable")
    ok(f"rotate(drop_old=False): new tokens signed by {kid1}; JWKS has both {kid0} and {kid1}")
    r = op.rotate(drop_old=True)
    kid2 = r["kid"]
    jwks = jwks_by_kid(op)
    check(set(jwks) == {kid2} and r["dropped"] == [kid1, kid0], f"jwks after drop {r}")
    tok, _ = login_and_exchange(op, disc, opener)
    check(decode_jwt(tok["id_token"])[0]["kid"] == kid2
          and rs256_verify(tok["id_token"], jwks[kid2]), "signed with newest key")
    ok(f"rotate(drop_old=True): only {kid2} published, {kid0} and {kid1} gone")

    # -- mutations -----------------------------------------------------------------------------
    now = int(time.time())
    for kind in MUTATIONS:
        armed = op.mutate(kind)
        check(armed == {"armed": kind}, f"armed {armed}")
        tok, nonce = login_and_exchange(op, disc, opener)
        check(tok.get("access_token") and tok["token_type"] == "Bearer" and tok["scope"] == SCOPE,
              f"rest of the response untouched: {sorted(tok)}")
        idt = tok["id_token"]
        check(op.last_id_token() == idt, "last_id_token is the crafted one")
        h, c = decode_jwt(idt)
        valid = h.get("kid") in jwks and h["alg"] == "RS256" and rs256_verify(idt, jwks[h["kid"]])
        if kind == "wrong_aud":
            check(c["aud"] == "someone-else" and valid and c["nonce"] == nonce, kind)
        elif kind == "wrong_nonce":
            check(c["nonce"] != nonce and valid and c["aud"] == "essaim", kind)
        elif kind == "expired":
            check(c["exp"] <= now - 2900 and c["iat"] <= now - 3500 and valid, kind)
        elif kind == "wrong_iss":
            check(c["iss"] == "http://127.0.0.1:1" and valid, kind)
        elif kind == "forged":
            check(h["kid"] == kid2 and h["alg"] == "RS256" and not valid
                  and c["nonce"] == nonce and c["aud"] == "essaim", kind)
        elif kind == "alg_none":
            check(h["alg"] == "none" and idt.endswith(".") and idt.count(".") == 2, kind)
        elif kind == "hs256":
            hp = idt.rsplit(".", 1)[0]
            mac = hmac.new(CLIENT["client_secret"].encode(), hp.encode(), hashlib.sha256).digest()
            check(h["alg"] == "HS256" and b64url_decode(idt.rsplit(".", 1)[1]) == mac, kind)
        elif kind == "unknown_kid":
            check(h["kid"] not in jwks and h["alg"] == "RS256" and c["nonce"] == nonce, kind)
        ok(f"mutation {kind}: header {json.dumps({k: h[k] for k in ('alg', 'kid') if k in h})}, "
           f"crafted token returned by the token endpoint")
    tok, nonce = login_and_exchange(op, disc, opener)
    h, c = decode_jwt(tok["id_token"])
    check(c["nonce"] == nonce and c["aud"] == "essaim" and rs256_verify(tok["id_token"], jwks[h["kid"]]),
          "mutation reset")
    ok("after a mutation the next token is genuine again (mutation is one-shot)")

    # -- end session ---------------------------------------------------------------------------
    check(op.logouts() == 0, "no logout yet")
    end = disc["end_session_endpoint"] + "?" + urllib.parse.urlencode(
        {"id_token_hint": tok["id_token"], "post_logout_redirect_uri": BYE, "state": "au-revoir",
         "client_id": "essaim"})
    back = browser_logout(end, opener)
    check(back == BYE + "?state=au-revoir", f"post-logout redirect {back}")
    check(op.logouts() == 1, "counted")
    req = op.logout_requests()[0]
    check(req["params"]["post_logout_redirect_uri"] == BYE and req["params"]["id_token_hint"], "params")
    ok(f"end-session (id_token_hint, post_logout_redirect_uri, state, client_id): "
       f"confirmed, redirected to {back}, counted {op.logouts()}")
    # the provider session is gone: the form is shown again
    verifier, challenge = pkce()
    status, loc, _, _ = _raw(auth_url(disc, "essaim", challenge=challenge, state="s", nonce="n"),
                             opener)
    check(status in (302, 303) and "/interaction/" in loc, f"after logout: {status} {loc}")
    ok("after end-session the next authorization goes to the login form again")


def _raw(url, opener=None):
    """One request, no redirect followed: (status, location, body, url)."""
    return _Browser(opener, 10).request(url)


if __name__ == "__main__":
    main()
