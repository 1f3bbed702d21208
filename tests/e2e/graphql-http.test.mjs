// GraphQL over HTTP at /graphql, against the fixture build: the graphql-http
// audit suite, Apollo's CSRF rule, persisted queries shared through Valkey,
// error codes, batching and limits. The checks that hold for any schema live
// in lib/transport.mjs; graphql-product.test.mjs runs them on the product.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { startFixture, useFacetCleanup } from './lib/facet.mjs';
import { useServices } from './lib/services.mjs';
import { assertAuditOk, assertCsrfRule, assertPersistedQueries, post as postTo } from './lib/transport.mjs';

useFacetCleanup();
const services = useServices();

const POSTS = '{ posts(first: 2) { id title author { name avatar { url } } } }';
const post = (f, body, headers) => postTo(f.port, body, headers);

describe('GraphQL over HTTP', () => {
  test('graphql-http audit: every audit ok', async () => {
    const f = await startFixture({ env: services.env });
    await assertAuditOk(f.port);
  });

  test('queries run with the fixture resolvers, GET and POST alike', async () => {
    const f = await startFixture({ env: services.env });
    const r = await post(f, { query: POSTS });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.posts[1], {
      id: 'p1',
      title: 'Post number 1',
      author: { name: 'User 1', avatar: { url: 'https://cdn.example.com/images/i1.webp' } },
    });
    const g = await fetch(`http://127.0.0.1:${f.port}/graphql?query=${encodeURIComponent('{ hello }')}`);
    assert.equal(g.status, 200);
    assert.deepEqual(await g.json(), { data: { hello: 'world' } });
  });

  test("Apollo's CSRF rule refuses simple POSTs without a preflight header", async () => {
    const f = await startFixture({ env: services.env });
    await assertCsrfRule(f.port, '{ hello }');
  });

  test('error codes: parse, validation, bad variables, unknown operation', async () => {
    const f = await startFixture({ env: services.env });
    const parse = await post(f, { query: '{' });
    assert.equal(parse.json.errors[0].extensions.code, 'GRAPHQL_PARSE_FAILED');
    const invalid = await post(f, { query: '{ nope }' });
    assert.equal(invalid.json.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    const vars = await post(f, { query: 'query($n: Int) { posts(first: $n) { id } }', variables: { n: 'x' } });
    assert.equal(vars.json.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.equal(vars.json.data, undefined);
    const strict = await post(f, { query: '{' }, { accept: 'application/graphql-response+json' });
    assert.equal(strict.status, 400);
  });

  test('automatic persisted queries: not found, registered, then found on another instance', async () => {
    const a = await startFixture({ env: services.env });
    const b = await startFixture({ env: services.env });
    const query = `{ posts(first: 1) { id } } # ${crypto.randomUUID()}`;
    await assertPersistedQueries(a.port, b.port, query, { data: { posts: [{ id: 'p0' }] } });
  });

  test('batching is off by default and works when enabled', async () => {
    const off = await startFixture({ env: services.env });
    const r = await post(off, [{ query: '{ hello }' }]);
    assert.ok(r.json.errors);
    const on = await startFixture({ env: { ...services.env, FACET_GRAPHQL_BATCHING: 'true' } });
    const b = await post(on, [{ query: '{ hello }' }, { query: '{ posts(first: 1) { id } }' }]);
    assert.deepEqual(b.json, [{ data: { hello: 'world' } }, { data: { posts: [{ id: 'p0' }] } }]);
  });

  test('limits are refused before execution', async () => {
    const f = await startFixture({ env: { ...services.env, FACET_MAX_DEPTH: '2', FACET_MAX_ALIASES: '1' } });
    const deep = await post(f, { query: '{ posts { author { avatar { url } } } }' });
    assert.match(deep.json.errors[0].message, /depth/i);
    const aliases = await post(f, { query: '{ a: hello b: hello }' });
    assert.match(aliases.json.errors[0].message, /alias/i);
  });

  test('introspection can be switched off, and suggestions with it', async () => {
    const f = await startFixture({ env: { ...services.env, FACET_INTROSPECTION: 'off' } });
    const r = await post(f, { query: '{ __schema { queryType { name } } }' });
    assert.ok(r.json.errors);
    const typo = await post(f, { query: '{ helo }' });
    assert.doesNotMatch(typo.json.errors[0].message, /Did you mean/);
  });
});
