/* The GraphQL parser, type-system side (specification section 3): schema,
 * scalar, object, interface, union, enum and input object definitions,
 * directive definitions, and every "extend" form. Values and directives
 * here are constant: a variable in them is a syntax error. */
#include <string.h>

#include "core/error.h"
#include "gql/parser_internal.h"

/* ---- lists ---- */

/* [delimiter] Item (delimiter Item)*: "implements & A & B", "= | A | B",
 * "on | FIELD | QUERY". */
static bool parse_delimited_names(gql__parser_t *p, gql_token_kind_t delimiter,
                                  bool (*item)(gql__parser_t *, gql_ast_name_t *),
                                  gql_ast_name_t **out, size_t *n)
{
    gql__vec_t names = {0};
    bool more = false;
    if (!gql__optional(p, delimiter, &more))
        return false;
    do {
        gql_ast_name_t name = {0};
        if (!item(p, &name) || !gql__vec_push(p, &names, &name, sizeof name) ||
            !gql__optional(p, delimiter, &more))
            return false;
    } while (more);
    *out = names.items;
    *n = names.n;
    return true;
}

static bool parse_input_value_def(gql__parser_t *p, gql_ast_input_value_def_t *v)
{
    bool has_default = false;
    v->loc = p->tok.loc;
    if (!gql__parse_description(p, &v->description))
        return false;
    if (!gql__parse_name(p, &v->name) || !gql__expect(p, GQL_TOK_COLON) ||
        !(v->type = gql__parse_type(p)) || !gql__optional(p, GQL_TOK_EQUALS, &has_default))
        return false;
    if (has_default && !(v->default_value = gql__parse_value(p, true)))
        return false;
    return gql__parse_directives(p, true, &v->directives, &v->ndirectives);
}

/* Room for one item of any list parse_block() builds. */
#define SLOT_SIZE 128
_Static_assert(sizeof(gql_ast_input_value_def_t) <= SLOT_SIZE, "slot too small");
_Static_assert(sizeof(gql_ast_field_def_t) <= SLOT_SIZE, "slot too small");
_Static_assert(sizeof(gql_ast_enum_value_def_t) <= SLOT_SIZE, "slot too small");
_Static_assert(sizeof(gql_ast_operation_type_def_t) <= SLOT_SIZE, "slot too small");

/* open Item+ close when the current token is open; nothing otherwise. With
 * required, the open token must be there. */
static bool parse_block(gql__parser_t *p, gql_token_kind_t open, gql_token_kind_t close,
                        bool required, bool (*item)(gql__parser_t *, void *), size_t size,
                        void **out, size_t *n)
{
    gql__vec_t items = {0};
    bool opened = false, done = false;
    _Alignas(16) unsigned char slot[SLOT_SIZE];
    if (required && !gql__is(p, open))
        return gql__expect(p, open);
    if (!gql__optional(p, open, &opened))
        return false;
    while (opened && !done) {
        memset(slot, 0, size);
        if (!item(p, slot) || !gql__vec_push(p, &items, slot, size) ||
            !gql__optional(p, close, &done))
            return false;
    }
    *out = items.items;
    *n = items.n;
    return true;
}

static bool input_value_item(gql__parser_t *p, void *slot)
{
    return parse_input_value_def(p, slot);
}

static bool parse_argument_defs(gql__parser_t *p, gql_ast_input_value_def_t **out, size_t *n)
{
    return parse_block(p, GQL_TOK_PAREN_L, GQL_TOK_PAREN_R, false, input_value_item, sizeof **out,
                       (void **)out, n);
}

static bool field_def_item(gql__parser_t *p, void *slot)
{
    gql_ast_field_def_t *f = slot;
    f->loc = p->tok.loc;
    if (!gql__parse_description(p, &f->description))
        return false;
    return gql__parse_name(p, &f->name) && parse_argument_defs(p, &f->args, &f->nargs) &&
           gql__expect(p, GQL_TOK_COLON) && (f->type = gql__parse_type(p)) != NULL &&
           gql__parse_directives(p, true, &f->directives, &f->ndirectives);
}

static bool enum_value_item(gql__parser_t *p, void *slot)
{
    gql_ast_enum_value_def_t *e = slot;
    e->loc = p->tok.loc;
    if (!gql__parse_description(p, &e->description))
        return false;
    /* graphql-js judges the token's text whatever its kind. */
    facet_str_t v = p->tok.value;
    if (facet_str_eq(v, FACET_STR_LIT("true")) || facet_str_eq(v, FACET_STR_LIT("false")) ||
        facet_str_eq(v, FACET_STR_LIT("null")))
        return gql__fail(p, p->tok.start,
                         "%s \"%.*s\" is reserved and cannot be used for an enum value.",
                         gql_token_kind_desc(p->tok.kind), (int)v.len, v.base);
    return gql__parse_name(p, &e->name) &&
           gql__parse_directives(p, true, &e->directives, &e->ndirectives);
}

/* ---- type definitions and extensions ---- */

static bool parse_type_body(gql__parser_t *p, gql_ast_type_def_t *t)
{
    bool implements = false;
    switch (t->kind) {
    case GQL_OBJECT:
    case GQL_INTERFACE:
        if (!gql__optional_keyword(p, "implements", &implements))
            return false;
        if (implements && !parse_delimited_names(p, GQL_TOK_AMP, gql__parse_named_type,
                                                 &t->interfaces, &t->ninterfaces))
            return false;
        return gql__parse_directives(p, true, &t->directives, &t->ndirectives) &&
               parse_block(p, GQL_TOK_BRACE_L, GQL_TOK_BRACE_R, false, field_def_item,
                           sizeof *t->fields, (void **)&t->fields, &t->nfields);
    case GQL_UNION: {
        bool members = false;
        if (!gql__parse_directives(p, true, &t->directives, &t->ndirectives) ||
            !gql__optional(p, GQL_TOK_EQUALS, &members))
            return false;
        return !members || parse_delimited_names(p, GQL_TOK_PIPE, gql__parse_named_type,
                                                 &t->members, &t->nmembers);
    }
    case GQL_ENUM:
        return gql__parse_directives(p, true, &t->directives, &t->ndirectives) &&
               parse_block(p, GQL_TOK_BRACE_L, GQL_TOK_BRACE_R, false, enum_value_item,
                           sizeof *t->values, (void **)&t->values, &t->nvalues);
    case GQL_INPUT_OBJECT:
        return gql__parse_directives(p, true, &t->directives, &t->ndirectives) &&
               parse_block(p, GQL_TOK_BRACE_L, GQL_TOK_BRACE_R, false, input_value_item,
                           sizeof *t->input_fields, (void **)&t->input_fields, &t->ninput_fields);
    case GQL_SCALAR:
    default:
        return gql__parse_directives(p, true, &t->directives, &t->ndirectives);
    }
}

static bool type_keyword(const char *word, gql_type_kind_t *kind)
{
    static const struct {
        const char *word;
        gql_type_kind_t kind;
    } kinds[] = {
        {"scalar", GQL_SCALAR}, {"type", GQL_OBJECT}, {"interface", GQL_INTERFACE},
        {"union", GQL_UNION},   {"enum", GQL_ENUM},   {"input", GQL_INPUT_OBJECT},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(word, kinds[i].word) == 0) {
            *kind = kinds[i].kind;
            return true;
        }
    }
    return false;
}

static gql_ast_type_def_t *new_type_def(gql__parser_t *p, gql_ast_definition_t *def,
                                        gql_type_kind_t kind)
{
    gql_ast_type_def_t *t = GQL__NEW(p, gql_ast_type_def_t);
    if (!t)
        return NULL;
    t->kind = kind;
    t->loc = p->tok.loc;
    def->kind = GQL_AST_TYPE_DEF;
    def->u.type = t;
    return t;
}

/* An extension must add something: "extend type T" alone is an error at
 * the token after the name, as in graphql-js. */
static bool extension_is_empty(const gql_ast_type_def_t *t)
{
    return t->ndirectives == 0 && t->ninterfaces == 0 && t->nfields == 0 && t->ninput_fields == 0 &&
           t->nvalues == 0 && t->nmembers == 0;
}

static bool parse_type_extension(gql__parser_t *p, const char *keyword, gql_type_kind_t kind,
                                 gql_ast_definition_t *def)
{
    gql_ast_type_def_t *t = new_type_def(p, def, kind);
    if (!t)
        return false;
    t->extension = true;
    if (!gql__expect_keyword(p, "extend") || !gql__expect_keyword(p, keyword) ||
        !gql__parse_name(p, &t->name) || !parse_type_body(p, t))
        return false;
    return extension_is_empty(t) ? gql__unexpected(p, &p->tok) : true;
}

/* ---- schema ---- */

static bool operation_type_item(gql__parser_t *p, void *slot)
{
    gql_ast_operation_type_def_t *o = slot;
    o->loc = p->tok.loc;
    return gql__parse_operation_type(p, &o->operation) && gql__expect(p, GQL_TOK_COLON) &&
           gql__parse_named_type(p, &o->type);
}

static bool parse_schema(gql__parser_t *p, bool extension, gql_ast_definition_t *def)
{
    gql_ast_schema_def_t *s = GQL__NEW(p, gql_ast_schema_def_t);
    if (!s)
        return false;
    def->kind = GQL_AST_SCHEMA_DEF;
    def->u.schema = s;
    s->extension = extension;
    s->loc = p->tok.loc;
    if (extension ? !gql__expect_keyword(p, "extend") : !gql__parse_description(p, &s->description))
        return false;
    if (!gql__expect_keyword(p, "schema") ||
        !gql__parse_directives(p, true, &s->directives, &s->ndirectives) ||
        !parse_block(p, GQL_TOK_BRACE_L, GQL_TOK_BRACE_R, !extension, operation_type_item,
                     sizeof *s->operation_types, (void **)&s->operation_types,
                     &s->noperation_types))
        return false;
    if (extension && s->ndirectives == 0 && s->noperation_types == 0)
        return gql__unexpected(p, &p->tok);
    return true;
}

/* ---- directive definitions ---- */

static bool parse_directive_location(gql__parser_t *p, gql_ast_name_t *out)
{
    gql_token_t start = p->tok;
    if (!gql__parse_name(p, out))
        return false;
    return gql_ast_directive_location_index(out->value) >= 0 || gql__unexpected(p, &start);
}

static bool parse_directive_def(gql__parser_t *p, gql_ast_definition_t *def)
{
    gql_ast_directive_def_t *d = GQL__NEW(p, gql_ast_directive_def_t);
    if (!d)
        return false;
    def->kind = GQL_AST_DIRECTIVE_DEF;
    def->u.directive = d;
    d->loc = p->tok.loc;
    return gql__parse_description(p, &d->description) && gql__expect_keyword(p, "directive") &&
           gql__expect(p, GQL_TOK_AT) && gql__parse_name(p, &d->name) &&
           parse_argument_defs(p, &d->args, &d->nargs) &&
           gql__optional_keyword(p, "repeatable", &d->repeatable) && gql__expect_keyword(p, "on") &&
           parse_delimited_names(p, GQL_TOK_PIPE, parse_directive_location, &d->locations,
                                 &d->nlocations);
}

/* ---- entry points ---- */

bool gql__parse_type_system_definition(gql__parser_t *p, const char *keyword,
                                       gql_ast_definition_t *def)
{
    gql_type_kind_t kind;
    if (strcmp(keyword, "schema") == 0)
        return parse_schema(p, false, def);
    if (strcmp(keyword, "directive") == 0)
        return parse_directive_def(p, def);
    if (!type_keyword(keyword, &kind))
        return gql__unexpected(p, &p->tok);
    gql_ast_type_def_t *t = new_type_def(p, def, kind);
    return t && gql__parse_description(p, &t->description) && gql__expect_keyword(p, keyword) &&
           gql__parse_name(p, &t->name) && parse_type_body(p, t);
}

bool gql__parse_type_system_extension(gql__parser_t *p, gql_ast_definition_t *def)
{
    static const char *const words[] = {"scalar", "type", "interface", "union", "enum", "input"};
    const gql_token_t *kw = gql__peek(p);
    gql_type_kind_t kind;
    if (!kw)
        return false;
    if (kw->kind == GQL_TOK_NAME) {
        if (facet_str_eq(kw->value, FACET_STR_LIT("schema")))
            return parse_schema(p, true, def);
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (facet_str_eq(kw->value, facet_str_c(words[i])) && type_keyword(words[i], &kind))
                return parse_type_extension(p, words[i], kind, def);
    }
    return gql__unexpected(p, kw);
}
