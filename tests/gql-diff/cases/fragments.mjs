// Field collection (section 6.3.2): named and inline fragments on objects, interfaces and
// unions, fragments nested in fragments, abstract fragments inside other abstract types,
// __typename everywhere, @skip/@include with literals and variables, and the order of keys in
// the response (first occurrence wins, as fields are merged).

import { starwarsRoot } from './shared/starwars.mjs';

const q = (name, query, extra = {}) => ({ name, query, expect: 'ok', ...extra });

export default {
  schemaFile: 'schemas/starwars.graphql',
  root: starwarsRoot,
  cases: [
    q('named-on-object', '{ human(id: "1000") { ...H } }\nfragment H on Human { name homePlanet }\n'),
    q('inline-on-object', '{ human(id: "1000") { ... on Human { name } id } }'),
    q('inline-without-condition', '{ droid(id: "2000") { ... { name ... { primaryFunction } } } }'),
    q('interface-fragment-on-object', '{ human(id: "1000") { ...C } }\nfragment C on Character { name appearsIn }\n'),
    q('object-fragments-on-interface', '{ hero { name ... on Droid { primaryFunction } ... on Human { homePlanet } } }'),
    q('object-fragments-on-interface-list', '{ characters { __typename name ...D ...H } }\nfragment D on Droid { primaryFunction }\nfragment H on Human { height starships { name } }\n'),
    q('union-members', '{ search(text: "a") { __typename ... on Human { name height } ... on Droid { name primaryFunction } ... on Starship { name length } } }'),
    q('interface-inside-union', '{ search { ... on Character { name friends { name } } ... on Node { id } } }'),
    q('union-inside-interface', '{ characters { ... on SearchResult { __typename } ...S } }\nfragment S on SearchResult { ... on Droid { primaryFunction } }\n'),
    q('node-interface-of-interface', '{ node(id: "1002") { id ... on Character { name } ... on Human { homePlanet } ... on Starship { length } } }'),
    q('nested-named', '{ hero { ...A } }\nfragment A on Character { name ...B }\nfragment B on Character { friends { ...C } }\nfragment C on Character { name ... on Human { homePlanet } }\n'),
    q('same-fragment-twice', '{ hero { ...F friends { ...F } } }\nfragment F on Character { id name }\n'),
    q('typename-everywhere', '{ __typename hero { __typename ... on Droid { __typename t: __typename } friends { __typename } } search { __typename } }'),
    q('typename-in-fragment-on-union', '{ search { ...R } }\nfragment R on SearchResult { kind: __typename ... on Starship { id } }\n'),
    q('key-order-first-occurrence', '{ hero { name ...F id } }\nfragment F on Character { id friends { name } name }\n'),
    q('key-order-merged-subselections', '{ hero { friends { name } id friends { id ... on Human { homePlanet } name } } }'),
    q('key-order-abstract', '{ characters { ... on Droid { primaryFunction } name ... on Human { homePlanet } id } }'),
    q('key-order-aliases', '{ z: hero { b: name a: id } a: hero { a: name } y: droid(id: "2000") { ...F } }\nfragment F on Droid { c: id b: name a: primaryFunction }\n'),
    q('non-matching-fragment-ignored', '{ hero { ... on Human { homePlanet } ...H name } }\nfragment H on Human { height }\n'),
    q('skip-include-literals-fields', '{ hero { a: name @skip(if: true) b: name @skip(if: false) c: name @include(if: true) d: name @include(if: false) } }'),
    q('skip-include-both', '{ hero { a: id @skip(if: false) @include(if: true) b: id @skip(if: true) @include(if: true) c: id @skip(if: false) @include(if: false) d: id @skip(if: true) @include(if: false) } }'),
    q('skip-on-fragments', '{ hero { ...F @skip(if: true) ...G @include(if: true) ... on Droid @skip(if: true) { primaryFunction } ... @include(if: false) { id } } }\nfragment F on Character { name }\nfragment G on Character { appearsIn }\n'),
    q('skipped-here-included-there', '{ hero { name @skip(if: true) ... { name } id @include(if: false) ...F } }\nfragment F on Character { id @include(if: true) }\n'),
    q('skip-include-variables', 'query ($yes: Boolean!, $no: Boolean!) { hero { name @include(if: $yes) id @include(if: $no) ...F @skip(if: $no) ... on Droid @skip(if: $yes) { primaryFunction } } }\nfragment F on Character { appearsIn }\n', { variables: { yes: true, no: false } }),
    q('skip-variable-default', 'query ($s: Boolean = true) { hero { name @skip(if: $s) id } }'),
    q('skip-all-fields', '{ hero { name @skip(if: true) } droid(id: "2000") @include(if: false) { name } }'),
    q('skip-root-field-and-typename', '{ __typename @skip(if: true) hero @skip(if: false) { __typename @include(if: false) name } }'),
    q('deep-fragments-in-lists', '{ human(id: "1000") { friends { ...Friend } } }\nfragment Friend on Character { name ... on Droid { friends { ... on Human { name starships { ... on Node { id } } } } } }\n'),
    q('fragment-on-root', 'query { ...Root }\nfragment Root on Query { hero { name } ... on Query { droid(id: "2000") { name } } }\n'),
  ],
};
