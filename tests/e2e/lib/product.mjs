// The product API under test: `facet serve` with schema/ on real Valkey and
// FerretDB, each test file on a database of its own, and small helpers to
// call GraphQL over HTTP as a signed-in user.
import crypto from 'node:crypto';
import path from 'node:path';
import { REPO_ROOT, startFacet } from './facet.mjs';

export const PRODUCT_SCHEMA = path.join(REPO_ROOT, 'schema');
export const JWT_SECRET = 'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const WEBHOOK_SECRET = 'whsec_e2e_0123456789';

/** MONGODB_URI with its database replaced by `db`. */
export function withDatabase(uri, db) {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}

/** The environment of a product instance on `services`, with a fresh database unless `db` is given. */
export function productEnv(services, { db, ...extra } = {}) {
  return {
    VALKEY_URL: services.valkeyUrl,
    MONGODB_URI: withDatabase(services.mongoUri, db ?? `e2e_${crypto.randomBytes(6).toString('hex')}`),
    FACET_SCHEMA: PRODUCT_SCHEMA,
    FACET_JWT_SECRET: JWT_SECRET,
    FACET_PAYMENTS_PROVIDER: 'dev',
    FACET_PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    // Argon2id stays Argon2id, only cheaper, so the suite runs in seconds.
    FACET_PASSWORD_MEMORY: '256KiB',
    FACET_PASSWORD_OPS: '1',
    // Every test signs in from 127.0.0.1, and files may share one Valkey:
    // the per-address limit is tested with its own instance.
    FACET_SIGNIN_LIMIT_ADDRESS: '100000',
    ...extra,
  };
}

export function startProduct(services, options = {}) {
  const { env, ...rest } = options;
  return startFacet({ env: productEnv(services, env ?? {}), ...rest });
}

/** POSTs one operation; returns the parsed body and the HTTP status. */
export async function gql(port, query, variables = {}, { token, headers = {} } = {}) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  return { status: res.status, ...body };
}

/** The first error's extensions.code (or undefined). */
export const codeOf = (res) => res.errors?.[0]?.extensions?.code;

let counter = 0;
/** Signs a new user up; returns { token, refreshToken, user, email, password }. */
export async function signUp(port, label = 'user') {
  const n = `${label}${Date.now().toString(36)}${(counter++).toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  const email = `${n}@example.com`;
  const password = `pw-${n}-long-enough`;
  const res = await gql(port, `mutation($i: SignUpInput!) { signUp(input: $i) {
      accessToken refreshToken expiresAt user { id username email } } }`,
  { i: { email, username: n.slice(0, 32), password } });
  if (!res.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(res)}`);
  const p = res.data.signUp;
  return { token: p.accessToken, refreshToken: p.refreshToken, user: p.user, email, password };
}
