// OverlappingFieldsCanBeMerged (section 5.3.2): fields with the same response key must be
// mergeable: same field and arguments unless their parents are distinct object types, and
// always the same response shape; sub-selections are compared recursively, through fragments.

import { zooRoot } from './shared/zoo.mjs';

const rule = 'OverlappingFieldsCanBeMerged';
const bad = (name, query, extra = {}) => ({ name, rule, valid: false, expect: 'request-error', query, ...extra });
const good = (name, query, extra = {}) => ({ name, rule, valid: true, expect: 'ok', query, ...extra });

export default {
  schemaFile: 'schemas/zoo.graphql',
  root: zooRoot,
  cases: [
    bad('alias-two-fields', '{ dog { name: nickname name } }'),
    bad('different-literal-args', '{ dog { knows(command: SIT) knows(command: STAY) } }'),
    bad('args-and-no-args', '{ dog { knows(command: SIT) knows } }'),
    bad('different-variables', 'query ($a: Command, $b: Command) { dog { knows(command: $a) knows(command: $b) } }'),
    bad('variable-and-literal', 'query ($a: Command) { dog { knows(command: $a) knows(command: SIT) } }'),
    bad('through-fragment', '{ dog { x: name ...F } }\nfragment F on Dog { x: nickname }\n'),
    bad('nested-subselection', '{ dog { parent { x: name } parent { x: barks } } }'),
    bad('distinct-parents-conflicting-scalar-types', '{ catOrDog { ... on Cat { volume } ... on Dog { volume } } }'),
    bad('distinct-parents-non-null-vs-nullable', '{ catOrDog { ... on Cat { code } ... on Dog { code } } }'),
    bad('distinct-parents-list-vs-scalar', '{ catOrDog { ... on Cat { toys } ... on Dog { toys } } }'),
    bad('interface-and-object-not-exclusive', '{ pet { ... on Dog { name: nickname } ... on Pet { name } } }'),
    bad('between-two-fragments', '{ dog { ...A ...B } }\nfragment A on Dog { parent { n: name } }\nfragment B on Dog { parent { n: nickname } }\n'),
    bad('alias-shadows-field', '{ dog { barks: name ... on Dog { barks } } }'),
    bad('distinct-parents-deep-shape', '{ catOrDog { ... on Cat { p: parent { x: name } } ... on Dog { p: parent { x: barks } } } }'),
    bad('within-fragment', '{ dog { ...F } }\nfragment F on Dog { x: name x: barks }\n'),
    bad('in-list-items', '{ person { pets { name } pets { name: __typename } } }'),
    bad('many-conflicts', '{ dog { a: name a: nickname b: legs b: volume c: knows(command: SIT) c: knows(command: FETCH) } }'),
    good('identical-aliases', '{ dog { n: name n: name name } }'),
    good('directives-not-compared', '{ dog { name @include(if: true) name @skip(if: false) } }'),
    good('distinct-parents-same-shape', '{ catOrDog { ... on Cat { x: meows } ... on Dog { x: barks } } }'),
    good('distinct-parents-different-subfields', '{ catOrDog { ... on Cat { p: parent { name } } ... on Dog { p: parent { nickname } } } }'),
    good('same-literal-args', '{ dog { knows(command: SIT) knows(command: SIT) } }'),
    good('same-variable', 'query ($a: Command) { dog { knows(command: $a) knows(command: $a) } }', { variables: { a: 'SIT' } }),
    good('argument-order-irrelevant', '{ dog { at(x: 1, y: 2) at(y: 2, x: 1) } }'),
    good('input-field-order-irrelevant', '{ args { filter(v: {required: true, count: 1}) filter(v: {count: 1, required: true}) } }'),
    good('merged-subselections', '{ dog { parent { name } parent { legs } ...F } }\nfragment F on Dog { parent { name barks } }\n'),
    good('different-aliases-different-args', '{ dog { sit: knows(command: SIT) stay: knows(command: STAY) } }'),
  ],
};
