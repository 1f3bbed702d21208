/* Schema building: the type map in graphql-js' order, built-in types and
 * directives, extensions, values read from directives, default values,
 * lookups by name and the type relations. Expected type orders are
 * graphql-js 16.15's for the same SDL. */
#include "test_gql_schema.h"

#define S(str) FACET_STR_LIT(str)

static gql_schema_t *must_build(built_t *b, const char *sdl)
{
    build_sdl(b, sdl);
    if (b->rc)
        fprintf(stderr, "%s\n", errors_text(b));
    CHECK_EQ_INT(b->rc, 0);
    CHECK(b->schema != NULL);
    return b->schema;
}

static const char *directives_text(built_t *b)
{
    facet_buf_reset(&b->text);
    for (size_t i = 0; i < b->schema->ndirectives; i++)
        facet_buf_printf(&b->text, "%s%.*s", i ? " " : "", (int)b->schema->directives[i]->name.len,
                         b->schema->directives[i]->name.base);
    facet_buf_append(&b->text, "", 1);
    return b->text.base;
}

static const char *ref_text(const gql_type_ref_t *t, char *buf, size_t cap)
{
    facet_buf_t out;
    facet_buf_init(&out, 0);
    CHECK_EQ_INT(gql_type_ref_print(t, &out), 0);
    snprintf(buf, cap, "%.*s", (int)out.len, out.base);
    facet_buf_free(&out);
    return buf;
}

static void check_order(const char *sdl, const char *expected)
{
    built_t b;
    must_build(&b, sdl);
    CHECK_EQ_STR(types_text(&b), expected);
    for (size_t i = 0; i < b.schema->ntypes; i++) {
        CHECK_EQ_INT(b.schema->types[i]->index, i);
        CHECK(gql_schema_type(b.schema, b.schema->types[i]->name) == b.schema->types[i]);
    }
    built_free(&b);
}

/* ---- type map order ---- */

TEST(type_map_order_user_types_then_referenced_builtins)
{
    check_order("type Query { a: Int }",
                "Query Int Boolean String __Schema __Type __TypeKind __Field __InputValue "
                "__EnumValue __Directive __DirectiveLocation");
    check_order("input A { b: B } input B { s: String, i: Int } type Query { a(x: A): Int }",
                "A B String Int Query Boolean __Schema __Type __TypeKind __Field __InputValue "
                "__EnumValue __Directive __DirectiveLocation");
    check_order("union U = X | Y type X { f: Float } type Y { id: ID } type Query { u: U }",
                "U X Float Y ID Query Boolean String __Schema __Type __TypeKind __Field "
                "__InputValue __EnumValue __Directive __DirectiveLocation");
}

TEST(type_map_order_directive_arguments_and_introspection_references)
{
    check_order("directive @d(x: ID, f: [Float!]) on FIELD type Query { a: Int }",
                "Query Int ID Float Boolean String __Schema __Type __TypeKind __Field "
                "__InputValue __EnumValue __Directive __DirectiveLocation");
    /* A field's type is collected before its arguments' types. */
    check_order("type Query { a(x: Float): Obj } type Obj { b(y: ID): __Schema, s: String }",
                "Query Float Obj __Schema String __Type __TypeKind __Field __InputValue Boolean "
                "__EnumValue __Directive __DirectiveLocation ID");
}

TEST(type_map_order_builtin_names_defined_by_the_document)
{
    check_order("scalar String type Query { a: Int b: Boolean } scalar Int scalar ID",
                "String Query Boolean Int ID __Schema __Type __TypeKind __Field __InputValue "
                "__EnumValue __Directive __DirectiveLocation");
    check_order("type Query { a: Int } type __Type { x: Int }",
                "Query Int __Type __TypeKind String __Field __InputValue Boolean __EnumValue "
                "__Schema __Directive __DirectiveLocation");
}

TEST(unreferenced_builtin_scalars_are_not_in_the_schema)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "type Query { a: Int }");
    CHECK(gql_schema_type(s, S("ID")) == NULL);
    CHECK(gql_schema_type(s, S("Float")) == NULL);
    CHECK(gql_schema_type(s, S("Boolean")) != NULL);
    CHECK(gql_schema_type(s, S("__Schema")) != NULL);
    built_free(&b);
}

TEST(possible_types_in_type_map_order_and_member_order)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "type Query { node: Node u: U x: __Type }\n"
                                     "interface Node { id: ID }\n"
                                     "union U = B | A\n"
                                     "type A implements Node { id: ID f: Float }\n"
                                     "type B implements Node { id: ID b: Boolean }\n"
                                     "type C implements Node { id: ID }\n"
                                     "interface Sub implements Node { id: ID }\n");
    CHECK_EQ_STR(types_text(&b), "Query __Type __TypeKind String __Field __InputValue Boolean "
                                 "__EnumValue Node ID U A Float B C Sub __Schema __Directive "
                                 "__DirectiveLocation");
    gql_type_t *node = gql_schema_type(s, S("Node")), *u = gql_schema_type(s, S("U"));
    CHECK_EQ_INT(node->npossible, 3);
    CHECK_SLICE(node->possible[0]->name, "A");
    CHECK_SLICE(node->possible[1]->name, "B");
    CHECK_SLICE(node->possible[2]->name, "C");
    CHECK_EQ_INT(u->npossible, 2);
    CHECK_SLICE(u->possible[0]->name, "B");
    CHECK_SLICE(u->possible[1]->name, "A");
    built_free(&b);
}

/* ---- roots and directives ---- */

TEST(root_types_default_to_common_names)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "type Subscription { s: Int } type Mutation { m: Int } "
                                     "type Query { q: Int }");
    CHECK_SLICE(s->query->name, "Query");
    CHECK_SLICE(s->mutation->name, "Mutation");
    CHECK_SLICE(s->subscription->name, "Subscription");
    CHECK(s->description.base == NULL);
    built_free(&b);

    s = must_build(&b, "\"about\" schema { query: Root } type Root { a: Int } type Mutation { m: "
                       "Int }");
    CHECK_SLICE(s->query->name, "Root");
    CHECK(s->mutation == NULL); /* a schema definition names every root */
    CHECK_SLICE(s->description, "about");
    built_free(&b);
}

TEST(directives_user_first_then_specified)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "directive @b on FIELD directive @skip(if: Boolean!) on FIELD "
                                     "directive @a repeatable on QUERY | FIELD | QUERY "
                                     "type Query { x: Int }");
    CHECK_EQ_STR(directives_text(&b), "b skip a include deprecated specifiedBy oneOf");
    gql_directive_t *a = gql_schema_directive(s, S("a"));
    CHECK(a && a->repeatable && !a->builtin);
    CHECK_EQ_INT(a->locations, GQL_DL_QUERY | GQL_DL_FIELD);
    CHECK_EQ_INT(a->nlocation_list, 3);
    CHECK_EQ_INT(a->location_list[2], GQL_DL_QUERY);
    CHECK(!gql_schema_directive(s, S("skip"))->builtin); /* redefined */
    CHECK(gql_schema_directive(s, S("include"))->builtin);
    CHECK(gql_schema_directive(s, S("nope")) == NULL);
    built_free(&b);
}

TEST(specified_directives_match_graphql_js)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "type Query { x: Int }");
    gql_directive_t *dep = gql_schema_directive(s, S("deprecated"));
    CHECK_SLICE(dep->description, "Marks an element of a GraphQL schema as no longer supported.");
    CHECK_EQ_INT(dep->locations, GQL_DL_FIELD_DEFINITION | GQL_DL_ARGUMENT_DEFINITION |
                                     GQL_DL_INPUT_FIELD_DEFINITION | GQL_DL_ENUM_VALUE |
                                     GQL_DL_DIRECTIVE_DEFINITION);
    CHECK_EQ_INT(dep->nargs, 1);
    CHECK_SLICE(dep->args[0].name, "reason");
    CHECK_EQ_INT(dep->args[0].default_value->kind, GQL_AST_STRING);
    CHECK_SLICE(dep->args[0].default_value->text, "No longer supported");
    gql_directive_t *sb = gql_schema_directive(s, S("specifiedBy"));
    char buf[64];
    CHECK_EQ_STR(ref_text(sb->args[0].type, buf, sizeof buf), "String!");
    gql_directive_t *one = gql_schema_directive(s, S("oneOf"));
    CHECK_EQ_INT(one->locations, GQL_DL_INPUT_OBJECT);
    CHECK_EQ_INT(one->nargs, 0);
    CHECK_SLICE(gql_schema_directive(s, S("skip"))->args[0].description, "Skipped when true.");
    built_free(&b);
}

/* ---- built-in types ---- */

TEST(builtin_scalars_carry_graphql_js_descriptions)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "type Query { a: Int b: Float c: String d: Boolean e: ID }");
    gql_type_t *id = gql_schema_type(s, S("ID"));
    CHECK(id->builtin && id->kind == GQL_SCALAR);
    CHECK_SLICE(id->description,
                "The `ID` scalar type represents a unique identifier, often used to refetch an "
                "object or as key for a cache. The ID type appears in a JSON response as a "
                "String; however, it is not intended to be human-readable. When expected as an "
                "input type, any string (such as `\"4\"`) or integer (such as `4`) input value "
                "will be accepted as an ID.");
    CHECK_SLICE(gql_schema_type(s, S("Int"))->description,
                "The `Int` scalar type represents non-fractional signed whole numeric values. Int "
                "can represent values between -(2^31) and 2^31 - 1.");
    CHECK(!gql_schema_type(s, S("Query"))->builtin);
    built_free(&b);
}

TEST(introspection_types_match_graphql_js)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "type Query { a: Int }");
    char buf[64];
    gql_type_t *type = gql_schema_type(s, S("__Type"));
    CHECK_EQ_INT(type->nfields, 11);
    const char *names[] = {"kind",        "name",       "description",   "specifiedByURL",
                           "fields",      "interfaces", "possibleTypes", "enumValues",
                           "inputFields", "ofType",     "isOneOf"};
    for (size_t i = 0; i < 11; i++)
        CHECK_SLICE(type->fields[i].name, names[i]);
    gql_field_t *fields = gql_type_field(type, S("fields"));
    CHECK_EQ_STR(ref_text(fields->type, buf, sizeof buf), "[__Field!]");
    gql_input_value_t *inc = gql_field_arg(fields, S("includeDeprecated"));
    CHECK_EQ_STR(ref_text(inc->type, buf, sizeof buf), "Boolean");
    CHECK(inc->default_value && inc->default_value->kind == GQL_AST_BOOLEAN &&
          !inc->default_value->boolean);
    gql_field_t *dirs = gql_type_field(gql_schema_type(s, S("__Schema")), S("directives"));
    CHECK_EQ_STR(ref_text(dirs->args[0].type, buf, sizeof buf), "Boolean!");
    gql_type_t *kind = gql_schema_type(s, S("__TypeKind"));
    CHECK_EQ_INT(kind->nvalues, 8);
    CHECK_SLICE(kind->values[7].name, "NON_NULL");
    CHECK_SLICE(kind->values[0].description, "Indicates this type is a scalar.");
    gql_type_t *loc = gql_schema_type(s, S("__DirectiveLocation"));
    CHECK_EQ_INT(loc->nvalues, 20);
    CHECK_SLICE(loc->values[19].name, "DIRECTIVE_DEFINITION");
    gql_type_t *dir = gql_schema_type(s, S("__Directive"));
    CHECK(gql_type_field(dir, S("isDeprecated")) != NULL);
    CHECK(gql_type_field(dir, S("isRepeatable")) != NULL);
    built_free(&b);
}

/* ---- members, extensions, directive values ---- */

TEST(extensions_add_members_in_document_order)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "type Query { a: Int }\n"
                                     "extend type Query implements I { c: Int }\n"
                                     "interface I { c: Int }\n"
                                     "extend type Query { b: Int }\n"
                                     "union U = Query\n"
                                     "extend union U = T\n"
                                     "type T { t: Int }\n"
                                     "enum E { A }\n"
                                     "extend enum E { B }\n"
                                     "input In { a: Int }\n"
                                     "extend input In { b: Int }\n");
    gql_type_t *q = gql_schema_type(s, S("Query"));
    CHECK_EQ_INT(q->nfields, 3);
    CHECK_SLICE(q->fields[1].name, "c");
    CHECK_SLICE(q->fields[2].name, "b");
    CHECK_EQ_INT(q->ninterfaces, 1);
    CHECK_EQ_INT(q->nextensions, 2);
    CHECK_EQ_INT(q->extensions[1]->loc.line, 4);
    CHECK_EQ_INT(q->loc.line, 1);
    CHECK_EQ_INT(gql_schema_type(s, S("U"))->npossible, 2);
    CHECK(gql_type_enum_value(gql_schema_type(s, S("E")), S("B")) != NULL);
    CHECK(gql_type_input_field(gql_schema_type(s, S("In")), S("b")) != NULL);
    built_free(&b);
}

TEST(directive_values_are_read)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "\"\"\"\n  Block\n    text\n\"\"\"\n"
                                     "type Query {\n"
                                     "  a: Int @deprecated\n"
                                     "  b(x: Int @deprecated(reason: \"old\")): Int\n"
                                     "  c: Int @deprecated(reason: null)\n"
                                     "}\n"
                                     "enum E { A @deprecated(reason: \"\") }\n"
                                     "scalar U @specifiedBy(url: \"https://u\")\n"
                                     "input O @oneOf { a: Int }\n"
                                     "input P { a: Int @deprecated }\n");
    gql_type_t *q = s->query;
    CHECK_SLICE(q->description, "Block\n  text");
    CHECK_SLICE(q->fields[0].deprecation_reason, "No longer supported");
    CHECK_SLICE(q->fields[1].args[0].deprecation_reason, "old");
    CHECK(q->fields[1].deprecation_reason.base == NULL);
    CHECK(q->fields[2].deprecation_reason.base == NULL); /* null reason: not deprecated */
    const gql_enum_value_t *a = gql_type_enum_value(gql_schema_type(s, S("E")), S("A"));
    CHECK(a->deprecation_reason.base != NULL && a->deprecation_reason.len == 0);
    CHECK_SLICE(gql_schema_type(s, S("U"))->specified_by_url, "https://u");
    CHECK(gql_schema_type(s, S("O"))->one_of);
    CHECK(!gql_schema_type(s, S("P"))->one_of);
    CHECK_SLICE(gql_schema_type(s, S("P"))->input_fields[0].deprecation_reason,
                "No longer supported");
    built_free(&b);
}

TEST(default_values_are_coerced_like_graphql_js)
{
    built_t b;
    gql_schema_t *s =
        must_build(&b, "type Query { f(a: [Int] = 1, b: Float = 2.50, c: Int = \"x\", d: ID = "
                       "\"42\", e: E = B, g: I = {y: 2}, h: String = null, i: Int): Int }\n"
                       "enum E { A B }\n"
                       "input I { x: Int = 1, y: Int }\n");
    gql_field_t *f = gql_type_field(s->query, S("f"));
    const gql_ast_value_t *v = gql_field_arg(f, S("a"))->default_value;
    CHECK(v->kind == GQL_AST_LIST && v->nitems == 1 && v->items[0]->kind == GQL_AST_INT);
    v = gql_field_arg(f, S("b"))->default_value;
    CHECK(v->kind == GQL_AST_FLOAT);
    CHECK_SLICE(v->text, "2.5");
    CHECK(gql_field_arg(f, S("c"))->default_value == NULL); /* does not coerce: dropped */
    v = gql_field_arg(f, S("d"))->default_value;
    CHECK(v->kind == GQL_AST_INT);
    CHECK_SLICE(v->text, "42");
    CHECK(gql_field_arg(f, S("e"))->default_value->kind == GQL_AST_ENUM);
    v = gql_field_arg(f, S("g"))->default_value;
    CHECK(v->kind == GQL_AST_OBJECT && v->nfields == 2);
    CHECK_SLICE(v->fields[0].name.value, "x");
    CHECK_SLICE(v->fields[1].value->text, "2");
    CHECK(gql_field_arg(f, S("h"))->default_value->kind == GQL_AST_NULL);
    CHECK(gql_field_arg(f, S("i"))->default_value == NULL);
    built_free(&b);
}

TEST(js_number_formatting)
{
    built_t b;
    gql_schema_t *s =
        must_build(&b, "type Query { f(a: Float = 1e21, b: Float = 123e-9, c: Float "
                       "= 0.1, d: Float = 1e20, e: Float = -5e-7, g: Float = 12.0e1): "
                       "Int }");
    gql_field_t *f = gql_type_field(s->query, S("f"));
    const char *expect[] = {"1e+21", "1.23e-7", "0.1", "100000000000000000000", "-5e-7", "120"};
    for (size_t i = 0; i < 6; i++)
        CHECK_SLICE(f->args[i].default_value->text, expect[i]);
    built_free(&b);
}

/* ---- lookups and relations ---- */

TEST(lookups_by_name_small_and_large_types)
{
    built_t b;
    gql_schema_t *s = must_build(
        &b, "type Query { a: Int b: Int c: Int d: Int e: Int f: Int g: Int h: Int i: Int j(x: "
            "Int, y: Int): Int }\n"
            "type Small { a: Int }\n"
            "enum Big { V0 V1 V2 V3 V4 V5 V6 V7 V8 V9 }\n"
            "input In { a: Int b: Int c: Int d: Int e: Int f: Int g: Int h: Int i: Int }\n");
    gql_type_t *q = s->query;
    CHECK(q->member_index != NULL);
    CHECK(gql_type_field(q, S("i")) == &q->fields[8]);
    CHECK(gql_type_field(q, S("zz")) == NULL);
    gql_type_t *small = gql_schema_type(s, S("Small"));
    CHECK(small->member_index == NULL);
    CHECK(gql_type_field(small, S("a")) == &small->fields[0]);
    CHECK(gql_type_enum_value(gql_schema_type(s, S("Big")), S("V9")) != NULL);
    CHECK(gql_type_enum_value(gql_schema_type(s, S("Big")), S("V10")) == NULL);
    CHECK(gql_type_input_field(gql_schema_type(s, S("In")), S("h")) != NULL);
    CHECK(gql_field_arg(gql_type_field(q, S("j")), S("y")) != NULL);
    CHECK(gql_field_arg(gql_type_field(q, S("j")), S("z")) == NULL);
    /* Lookups of the wrong kind find nothing. */
    CHECK(gql_type_field(gql_schema_type(s, S("In")), S("a")) == NULL);
    CHECK(gql_type_input_field(q, S("a")) == NULL);
    CHECK(gql_schema_type(s, S("")) == NULL);
    built_free(&b);
}

TEST(type_relations)
{
    built_t b;
    gql_schema_t *s = must_build(&b, "type Query { a: A i: I u: U n: [A!]! m: [I] }\n"
                                     "interface I { id: ID }\n"
                                     "interface J implements I { id: ID }\n"
                                     "type A implements I & J { id: ID }\n"
                                     "type B { id: ID }\n"
                                     "union U = A\n");
    gql_type_t *i = gql_schema_type(s, S("I")), *j = gql_schema_type(s, S("J"));
    gql_type_t *a = gql_schema_type(s, S("A")), *bt = gql_schema_type(s, S("B"));
    gql_type_t *u = gql_schema_type(s, S("U"));
    CHECK(gql_schema_is_possible_type(i, a));
    CHECK(gql_schema_is_possible_type(i, j)); /* an interface implementing it */
    CHECK(!gql_schema_is_possible_type(i, bt));
    CHECK(gql_schema_is_possible_type(u, a));
    CHECK(!gql_schema_is_possible_type(u, bt));
    CHECK(gql_schema_is_possible_type(a, a));
    CHECK(gql_type_is_abstract(u) && gql_type_is_abstract(i) && !gql_type_is_abstract(a));
    CHECK(gql_type_is_composite(u) && !gql_type_is_composite(gql_schema_type(s, S("ID"))));
    CHECK(gql_type_is_leaf(gql_schema_type(s, S("ID"))) &&
          gql_type_is_input(gql_schema_type(s, S("ID"))));
    CHECK(gql_type_is_output(a) && !gql_type_is_input(a));

    const gql_type_ref_t *ta = gql_type_field(s->query, S("a"))->type;
    const gql_type_ref_t *ti = gql_type_field(s->query, S("i"))->type;
    const gql_type_ref_t *tn = gql_type_field(s->query, S("n"))->type;
    const gql_type_ref_t *tm = gql_type_field(s->query, S("m"))->type;
    const gql_type_ref_t *tu = gql_type_field(s->query, S("u"))->type;
    CHECK(gql_type_ref_is_subtype(ta, ti));
    CHECK(!gql_type_ref_is_subtype(ti, ta));
    CHECK(gql_type_ref_is_subtype(ta, tu));
    CHECK(gql_type_ref_is_subtype(tn, tm)); /* [A!]! <: [I] */
    CHECK(!gql_type_ref_is_subtype(tm, tn));
    CHECK(!gql_type_ref_is_subtype(tn, ti));
    CHECK(gql_type_ref_equal(ta, gql_type_field(s->query, S("a"))->type));
    CHECK(!gql_type_ref_equal(tn, tm));
    CHECK(gql_type_ref_named(tn) == a);
    char buf[32];
    CHECK_EQ_STR(ref_text(tn, buf, sizeof buf), "[A!]!");
    built_free(&b);
}

TEST(location_and_kind_names)
{
    gql_directive_location_t loc;
    CHECK_EQ_INT(gql_directive_location_parse(S("INPUT_FIELD_DEFINITION"), &loc), 0);
    CHECK_EQ_INT(loc, GQL_DL_INPUT_FIELD_DEFINITION);
    CHECK_EQ_STR(gql_directive_location_name(GQL_DL_VARIABLE_DEFINITION), "VARIABLE_DEFINITION");
    CHECK_EQ_INT(gql_directive_location_parse(S("FIELDS"), &loc), FACET_EINVAL);
    CHECK_EQ_STR(gql_directive_location_name(GQL_DL_DIRECTIVE_DEFINITION), "DIRECTIVE_DEFINITION");
    CHECK_EQ_STR(gql_directive_location_name(GQL_DL_QUERY | GQL_DL_FIELD), "");
    /* Every location's name reads back as the location. */
    for (uint32_t bit = 1; bit <= GQL_DL_DIRECTIVE_DEFINITION; bit <<= 1) {
        const char *name = gql_directive_location_name((gql_directive_location_t)bit);
        CHECK_EQ_INT(gql_directive_location_parse(facet_str_c(name), &loc), 0);
        CHECK_EQ_INT(loc, bit);
    }
    CHECK_EQ_STR(gql_type_kind_name(GQL_INPUT_OBJECT), "INPUT_OBJECT");
}

/* ---- sources and errors ---- */

TEST(several_sources_are_one_document)
{
    facet_str_t srcs[2] = {S("type Query { a: A }"), S("type A { b: Int }\ntype B { c: Nope }")};
    facet_arena_t ea;
    facet_arena_init(&ea, 0);
    gql_error_list_t errs;
    gql_errors_init(&errs, &ea, 0);
    gql_schema_t *s = NULL;
    CHECK_EQ_INT(gql_schema_build(srcs, 1, &s, &errs), FACET_EINVAL);
    CHECK(s == NULL);
    gql_errors_init(&errs, &ea, 0);
    CHECK_EQ_INT(gql_schema_build(srcs, 2, &s, &errs), FACET_EINVAL);
    /* Locations count lines through the sources joined with newlines. */
    CHECK_EQ_INT(errs.count, 1);
    CHECK_EQ_INT(errs.head->locations[0].line, 3);
    CHECK_EQ_INT(errs.head->locations[0].column, 13);
    srcs[1] = S("type A { b: Int }");
    gql_errors_init(&errs, &ea, 0);
    CHECK_EQ_INT(gql_schema_build(srcs, 2, &s, &errs), 0);
    CHECK(gql_schema_type(s, S("A")) != NULL);
    gql_schema_free(s);
    facet_arena_free(&ea);
}

TEST(syntax_errors_are_reported)
{
    built_t b;
    build_sdl(&b, "type Query { a: }");
    CHECK_EQ_INT(b.rc, FACET_EINVAL);
    CHECK_EQ_STR(errors_text(&b), "Syntax Error: Expected Name, found \"}\". 1:17");
    CHECK_EQ_STR(b.errors.head->code, GQL_CODE_PARSE_FAILED);
    built_free(&b);
}

TEST(empty_document_has_no_query)
{
    CHECK_SDL_ERRORS("", "Syntax Error: Unexpected <EOF>. 1:1");
    CHECK_SDL_ERRORS("scalar S", "Query root type must be provided.");
}

TEST(long_chains_of_input_types_do_not_exhaust_the_stack)
{
    /* In0 -> In1 -> ... -> In4999 -> In0 through non-null fields, each with
     * a default that needs the next type's defaults. */
    enum { N = 5000 };
    facet_buf_t sdl;
    facet_buf_init(&sdl, 0);
    facet_buf_append_str(&sdl, "type Query { a(x: In0 = {}): Int }\n");
    for (int i = 0; i < N; i++)
        facet_buf_printf(&sdl, "input In%d { f: In%d! = {} g: Int = %d }\n", i, (i + 1) % N, i);
    facet_buf_append(&sdl, "", 1);
    built_t b;
    build_sdl(&b, sdl.base);
    CHECK_EQ_INT(b.rc, FACET_EINVAL);
    CHECK_EQ_INT(b.errors.count, 1);
    CHECK(strncmp(b.errors.head->message.base,
                  "Cannot reference Input Object \"In0\" within itself through a series of "
                  "non-null fields: \"f.f.f.",
                  90) == 0);
    CHECK_EQ_INT(b.errors.head->nlocations, N);
    built_free(&b);
    facet_buf_free(&sdl);
}
