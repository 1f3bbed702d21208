// Lexer and parser (section 2): syntax errors with their line and column, and edge cases of
// the lexer that must be accepted: block strings, escapes, Unicode, comments, commas, BOM,
// CRLF. String values in a query do not reach the response with default resolvers, so string
// contents are checked through the schema: descriptions and default values in the SDL come
// back through introspection.

const schema = 'type Query {\n  echo(v: String, n: Float, i: Int, list: [String], id: ID): String\n  other: Int\n}\n';
const root = { echo: 'echo', other: 1 };
const err = (name, query, extra = {}) => ({ name: `error/${name}`, query, expect: 'request-error', ...extra });
const ok = (name, query, extra = {}) => ({ name: `accept/${name}`, query, expect: 'ok', ...extra });
// A schema whose descriptions and default values carry the text under test, read back through
// introspection.
const sdl = (name, sdlText, query, extra = {}) =>
  ({ name: `sdl/${name}`, schema: sdlText, query, expect: 'ok', ...extra });
const describe = '{ __type(name: "Query") { description fields { name description args { name description defaultValue } } } }';

export default {
  schema,
  root,
  cases: [
    err('empty-document', ''),
    err('only-comment', '# nothing here\n'),
    err('unclosed-selection', '{ echo\n  other\n'),
    err('empty-selection', 'query { }'),
    err('missing-argument-value', '{ echo(v: ) }'),
    err('missing-colon', '{ echo(v "x") }'),
    err('unterminated-string', '{ echo(v: "abc) }'),
    err('string-with-newline', '{ echo(v: "a\nb") }'),
    err('unterminated-block-string', '{ echo(v: """abc) }'),
    err('invalid-character', '{ echo ^ }'),
    err('invalid-character-on-third-line', '{\n  echo\n  other ?\n}'),
    err('bad-escape', '{ echo(v: "\\x41") }'),
    err('bad-unicode-escape', '{ echo(v: "\\u12G4") }'),
    err('lone-surrogate-escape', '{ echo(v: "\\uD83D") }'),
    err('bad-braced-escape', '{ echo(v: "\\u{110000}") }'),
    err('number-trailing-dot', '{ echo(n: 1.) }'),
    err('number-leading-zero', '{ echo(i: 007) }'),
    err('number-bad-exponent', '{ echo(n: 1e) }'),
    err('number-followed-by-name', '{ echo(i: 1abc) }'),
    err('number-leading-dot', '{ echo(n: .5) }'),
    err('number-hex', '{ echo(i: 0x10) }'),
    err('spread-without-name', '{ ... }'),
    err('fragment-named-on', 'fragment on on Query { echo }\n{ ...on }'),
    err('variable-in-constant', 'query ($a: Int = $b) { echo(i: $a) }'),
    err('unclosed-directive-arguments', '{ echo @skip(if: true }'),
    err('dollar-alone', 'query ($: Int) { echo }'),
    err('two-dots', '{ ..F }'),
    err('column-after-crlf', '{\r\n  echo\r\n  %\r\n}'),
    err('column-after-tab', '{\techo\t!\t}'),
    err('column-after-astral-character', '{ echo(v: "\u{1F600}") @ }', { note: 'graphql-js counts the column in UTF-16 code units' }),
    err('column-after-two-byte-character', '{ echo(v: "\u00e9\u00e9") & }'),
    err('unexpected-after-document', '{ echo } }'),
    err('list-unclosed', '{ echo(list: ["a", "b") }'),
    err('object-field-without-value', '{ echo(v: {a}) }'),
    ok('block-string-argument', '{ echo(v: """\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  """) }'),
    ok('block-string-escaped-quotes', '{ echo(v: """a \\""" b "" c""") }'),
    ok('escapes', '{ echo(v: "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u{1F600} \\uD83D\\uDE00") }'),
    ok('raw-unicode-in-strings', '{ echo(v: "h\u00e9llo \u{1F600} \u4e16\u754c") }'),
    ok('comments-commas-bom', '\uFEFF# leading comment\n{,, echo(v: "x",,, i: 1,) # trailing\n,other,}\n'),
    ok('crlf-and-cr-line-ends', 'query Q {\r\n  echo\r  other\n}'),
    ok('numbers', '{ echo(n: -0.0, i: -0) a: echo(n: 1e10) b: echo(n: 1.5E-3, i: 0) c: echo(n: 12345678901234567890) }'),
    ok('keywords-as-names', '{ query: echo(v: "query") fragment: other true: other null: other on: echo }'),
    ok('names-with-underscores-digits', '{ _a1: echo __b2: other a_B_c: echo }'),
    ok('empty-strings', '{ echo(v: "") a: echo(v: """""") }'),
    ok('id-literals', '{ echo(id: "1") a: echo(id: 1) }'),
    sdl('block-string-indentation', `"""\n    Common indentation is removed,\n      extra indentation kept.\n\n    Blank lines around are trimmed.\n"""\ntype Query {\n  """\n\n  Leading and trailing blank lines go.\n\n  """\n  echo(\n    """   first line keeps its spaces? no: first line is not indented\n      second\n    """\n    v: String\n  ): String\n}\n`, describe),
    sdl('block-string-escaped-triple-quote', 'type Query {\n  """Contains \\""" and \\ and \\n as written."""\n  echo(v: String): String\n}\n', describe),
    sdl('block-string-tabs-and-crlf', 'type Query {\r\n  """\r\n\tTabbed\r\n\t  more\r\n  """\r\n  echo(v: String): String\r\n}\r\n', describe),
    sdl('string-escapes-in-description', 'type Query {\n  "Tab\\tnewline\\nquote\\" slash\\/ \\u00e9 \\u{1F600} \\uD83D\\uDE00 \\u0001"\n  echo(v: String): String\n}\n', describe),
    sdl('string-default-values', 'type Query {\n  echo(a: String = "\\u00e9\\n\\"q\\" \\u0007 \\u{1F600}", b: String = """block\n  default""", c: [String] = ["x", null], d: Float = 1.50, e: Int = -0, f: ID = 7, g: Float = 1e3): String\n}\n', describe),
    sdl('unicode-description', 'type Query {\n  "h\u00e9llo \u{1F600} \u4e16\u754c"\n  echo(v: String): String\n}\n', describe),
  ],
};
