#!/usr/bin/env node
// A real OpenID Connect provider for essaim's tests (issue 22): panva's `oidc-provider` (installed in
// ../clients/node_modules, see ../clients/package.json) behind a small node:http front that adds
// a plain HTML login form, automatic consent and test-only control endpoints under /_test/.
// See README.md in this folder.
//
//   node provider.mjs --port 0 --config config.json      (or --config-json '{"clients":…}')
//
// Prints `READY http://127.0.0.1:PORT` on stdout once listening (port 0 = any free port; the
// issuer is built from the port actually bound). Everything else goes to stderr.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as querystring from 'node:querystring';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Arguments and configuration
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const out = { port: 0, config: undefined, configJson: undefined, modules: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value after ${a}`);
      return argv[++i];
    };
    if (a === '--port') out.port = Number(next());
    else if (a === '--config') out.config = next();
    else if (a === '--config-json') out.configJson = next();
    else if (a === '--modules') out.modules = next();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('bad --port');
  return out;
}

const args = parseArgs(process.argv.slice(2));
let config = {};
if (args.config) config = JSON.parse(fs.readFileSync(args.config, 'utf8'));
else if (args.configJson) config = JSON.parse(args.configJson);

const clientsCfg = config.clients ?? [];
const accountsCfg = config.accounts ?? [];
const ID_TOKEN_TTL = Number(config.id_token_ttl ?? 600);
// false: the scope claims (groups, e-mail, profile) only from userinfo, as Authelia and Zitadel do
// by default; the ID token then holds sub, iss, aud, nonce and times only.
const CLAIMS_IN_ID_TOKEN = config.claims_in_id_token ?? true;

if (!Array.isArray(clientsCfg) || !clientsCfg.length) throw new Error('config.clients: at least one client');
if (!Array.isArray(accountsCfg)) throw new Error('config.accounts must be an array');

// oidc-provider lives in ../clients/node_modules (the folder scripts/install-deps.sh installs with
// `npm ci`). A bare `import 'oidc-provider'` from this folder would not find it, so resolve it
// from there explicitly.
const modulesRoot = args.modules ?? process.env.OIDC_PROVIDER_MODULES ?? path.join(HERE, '..', 'clients');
const requireFromClients = createRequire(path.join(path.resolve(modulesRoot), 'package.json'));
const oidcMain = requireFromClients.resolve('oidc-provider');
const oidcVersion = JSON.parse(fs.readFileSync(
  path.join(path.dirname(oidcMain), '..', 'package.json'), 'utf8')).version;
const { Provider } = await import(pathToFileURL(oidcMain).href);

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const b64uJson = (obj) => b64u(JSON.stringify(obj));
const randomId = (n = 8) => crypto.randomBytes(n).toString('hex');

function newRsaJwk(kidPrefix = 'k') {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: `${kidPrefix}-${randomId(6)}`, alg: 'RS256', use: 'sig' };
}

// Signing keys, the one used for new tokens first (oidc-provider signs with the first key that
// matches the algorithm; the JWKS lists them in this order).
let signingKeys = Array.isArray(config.keys) && config.keys.length
  ? config.keys.map((k, i) => ({ alg: 'RS256', use: 'sig', kid: `cfg-${i}`, ...k }))
  : [newRsaJwk('k1')];
let keyCounter = signingKeys.length;

function signJwt(header, payload, jwk) {
  const input = `${b64uJson(header)}.${b64uJson(payload)}`;
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const sig = crypto.sign('sha256', Buffer.from(input), key); // RSASSA-PKCS1-v1_5 for RSA keys
  return `${input}.${b64u(sig)}`;
}

function decodeJwt(token) {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
  };
}

// ---------------------------------------------------------------------------------------------
// Accounts and clients
// ---------------------------------------------------------------------------------------------

const accountsBySub = new Map();
for (const a of accountsCfg) {
  if (!a || typeof a.sub !== 'string' || !a.sub) throw new Error('config.accounts[].sub required');
  accountsBySub.set(a.sub, { ...a, claims: a.claims ?? {} });
}

function findAccountByLogin(login) {
  for (const a of accountsBySub.values()) {
    if (a.claims.preferred_username === login) return a;
  }
  return accountsBySub.get(login);
}

// Which claims each scope releases. Claims of the accounts that no scope below names are added to
// the `profile` scope, so any extra claim a test puts on an account reaches the ID token.
const scopeClaims = {
  acr: null, // null = released whatever the scopes (oidc-provider's defaults, kept)
  sid: null,
  auth_time: null,
  iss: null,
  openid: ['sub'],
  profile: ['name', 'preferred_username', 'given_name', 'family_name', 'middle_name', 'nickname',
    'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at'],
  email: ['email', 'email_verified'],
  groups: ['groups'],
};
{
  const known = new Set(Object.values(scopeClaims).filter(Array.isArray).flat());
  for (const a of accountsBySub.values()) {
    for (const claim of Object.keys(a.claims)) {
      if (!known.has(claim) && claim !== 'sub') {
        scopeClaims.profile.push(claim);
        known.add(claim);
      }
    }
  }
}

const clients = clientsCfg.map((c) => {
  if (!c.client_id || !c.client_secret) throw new Error('config.clients[]: client_id and client_secret required');
  const out = {
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: c.redirect_uris ?? [],
    post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: c.token_endpoint_auth_method ?? 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  };
  if (c.client_name) out.client_name = c.client_name;
  return out;
});

// ---------------------------------------------------------------------------------------------
// State of the test controls
// ---------------------------------------------------------------------------------------------

const MUTATIONS = new Set(['wrong_aud', 'wrong_nonce', 'expired', 'wrong_iss', 'forged', 'alg_none',
  'hs256', 'unknown_kid', 'replay', 'userinfo_other_sub']);
let pendingMutation = null;
let lastIdToken = null;
let tokenResponses = 0;
let userinfoResponses = 0;
const logoutRequests = [];

function craftIdToken(kind, original, clientSecret) {
  const { header, payload } = decodeJwt(original);
  const current = signingKeys[0];
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...payload };
  switch (kind) {
    case 'wrong_aud':
      claims.aud = 'someone-else';
      return signJwt({ ...header, kid: current.kid }, claims, current);
    case 'wrong_nonce':
      claims.nonce = randomId(16);
      return signJwt({ ...header, kid: current.kid }, claims, current);
    case 'expired':
      claims.iat = (payload.iat ?? now) - 3600;
      claims.exp = (payload.exp ?? now) - 3600;
      if (claims.exp > now - 3000) claims.exp = now - 3000;
      return signJwt({ ...header, kid: current.kid }, claims, current);
    case 'wrong_iss':
      claims.iss = 'http://127.0.0.1:1';
      return signJwt({ ...header, kid: current.kid }, claims, current);
    case 'forged': {
      const rogue = newRsaJwk('rogue');
      return signJwt({ ...header, kid: current.kid }, claims, rogue);
    }
    case 'unknown_kid': {
      const rogue = newRsaJwk('unknown');
      return signJwt({ ...header, kid: rogue.kid }, claims, rogue);
    }
    case 'alg_none':
      return `${b64uJson({ ...header, alg: 'none' })}.${b64uJson(claims)}.`;
    case 'hs256': {
      const input = `${b64uJson({ ...header, alg: 'HS256' })}.${b64uJson(claims)}`;
      const mac = crypto.createHmac('sha256', Buffer.from(clientSecret, 'utf8')).update(input).digest();
      return `${input}.${b64u(mac)}`;
    }
    default:
      throw new Error(`unknown mutation ${kind}`);
  }
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[c]));

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:26rem;margin:2rem auto}label{display:block;margin-top:.8rem}input{width:100%;padding:.3rem}button{margin-top:1rem;padding:.4rem 1rem}.erreur{color:#a00}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function loginPage(uid, clientId, login, error) {
  return page('Connexion – fournisseur OIDC de test', `<h1>Connexion</h1>
<p>Pour continuer vers <strong>${esc(clientId)}</strong>.</p>
${error ? `<p class="erreur" role="alert" id="erreur">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" id="connexion">
<label for="username">Identifiant</label>
<input id="username" name="username" type="text" autocomplete="username" value="${esc(login)}" required autofocus>
<label for="password">Mot de passe</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Se connecter</button>
</form>
<form method="post" action="/interaction/${esc(uid)}/abort" id="annuler">
<button type="submit">Annuler</button>
</form>`);
}

// ---------------------------------------------------------------------------------------------
// Storage shared by every Provider built in this process (one per key rotation): sessions,
// interactions, codes, grants survive a rotation. (oidc-provider 9's default in-memory adapter
// makes a new store per Provider instance.)
// ---------------------------------------------------------------------------------------------

const store = new Map(); // key -> { value, exp (ms epoch, 0 = none) }
let storeWrites = 0;
// models whose entries revokeByGrantId removes (as oidc-provider's own memory adapter does)
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode',
  'BackchannelAuthenticationRequest', 'PreAuthorizedCode']);

function storeGet(key) {
  const e = store.get(key);
  if (!e) return undefined;
  if (e.exp && e.exp < Date.now()) {
    store.delete(key);
    return undefined;
  }
  return e.value;
}

function storeSet(key, value, expiresIn) {
  store.set(key, { value, exp: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : 0 });
  if (++storeWrites % 500 === 0) {
    const now = Date.now();
    for (const [k, e] of store) if (e.exp && e.exp < now) store.delete(k);
  }
}

class SharedMemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    if (this.model === 'Session') storeSet(`sessionUid:${payload.uid}`, id, expiresIn);
    if (GRANTABLE.has(this.model) && payload.grantId) {
      const grantKey = `grant:${payload.grantId}`;
      const members = storeGet(grantKey) ?? [];
      members.push(key);
      storeSet(grantKey, members);
    }
    if (payload.userCode) storeSet(`userCode:${payload.userCode}`, id, expiresIn);
    storeSet(key, payload, expiresIn);
  }

  async find(id) {
    return storeGet(this.key(id));
  }

  async findByUid(uid) {
    const id = storeGet(`sessionUid:${uid}`);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode) {
    const id = storeGet(`userCode:${userCode}`);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id) {
    const payload = storeGet(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    const grantKey = `grant:${grantId}`;
    for (const key of storeGet(grantKey) ?? []) store.delete(key);
    store.delete(grantKey);
  }
}

// ---------------------------------------------------------------------------------------------
// The provider (rebuilt on key rotation; its state lives in the shared store above)
// ---------------------------------------------------------------------------------------------

const cookieKeys = [crypto.randomBytes(32).toString('base64url')];
let issuer;
let provider;
let providerCallback;

function buildProvider() {
  const p = new Provider(issuer, {
    clients,
    adapter: SharedMemoryAdapter,
    jwks: { keys: signingKeys.map((k) => ({ ...k })) },
    async findAccount(ctx, sub) {
      const account = accountsBySub.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { ...account.claims, sub };
        },
      };
    },
    claims: scopeClaims,
    scopes: ['openid', 'profile', 'email', 'groups'],
    // false: scope claims (groups, email, profile) go in the ID token too (config.claims_in_id_token)
    conformIdTokenClaims: !CLAIMS_IN_ID_TOKEN,
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    pkce: { required: () => true }, // S256 is the only method oidc-provider 9 knows
    responseTypes: ['code'],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          const withButton = form.replace('</form>',
            '<button type="submit" name="logout" value="yes">Se déconnecter</button></form>');
          ctx.type = 'html';
          ctx.body = page('Déconnexion – fournisseur OIDC de test',
            `<h1>Se déconnecter du fournisseur ?</h1>\n${withButton}`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page('Déconnecté – fournisseur OIDC de test', '<h1>Vous êtes déconnecté.</h1>');
        },
      },
    },
    interactions: {
      url(ctx, interaction) {
        return `/interaction/${interaction.uid}`;
      },
    },
    cookies: {
      keys: cookieKeys,
      // the browser shares cookies between 127.0.0.1:<essaim> and 127.0.0.1:<provider> (cookies
      // ignore ports): own names so they never collide with essaim's
      names: { session: 'oidcp_session', interaction: 'oidcp_interaction', resume: 'oidcp_resume' },
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: ID_TOKEN_TTL,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    clientBasedCORS: () => false,
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Erreur – fournisseur OIDC de test', `<h1>Erreur</h1>
${Object.entries(out).map(([k, v]) => `<p><strong>${esc(k)}</strong> : <span class="${esc(k)}">${esc(v)}</span></p>`).join('\n')}`);
    },
  });

  // post-middleware: records the ID token of each token response and, when a mutation is armed,
  // replaces it by the crafted one (the rest of the JSON response is left as the provider made it)
  p.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'userinfo' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      userinfoResponses += 1;
      if (pendingMutation === 'userinfo_other_sub') {
        // Someone else's claims for this access token (OIDC Core §5.3.2: the client must compare).
        pendingMutation = null;
        ctx.body = { ...ctx.body, sub: 'sub-quelqu-un-d-autre', groups: ['admins'] };
        process.stderr.write('oidc-test-provider: userinfo mutated (userinfo_other_sub)\n');
      }
      return;
    }
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
    const body = ctx.body;
    if (!body || typeof body !== 'object' || typeof body.id_token !== 'string') return;
    tokenResponses += 1;
    if (pendingMutation === 'replay' && lastIdToken) {
      // The previous login's ID token, exactly as it was issued (valid signature, its own nonce).
      pendingMutation = null;
      body.id_token = lastIdToken;
      process.stderr.write(`oidc-test-provider: token response ${tokenResponses}: id_token replayed\n`);
      return;
    }
    if (pendingMutation && pendingMutation !== 'userinfo_other_sub') {
      const kind = pendingMutation;
      pendingMutation = null;
      const client = clients.find((c) => c.client_id === ctx.oidc.client?.clientId) ?? clients[0];
      body.id_token = craftIdToken(kind, body.id_token, client.client_secret);
      process.stderr.write(`oidc-test-provider: token response ${tokenResponses}: id_token mutated (${kind})\n`);
    }
    lastIdToken = body.id_token;
  });

  p.on('server_error', (ctx, err) => {
    process.stderr.write(`oidc-test-provider: server_error ${ctx?.method} ${ctx?.path}: ${err?.stack ?? err}\n`);
  });
  for (const ev of ['authorization.error', 'grant.error', 'end_session.error']) {
    p.on(ev, (ctx, err) => {
      process.stderr.write(`oidc-test-provider: ${ev}: ${err?.name}: ${err?.message} ${err?.error_description ?? ''}\n`);
    });
  }
  return p;
}

function publicJwks() {
  return signingKeys.map((k) => ({ kty: k.kty, kid: k.kid, alg: k.alg, use: k.use, n: k.n, e: k.e }));
}

// ---------------------------------------------------------------------------------------------
// HTTP front
// ---------------------------------------------------------------------------------------------

function readBody(req, limit = 64 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, type, body, headers = {}) {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': buf.length,
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(buf);
}

const sendJson = (res, status, obj) => send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(obj)}\n`);
const sendHtml = (res, status, html) => send(res, status, 'text/html; charset=utf-8', html);

function isLoopback(addr) {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

async function handleTest(req, res, url) {
  if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'loopback only' });
  const route = url.pathname.slice('/_test/'.length);
  let body = {};
  if (req.method === 'POST') {
    const raw = await readBody(req);
    if (raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        return sendJson(res, 400, { error: 'body must be JSON' });
      }
    }
  }
  if (route === 'rotate' && req.method === 'POST') {
    const dropOld = body.drop_old === true;
    const fresh = newRsaJwk(`k${++keyCounter}`);
    const dropped = dropOld ? signingKeys.map((k) => k.kid) : [];
    signingKeys = dropOld ? [fresh] : [fresh, ...signingKeys];
    provider = buildProvider();
    providerCallback = provider.callback();
    process.stderr.write(`oidc-test-provider: rotated to ${fresh.kid}${dropOld ? ` (dropped ${dropped.join(', ')})` : ''}\n`);
    return sendJson(res, 200, { kid: fresh.kid, kids: signingKeys.map((k) => k.kid), dropped });
  }
  if (route === 'mutate' && req.method === 'POST') {
    const kind = body.kind ?? null;
    if (kind !== null && !MUTATIONS.has(kind)) {
      return sendJson(res, 400, { error: `unknown kind ${kind}`, kinds: [...MUTATIONS] });
    }
    pendingMutation = kind;
    return sendJson(res, 200, { armed: kind });
  }
  if (route === 'last_id_token' && req.method === 'GET') {
    return sendJson(res, 200, { id_token: lastIdToken });
  }
  if (route === 'logouts' && req.method === 'GET') {
    return sendJson(res, 200, { count: logoutRequests.length, requests: logoutRequests });
  }
  if (route === 'state' && req.method === 'GET') {
    return sendJson(res, 200, {
      issuer,
      version: oidcVersion,
      current_kid: signingKeys[0].kid,
      kids: signingKeys.map((k) => k.kid),
      jwks: { keys: publicJwks() },
      pending_mutation: pendingMutation,
      token_responses: tokenResponses,
      userinfo_responses: userinfoResponses,
      logouts: logoutRequests.length,
    });
  }
  return sendJson(res, 404, { error: 'unknown control endpoint' });
}

async function handleInteraction(req, res, url) {
  const m = url.pathname.match(/^\/interaction\/([^/]+)(?:\/(login|abort))?$/);
  if (!m) return sendHtml(res, 404, page('Introuvable', '<h1>Introuvable</h1>'));
  const [, uid, action] = m;
  const p = provider;
  let details;
  try {
    details = await p.interactionDetails(req, res);
  } catch (err) {
    return sendHtml(res, 400, page('Erreur', `<h1>Session de connexion introuvable ou expirée</h1><p>${esc(err.message)}</p>`));
  }
  if (details.uid !== uid) return sendHtml(res, 400, page('Erreur', '<h1>Interaction inattendue</h1>'));
  const { prompt, params } = details;

  if (!action && req.method === 'GET') {
    if (prompt.name === 'login') {
      return sendHtml(res, 200, loginPage(uid, params.client_id, params.login_hint ?? '', null));
    }
    if (prompt.name === 'consent') {
      // consent is granted automatically, with whatever the client asked for
      const d = prompt.details;
      const grant = details.grantId
        ? await p.Grant.find(details.grantId)
        : new p.Grant({ accountId: details.session.accountId, clientId: params.client_id });
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      if (d.missingResourceScopes) {
        for (const [indicator, scopes] of Object.entries(d.missingResourceScopes)) {
          grant.addResourceScope(indicator, scopes.join(' '));
        }
      }
      const grantId = await grant.save();
      const consent = details.grantId ? {} : { grantId };
      return p.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
    }
    return sendHtml(res, 400, page('Erreur', `<h1>Étape inconnue : ${esc(prompt.name)}</h1>`));
  }

  if (action === 'login' && req.method === 'POST') {
    const form = querystring.parse(await readBody(req));
    const login = String(form.username ?? '');
    const password = String(form.password ?? '');
    const account = findAccountByLogin(login);
    if (!account || typeof account.password !== 'string'
        || !crypto.timingSafeEqual(
          crypto.createHash('sha256').update(password).digest(),
          crypto.createHash('sha256').update(account.password).digest(),
        )) {
      return sendHtml(res, 401, loginPage(uid, params.client_id, login, 'Identifiant ou mot de passe incorrect.'));
    }
    return p.interactionFinished(req, res, { login: { accountId: account.sub } },
      { mergeWithLastSubmission: false });
  }

  if (action === 'abort' && req.method === 'POST') {
    await readBody(req);
    return p.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'connexion annulée par l’utilisateur',
    }, { mergeWithLastSubmission: false });
  }
  return sendHtml(res, 405, page('Erreur', '<h1>Méthode non permise</h1>'));
}

const server = http.createServer(async (req, res) => {
  let url;
  try {
    url = new URL(req.url, 'http://127.0.0.1');
  } catch {
    return send(res, 400, 'text/plain', 'bad url\n');
  }
  try {
    if (url.pathname.startsWith('/_test/')) return await handleTest(req, res, url);
    if (url.pathname.startsWith('/interaction/')) return await handleInteraction(req, res, url);
    if (url.pathname === '/session/end') {
      logoutRequests.push({ method: req.method, params: Object.fromEntries(url.searchParams) });
    }
    return providerCallback(req, res);
  } catch (err) {
    process.stderr.write(`oidc-test-provider: ${req.method} ${url.pathname}: ${err?.stack ?? err}\n`);
    if (!res.headersSent) return send(res, 500, 'text/plain', 'internal error\n');
    res.destroy();
  }
});

server.on('error', (err) => {
  process.stderr.write(`oidc-test-provider: ${err?.stack ?? err}\n`);
  process.exit(1);
});

server.listen(args.port, '127.0.0.1', () => {
  const { port } = server.address();
  issuer = `http://127.0.0.1:${port}`;
  provider = buildProvider();
  providerCallback = provider.callback();
  process.stderr.write(`oidc-test-provider: oidc-provider ${oidcVersion}, node ${process.version}, kid ${signingKeys[0].kid}\n`);
  process.stdout.write(`READY ${issuer}\n`);
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  });
}
