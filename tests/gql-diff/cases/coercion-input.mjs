// Input coercion (sections 3.5, 3.9-3.12 and 6.1.2): variable values from JSON and literal
// arguments for every built-in scalar, enums, input objects, @oneOf input objects and lists,
// and the variable rules (missing, null, defaults, variables inside lists and objects).
// Variables are given as raw JSON text so that forms like 1.0 and 1e3 reach facet unchanged.

const fields = ['int', 'intReq', 'float', 'string', 'bool', 'id', 'color', 'list', 'listReq', 'grid',
  'point', 'shape', 'choice', 'reqDefault', 'flag'];
const root = Object.fromEntries(fields.map((f) => [f, `${f} ok`]));

// One variable $v of type `type` passed to argument v of `field`, with raw JSON variables.
const vr = (name, type, field, variablesJson, extra = {}) =>
  ({ name, query: `query ($v: ${type}) { ${field}(v: $v) }`, variablesJson, ...extra });
const lit = (name, query, extra = {}) => ({ name, query, ...extra });

export default {
  schemaFile: 'schemas/inputs.graphql',
  root,
  cases: [
    // Int
    vr('int/integer', 'Int', 'int', '{"v": 7}', { expect: 'ok' }),
    vr('int/float-form-integral', 'Int', 'int', '{"v": 1.0}', { expect: 'ok', note: '1.0 is an integral number: accepted' }),
    vr('int/exponent-integral', 'Int', 'int', '{"v": 1e3}', { expect: 'ok' }),
    vr('int/fraction', 'Int', 'int', '{"v": 1.5}', { expect: 'request-error' }),
    vr('int/string', 'Int', 'int', '{"v": "1"}', { expect: 'request-error' }),
    vr('int/boolean', 'Int', 'int', '{"v": true}', { expect: 'request-error' }),
    vr('int/max', 'Int', 'int', '{"v": 2147483647}', { expect: 'ok' }),
    vr('int/min', 'Int', 'int', '{"v": -2147483648}', { expect: 'ok' }),
    vr('int/above-max', 'Int', 'int', '{"v": 2147483648}', { expect: 'request-error' }),
    vr('int/below-min', 'Int', 'int', '{"v": -2147483649}', { expect: 'request-error' }),
    vr('int/huge', 'Int', 'int', '{"v": 1e300}', { expect: 'request-error' }),
    vr('int/object', 'Int', 'int', '{"v": {"a": 1}}', { expect: 'request-error' }),
    vr('int/list', 'Int', 'int', '{"v": [1]}', { expect: 'request-error' }),
    vr('int/null', 'Int', 'int', '{"v": null}', { expect: 'ok' }),
    lit('int/literal-bounds', '{ a: int(v: 2147483647) b: int(v: -2147483648) c: int(v: 0) d: int(v: -0) }', { expect: 'ok' }),

    // Float
    vr('float/integer', 'Float', 'float', '{"v": 3}', { expect: 'ok' }),
    vr('float/fraction', 'Float', 'float', '{"v": -0.25}', { expect: 'ok' }),
    vr('float/large', 'Float', 'float', '{"v": 1.7e308}', { expect: 'ok' }),
    vr('float/string', 'Float', 'float', '{"v": "1.5"}', { expect: 'request-error' }),
    vr('float/boolean', 'Float', 'float', '{"v": false}', { expect: 'request-error' }),
    lit('float/literals', '{ a: float(v: 1) b: float(v: -1.5e-3) c: float(v: 6.02E23) }', { expect: 'ok' }),

    // String
    vr('string/string', 'String', 'string', '{"v": "h\\u00e9llo \\ud83d\\ude00"}', { expect: 'ok' }),
    vr('string/number', 'String', 'string', '{"v": 1}', { expect: 'request-error' }),
    vr('string/boolean', 'String', 'string', '{"v": true}', { expect: 'request-error' }),
    vr('string/list', 'String', 'string', '{"v": ["a"]}', { expect: 'request-error' }),

    // Boolean
    vr('boolean/true', 'Boolean', 'bool', '{"v": true}', { expect: 'ok' }),
    vr('boolean/number', 'Boolean', 'bool', '{"v": 0}', { expect: 'request-error' }),
    vr('boolean/string', 'Boolean', 'bool', '{"v": "true"}', { expect: 'request-error' }),

    // ID
    vr('id/string', 'ID', 'id', '{"v": "abc"}', { expect: 'ok' }),
    vr('id/integer', 'ID', 'id', '{"v": 42}', { expect: 'ok' }),
    vr('id/fraction', 'ID', 'id', '{"v": 4.2}', { expect: 'request-error' }),
    vr('id/boolean', 'ID', 'id', '{"v": true}', { expect: 'request-error' }),
    lit('id/literals', '{ a: id(v: "x") b: id(v: 123) c: id(v: -5) }', { expect: 'ok' }),

    // Enums
    vr('enum/string-variable', 'Color', 'color', '{"v": "RED"}', { expect: 'ok' }),
    vr('enum/wrong-case', 'Color', 'color', '{"v": "red"}', { expect: 'request-error' }),
    vr('enum/unknown', 'Color', 'color', '{"v": "PURPLE"}', { expect: 'request-error' }),
    vr('enum/number', 'Color', 'color', '{"v": 1}', { expect: 'request-error' }),
    lit('enum/literal', '{ color(v: BLUE) }', { expect: 'ok' }),
    lit('enum/string-literal', '{ color(v: "BLUE") }', { expect: 'request-error' }),
    vr('enum/variable-default-literal', 'Color = GREEN', 'color', '{}', { expect: 'ok' }),

    // Input objects
    vr('object/full', 'Point', 'point', '{"v": {"x": 1, "y": 2, "label": "a"}}', { expect: 'ok' }),
    vr('object/default-applied', 'Point', 'point', '{"v": {"x": 1}}', { expect: 'ok' }),
    vr('object/missing-required', 'Point', 'point', '{"v": {"y": 1}}', { expect: 'request-error' }),
    vr('object/unknown-field', 'Point', 'point', '{"v": {"x": 1, "z": 3}}', { expect: 'request-error' }),
    vr('object/null-for-non-null-with-default', 'Point', 'point', '{"v": {"x": 1, "y": null}}', { expect: 'request-error' }),
    vr('object/null-for-nullable', 'Point', 'point', '{"v": {"x": 1, "label": null}}', { expect: 'ok' }),
    vr('object/not-an-object', 'Point', 'point', '{"v": [{"x": 1}]}', { expect: 'request-error' }),
    vr('object/several-errors', 'Point', 'point', '{"v": {"y": "a", "label": 5, "w": 1}}', { expect: 'request-error' }),
    vr('object/nested-list-error-path', 'Shape', 'shape', '{"v": {"points": [{"x": 1}, {"x": "2"}], "grid": [[1], [2, "x"]]}}', { expect: 'request-error' }),
    vr('object/nested-ok', 'Shape', 'shape', '{"v": {"points": {"x": 1}, "tags": "single", "grid": [1, [2, 3], null]}}', { expect: 'ok', note: 'single values coerced to lists at each level' }),
    lit('object/literal-with-defaults', '{ point(v: {x: 1}) shape(v: {points: [{x: 1, y: 2}], color: RED, grid: [[1], [2]]}) }', { expect: 'ok' }),
    lit('object/literal-null-field', '{ point(v: {x: 1, label: null}) }', { expect: 'ok' }),

    // @oneOf input objects
    vr('oneof/one-key', 'Choice', 'choice', '{"v": {"name": "a"}}', { expect: 'ok' }),
    vr('oneof/id-from-int', 'Choice', 'choice', '{"v": {"id": 5}}', { expect: 'ok' }),
    vr('oneof/two-keys', 'Choice', 'choice', '{"v": {"name": "a", "n": 1}}', { expect: 'request-error' }),
    vr('oneof/one-key-null', 'Choice', 'choice', '{"v": {"n": null}}', { expect: 'request-error' }),
    vr('oneof/key-and-null', 'Choice', 'choice', '{"v": {"name": "a", "id": null}}', { expect: 'request-error' }),
    vr('oneof/empty', 'Choice', 'choice', '{"v": {}}', { expect: 'request-error' }),
    vr('oneof/wrong-type', 'Choice', 'choice', '{"v": {"n": "one"}}', { expect: 'request-error' }),
    lit('oneof/literal', '{ choice(v: {n: 3}) }', { expect: 'ok' }),
    lit('oneof/literal-variable-non-null', 'query ($n: Int!) { choice(v: {n: $n}) }', { variablesJson: '{"n": 4}', expect: 'ok' }),

    // Lists
    vr('list/list', '[Int]', 'list', '{"v": [1, null, 3]}', { expect: 'ok' }),
    vr('list/single-value', '[Int]', 'list', '{"v": 1}', { expect: 'ok', note: 'a single value is coerced to a list of one' }),
    vr('list/bad-item', '[Int]', 'list', '{"v": [1, "2", 3.5]}', { expect: 'request-error' }),
    vr('list/null-item-in-non-null', '[Int!]!', 'listReq', '{"v": [1, null]}', { expect: 'request-error' }),
    vr('list/null-list', '[Int!]!', 'listReq', '{"v": null}', { expect: 'request-error' }),
    vr('list/single-into-nested', '[[Int!]]', 'grid', '{"v": 7}', { expect: 'ok' }),
    vr('list/nested-mixed', '[[Int!]]', 'grid', '{"v": [[1, 2], 3, null]}', { expect: 'ok' }),
    vr('list/nested-null-item', '[[Int!]]', 'grid', '{"v": [[1], [null]]}', { expect: 'request-error' }),
    vr('list/empty', '[Int!]!', 'listReq', '{"v": []}', { expect: 'ok' }),
    lit('list/literals', '{ list(v: 1) l2: list(v: [1, null]) grid(v: [[1], 2]) g2: grid(v: 3) listReq(v: []) }', { expect: 'ok' }),
    lit('list/literal-null-item', '{ grid(v: [[1, null]]) }', { expect: 'request-error' }),

    // Variables
    lit('variables/missing-required', 'query ($v: Int!) { intReq(v: $v) }', { variablesJson: '{}', expect: 'request-error' }),
    lit('variables/no-variables-object', 'query ($v: Int!) { intReq(v: $v) }', { expect: 'request-error' }),
    lit('variables/null-for-non-null', 'query ($v: Int!) { intReq(v: $v) }', { variablesJson: '{"v": null}', expect: 'request-error' }),
    lit('variables/non-null-with-default-absent', 'query ($v: Int! = 3) { intReq(v: $v) }', { variablesJson: '{}', expect: 'ok' }),
    lit('variables/default-used', 'query ($v: Boolean = false) { flag @include(if: $v) int }', { variablesJson: '{}', expect: 'ok' }),
    lit('variables/default-overridden', 'query ($v: Boolean = false) { flag @include(if: $v) int }', { variablesJson: '{"v": true}', expect: 'ok' }),
    lit('variables/explicit-null-overrides-default', 'query ($v: Int = 3) { int(v: $v) }', { variablesJson: '{"v": null}', expect: 'ok' }),
    lit('variables/null-into-required-argument-via-default', 'query ($v: Int = 3) { intReq(v: $v) int }', { variablesJson: '{"v": null}', expect: 'field-error', note: 'validation allows it (variable has a default); execution refuses null' }),
    lit('variables/absent-uses-argument-default', 'query ($v: Int) { reqDefault(v: $v) }', { variablesJson: '{}', expect: 'ok' }),
    lit('variables/null-into-argument-with-default', 'query ($v: Int) { reqDefault(v: $v) int }', { variablesJson: '{"v": null}', expect: 'field-error' }),
    lit('variables/in-list', 'query ($a: Int, $b: Int) { list(v: [$a, 2, $b]) }', { variablesJson: '{"a": 1}', expect: 'ok' }),
    lit('variables/in-list-null-for-non-null-item', 'query ($a: Int = 1) { listReq(v: [$a]) int }', { variablesJson: '{"a": null}', expect: 'field-error' }),
    lit('variables/in-object', 'query ($x: Int!, $l: String) { point(v: {x: $x, label: $l}) }', { variablesJson: '{"x": 1}', expect: 'ok' }),
    lit('variables/in-object-absent-uses-field-default', 'query ($y: Int) { point(v: {x: 1, y: $y}) }', { variablesJson: '{}', expect: 'ok' }),
    lit('variables/in-object-null-for-non-null-field', 'query ($y: Int = 1) { point(v: {x: 1, y: $y}) int }', { variablesJson: '{"y": null}', expect: 'field-error' }),
    lit('variables/many-invalid', 'query ($a: Int, $b: String!, $c: Color, $d: [Int!]) { int(v: $a) string(v: $b) color(v: $c) list(v: $d) }', { variablesJson: '{"a": "x", "c": "NOPE", "d": [1, null]}', expect: 'request-error' }),
    lit('variables/extra-ignored', 'query ($a: Int) { int(v: $a) }', { variablesJson: '{"a": 1, "zzz": {"deep": [1]}}', expect: 'ok' }),
    lit('variables/object-default', 'query ($p: Point = {x: 1, label: "d"}) { point(v: $p) }', { variablesJson: '{}', expect: 'ok' }),
    lit('variables/skip-include-from-variables', 'query ($s: Boolean!, $i: Boolean!) { a: int @skip(if: $s) b: float @include(if: $i) c: string @skip(if: $s) @include(if: $i) }', { variablesJson: '{"s": false, "i": true}', expect: 'ok' }),
  ],
};
