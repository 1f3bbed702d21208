/* The GraphQL parser, executable side (specification section 2): the
 * document, operations, selections, fragments, values, directives and type
 * references. The type system is in parser_sdl.c, the token machinery in
 * parser_util.c. Recursive descent, one function per grammar rule, in the
 * order graphql-js 16 consumes tokens so that the first error found is the
 * same one. */
#include "gql/parser.h"

#include <string.h>

#include "core/error.h"
#include "gql/parser_internal.h"

static gql_ast_selection_set_t *parse_selection_set(gql__parser_t *p);

/* ---- values ---- */

static gql_ast_value_t *parse_list(gql__parser_t *p, gql_ast_value_t *v, bool is_const)
{
    gql__vec_t items = {0};
    bool done = false;
    v->kind = GQL_AST_LIST;
    if (!gql__enter(p) || !gql__advance(p))
        return NULL;
    while (gql__optional(p, GQL_TOK_BRACKET_R, &done) && !done) {
        gql_ast_value_t *item = gql__parse_value(p, is_const);
        if (!item || !gql__vec_push(p, &items, &item, sizeof item))
            return NULL;
    }
    if (p->status)
        return NULL;
    gql__leave(p);
    v->items = items.items;
    v->nitems = items.n;
    return v;
}

static gql_ast_value_t *parse_object(gql__parser_t *p, gql_ast_value_t *v, bool is_const)
{
    gql__vec_t fields = {0};
    bool done = false;
    v->kind = GQL_AST_OBJECT;
    if (!gql__enter(p) || !gql__advance(p))
        return NULL;
    while (gql__optional(p, GQL_TOK_BRACE_R, &done) && !done) {
        gql_ast_object_field_t f = {0};
        if (!gql__parse_name(p, &f.name) || !gql__expect(p, GQL_TOK_COLON))
            return NULL;
        if (!(f.value = gql__parse_value(p, is_const)) || !gql__vec_push(p, &fields, &f, sizeof f))
            return NULL;
    }
    if (p->status)
        return NULL;
    gql__leave(p);
    v->fields = fields.items;
    v->nfields = fields.n;
    return v;
}

/* A variable where only constants may stand (default values, SDL): after
 * "$", a name gets graphql-js' dedicated message, anything else is an
 * unexpected "$". */
static gql_ast_value_t *variable_in_constant(gql__parser_t *p)
{
    gql_token_t dollar = p->tok;
    if (!gql__advance(p))
        return NULL;
    if (gql__is(p, GQL_TOK_NAME))
        gql__fail(p, dollar.start, "Unexpected variable \"$%.*s\" in constant value.",
                  (int)p->tok.value.len, p->tok.value.base);
    else
        gql__unexpected(p, &dollar);
    return NULL;
}

static gql_ast_value_t *parse_scalar(gql__parser_t *p, gql_ast_value_t *v)
{
    const gql_token_t *t = &p->tok;
    switch (t->kind) {
    case GQL_TOK_INT:
    case GQL_TOK_FLOAT:
        v->kind = t->kind == GQL_TOK_INT ? GQL_AST_INT : GQL_AST_FLOAT;
        v->text = facet_arena_strdup(p->arena, t->value.base, t->value.len);
        break;
    case GQL_TOK_STRING:
    case GQL_TOK_BLOCK_STRING:
        v->kind = GQL_AST_STRING;
        v->block = t->kind == GQL_TOK_BLOCK_STRING;
        v->text = t->value; /* already decoded into the arena */
        break;
    default:
        if (facet_str_eq(t->value, FACET_STR_LIT("true")) ||
            facet_str_eq(t->value, FACET_STR_LIT("false"))) {
            v->kind = GQL_AST_BOOLEAN;
            v->boolean = t->value.len == 4;
            return gql__advance(p) ? v : NULL;
        }
        if (facet_str_eq(t->value, FACET_STR_LIT("null"))) {
            v->kind = GQL_AST_NULL;
            return gql__advance(p) ? v : NULL;
        }
        v->kind = GQL_AST_ENUM;
        v->text = facet_arena_strdup(p->arena, t->value.base, t->value.len);
        break;
    }
    if (!v->text.base) {
        gql__nomem(p);
        return NULL;
    }
    return gql__advance(p) ? v : NULL;
}

gql_ast_value_t *gql__parse_value(gql__parser_t *p, bool is_const)
{
    gql_token_kind_t kind = p->tok.kind;
    if (kind == GQL_TOK_DOLLAR && is_const)
        return variable_in_constant(p);
    if (kind != GQL_TOK_BRACKET_L && kind != GQL_TOK_BRACE_L && kind != GQL_TOK_INT &&
        kind != GQL_TOK_FLOAT && kind != GQL_TOK_STRING && kind != GQL_TOK_BLOCK_STRING &&
        kind != GQL_TOK_NAME && kind != GQL_TOK_DOLLAR) {
        gql__unexpected(p, &p->tok);
        return NULL;
    }
    gql_ast_value_t *v = GQL__NEW(p, gql_ast_value_t);
    if (!v)
        return NULL;
    v->loc = p->tok.loc;
    switch (kind) {
    case GQL_TOK_BRACKET_L:
        return parse_list(p, v, is_const);
    case GQL_TOK_BRACE_L:
        return parse_object(p, v, is_const);
    case GQL_TOK_DOLLAR: {
        gql_ast_name_t name;
        v->kind = GQL_AST_VARIABLE;
        if (!gql__advance(p) || !gql__parse_name(p, &name))
            return NULL;
        v->text = name.value;
        return v;
    }
    default:
        return parse_scalar(p, v);
    }
}

/* ---- arguments and directives ---- */

static bool parse_arguments(gql__parser_t *p, bool is_const, gql_ast_argument_t **out, size_t *n)
{
    gql__vec_t args = {0};
    bool open = false, done = false;
    if (!gql__optional(p, GQL_TOK_PAREN_L, &open))
        return false;
    while (open && !done) {
        gql_ast_argument_t arg = {0};
        if (!gql__parse_name(p, &arg.name) || !gql__expect(p, GQL_TOK_COLON))
            return false;
        if (!(arg.value = gql__parse_value(p, is_const)) ||
            !gql__vec_push(p, &args, &arg, sizeof arg) || !gql__optional(p, GQL_TOK_PAREN_R, &done))
            return false;
    }
    *out = args.items;
    *n = args.n;
    return true;
}

bool gql__parse_directives(gql__parser_t *p, bool is_const, gql_ast_directive_t **out, size_t *n)
{
    gql__vec_t dirs = {0};
    while (gql__is(p, GQL_TOK_AT)) {
        gql_ast_directive_t d = {0};
        gql_loc_t at = p->tok.loc;
        if (!gql__advance(p) || !gql__parse_name(p, &d.name) ||
            !parse_arguments(p, is_const, &d.args, &d.nargs))
            return false;
        d.name.loc = at;
        if (!gql__vec_push(p, &dirs, &d, sizeof d))
            return false;
    }
    *out = dirs.items;
    *n = dirs.n;
    return true;
}

/* ---- type references ---- */

bool gql__parse_named_type(gql__parser_t *p, gql_ast_name_t *out)
{
    return gql__parse_name(p, out);
}

gql_ast_type_t *gql__parse_type(gql__parser_t *p)
{
    gql_ast_type_t *t = GQL__NEW(p, gql_ast_type_t);
    bool bang = false;
    if (!t)
        return NULL;
    t->loc = p->tok.loc;
    if (gql__is(p, GQL_TOK_BRACKET_L)) {
        t->kind = GQL_AST_LIST_TYPE;
        if (!gql__enter(p) || !gql__advance(p) || !(t->of_type = gql__parse_type(p)) ||
            !gql__expect(p, GQL_TOK_BRACKET_R))
            return NULL;
        gql__leave(p);
    } else {
        t->kind = GQL_AST_NAMED_TYPE;
        if (!gql__parse_named_type(p, &t->name))
            return NULL;
    }
    if (!gql__optional(p, GQL_TOK_BANG, &bang))
        return NULL;
    if (!bang)
        return t;
    gql_ast_type_t *nn = GQL__NEW(p, gql_ast_type_t);
    if (!nn)
        return NULL;
    nn->kind = GQL_AST_NON_NULL_TYPE;
    nn->loc = t->loc;
    nn->of_type = t;
    return nn;
}

/* ---- selections ---- */

static gql_ast_selection_t *parse_field(gql__parser_t *p)
{
    gql_ast_selection_t *sel = GQL__NEW(p, gql_ast_selection_t);
    bool aliased = false;
    if (!sel)
        return NULL;
    sel->kind = GQL_AST_FIELD;
    sel->loc = p->tok.loc;
    if (!gql__parse_name(p, &sel->name) || !gql__optional(p, GQL_TOK_COLON, &aliased))
        return NULL;
    if (aliased) {
        sel->alias = sel->name;
        if (!gql__parse_name(p, &sel->name))
            return NULL;
    }
    if (!parse_arguments(p, false, &sel->args, &sel->nargs) ||
        !gql__parse_directives(p, false, &sel->directives, &sel->ndirectives))
        return NULL;
    if (gql__is(p, GQL_TOK_BRACE_L) && !(sel->selection_set = parse_selection_set(p)))
        return NULL;
    return sel;
}

/* "..." starts a fragment spread (a name follows) or an inline fragment
 * ("on Type", directives or a selection set follow). */
static gql_ast_selection_t *parse_fragment(gql__parser_t *p)
{
    gql_ast_selection_t *sel = GQL__NEW(p, gql_ast_selection_t);
    bool has_condition = false;
    if (!sel)
        return NULL;
    sel->loc = p->tok.loc;
    if (!gql__advance(p) || !gql__optional_keyword(p, "on", &has_condition))
        return NULL;
    if (!has_condition && gql__is(p, GQL_TOK_NAME)) {
        sel->kind = GQL_AST_FRAGMENT_SPREAD;
        if (!gql__parse_name(p, &sel->name) ||
            !gql__parse_directives(p, false, &sel->directives, &sel->ndirectives))
            return NULL;
        return sel;
    }
    sel->kind = GQL_AST_INLINE_FRAGMENT;
    if (has_condition && !gql__parse_named_type(p, &sel->type_condition))
        return NULL;
    if (!gql__parse_directives(p, false, &sel->directives, &sel->ndirectives) ||
        !(sel->selection_set = parse_selection_set(p)))
        return NULL;
    return sel;
}

static gql_ast_selection_set_t *parse_selection_set(gql__parser_t *p)
{
    gql_ast_selection_set_t *set = GQL__NEW(p, gql_ast_selection_set_t);
    gql__vec_t items = {0};
    bool done = false;
    if (!set)
        return NULL;
    set->loc = p->tok.loc;
    if (!gql__is(p, GQL_TOK_BRACE_L)) {
        gql__expect(p, GQL_TOK_BRACE_L);
        return NULL;
    }
    if (!gql__enter(p) || !gql__advance(p))
        return NULL;
    while (!done) {
        gql_ast_selection_t *sel = gql__is(p, GQL_TOK_SPREAD) ? parse_fragment(p) : parse_field(p);
        if (!sel || !gql__vec_push(p, &items, &sel, sizeof sel) ||
            !gql__optional(p, GQL_TOK_BRACE_R, &done))
            return NULL;
    }
    gql__leave(p);
    set->items = items.items;
    set->nitems = items.n;
    return set;
}

/* ---- operations and fragments ---- */

static bool parse_variable_definition(gql__parser_t *p, gql_ast_variable_def_t *v)
{
    facet_str_t description; /* graphql-js 16 accepts one here; it has no use */
    bool has_default = false;
    v->loc = p->tok.loc;
    if (!gql__parse_description(p, &description) || !gql__expect(p, GQL_TOK_DOLLAR) ||
        !gql__parse_name(p, &v->name) || !gql__expect(p, GQL_TOK_COLON) ||
        !(v->type = gql__parse_type(p)) || !gql__optional(p, GQL_TOK_EQUALS, &has_default))
        return false;
    if (has_default && !(v->default_value = gql__parse_value(p, true)))
        return false;
    return gql__parse_directives(p, true, &v->directives, &v->ndirectives);
}

static bool parse_variable_definitions(gql__parser_t *p, gql_ast_operation_t *op)
{
    gql__vec_t vars = {0};
    bool open = false, done = false;
    if (!gql__optional(p, GQL_TOK_PAREN_L, &open))
        return false;
    while (open && !done) {
        gql_ast_variable_def_t v = {0};
        if (!parse_variable_definition(p, &v) || !gql__vec_push(p, &vars, &v, sizeof v) ||
            !gql__optional(p, GQL_TOK_PAREN_R, &done))
            return false;
    }
    op->variables = vars.items;
    op->nvariables = vars.n;
    return true;
}

static bool parse_operation(gql__parser_t *p, gql_ast_definition_t *def)
{
    gql_ast_operation_t *op = GQL__NEW(p, gql_ast_operation_t);
    facet_str_t description; /* graphql-js 16 accepts one here; it has no use */
    if (!op)
        return false;
    def->kind = GQL_AST_OPERATION_DEF;
    def->u.operation = op;
    op->loc = p->tok.loc;
    if (gql__is(p, GQL_TOK_BRACE_L)) {
        op->operation = GQL_OP_QUERY;
        return (op->selection_set = parse_selection_set(p)) != NULL;
    }
    if (!gql__parse_description(p, &description) || !gql__parse_operation_type(p, &op->operation))
        return false;
    if (gql__is(p, GQL_TOK_NAME) && !gql__parse_name(p, &op->name))
        return false;
    if (!parse_variable_definitions(p, op) ||
        !gql__parse_directives(p, false, &op->directives, &op->ndirectives))
        return false;
    return (op->selection_set = parse_selection_set(p)) != NULL;
}

static bool parse_fragment_definition(gql__parser_t *p, gql_ast_definition_t *def)
{
    gql_ast_fragment_t *frag = GQL__NEW(p, gql_ast_fragment_t);
    facet_str_t description; /* graphql-js 16 accepts one here; it has no use */
    if (!frag)
        return false;
    def->kind = GQL_AST_FRAGMENT_DEF;
    def->u.fragment = frag;
    frag->loc = p->tok.loc;
    if (!gql__parse_description(p, &description) || !gql__expect_keyword(p, "fragment"))
        return false;
    /* A fragment may not be named "on": "... on" always starts an inline
     * fragment, so such a fragment could never be spread. graphql-js looks
     * at the token's text whatever its kind, and so does this. */
    if (facet_str_eq(p->tok.value, FACET_STR_LIT("on")))
        return gql__unexpected(p, &p->tok);
    if (!gql__parse_name(p, &frag->name) || !gql__expect_keyword(p, "on") ||
        !gql__parse_named_type(p, &frag->type_condition) ||
        !gql__parse_directives(p, false, &frag->directives, &frag->ndirectives))
        return false;
    return (frag->selection_set = parse_selection_set(p)) != NULL;
}

/* ---- documents ---- */

static bool is_word(const gql_token_t *t, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (facet_str_eq(t->value, facet_str_c(words[i])))
            return true;
    return false;
}

/* Chooses the definition by its keyword, looking past a description. */
static bool parse_definition(gql__parser_t *p, gql_ast_definition_t *def)
{
    static const char *const sdl[] = {"schema", "scalar", "type",  "interface",
                                      "union",  "enum",   "input", "directive"};
    static const char *const ops[] = {"query", "mutation", "subscription"};
    def->loc = p->tok.loc;
    if (gql__is(p, GQL_TOK_BRACE_L))
        return parse_operation(p, def);
    bool described = gql__is(p, GQL_TOK_STRING) || gql__is(p, GQL_TOK_BLOCK_STRING);
    const gql_token_t *kw = described ? gql__peek(p) : &p->tok;
    if (!kw)
        return false;
    if (described && kw->kind == GQL_TOK_BRACE_L)
        return gql__fail(
            p, p->tok.start,
            "Unexpected description, descriptions are not supported on shorthand queries.");
    if (kw->kind == GQL_TOK_NAME) {
        for (size_t i = 0; i < sizeof sdl / sizeof sdl[0]; i++)
            if (facet_str_eq(kw->value, facet_str_c(sdl[i])))
                return gql__parse_type_system_definition(p, sdl[i], def);
        if (is_word(kw, ops, 3))
            return parse_operation(p, def);
        if (facet_str_eq(kw->value, FACET_STR_LIT("fragment")))
            return parse_fragment_definition(p, def);
        if (described)
            return gql__fail(
                p, p->tok.start,
                "Unexpected description, only GraphQL definitions support descriptions.");
        if (facet_str_eq(kw->value, FACET_STR_LIT("extend")))
            return gql__parse_type_system_extension(p, def);
    }
    return gql__unexpected(p, kw);
}

static gql_ast_document_t *parse_document(gql__parser_t *p)
{
    gql_ast_document_t *doc = GQL__NEW(p, gql_ast_document_t);
    gql__vec_t defs = {0};
    if (!doc || !gql__advance(p))
        return NULL;
    do {
        gql_ast_definition_t def = {0};
        if (!parse_definition(p, &def) || !gql__vec_push(p, &defs, &def, sizeof def))
            return NULL;
    } while (!gql__is(p, GQL_TOK_EOF));
    doc->definitions = defs.items;
    doc->ndefinitions = defs.n;
    doc->ntokens = p->ntokens;
    return doc;
}

int gql_parse(facet_arena_t *a, const char *src, size_t len, const gql_parse_limits_t *limits,
              gql_ast_document_t **out, gql_error_list_t *errors)
{
    gql_parse_limits_t lim = limits ? *limits : GQL_PARSE_LIMITS_DEFAULT;
    const gql_parse_limits_t def = GQL_PARSE_LIMITS_DEFAULT;
    gql__parser_t p = {.arena = a, .errors = errors};
    p.max_tokens = lim.max_tokens ? lim.max_tokens : def.max_tokens;
    p.max_depth = lim.max_depth ? lim.max_depth : def.max_depth;
    size_t max_length = lim.max_length ? lim.max_length : def.max_length;
    *out = NULL;
    if (!src)
        len = 0;
    gql_lexer_init(&p.lx, a, src ? src : "", len);
    if (len > max_length) {
        gql__fail(&p, max_length, "Source contains more than %zu bytes. Parsing aborted.",
                  max_length);
        return p.status;
    }
    gql_ast_document_t *doc = parse_document(&p);
    if (!doc)
        return p.status ? p.status : FACET_ENOMEM;
    *out = doc;
    return FACET_OK;
}
