// Operations (sections 6.1-6.2): aliases, one field under several aliases with different
// arguments, argument defaults, mutations (serial; with default resolvers they read the root
// value), subscriptions executed by graphql() like queries, choosing an operation by name, and
// the request errors for a missing or unknown operation name or a missing root type.

import { starwarsRoot } from './shared/starwars.mjs';

const q = (name, query, extra = {}) => ({ name, query, ...extra });
const multi = 'query A { hero { name } }\nquery B { droid(id: "2000") { name } }\nmutation C { counter }\n';

export default {
  schemaFile: 'schemas/starwars.graphql',
  root: starwarsRoot,
  cases: [
    q('aliases', '{ luke: human(id: "1000") { n: name planet: homePlanet } r2: hero { name } }', { expect: 'ok' }),
    q('same-field-different-args', '{ a: hero(episode: EMPIRE) { name } b: hero(episode: JEDI) { id } c: hero { name } }', { expect: 'ok' }),
    q('alias-same-as-other-field', '{ name: hero { hero: name } droid: human(id: "1") { human: name } }', { expect: 'ok' }),
    q('argument-defaults', '{ human(id: "1000") { height h2: height(unit: FOOT) } starship(id: "3000") { length } reviews(episode: JEDI) { stars } }', { expect: 'ok' }),
    q('keyword-names-as-fields-and-aliases', '{ query: hero { fragment: name on: id } mutation: droid(id: "x") { subscription: name } }', { expect: 'ok' }),
    q('mutation', 'mutation { createReview(episode: JEDI, review: {stars: 5, commentary: "Great"}) { episode stars commentary } }', { expect: 'ok' }),
    q('mutation-several-fields', 'mutation M { first: counter second: counter deleteReview(id: "1") createReview(review: {stars: 1}) { stars } }', { expect: 'ok' }),
    q('mutation-non-null-null', 'mutation { counter deleteReview(id: "1") }', { root: { counter: 3, deleteReview: null }, expect: 'field-error' }),
    q('mutation-variables', 'mutation ($ep: Episode, $r: ReviewInput!) { createReview(episode: $ep, review: $r) { stars } }', { variables: { ep: 'EMPIRE', r: { stars: 2 } }, expect: 'ok' }),
    q('subscription-executes-like-query', 'subscription { reviewAdded(episode: EMPIRE) { episode stars } }', { expect: 'ok', note: 'graphql() runs a subscription operation once over the root value' }),
    q('operation-name-selects', multi, { operation: 'B', expect: 'ok' }),
    q('operation-name-selects-mutation', multi, { operation: 'C', expect: 'ok' }),
    q('operation-name-missing', multi, { expect: 'request-error' }),
    q('operation-name-unknown', multi, { operation: 'D', expect: 'request-error' }),
    q('operation-name-for-anonymous', '{ hero { name } }', { operation: 'A', expect: 'request-error' }),
    q('operation-name-matches-single', 'query Only { hero { name } }', { operation: 'Only', expect: 'ok' }),
    q('single-named-without-name', 'query Only { hero { name } }', { expect: 'ok' }),
    q('operation-variables-per-operation', 'query A($e: Episode) { hero(episode: $e) { name } }\nquery B($id: ID!) { human(id: $id) { name } }\n', { operation: 'B', variables: { id: '1000' }, expect: 'ok' }),
    q('fragments-only', 'fragment F on Query { hero { name } }\n', { expect: 'request-error' }),
    q('no-mutation-type', 'mutation { counter }', { schema: 'type Query { a: Int }\n', root: { a: 1, counter: 1 }, expect: 'field-error', note: 'graphql-js 16: an error without path and data null' }),
    q('no-subscription-type', 'subscription S { a }', { schema: 'type Query { a: Int }\n', root: { a: 1 }, expect: 'field-error', note: 'graphql-js 16: an error without path and data null' }),
    q('mutation-root-missing-at-runtime', 'mutation { counter }', { schema: 'type Query { a: Int }\ntype Mutation { counter: Int }\n', root: { a: 1 }, expect: 'ok', note: 'absent root property: null' }),
    q('custom-root-type-names', 'query Q { hello } mutation M { set }', { schema: 'schema { query: Q mutation: M }\ntype Q { hello: String }\ntype M { set: Boolean }\n', root: { hello: 'hi', set: true }, operation: 'M', expect: 'ok' }),
    q('typename-on-roots', 'query Q { __typename } mutation M { __typename }', { operation: 'M', expect: 'ok' }),
    q('variables-unused-operation-invalid', 'query A($id: ID!) { human(id: $id) { name } }\nquery B { hero { name } }\n', { operation: 'B', expect: 'ok', note: 'variables of the operation not run are not coerced' }),
  ],
};
