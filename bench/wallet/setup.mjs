// The users of bench/wallet.sh, made through Facet's own API.
//
//   node setup.mjs users URL COUNT GEMS OUTDIR
//     Signs up an admin (made ADMIN with `$FACET_BIN users set-role`, which
//     reads MONGODB_URI) and COUNT + 1 users, grants each user GEMS gems,
//     and writes OUTDIR/tokens-multi.txt (COUNT access tokens, one a line),
//     OUTDIR/tokens-single.txt (the last user's alone, a wallet the other
//     runs never touch) and OUTDIR/users.json.
//   node setup.mjs spent URL OUTDIR GEMS
//     Prints {"spent": N}: how many gems the users of OUTDIR/users.json
//     have spent in all, from their balances (GEMS each at the start).
//
// URL is the GraphQL endpoint. Exits non-zero, saying why, on any failure.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

async function gql(url, query, variables = {}, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (res.status !== 200 || body.errors) throw new Error(`${query.slice(0, 60)}: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

const AUTH = 'accessToken user { id email }';
const run = crypto.randomBytes(4).toString('hex');

async function signUp(url, label) {
  const name = `${label}${run}`;
  const data = await gql(url, `mutation($i: SignUpInput!) { signUp(input: $i) { ${AUTH} } }`,
    { i: { email: `${name}@bench.example`, username: name, password: `pw-${name}-long-enough` } });
  return { token: data.signUp.accessToken, id: data.signUp.user.id, email: data.signUp.user.email, password: `pw-${name}-long-enough` };
}

async function users(url, count, gems, outdir) {
  const admin = await signUp(url, 'admin');
  execFileSync(process.env.FACET_BIN, ['users', 'set-role', admin.email, 'ADMIN'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const signedIn = await gql(url, `mutation($i: SignInInput!) { signIn(input: $i) { ${AUTH} user { role } } }`,
    { i: { email: admin.email, password: admin.password } });
  if (signedIn.signIn.user.role !== 'ADMIN') throw new Error('the admin did not become ADMIN');
  const adminToken = signedIn.signIn.accessToken;
  const list = [];
  for (let i = 0; i <= count; i++) {
    const u = await signUp(url, `u${i}x`);
    await gql(url, `mutation($i: AdjustGemsInput!) { grantGems(input: $i) { wallet { balance } } }`,
      { i: { userId: u.id, amount: gems, reason: 'benchmark funds', idempotencyKey: `bench-${run}-${i}` } }, adminToken);
    list.push(u);
  }
  fs.writeFileSync(path.join(outdir, 'tokens-multi.txt'), list.slice(0, count).map((u) => u.token).join('\n') + '\n');
  fs.writeFileSync(path.join(outdir, 'tokens-single.txt'), `${list[count].token}\n`);
  fs.writeFileSync(path.join(outdir, 'users.json'), JSON.stringify(list.map(({ id, token }) => ({ id, token }))));
}

async function spent(url, outdir, gems) {
  const list = JSON.parse(fs.readFileSync(path.join(outdir, 'users.json'), 'utf8'));
  let total = 0;
  for (const u of list) total += gems - (await gql(url, '{ wallet { balance } }', {}, u.token)).wallet.balance;
  console.log(JSON.stringify({ spent: total }));
}

const [cmd, url, ...rest] = process.argv.slice(2);
try {
  if (cmd === 'users' && rest.length === 3) await users(url, Number(rest[0]), Number(rest[1]), rest[2]);
  else if (cmd === 'spent' && rest.length === 2) await spent(url, rest[0], Number(rest[1]));
  else throw new Error('usage: setup.mjs users URL COUNT GEMS OUTDIR | spent URL OUTDIR GEMS');
} catch (e) {
  console.error(`setup.mjs: ${e.message}`);
  process.exit(1);
}
