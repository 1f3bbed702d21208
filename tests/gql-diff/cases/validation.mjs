// Validation (section 5 of the specification, graphql-js' specifiedRules): for every rule,
// documents that break it (graphql-js must report it alone, and the whole response is a
// request error) and documents that pass it (the whole request executes without errors).
// OverlappingFieldsCanBeMerged has its own file.

import { zooRoot } from './shared/zoo.mjs';

const bad = (rule, name, query, extra = {}) =>
  ({ name: `${rule}/${name}`, rule, valid: false, expect: 'request-error', query, ...extra });
const good = (rule, name, query, extra = {}) =>
  ({ name: `${rule}/${name}`, rule, valid: true, expect: 'ok', query, ...extra });

export default {
  schemaFile: 'schemas/zoo.graphql',
  root: zooRoot,
  cases: [
    // ExecutableDefinitions
    bad('ExecutableDefinitions', 'type-definition', '{ dog { name } }\ntype Extra { a: Int }\n'),
    bad('ExecutableDefinitions', 'schema-and-extension', 'query Q { hello }\nschema { query: Query }\nextend type Dog { color: String }\n'),
    bad('ExecutableDefinitions', 'scalar-and-directive', 'scalar Date\n{ hello }\ndirective @x on FIELD\n'),
    good('ExecutableDefinitions', 'operations-and-fragments', 'query A { hello }\nquery B { dog { ...F } }\nfragment F on Dog { name }\n', { operation: 'B' }),

    // UniqueOperationNames
    bad('UniqueOperationNames', 'two-queries', 'query A { hello }\nquery A { dog { name } }\n', { operation: 'A' }),
    bad('UniqueOperationNames', 'query-and-mutation', 'query A { hello }\nmutation A { adopt(name: "x") { name } }\n', { operation: 'A' }),
    bad('UniqueOperationNames', 'query-and-subscription', 'query Feed { hello }\nsubscription Feed { barked { name } }\n', { operation: 'Feed' }),
    good('UniqueOperationNames', 'distinct', 'query A { hello }\nquery B { dog { name } }\nmutation C { adopt(name: "z") { name } }\n', { operation: 'B' }),

    // LoneAnonymousOperation
    bad('LoneAnonymousOperation', 'two-anonymous', '{ hello }\n{ dog { name } }\n'),
    bad('LoneAnonymousOperation', 'anonymous-and-named', '{ hello }\nquery B { hello }\n'),
    bad('LoneAnonymousOperation', 'anonymous-mutation', '{ hello }\nmutation { adopt(name: "a") { name } }\n'),
    good('LoneAnonymousOperation', 'alone-with-fragment', '{ ...Root }\nfragment Root on Query { hello }\n'),

    // SingleFieldSubscriptions
    bad('SingleFieldSubscriptions', 'two-fields', 'subscription { barked { name } meowed { name } }'),
    bad('SingleFieldSubscriptions', 'via-inline-fragment', 'subscription S {\n  barked { name }\n  ... on Subscription { meowed { name } }\n}\n'),
    bad('SingleFieldSubscriptions', 'via-fragment', 'subscription S { ...Both }\nfragment Both on Subscription { barked { name } meowed { name } }\n'),
    bad('SingleFieldSubscriptions', 'introspection-field', 'subscription { __typename }'),
    bad('SingleFieldSubscriptions', 'aliases-of-one-field', 'subscription { a: barked { name } b: barked { nickname } }'),
    good('SingleFieldSubscriptions', 'one-field', 'subscription { barked { name volume } }'),
    good('SingleFieldSubscriptions', 'one-field-in-inline-fragment', 'subscription { ... on Subscription { meowed { name } } }'),
    good('SingleFieldSubscriptions', 'second-skipped-by-literal', 'subscription { barked @skip(if: true) { name } meowed { name } }'),

    // KnownTypeNames
    bad('KnownTypeNames', 'variable-type', 'query ($v: Strin) { args { string(v: $v) } }'),
    bad('KnownTypeNames', 'inline-fragment', '{ dog { ... on Doge { name } } }'),
    bad('KnownTypeNames', 'fragment-and-nested-list', 'query ($v: [[Unknown!]]) { dog { ...F } }\nfragment F on Kat { name }\n'),
    good('KnownTypeNames', 'built-ins-and-schema-types', 'query ($id: ID, $f: Filter, $c: Color) { person(id: $id) { name } args { filter(v: $f) color(v: $c) } }', { variables: { id: 'p1', f: { required: true } } }),

    // FragmentsOnCompositeTypes
    bad('FragmentsOnCompositeTypes', 'fragment-on-scalar', '{ dog { ...F } }\nfragment F on Boolean { something }\n'),
    bad('FragmentsOnCompositeTypes', 'inline-on-enum', '{ dog { ... on Command { something } } }'),
    bad('FragmentsOnCompositeTypes', 'fragment-on-input', '{ dog { ...F } }\nfragment F on Filter { required }\n'),
    good('FragmentsOnCompositeTypes', 'object-interface-union', '{ dog { ... on Animal { legs } ... on Dog { barks } } named { ... on Named { name } } catOrDog { ... on CatOrDog { __typename } } }'),
    good('FragmentsOnCompositeTypes', 'inline-without-type', '{ dog { ... { name } ... @include(if: true) { legs } } }'),

    // VariablesAreInputTypes
    bad('VariablesAreInputTypes', 'object-type', 'query ($d: Dog) { dog { name } }'),
    bad('VariablesAreInputTypes', 'union-and-interface-in-wrappers', 'query ($a: [CatOrDog]!, $b: Pet!) { hello }'),
    good('VariablesAreInputTypes', 'inputs', 'query ($f: Filter, $c: Color!, $i: Int = 3, $s: [String]!) { args { filter(v: $f) int(v: $i) strings(v: $s) color(v: $c) } dog @include(if: true) { name } }', { variables: { s: ['a'], c: 'BLACK' } }),

    // ScalarLeafs
    bad('ScalarLeafs', 'object-without-selection', '{ dog }'),
    bad('ScalarLeafs', 'scalar-with-selection', '{ hello { length } }'),
    bad('ScalarLeafs', 'nested-boolean-selection', '{ dog { barks { value } } }'),
    bad('ScalarLeafs', 'union-without-selection', '{ catOrDog }'),
    bad('ScalarLeafs', 'enum-with-selection', '{ cat { color { name } } }'),
    good('ScalarLeafs', 'leaves', '{ dog { name parent { name } } cat { color } }'),

    // FieldsOnCorrectType
    bad('FieldsOnCorrectType', 'unknown-on-object', '{ dog { meows } }'),
    bad('FieldsOnCorrectType', 'field-on-union', '{ catOrDog { name } }'),
    bad('FieldsOnCorrectType', 'field-on-interface', '{ pet { barks } }'),
    bad('FieldsOnCorrectType', 'aliased-in-fragment', '{ dog { ...F } }\nfragment F on Dog { unknown: foo }\n'),
    bad('FieldsOnCorrectType', 'in-inline-fragment', '{ named { ... on Robot { model legs } } }'),
    bad('FieldsOnCorrectType', 'on-root', '{ helo }'),
    good('FieldsOnCorrectType', 'typename-on-union', '{ catOrDog { __typename ... on Cat { meows } } pet { name owner { name } } }'),

    // UniqueFragmentNames
    bad('UniqueFragmentNames', 'two', '{ dog { ...F } }\nfragment F on Dog { name }\nfragment F on Dog { barks }\n'),
    bad('UniqueFragmentNames', 'three', '{ dog { ...F } cat { ...G } }\nfragment F on Dog { name }\nfragment G on Cat { name }\nfragment F on Dog { legs }\nfragment F on Dog { volume }\n'),
    good('UniqueFragmentNames', 'distinct', '{ dog { ...F ...G } }\nfragment F on Dog { name }\nfragment G on Dog { name legs }\n'),

    // KnownFragmentNames
    bad('KnownFragmentNames', 'missing', '{ dog { ...Missing } }'),
    bad('KnownFragmentNames', 'missing-nested', '{ dog { ...F ... on Dog { ...G } } }\nfragment F on Dog { name ...H }\n'),
    good('KnownFragmentNames', 'defined-after-use', '{ dog { ...F } }\nfragment F on Dog { name ...G }\nfragment G on Dog { legs }\n'),

    // NoUnusedFragments
    bad('NoUnusedFragments', 'one-unused', '{ hello }\nfragment F on Dog { name }\n'),
    bad('NoUnusedFragments', 'chain-unused', 'query A { dog { ...F } }\nfragment F on Dog { ...G }\nfragment G on Dog { name }\nfragment Unused on Cat { meows }\nfragment Unused2 on Cat { ...Unused }\n'),
    bad('NoUnusedFragments', 'cycle-unused', '{ hello }\nfragment A on Dog { parent { ...B } }\nfragment B on Dog { name }\n'),
    good('NoUnusedFragments', 'used-by-other-operation', 'query A { hello }\nquery B { cat { ...C } }\nfragment C on Cat { ...D }\nfragment D on Cat { name }\n', { operation: 'A' }),

    // PossibleFragmentSpreads
    bad('PossibleFragmentSpreads', 'object-in-other-object', '{ dog { ... on Cat { meows } } }'),
    bad('PossibleFragmentSpreads', 'named-object-in-object', '{ dog { ...C } }\nfragment C on Cat { meows }\n'),
    bad('PossibleFragmentSpreads', 'object-outside-union', '{ catOrDog { ... on Person { name } } }'),
    bad('PossibleFragmentSpreads', 'object-outside-interface', '{ pet { ... on Robot { model } } }'),
    bad('PossibleFragmentSpreads', 'union-in-union-disjoint', '{ personOrRobot { ... on CatOrDog { __typename } } }'),
    bad('PossibleFragmentSpreads', 'union-in-interface-disjoint', '{ pet { ...PR } }\nfragment PR on PersonOrRobot { __typename }\n'),
    good('PossibleFragmentSpreads', 'abstract-in-abstract', '{ pet { ... on CatOrDog { __typename } } catOrDog { ... on Pet { name } } dogOrPerson { ... on Named { name } ... on Animal { legs } } }'),
    good('PossibleFragmentSpreads', 'object-in-interface-and-union', '{ pet { ... on Dog { barks } ... on Cat { meows } } personOrRobot { ...R } }\nfragment R on Robot { model }\n'),

    // NoFragmentCycles
    bad('NoFragmentCycles', 'self', '{ dog { ...A } }\nfragment A on Dog { name ...A }\n'),
    bad('NoFragmentCycles', 'two-through-field', '{ dog { ...A } }\nfragment A on Dog { parent { ...B } }\nfragment B on Dog { ...A }\n'),
    bad('NoFragmentCycles', 'three-and-self', '{ dog { ...A ...D } }\nfragment A on Dog { ...B }\nfragment B on Dog { ...C }\nfragment C on Dog { ...A }\nfragment D on Dog { ... on Dog { ...D } }\n'),
    bad('NoFragmentCycles', 'through-inline', '{ dog { ...A } }\nfragment A on Dog { ... on Dog { parent { ...B } } }\nfragment B on Dog { ... { ...A } }\n'),
    good('NoFragmentCycles', 'diamond', '{ dog { ...A ...B } }\nfragment A on Dog { ...C name }\nfragment B on Dog { ...C legs }\nfragment C on Dog { barks }\n'),

    // UniqueVariableNames
    bad('UniqueVariableNames', 'twice', 'query ($a: Int, $a: Int) { args { int(v: $a) } }'),
    bad('UniqueVariableNames', 'two-pairs', 'query ($a: Int, $b: String, $a: String, $b: Int) { args { int(v: $a) string(v: $b) } }'),
    good('UniqueVariableNames', 'same-name-other-operation', 'query A($a: Int) { args { int(v: $a) } }\nquery B($a: String) { args { string(v: $a) } }\n', { operation: 'B', variables: { a: 'x' } }),

    // NoUndefinedVariables
    bad('NoUndefinedVariables', 'anonymous', '{ args { int(v: $x) } }'),
    bad('NoUndefinedVariables', 'one-of-two', 'query A($a: Int) { args { int(v: $a) string(v: $b) } }'),
    bad('NoUndefinedVariables', 'fragment-in-two-operations', 'query A($a: Int) { args { ...F } }\nquery B { args { ...F } }\nfragment F on Args { int(v: $a) }\n', { operation: 'A' }),
    bad('NoUndefinedVariables', 'in-directive-and-object', '{ dog @include(if: $show) { name } args { filter(v: {required: $r}) } }'),
    good('NoUndefinedVariables', 'through-fragments', 'query ($a: Int, $b: Boolean!) { args { ...F } dog @skip(if: $b) { name } }\nfragment F on Args { int(v: $a) ...G }\nfragment G on Args { filter(v: {required: $b, count: $a}) }\n', { variables: { a: 1, b: false } }),

    // NoUnusedVariables
    bad('NoUnusedVariables', 'single', 'query ($a: Int) { hello }'),
    bad('NoUnusedVariables', 'beside-fragment', 'query A($a: Int, $b: Int) { args { ...F } }\nfragment F on Args { int(v: $a) }\n'),
    bad('NoUnusedVariables', 'two-operations', 'query A($a: Int) { args { ...F } }\nquery B($a: Int, $c: String) { args { ...F } }\nfragment F on Args { int(v: $a) }\n', { operation: 'A' }),
    good('NoUnusedVariables', 'used-in-directive-and-list', 'query ($show: Boolean!, $s: String) { dog @include(if: $show) { name } args { strings(v: ["a", $s]) } }', { variables: { show: true, s: 'b' } }),

    // KnownDirectives
    bad('KnownDirectives', 'unknown', '{ hello @unknown }'),
    bad('KnownDirectives', 'misplaced-operation', 'query @onMutation { hello }'),
    bad('KnownDirectives', 'misplaced-field', '{ hello @onQuery dog @deprecated { name } }'),
    bad('KnownDirectives', 'misplaced-fragment-and-spread', '{ dog { ...F @onFragment } }\nfragment F on Dog @onSpread { name }\n'),
    bad('KnownDirectives', 'misplaced-variable-and-inline', 'query ($v: Int @onField) { args { int(v: $v) } dog { ... on Dog @onVariable { name } } }'),
    bad('KnownDirectives', 'skip-on-operation', 'query Q @skip(if: true) { hello }'),
    good('KnownDirectives', 'every-location', 'query Q ($v: Int @onVariable) @onQuery { hello @onField args { int(v: $v) } dog { ...F @onSpread ... on Dog @onInline { legs } } }\nfragment F on Dog @onFragment { name }\n'),
    good('KnownDirectives', 'mutation-and-subscription', 'mutation M @onMutation { adopt(name: "Fido") @onField { name } }'),

    // UniqueDirectivesPerLocation
    bad('UniqueDirectivesPerLocation', 'skip-twice', '{ hello @skip(if: false) @skip(if: false) }'),
    bad('UniqueDirectivesPerLocation', 'spread-and-fragment', '{ dog { ...F @onSpread @onSpread } }\nfragment F on Dog @onFragment @onFragment { name }\n'),
    bad('UniqueDirectivesPerLocation', 'operation-and-inline', 'query Q @onQuery @onQuery { dog { ... @include(if: true) @include(if: true) { name } } }'),
    good('UniqueDirectivesPerLocation', 'repeatable-and-different', '{ hello @tag(name: "a") @tag(name: "b") dog @skip(if: false) @include(if: true) { name @limit(n: 1) } }'),

    // KnownArgumentNames
    bad('KnownArgumentNames', 'field', '{ args { int(value: 1) } }'),
    bad('KnownArgumentNames', 'directive', '{ hello @include(if: true, unless: false) }'),
    bad('KnownArgumentNames', 'nested-field', '{ dog { knows(cmd: SIT) parent { at(z: 1) } } }'),
    good('KnownArgumentNames', 'known', '{ dog { knows(command: SIT) trained t2: trained(elsewhere: false) at(y: 2, x: 1) } hello @include(if: true) }'),

    // UniqueArgumentNames
    bad('UniqueArgumentNames', 'field', '{ args { two(a: 1, a: 2, b: 3) } }'),
    bad('UniqueArgumentNames', 'directive', '{ hello @tag(name: "x", name: "y") }'),
    good('UniqueArgumentNames', 'same-name-different-fields', '{ args { two(a: 1, b: 2) opts(a: 1, b: 2) } dog { at(x: 1, y: 1) } }'),

    // ValuesOfCorrectType
    bad('ValuesOfCorrectType', 'string-into-int', '{ args { int(v: "3") } }'),
    bad('ValuesOfCorrectType', 'float-into-int', '{ args { int(v: 3.0) } }'),
    bad('ValuesOfCorrectType', 'int-above-32-bit', '{ args { int(v: 2147483648) } }'),
    bad('ValuesOfCorrectType', 'int-below-32-bit', '{ args { int(v: -2147483649) } }'),
    bad('ValuesOfCorrectType', 'int-into-string', '{ args { string(v: 3) } }'),
    bad('ValuesOfCorrectType', 'string-into-boolean', '{ args { bool(v: "true") } }'),
    bad('ValuesOfCorrectType', 'string-into-float', '{ args { float(v: "1.5") } }'),
    bad('ValuesOfCorrectType', 'float-and-bool-into-id', '{ args { id(v: 1.5) i2: id(v: true) } }'),
    bad('ValuesOfCorrectType', 'string-into-enum', '{ args { color(v: "BLACK") } }'),
    bad('ValuesOfCorrectType', 'unknown-enum-value', '{ args { color(v: PURPLE) } }'),
    bad('ValuesOfCorrectType', 'boolean-and-null-names-into-enum', '{ args { color(v: true) } cat { volume } }'),
    bad('ValuesOfCorrectType', 'enum-into-string', '{ args { string(v: BLACK) } }'),
    bad('ValuesOfCorrectType', 'missing-required-input-field', '{ args { filter(v: {count: 1}) } }'),
    bad('ValuesOfCorrectType', 'unknown-input-field', '{ args { filter(v: {required: true, unknown: 1}) } }'),
    bad('ValuesOfCorrectType', 'null-input-field', '{ args { filter(v: {required: null}) } }'),
    bad('ValuesOfCorrectType', 'null-into-non-null-argument', '{ args { intReq(v: null) } }'),
    bad('ValuesOfCorrectType', 'null-list-item', '{ args { stringsReq(v: ["a", null]) } }'),
    bad('ValuesOfCorrectType', 'wrong-list-item', '{ args { strings(v: [1, "b"]) } }'),
    bad('ValuesOfCorrectType', 'object-into-scalar', '{ args { int(v: {a: 1}) s: string(v: ["a"]) } }'),
    bad('ValuesOfCorrectType', 'oneof-two-fields', '{ args { pick(v: {byName: "a", byId: "1"}) } }'),
    bad('ValuesOfCorrectType', 'oneof-null-field', '{ args { pick(v: {byName: null}) } }'),
    bad('ValuesOfCorrectType', 'oneof-empty', '{ args { pick(v: {}) } }'),
    bad('ValuesOfCorrectType', 'variable-default', 'query ($a: Int = "x", $c: Color = "BLACK") { args { int(v: $a) color(v: $c) } }'),
    bad('ValuesOfCorrectType', 'nested-input', '{ args { filter(v: {required: true, nested: {required: "no", tags: [1]}}) } }'),
    good('ValuesOfCorrectType', 'all-scalars', '{ args { int(v: -2147483648) i2: int(v: 2147483647) float(v: 1) f2: float(v: 1.5e3) id(v: 4) id2: id(v: "x") color(v: GINGER) strings(v: "single") s2: strings(v: null) filter(v: {required: true, tags: "t", nested: null}) pick(v: {byId: 7}) bool(v: false) string(v: """block""") } }'),

    // ProvidedRequiredArguments
    bad('ProvidedRequiredArguments', 'missing', '{ args { intReq } }'),
    bad('ProvidedRequiredArguments', 'one-of-two', '{ args { two(a: 1) mixed(c: 1) } }'),
    bad('ProvidedRequiredArguments', 'directive', '{ hello @include dog @tag { name } }'),
    good('ProvidedRequiredArguments', 'defaults-and-optional', '{ args { reqWithDefault opts mixed(a: 1, b: 2) two(b: 1, a: 2) } }'),

    // VariablesInAllowedPosition
    bad('VariablesInAllowedPosition', 'nullable-into-non-null', 'query ($v: Int) { args { intReq(v: $v) } }'),
    bad('VariablesInAllowedPosition', 'string-into-int', 'query ($v: String) { args { int(v: $v) } }'),
    bad('VariablesInAllowedPosition', 'list-item-nullability', 'query ($v: [String]) { args { stringsReq(v: $v) } }'),
    bad('VariablesInAllowedPosition', 'boolean-into-if', 'query ($v: Boolean) { hello @include(if: $v) }'),
    bad('VariablesInAllowedPosition', 'inside-fragment', 'query ($v: Int) { args { ...F } }\nfragment F on Args { intReq(v: $v) }\n'),
    bad('VariablesInAllowedPosition', 'list-into-item', 'query ($v: [String]) { args { string(v: $v) } }'),
    bad('VariablesInAllowedPosition', 'nullable-into-oneof-field', 'query ($v: String) { args { pick(v: {byName: $v}) } }'),
    bad('VariablesInAllowedPosition', 'into-input-field', 'query ($v: Boolean) { args { filter(v: {required: $v}) } }'),
    good('VariablesInAllowedPosition', 'default-makes-non-null', 'query ($v: Int = 3) { args { intReq(v: $v) } }'),
    good('VariablesInAllowedPosition', 'non-null-into-nullable', 'query ($v: Int!, $s: String!) { args { int(v: $v) s2: strings(v: [$s]) pick(v: {byName: $s}) } }', { variables: { v: 1, s: 'x' } }),
    good('VariablesInAllowedPosition', 'argument-with-default', 'query ($v: Int) { args { reqWithDefault(v: $v) } }'),

    // UniqueInputFieldNames
    bad('UniqueInputFieldNames', 'top', '{ args { filter(v: {required: true, required: false}) } }'),
    bad('UniqueInputFieldNames', 'nested', '{ args { filter(v: {required: true, nested: {required: true, count: 1, count: 2}}) } }'),
    bad('UniqueInputFieldNames', 'in-variable-default', 'query ($f: Filter = {required: true, text: "a", text: "b"}) { args { filter(v: $f) } }'),
    good('UniqueInputFieldNames', 'same-name-different-objects', '{ args { filter(v: {required: true, nested: {required: false, nested: {required: true}}}) } }'),

    // MaxIntrospectionDepth: not in the specification, but in graphql-js 16.15's specifiedRules.
    bad('MaxIntrospectionDepth', 'nested-fields', '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }', { note: 'graphql-js-only rule (specifiedRules since 16.9), not in the specification' }),
    bad('MaxIntrospectionDepth', 'nested-interfaces', '{ __type(name: "Dog") { interfaces { interfaces { interfaces { interfaces { name } } } } } }', { note: 'graphql-js-only rule' }),
    good('MaxIntrospectionDepth', 'shallow', '{ __type(name: "Dog") { fields { type { fields { name } } } } }', { note: 'graphql-js-only rule' }),

    // Several rules at once: every error is reported, not just the first.
    { name: 'many-rules-at-once', expect: 'request-error', note: 'errors of several rules, all reported',
      query: 'query Q($unused: Int) { dog { meows ...Missing } args { int(v: "x") intReq } }\nquery Q { hello }\nfragment Lone on Cat { name }\n', operation: 'Q' },
  ],
};
