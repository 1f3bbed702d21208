/* The schema's entry points: gql_schema_build runs the phases in the order
 * graphql-js' buildSchema + validateSchema do (parse, SDL rules, build,
 * type-system rules); the rest are the lookups by name and the type
 * relations (possible types, subtyping) that validation and execution use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gql/parser.h"
#include "gql/schema_internal.h"

/* SDL files are trusted (read at start-up), but still bounded so that a
 * broken file fails cleanly instead of exhausting memory. */
#define SDL_MAX_BYTES  (64u * 1024 * 1024)
#define SDL_MAX_TOKENS (16u * 1024 * 1024)
#define SDL_MAX_DEPTH  128

typedef struct schema_lookup {
    gql__smap_t types;
    gql__smap_t directives;
} schema_lookup_t;

void gql__sbuild_error(gql__sbuild_t *b, const gql_loc_t *locs, size_t nlocs, const char *fmt, ...)
{
    gql_loc_t small[16];
    gql_loc_t *kept = nlocs <= 16 ? small : FACET_ARENA_ARRAY(b->a, gql_loc_t, nlocs);
    size_t n = 0;
    for (size_t i = 0; kept && i < nlocs; i++) {
        if (locs[i].line)
            kept[n++] = locs[i];
    }
    va_list ap;
    va_start(ap, fmt);
    gql_error_addv(b->errors, NULL, kept, n, fmt, ap);
    va_end(ap);
    b->failed = true;
}

/* Several sources are read as one document: they are joined with a
 * newline, so locations count lines through the joined text, exactly as
 * graphql-js would for buildSchema(sources.join("\n")). */
static int join_sources(facet_arena_t *a, const facet_str_t *sources, size_t n, facet_str_t *out)
{
    if (n == 1) {
        *out = sources[0];
        return FACET_OK;
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (sources[i].len > SDL_MAX_BYTES)
            return FACET_ELIMIT;
        len += sources[i].len + 1;
        if (len > SDL_MAX_BYTES + n)
            return FACET_ELIMIT;
    }
    char *p = facet_arena_alloc(a, len + 1);
    if (!p)
        return FACET_ENOMEM;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            p[off++] = '\n';
        if (sources[i].len)
            memcpy(p + off, sources[i].base, sources[i].len);
        off += sources[i].len;
    }
    p[off] = '\0';
    *out = facet_str(p, off);
    return FACET_OK;
}

static int build_lookup(gql_schema_t *s)
{
    schema_lookup_t *l = FACET_ARENA_NEW(&s->arena, schema_lookup_t);
    if (!l || gql__smap_init(&l->types, &s->arena, s->ntypes) ||
        gql__smap_init(&l->directives, &s->arena, s->ndirectives))
        return FACET_ENOMEM;
    for (size_t i = 0; i < s->ntypes; i++) {
        if (gql__smap_put(&l->types, s->types[i]->name, s->types[i]))
            return FACET_ENOMEM;
    }
    for (size_t i = 0; i < s->ndirectives; i++) {
        if (gql__smap_put(&l->directives, s->directives[i]->name, s->directives[i]))
            return FACET_ENOMEM;
    }
    s->lookup = l;
    return FACET_OK;
}

static int run_phases(gql__sbuild_t *b, facet_str_t text)
{
    gql_parse_limits_t limits = {SDL_MAX_BYTES, SDL_MAX_TOKENS, SDL_MAX_DEPTH};
    gql_ast_document_t *doc = NULL;
    /* The tree lives in the schema's arena; a syntax error goes to the
     * caller's list, in its arena, so it outlives the schema freed on
     * failure. */
    int rc = gql_parse(b->a, text.base, text.len, &limits, &doc, b->errors);
    if (rc)
        return rc;
    b->doc = doc;
    if ((rc = gql__schema_build_builtins(b)))
        return rc;
    /* Like buildASTSchema, stop after the SDL rules when they fail: the
     * later phases assume known types and unique names. */
    gql__schema_validate_sdl(b);
    if (b->rc || b->failed)
        return b->rc ? b->rc : FACET_EINVAL;
    if ((rc = gql__schema_build_types(b)))
        return rc;
    if (b->failed)
        return FACET_EINVAL;
    gql__schema_validate_types(b);
    if (b->rc || b->failed)
        return b->rc ? b->rc : FACET_EINVAL;
    return build_lookup(b->s);
}

int gql_schema_build(const facet_str_t *sources, size_t nsources, gql_schema_t **out,
                     gql_error_list_t *errors)
{
    *out = NULL;
    gql_schema_t *s = calloc(1, sizeof *s);
    if (!s)
        return FACET_ENOMEM;
    facet_arena_init(&s->arena, 0);
    gql__sbuild_t b;
    memset(&b, 0, sizeof b);
    b.s = s;
    b.a = &s->arena;
    b.errors = errors;
    facet_str_t text = FACET_STR_NULL;
    int rc = nsources ? join_sources(b.a, sources, nsources, &text) : FACET_OK;
    if (!rc && !text.base)
        text = facet_str("", 0);
    if (!rc)
        rc = run_phases(&b, text);
    if (rc) {
        gql_schema_free(s);
        return rc;
    }
    *out = s;
    return FACET_OK;
}

void gql_schema_free(gql_schema_t *s)
{
    if (!s)
        return;
    facet_arena_free(&s->arena);
    free(s);
}

/* ---- lookups ---- */

gql_type_t *gql_schema_type(const gql_schema_t *s, facet_str_t name)
{
    const schema_lookup_t *l = s->lookup;
    return l ? gql__smap_get(&l->types, name) : NULL;
}

gql_directive_t *gql_schema_directive(const gql_schema_t *s, facet_str_t name)
{
    const schema_lookup_t *l = s->lookup;
    return l ? gql__smap_get(&l->directives, name) : NULL;
}

gql_field_t *gql_type_field(const gql_type_t *t, facet_str_t name)
{
    if (!t || (t->kind != GQL_OBJECT && t->kind != GQL_INTERFACE))
        return NULL;
    if (t->member_index)
        return gql__smap_get(t->member_index, name);
    for (size_t i = 0; i < t->nfields; i++) {
        if (facet_str_eq(t->fields[i].name, name))
            return &t->fields[i];
    }
    return NULL;
}

gql_input_value_t *gql_type_input_field(const gql_type_t *t, facet_str_t name)
{
    if (!t || t->kind != GQL_INPUT_OBJECT)
        return NULL;
    if (t->member_index)
        return gql__smap_get(t->member_index, name);
    for (size_t i = 0; i < t->ninput_fields; i++) {
        if (facet_str_eq(t->input_fields[i].name, name))
            return &t->input_fields[i];
    }
    return NULL;
}

const gql_enum_value_t *gql_type_enum_value(const gql_type_t *t, facet_str_t name)
{
    if (!t || t->kind != GQL_ENUM)
        return NULL;
    if (t->member_index)
        return gql__smap_get(t->member_index, name);
    for (size_t i = 0; i < t->nvalues; i++) {
        if (facet_str_eq(t->values[i].name, name))
            return &t->values[i];
    }
    return NULL;
}

gql_input_value_t *gql_field_arg(const gql_field_t *f, facet_str_t name)
{
    for (size_t i = 0; f && i < f->nargs; i++) {
        if (facet_str_eq(f->args[i].name, name))
            return &f->args[i];
    }
    return NULL;
}

/* ---- names ---- */

/* The names are the parser's (gql/ast.h); a location's bit is 1u << its
 * index there. */
_Static_assert(GQL_DL_DIRECTIVE_DEFINITION == 1u << (GQL_AST_DIRECTIVE_LOCATION_COUNT - 1),
               "directive location bits and names out of step");

const char *gql_directive_location_name(gql_directive_location_t loc)
{
    for (unsigned i = 0; i < GQL_AST_DIRECTIVE_LOCATION_COUNT; i++) {
        if ((uint32_t)loc == (1u << i))
            return gql_ast_directive_location_name(i);
    }
    return "";
}

int gql_directive_location_parse(facet_str_t name, gql_directive_location_t *out)
{
    int i = gql_ast_directive_location_index(name);
    if (i < 0)
        return FACET_EINVAL;
    *out = (gql_directive_location_t)(1u << i);
    return FACET_OK;
}

const char *gql_type_kind_name(gql_type_kind_t kind)
{
    switch (kind) {
    case GQL_SCALAR:
        return "SCALAR";
    case GQL_OBJECT:
        return "OBJECT";
    case GQL_INTERFACE:
        return "INTERFACE";
    case GQL_UNION:
        return "UNION";
    case GQL_ENUM:
        return "ENUM";
    case GQL_INPUT_OBJECT:
        return "INPUT_OBJECT";
    }
    return "";
}

/* ---- relations ---- */

bool gql_type_is_abstract(const gql_type_t *t)
{
    return t && (t->kind == GQL_INTERFACE || t->kind == GQL_UNION);
}

bool gql_type_is_composite(const gql_type_t *t)
{
    return t && (t->kind == GQL_OBJECT || t->kind == GQL_INTERFACE || t->kind == GQL_UNION);
}

bool gql_type_is_leaf(const gql_type_t *t)
{
    return t && (t->kind == GQL_SCALAR || t->kind == GQL_ENUM);
}

bool gql_type_is_input(const gql_type_t *t)
{
    return t && (t->kind == GQL_SCALAR || t->kind == GQL_ENUM || t->kind == GQL_INPUT_OBJECT);
}

bool gql_type_is_output(const gql_type_t *t)
{
    return t && t->kind != GQL_INPUT_OBJECT;
}

bool gql_schema_is_possible_type(const gql_type_t *abstract, const gql_type_t *object)
{
    if (!abstract || !object)
        return false;
    if (abstract == object)
        return true;
    if (abstract->kind == GQL_UNION) {
        for (size_t i = 0; i < abstract->npossible; i++) {
            if (abstract->possible[i] == object)
                return true;
        }
        return false;
    }
    if (abstract->kind != GQL_INTERFACE ||
        (object->kind != GQL_OBJECT && object->kind != GQL_INTERFACE))
        return false;
    /* graphql-js' isSubType: the objects and interfaces that declare the
     * interface directly. */
    for (size_t i = 0; i < object->ninterfaces; i++) {
        if (object->interfaces[i] == abstract)
            return true;
    }
    return false;
}

bool gql_type_ref_is_subtype(const gql_type_ref_t *sub, const gql_type_ref_t *super)
{
    while (sub && super) {
        if (super->kind == GQL_REF_NON_NULL) {
            if (sub->kind != GQL_REF_NON_NULL)
                return false;
            sub = sub->of;
            super = super->of;
        } else if (sub->kind == GQL_REF_NON_NULL) {
            sub = sub->of;
        } else if (super->kind == GQL_REF_LIST) {
            if (sub->kind != GQL_REF_LIST)
                return false;
            sub = sub->of;
            super = super->of;
        } else if (sub->kind == GQL_REF_LIST) {
            return false;
        } else {
            const gql_type_t *a = sub->named, *b = super->named;
            if (a == b)
                return true;
            return gql_type_is_abstract(b) && (a->kind == GQL_OBJECT || a->kind == GQL_INTERFACE) &&
                   gql_schema_is_possible_type(b, a);
        }
    }
    return false;
}

bool gql_type_ref_equal(const gql_type_ref_t *a, const gql_type_ref_t *b)
{
    while (a && b) {
        if (a->kind != b->kind)
            return false;
        if (a->kind == GQL_REF_NAMED)
            return a->named == b->named;
        a = a->of;
        b = b->of;
    }
    return a == b;
}

const gql_type_t *gql_type_ref_named(const gql_type_ref_t *t)
{
    while (t && t->kind != GQL_REF_NAMED)
        t = t->of;
    return t ? t->named : NULL;
}

int gql_type_ref_print(const gql_type_ref_t *t, facet_buf_t *out)
{
    if (!t)
        return FACET_EINVAL;
    switch (t->kind) {
    case GQL_REF_NAMED:
        return facet_buf_append(out, t->named->name.base, t->named->name.len);
    case GQL_REF_LIST: {
        int rc = facet_buf_append(out, "[", 1);
        rc = rc ? rc : gql_type_ref_print(t->of, out);
        return rc ? rc : facet_buf_append(out, "]", 1);
    }
    case GQL_REF_NON_NULL: {
        int rc = gql_type_ref_print(t->of, out);
        return rc ? rc : facet_buf_append(out, "!", 1);
    }
    }
    return FACET_EINVAL;
}

const char *gql__sbuild_type_str(gql__sbuild_t *b, const gql_type_ref_t *t)
{
    facet_buf_t buf;
    facet_buf_init(&buf, 0);
    const char *res = "?";
    if (!gql_type_ref_print(t, &buf)) {
        facet_str_t s = facet_arena_strdup(b->a, buf.base, buf.len);
        if (s.base)
            res = s.base;
    }
    facet_buf_free(&buf);
    return res;
}

const gql_ast_directive_t *gql__find_directive(const gql_ast_directive_t *dirs, size_t n,
                                               const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (facet_str_eq(dirs[i].name.value, facet_str_c(name)))
            return &dirs[i];
    }
    return NULL;
}
