// Accounts over HTTP and WebSocket: sign-up, sign-in, refresh rotation with
// reuse detection, sign-out, the viewer's profile and settings, and every
// authentication and authorization refusal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { useFacetCleanup } from './lib/facet.mjs';
import { codeOf, gql, signUp, startProduct } from './lib/product.mjs';
import { useServices } from './lib/services.mjs';

useFacetCleanup();
const services = useServices();

const AUTH_FIELDS = 'accessToken refreshToken expiresAt user { id username email role }';

test('sign-up, sign-in, me and the duplicate checks', { timeout: 60000 }, async () => {
  const f = await startProduct(services);
  const u = await signUp(f.port, 'alice');
  assert.match(u.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const me = await gql(f.port, '{ me { id username email role createdAt } }', {}, { token: u.token });
  assert.equal(me.data.me.id, u.user.id);
  assert.equal(me.data.me.email, u.email);
  assert.equal(me.data.me.role, 'USER');

  const anonymous = await gql(f.port, '{ me { id } }');
  assert.deepEqual(anonymous.data, { me: null });

  const again = await gql(f.port, `mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }`,
    { i: { email: u.email.toUpperCase(), username: 'someoneelse', password: 'long-enough-pw' } });
  assert.equal(codeOf(again), 'EMAIL_TAKEN');
  const sameName = await gql(f.port, `mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }`,
    { i: { email: 'other@example.com', username: u.user.username, password: 'long-enough-pw' } });
  assert.equal(codeOf(sameName), 'USERNAME_TAKEN');
  for (const i of [
    { email: 'not-an-email', username: 'okname', password: 'long-enough-pw' },
    { email: 'a@example.com', username: 'x', password: 'long-enough-pw' },
    { email: 'b@example.com', username: 'okname2', password: 'short' },
  ]) {
    const bad = await gql(f.port, `mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }`, { i });
    assert.equal(codeOf(bad), 'BAD_USER_INPUT', JSON.stringify(i));
  }

  const signIn = await gql(f.port, `mutation($i: SignInInput!) { signIn(input: $i) { ${AUTH_FIELDS} } }`,
    { i: { email: u.email, password: u.password } });
  assert.equal(signIn.data.signIn.user.id, u.user.id);
  const wrong = await gql(f.port, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
    { i: { email: u.email, password: 'wrong password!' } });
  assert.equal(codeOf(wrong), 'UNAUTHENTICATED');
  const nobody = await gql(f.port, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
    { i: { email: 'nobody@example.com', password: 'whatever-it-is' } });
  assert.equal(codeOf(nobody), 'UNAUTHENTICATED');
  assert.equal(nobody.errors[0].message, wrong.errors[0].message, 'no hint which accounts exist');
});

test('refresh tokens rotate, and reusing an old one revokes the family', { timeout: 60000 }, async () => {
  const f = await startProduct(services);
  const u = await signUp(f.port, 'bob');
  const refresh = (t) => gql(f.port, `mutation($t: String!) { refreshSession(refreshToken: $t) { ${AUTH_FIELDS} } }`, { t });
  const r1 = await refresh(u.refreshToken);
  assert.equal(r1.data.refreshSession.user.id, u.user.id);
  const r2 = await refresh(r1.data.refreshSession.refreshToken);
  assert.ok(r2.data.refreshSession.accessToken);
  // The first token again: reuse. The family is revoked, the newest too.
  const reuse = await refresh(u.refreshToken);
  assert.equal(codeOf(reuse), 'UNAUTHENTICATED');
  assert.match(reuse.errors[0].message, /already used/);
  const newest = await refresh(r2.data.refreshSession.refreshToken);
  assert.equal(codeOf(newest), 'UNAUTHENTICATED');
  assert.equal(codeOf(await refresh('not-a-token')), 'UNAUTHENTICATED');

  // Sign-out ends the session.
  const s = await gql(f.port, `mutation($i: SignInInput!) { signIn(input: $i) { refreshToken } }`,
    { i: { email: u.email, password: u.password } });
  const out = await gql(f.port, 'mutation($t: String!) { signOut(refreshToken: $t) }', { t: s.data.signIn.refreshToken });
  assert.deepEqual(out.data, { signOut: true });
  assert.equal(codeOf(await refresh(s.data.signIn.refreshToken)), 'UNAUTHENTICATED');
});

test('tokens: expired, tampered, malformed; private fields only for the owner', { timeout: 60000 }, async () => {
  const f = await startProduct(services);
  const a = await signUp(f.port, 'carol');
  const b = await signUp(f.port, 'dave');
  const tampered = a.token.slice(0, -3) + (a.token.endsWith('AAA') ? 'BBB' : 'AAA');
  for (const token of [tampered, 'abc.def.ghi']) {
    const res = await gql(f.port, '{ me { id } }', {}, { token });
    assert.equal(codeOf(res), 'UNAUTHENTICATED', token);
  }
  const badScheme = await gql(f.port, '{ me { id } }', {}, { headers: { authorization: 'Basic abc' } });
  assert.equal(codeOf(badScheme), 'UNAUTHENTICATED');

  // Public profile for anyone; e-mail, settings and wallet for the owner only.
  const q = `query($id: ID!) { user(id: $id) { id username email } }`;
  const other = await gql(f.port, q, { id: a.user.id }, { token: b.token });
  assert.equal(other.data.user.username, a.user.username);
  assert.equal(other.data.user.email, null);
  assert.equal(codeOf(other), 'FORBIDDEN');
  const anon = await gql(f.port, q, { id: a.user.id });
  assert.equal(codeOf(anon), 'UNAUTHENTICATED');
  const own = await gql(f.port, q, { id: a.user.id }, { token: a.token });
  assert.equal(own.data.user.email, a.email);
  assert.equal(own.errors, undefined);
  const wallet = await gql(f.port, `query($id: ID!) { user(id: $id) { wallet { balance } } }`, { id: a.user.id }, { token: b.token });
  assert.equal(codeOf(wallet), 'FORBIDDEN');
  assert.deepEqual((await gql(f.port, '{ user(id: "000000000000000000000000") { id } }')).data, { user: null });

  const needsUser = await gql(f.port, '{ wallet { balance } }');
  assert.equal(codeOf(needsUser), 'UNAUTHENTICATED');
});

test('profile and settings', { timeout: 60000 }, async () => {
  const f = await startProduct(services);
  const u = await signUp(f.port, 'erin');
  const p = await gql(f.port, 'mutation { updateProfile(input: { displayName: "Erin E." }) { id displayName } }', {}, { token: u.token });
  assert.equal(p.data.updateProfile.displayName, 'Erin E.');
  const me = await gql(f.port, '{ me { displayName avatar { id } } }', {}, { token: u.token });
  assert.deepEqual(me.data.me, { displayName: 'Erin E.', avatar: null }, 'the cache was invalidated');
  const notMine = await gql(f.port, 'mutation { updateProfile(input: { avatarImageId: "000000000000000000000001" }) { id } }', {}, { token: u.token });
  assert.equal(codeOf(notMine), 'BAD_USER_INPUT');

  const s1 = await gql(f.port, 'mutation($s: JSON!) { updateSettings(settings: $s) }', { s: { theme: 'dark', lang: 'en' } }, { token: u.token });
  assert.deepEqual(s1.data.updateSettings, { theme: 'dark', lang: 'en' });
  const s2 = await gql(f.port, 'mutation($s: JSON!) { updateSettings(settings: $s) }', { s: { lang: null, sound: false } }, { token: u.token });
  assert.deepEqual(s2.data.updateSettings, { theme: 'dark', sound: false });
  assert.deepEqual((await gql(f.port, '{ settings }', {}, { token: u.token })).data.settings, { theme: 'dark', sound: false });
  const bad = await gql(f.port, 'mutation($s: JSON!) { updateSettings(settings: $s) }', { s: [1, 2] }, { token: u.token });
  assert.equal(codeOf(bad), 'BAD_USER_INPUT');
  assert.equal(codeOf(await gql(f.port, '{ settings }')), 'UNAUTHENTICATED');
});

test('WebSocket: credentials in connection_init', { timeout: 60000 }, async (t) => {
  const f = await startProduct(services);
  const u = await signUp(f.port, 'frank');
  const run = (connectionParams, query) => new Promise((resolve, reject) => {
    const client = createClient({ url: `ws://127.0.0.1:${f.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams,
      on: { closed: (e) => resolve({ closed: e.code }) } });
    t.after(() => client.dispose());
    client.subscribe({ query }, { next: (v) => resolve(v), error: (e) => resolve({ error: e.code ?? e }), complete: () => {} });
    setTimeout(() => reject(new Error('timeout')), 10000);
  });
  const me = await run({ authorization: `Bearer ${u.token}` }, '{ me { id } }');
  assert.equal(me.data.me.id, u.user.id);
  const anon = await run({}, '{ me { id } }');
  assert.deepEqual(anon.data, { me: null });
  const bad = await run({ authorization: 'Bearer nope.nope.nope' }, '{ me { id } }');
  assert.equal(bad.closed ?? bad.error, 4403);
  const sub = await run({}, 'subscription { walletUpdated { balance } }');
  assert.equal(sub.error?.[0]?.extensions?.code ?? codeOf({ errors: sub.error }), 'UNAUTHENTICATED');
});

test('sign-in attempts are limited per account, with a retry-after hint', { timeout: 60000 }, async () => {
  const f = await startProduct(services, { env: { FACET_SIGNIN_LIMIT_ACCOUNT: '3', FACET_SIGNIN_LOCKOUT: '1m' } });
  const u = await signUp(f.port, 'limited');
  const attempt = (password) => gql(f.port, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
    { i: { email: u.email, password } });
  assert.equal(codeOf(await attempt(u.password)), undefined, 'a success clears the count');
  for (let i = 0; i < 3; i++) assert.equal(codeOf(await attempt('wrong-password')), 'UNAUTHENTICATED');
  const limited = await attempt(u.password);
  assert.equal(codeOf(limited), 'RATE_LIMITED');
  assert.match(limited.errors[0].message, /try again in \d+ seconds/);
});

test('RS256 tokens of an identity provider, verified against its JWKS', { timeout: 60000 }, async (t) => {
  const crypto = await import('node:crypto');
  const http = await import('node:http');
  const keys = [crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })];
  const jwk = (k, kid) => ({ ...k.publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' });
  let fetches = 0;
  const server = http.createServer((req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: keys.map((k, i) => jwk(k, `k${i}`)) }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const f = await startProduct(services, { env: {
    FACET_JWKS_URL: `http://127.0.0.1:${server.address().port}/jwks.json`,
    FACET_JWKS_ISSUER: 'https://idp.example', FACET_JWKS_AUDIENCE: 'facet-api', FACET_JWKS_REFRESH: '2s' } });
  const u = await signUp(f.port, 'idp');
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sign = (kid, claims) => {
    const head = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
    const sig = crypto.sign('sha256', Buffer.from(head), keys[Number(kid.slice(1))].privateKey).toString('base64url');
    return `${head}.${sig}`;
  };
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: u.user.id, iss: 'https://idp.example', aud: 'facet-api', iat: now, exp: now + 300, role: 'ADMIN' };
  const me = await gql(f.port, '{ me { id role } }', {}, { token: sign('k0', claims) });
  assert.deepEqual(me.data.me, { id: u.user.id, role: 'USER' }, 'an outside token never makes an admin');
  const wrongIss = await gql(f.port, '{ me { id } }', {}, { token: sign('k0', { ...claims, iss: 'https://evil.example' }) });
  assert.equal(codeOf(wrongIss), 'UNAUTHENTICATED');

  // The provider rotates in a new key: a token signed with it works once
  // Facet has fetched the set again (an unknown kid triggers a fetch; the
  // 2 s schedule may get there first).
  const before = fetches;
  keys.push(crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }));
  await new Promise((r) => setTimeout(r, 2100)); // past the least interval between fetches
  let retried;
  for (let i = 0; i < 50; i++) {
    retried = await gql(f.port, '{ me { id } }', {}, { token: sign('k1', claims) });
    if (retried.data?.me) break;
    assert.equal(codeOf(retried), 'UNAUTHENTICATED');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(retried.data.me.id, u.user.id);
  assert.ok(fetches >= before + 1, 'the set was fetched again');
});
