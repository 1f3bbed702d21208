// Edge cases that cut across the other groups: number formatting of results, empty objects
// from fragments that do not apply, reserved-looking aliases, deep nesting, long lists, JSON
// details of the root value (duplicate keys, escapes), and introspection through variables.

import { starwarsRoot } from './shared/starwars.mjs';

const q = (name, query, extra = {}) => ({ name, query, expect: 'ok', ...extra });
const deepSchema = 'type Node {\n  id: Int\n  next: Node\n}\ntype Query {\n  node: Node\n  nodes: [Node]\n}\n';
let chain = { id: 40, next: null };
for (let i = 39; i >= 0; i--) chain = { id: i, next: chain };
const deepQuery = `{ node { ${'next { '.repeat(39)}id${' }'.repeat(39)} } }`;

export default {
  schemaFile: 'schemas/starwars.graphql',
  root: starwarsRoot,
  cases: [
    q('empty-object-from-non-matching-fragment', '{ hero { ... on Human { homePlanet } } characters { ... on Droid { primaryFunction } } }'),
    q('alias-looking-reserved', '{ __typename: hero { name } t: __typename }', { note: 'an alias may be spelled __typename' }),
    q('float-formatting', '{ a: human(id: "1") { height } b: starship(id: "2") { length } }',
      { rootJson: '{"human": {"height": 0.30000000000000004}, "starship": {"length": 5e-324}}' }),
    q('float-formatting-large', '{ human(id: "1") { height } starship(id: "2") { length } }',
      { rootJson: '{"human": {"height": 123456789.123456789}, "starship": {"length": 1e21}}' }),
    q('float-negative-zero', '{ human(id: "1") { height } }', { rootJson: '{"human": {"height": -0.0}}' }),
    q('duplicate-keys-in-root', '{ human(id: "1") { name height } }', { rootJson: '{"human": {"name": "first", "height": 1, "name": "last"}}', note: 'JSON.parse keeps the last of duplicate keys' }),
    q('escapes-in-root-strings', '{ human(id: "1") { name homePlanet } }', { rootJson: '{"human": {"name": "a\\u0000b\\u001fc\\"d\\\\e\\/f\\b\\f\\n\\r\\t", "homePlanet": "\\u2028\\u2029 \\ud83d\\ude00 \\u00e9"}}' }),
    q('root-whitespace', '{ hero { name } }', { rootJson: '\n\t {\r\n "hero" : { "__typename" :"Droid" , "name":"spaced" } }\n\n' }),
    q('deep-nesting-40', deepQuery, { schema: deepSchema, root: { node: chain } }),
    q('long-list', '{ nodes { id } }', { schema: deepSchema, root: { nodes: Array.from({ length: 2000 }, (_, i) => ({ id: i })) } }),
    q('long-list-errors', '{ nodes { id } }', { schema: deepSchema, root: { nodes: Array.from({ length: 300 }, (_, i) => ({ id: i % 3 ? i : `x${i}` })) }, expect: 'field-error' }),
    q('introspection-with-variable', 'query ($n: String!, $d: Boolean = true) { __type(name: $n) { name fields(includeDeprecated: $d) { name } } }', { variables: { n: 'Droid' } }),
    q('typename-in-list-with-nulls', '{ search { __typename } }', { root: { search: [null, { __typename: 'Droid' }, null] } }),
    q('same-alias-merged-across-levels', '{ hero { friends { name } } hero { friends { id name } } ... on Query { hero { id } } }'),
    q('unicode-field-values', '{ hero { name } }', { root: { hero: { __typename: 'Droid', name: '\u00e9\u4e16\u{1F600}\u0000' } } }),
    q('empty-root', '{ hero { name } search { __typename } }', { rootJson: '{}' }),
    q('root-extra-properties', '{ hero { name } }', { root: { hero: { __typename: 'Droid', name: 'x', extra: { deep: [1, 2, { a: null }] }, primaryFunction: [1] } } }),
  ],
};
