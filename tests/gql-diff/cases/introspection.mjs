// Introspection (section 4): graphql-js' getIntrospectionQuery() with its default options,
// with every option on, and without descriptions, against every schema of the suite; then
// small __schema / __type / __typename queries. The order of types and directives in the
// response is graphql-js' (compared exactly, as all data is).

import { getIntrospectionQuery } from 'graphql';

const SCHEMAS = ['minimal', 'starwars', 'zoo', 'rich', 'inputs', 'outputs', 'nulls', 'bench'];
const ALL = { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true };

const full = [];
for (const s of SCHEMAS) {
  full.push({ name: `full/${s}/default`, schemaFile: `schemas/${s}.graphql`, query: getIntrospectionQuery(), expect: 'ok', note: 'getIntrospectionQuery()' });
  full.push({ name: `full/${s}/all-options`, schemaFile: `schemas/${s}.graphql`, query: getIntrospectionQuery(ALL), expect: 'ok', note: `getIntrospectionQuery(${JSON.stringify(ALL)})` });
}
for (const s of ['rich', 'starwars']) {
  full.push({ name: `full/${s}/no-descriptions`, schemaFile: `schemas/${s}.graphql`, query: getIntrospectionQuery({ descriptions: false }), expect: 'ok' });
}
full.push({ name: 'full/rich/directive-deprecation', schemaFile: 'schemas/rich.graphql', query: getIntrospectionQuery({ ...ALL, experimentalDirectiveDeprecation: true }), expect: 'ok',
  note: 'graphql-js 16.15 option (not in the specification): __Directive.isDeprecated, directives(includeDeprecated:)' });
full.push({ name: 'full/rich/type-depth-2', schemaFile: 'schemas/rich.graphql', query: getIntrospectionQuery({ ...ALL, typeDepth: 2 }), expect: 'ok' });

const q = (name, query, extra = {}) => ({ name, query, expect: 'ok', ...extra });

export default {
  schemaFile: 'schemas/rich.graphql',
  root: { version: '1.0' },
  cases: [
    ...full,
    q('typename-on-root', '{ __typename version }'),
    q('schema-roots', '{ __schema { description queryType { name kind } mutationType { name } subscriptionType { name } } }'),
    q('schema-types-names', '{ __schema { types { name kind } } }'),
    q('schema-directives', '{ __schema { directives { name description isRepeatable locations args { name type { name kind ofType { name } } defaultValue } } } }'),
    q('type-object', '{ __type(name: "File") { kind name description fields { name description isDeprecated deprecationReason args { name defaultValue } type { kind name ofType { kind name } } } interfaces { name } possibleTypes { name } enumValues { name } inputFields { name } ofType { name } specifiedByURL isOneOf } }'),
    q('type-deprecated-included', '{ __type(name: "File") { fields(includeDeprecated: true) { name isDeprecated deprecationReason args(includeDeprecated: true) { name isDeprecated deprecationReason } } } }'),
    q('type-deprecated-excluded-explicitly', '{ __type(name: "File") { fields(includeDeprecated: false) { name args(includeDeprecated: false) { name } } } }'),
    q('type-enum', '{ __type(name: "Role") { kind name description enumValues { name description } all: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } fields { name } } }'),
    q('type-extended-enum', '{ __type(name: "Kind") { enumValues { name } } }'),
    q('type-input', '{ __type(name: "Filter") { kind name isOneOf inputFields { name defaultValue type { name kind ofType { name kind ofType { name } } } } all: inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }'),
    q('type-oneof', '{ __type(name: "Locator") { kind isOneOf inputFields { name type { name kind } defaultValue } } }'),
    q('type-scalars', '{ dt: __type(name: "DateTime") { kind name description specifiedByURL } url: __type(name: "URL") { specifiedByURL } opaque: __type(name: "Opaque") { specifiedByURL description } string: __type(name: "String") { kind name description specifiedByURL } }'),
    q('type-interface', '{ __type(name: "Resource") { kind name interfaces { name } possibleTypes { name } fields { name } } entity: __type(name: "Entity") { possibleTypes { name } } }'),
    q('type-union', '{ __type(name: "Item") { kind name description possibleTypes { name kind } fields { name } interfaces { name } } }'),
    q('type-unknown', '{ __type(name: "Nope") { name } }'),
    q('type-wrappers', '{ __type(name: "Folder") { fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }'),
    q('introspection-types-themselves', '{ s: __type(name: "__Schema") { fields { name type { name kind ofType { name } } } } t: __type(name: "__Type") { fields { name args { name defaultValue } } } k: __type(name: "__TypeKind") { enumValues { name } } l: __type(name: "__DirectiveLocation") { enumValues { name } } }'),
    q('default-values-printed', '{ __type(name: "Folder") { fields { args { name defaultValue } } } q: __type(name: "Query") { fields { name args(includeDeprecated: true) { name defaultValue isDeprecated } } } }'),
    q('introspection-with-fragments-and-aliases', '{ t: __type(name: "Item") { ...T } __schema { qt: queryType { ...T } } }\nfragment T on __Type { n: name k: kind possibleTypes { n: name } }\n'),
    q('typename-of-introspection-objects', '{ __schema { __typename queryType { __typename fields { __typename type { __typename } } } directives { __typename } } }'),
    q('type-missing-name-argument', '{ __type { name } }', { expect: 'request-error' }),
    q('typename-inside-mutation', 'mutation { __typename }'),
    q('schema-on-non-root-refused', '{ root { __schema { description } } }', { expect: 'request-error' }),
    q('minimal-type-map', '{ __schema { types { name } directives { name locations } } }', { schemaFile: 'schemas/minimal.graphql' }),
    q('starwars-type-map-order', '{ __schema { types { name } } }', { schemaFile: 'schemas/starwars.graphql' }),
    q('zoo-directives', '{ __schema { directives { name isRepeatable locations args { name type { kind name ofType { name } } } } } }', { schemaFile: 'schemas/zoo.graphql' }),
  ],
};
