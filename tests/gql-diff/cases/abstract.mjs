// Abstract types (section 6.4.3, ResolveAbstractType): interface and union values choose their
// object type by their __typename; a missing, unknown, non-object or impossible __typename is a
// field error with a path, which null propagation then handles.

import { starwarsRoot } from './shared/starwars.mjs';

const luke = starwarsRoot.human;
const q = (name, query, root, extra = {}) => ({ name, query, root, ...extra });
const heroQuery = '{ hero { __typename name } }';

export default {
  schemaFile: 'schemas/starwars.graphql',
  root: starwarsRoot,
  cases: [
    q('interface-human', '{ hero { __typename id name ... on Human { homePlanet } } }', { hero: luke }, { expect: 'ok' }),
    q('interface-fields-only', '{ hero(episode: EMPIRE) { id name appearsIn friends { name } } }', undefined, { expect: 'ok' }),
    q('union-list', '{ search { __typename ... on Node { id } } }', undefined, { expect: 'ok' }),
    q('interface-of-interface', '{ node(id: "x") { __typename id ... on Character { name } } }', { node: { __typename: 'Starship', id: 's1', name: 'Ship' } }, { expect: 'ok' }),
    q('missing-typename', heroQuery, { hero: { name: 'Nameless' } }, { expect: 'field-error' }),
    q('unknown-typename', heroQuery, { hero: { __typename: 'Wookiee', name: 'Chewie' } }, { expect: 'field-error' }),
    q('interface-typename', heroQuery, { hero: { __typename: 'Character', name: 'Abstract' } }, { expect: 'field-error' }),
    q('scalar-type-typename', heroQuery, { hero: { __typename: 'String', name: 'S' } }, { expect: 'field-error' }),
    q('impossible-typename-interface', heroQuery, { hero: { __typename: 'Starship', name: 'Falcon' } }, { expect: 'field-error' }),
    q('impossible-typename-union', '{ search { __typename } }', { search: [{ __typename: 'Review' }] }, { expect: 'field-error' }),
    q('non-string-typename', heroQuery, { hero: { __typename: 7, name: 'Seven' } }, { expect: 'field-error' }),
    q('scalar-value-for-abstract', heroQuery, { hero: 'R2-D2' }, { expect: 'field-error' }),
    q('null-abstract-value', heroQuery, { hero: null }, { expect: 'ok' }),
    q('bad-items-in-list', '{ search { __typename ... on Starship { name } } }',
      { search: [{ __typename: 'Starship', name: 'A' }, { name: 'B' }, { __typename: 'Bogus' }, null, { __typename: 'Droid' }] }, { expect: 'field-error' }),
    q('non-null-abstract-propagates', '{ character { name } hero { name } }', { character: { name: 'No type' }, hero: luke }, { expect: 'field-error' }),
    q('non-null-list-abstract-propagates', '{ characters { name } }', { characters: [luke, { __typename: 'Human', name: 'ok' }, { __typename: 'Starship' }] }, { expect: 'field-error' }),
    q('typename-ignored-on-object-type', '{ human(id: "1") { __typename name } }', { human: { __typename: 'Droid', name: 'Typed as Droid' } }, { expect: 'ok', note: 'an object-typed field takes its static type; the value\'s __typename is ignored' }),
    q('nested-abstract-friends', '{ hero { friends { __typename ... on Human { homePlanet } ... on Droid { primaryFunction } } } }', undefined, { expect: 'ok' }),
    q('nested-abstract-friend-error', '{ hero { name friends { name } } }', { hero: { __typename: 'Droid', name: 'R2', friends: [luke, { name: 'typeless' }] } }, { expect: 'field-error' }),
    q('typename-only-selection', '{ search { __typename } node(id: "1") { __typename } }', undefined, { expect: 'ok' }),
  ],
};
