// Result coercion (section 3.5 and 6.4.3, CompleteValue): what graphql-js' serializers make of
// JSON values of every kind in fields of every built-in scalar, an enum, a custom scalar, lists
// and objects; values they refuse become field errors with a path. Root values are raw JSON
// text so that 7.0, 1e3 and 1e400 reach facet as written. Avoided on purpose: strings that
// only JavaScript's Number() accepts (" 12 ", "0x10") and integer-like object keys, which
// JavaScript reorders.

// `{ FIELD }` over the root {"FIELD": RAW}.
const one = (name, field, raw, extra = {}) =>
  ({ name, query: `{ ${field} }`, rootJson: `{"${field}": ${raw}}`, ...extra });

export default {
  schemaFile: 'schemas/outputs.graphql',
  cases: [
    // Int
    one('int/integer', 'i', '7', { expect: 'ok' }),
    one('int/integral-float-form', 'i', '7.0', { expect: 'ok' }),
    one('int/exponent', 'i', '1e3', { expect: 'ok' }),
    one('int/negative-zero', 'i', '-0', { expect: 'ok' }),
    one('int/above-32-bit', 'i', '2147483648', { expect: 'field-error' }),
    one('int/below-32-bit', 'i', '-2147483649', { expect: 'field-error' }),
    one('int/fraction', 'i', '1.5', { expect: 'field-error' }),
    one('int/numeric-string', 'i', '"12"', { expect: 'ok', note: 'graphql-js turns a numeric string into a number' }),
    one('int/negative-numeric-string', 'i', '"-3"', { expect: 'ok' }),
    one('int/fraction-string', 'i', '"1.5"', { expect: 'field-error' }),
    one('int/other-string', 'i', '"abc"', { expect: 'field-error' }),
    one('int/empty-string', 'i', '""', { expect: 'field-error' }),
    one('int/true', 'i', 'true', { expect: 'ok' }),
    one('int/false', 'i', 'false', { expect: 'ok' }),
    one('int/list', 'i', '[1]', { expect: 'field-error' }),
    one('int/object', 'i', '{"a": 1}', { expect: 'field-error' }),
    one('int/null', 'i', 'null', { expect: 'ok' }),
    one('int/huge', 'i', '1e300', { expect: 'field-error' }),

    // Float
    one('float/fraction', 'f', '1.5', { expect: 'ok' }),
    one('float/integer', 'f', '3', { expect: 'ok' }),
    one('float/small', 'f', '1e-7', { expect: 'ok' }),
    one('float/precise', 'f', '0.1', { expect: 'ok' }),
    one('float/large', 'f', '1.7976931348623157e308', { expect: 'ok' }),
    one('float/numeric-string', 'f', '"2.5"', { expect: 'ok' }),
    one('float/nan-string', 'f', '"NaN"', { expect: 'field-error', note: 'NaN cannot appear in JSON; "NaN" coerces to it and is refused' }),
    one('float/infinity', 'f', '1e400', { expect: 'field-error', note: 'JSON number too large for a double: Infinity, refused' }),
    one('float/other-string', 'f', '"abc"', { expect: 'field-error' }),
    one('float/true', 'f', 'true', { expect: 'ok' }),
    one('float/object', 'f', '{}', { expect: 'field-error' }),

    // String
    one('string/string', 's', '"h\\u00e9llo \\"quoted\\" \\n \\ud83d\\ude00"', { expect: 'ok' }),
    one('string/control-characters', 's', '"\\u0000\\u001f\\u007f\\t"', { expect: 'ok' }),
    one('string/integer', 's', '42', { expect: 'ok' }),
    one('string/integral-float-form', 's', '1.0', { expect: 'ok', note: 'JSON 1.0 is the number 1: "1"' }),
    one('string/fraction', 's', '1.5', { expect: 'ok' }),
    one('string/negative', 's', '-12.25', { expect: 'ok' }),
    one('string/large-integer', 's', '123456789012', { expect: 'ok' }),
    one('string/true', 's', 'true', { expect: 'ok' }),
    one('string/false', 's', 'false', { expect: 'ok' }),
    one('string/object', 's', '{"a": 1}', { expect: 'field-error' }),
    one('string/list', 's', '["a"]', { expect: 'field-error' }),

    // Boolean
    one('boolean/true', 'b', 'true', { expect: 'ok' }),
    one('boolean/one', 'b', '1', { expect: 'ok' }),
    one('boolean/zero', 'b', '0', { expect: 'ok' }),
    one('boolean/fraction', 'b', '2.5', { expect: 'ok' }),
    one('boolean/string', 'b', '"true"', { expect: 'field-error' }),
    one('boolean/empty-string', 'b', '""', { expect: 'field-error' }),
    one('boolean/object', 'b', '{}', { expect: 'field-error' }),

    // ID
    one('id/string', 'id', '"a-1"', { expect: 'ok' }),
    one('id/integer', 'id', '42', { expect: 'ok' }),
    one('id/negative', 'id', '-7', { expect: 'ok' }),
    one('id/exponent-integral', 'id', '1e3', { expect: 'ok' }),
    one('id/fraction', 'id', '4.5', { expect: 'field-error' }),
    one('id/boolean', 'id', 'true', { expect: 'field-error' }),
    one('id/object', 'id', '{"id": 1}', { expect: 'field-error' }),

    // Enum
    one('enum/known', 'e', '"RED"', { expect: 'ok' }),
    one('enum/unknown', 'e', '"PURPLE"', { expect: 'field-error' }),
    one('enum/wrong-case', 'e', '"red"', { expect: 'field-error' }),
    one('enum/number', 'e', '1', { expect: 'field-error' }),
    one('enum/boolean', 'e', 'true', { expect: 'field-error' }),
    one('enum/list-items', 'el', '["GREEN", "NOPE", null, "BLUE", 3]', { expect: 'field-error' }),

    // Custom scalar: passed through as it is, key order included.
    one('custom/object', 'j', '{"b": 1, "a": [1, "x", null, {"z": true, "y": 1.5}], "c": {}}', { expect: 'ok' }),
    one('custom/number', 'j', '1.25', { expect: 'ok' }),
    one('custom/string', 'j', '"text"', { expect: 'ok' }),
    one('custom/list', 'j', '[[], {}, false]', { expect: 'ok' }),

    // Lists and objects
    one('list/mixed-coercible', 'il', '[1, "2", true, null]', { expect: 'ok' }),
    one('list/bad-items', 'il', '[1, 2.5, "x", 4]', { expect: 'field-error', note: 'one error per bad item, with its index in the path' }),
    one('list/not-a-list', 'il', '5', { expect: 'field-error' }),
    one('list/string-is-not-a-list', 'sl', '"abc"', { expect: 'field-error' }),
    one('list/object-is-not-a-list', 'sl', '{"0": "a"}', { expect: 'field-error' }),
    one('list/list-for-scalar', 's', '["a", "b"]', { expect: 'field-error' }),
    { name: 'object/missing-properties', query: '{ obj { a b } }', rootJson: '{"obj": {}}', expect: 'ok' },
    { name: 'object/scalar-parent', query: '{ obj { a b } }', rootJson: '{"obj": "text"}', expect: 'ok', note: 'fields of a non-object parent value read nothing: null' },
    { name: 'object/list-parent', query: '{ obj { a b } }', rootJson: '{"obj": [{"a": 1}]}', expect: 'ok', note: 'a list as an object value: its fields are null' },
    { name: 'object/list-of-objects', query: '{ objs { a b } }', rootJson: '{"objs": [{"a": 1, "b": "x"}, null, {"b": 2}, {"a": "3"}]}', expect: 'ok' },
    { name: 'object/list-with-bad-leaves', query: '{ objs { a b } }', rootJson: '{"objs": [{"a": 1.5}, {"a": 2, "b": {}}]}', expect: 'field-error' },
    { name: 'object/object-for-list', query: '{ objs { a } }', rootJson: '{"objs": {"a": 1}}', expect: 'field-error' },
    { name: 'many/all-scalars-at-once', query: '{ i f s b id e j il sl el }', expect: 'ok',
      rootJson: '{"e": "BLUE", "i": -5, "f": -0.5, "s": "s", "b": false, "id": 0, "j": null, "il": [], "sl": ["x", 1, false], "el": ["RED"], "extra": 1}' },
    { name: 'many/errors-in-several-fields', query: '{ i f s b id e }', expect: 'field-error',
      rootJson: '{"i": 2.5, "f": "x", "s": {}, "b": "no", "id": false, "e": "NONE"}' },
  ],
};
