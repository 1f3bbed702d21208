/* The parser's machinery: token stream with one token of lookahead, the
 * token and nesting limits, syntax errors in graphql-js' words, and arrays
 * grown in the arena. The grammar itself is in parser.c and parser_sdl.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "gql/parser_internal.h"

/* A token's text in a message is cut at this many bytes, so that a
 * megabyte string literal does not make a megabyte error message. */
#define MAX_QUOTED 4096

void *gql__alloc(gql__parser_t *p, size_t size)
{
    void *m = facet_arena_zalloc(p->arena, size);
    if (!m)
        gql__nomem(p);
    return m;
}

bool gql__nomem(gql__parser_t *p)
{
    if (p->status == FACET_OK)
        p->status = FACET_ENOMEM;
    return false;
}

bool gql__vec_push(gql__parser_t *p, gql__vec_t *v, const void *item, size_t size)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        if (cap > SIZE_MAX / size)
            return gql__nomem(p);
        char *items = facet_arena_alloc(p->arena, cap * size);
        if (!items)
            return gql__nomem(p);
        if (v->n)
            memcpy(items, v->items, v->n * size);
        v->items = items;
        v->cap = cap;
    }
    memcpy((char *)v->items + v->n * size, item, size);
    v->n++;
    return true;
}

/* The one syntax error is built in two steps: begin_error reserves its
 * message, "Syntax Error: " and len more bytes, and end_error adds it to
 * the list. Both the message and the error live in the list's own arena
 * (gql/error.h), which may outlive the parse arena. The message may hold
 * NUL bytes quoted from the source, so it is written by length rather
 * than formatted. begin_error returns NULL, with p->status set, when the
 * parse already failed, when there is no list or the list is full (the
 * error is then dropped), or when memory runs out. */
static const char SYNTAX_PREFIX[] = "Syntax Error: ";
#define SYNTAX_PREFIX_LEN (sizeof SYNTAX_PREFIX - 1)

static char *begin_error(gql__parser_t *p, size_t len)
{
    if (p->status != FACET_OK)
        return NULL;
    p->status = FACET_EINVAL;
    gql_error_list_t *list = p->errors;
    if (!list || (list->max && list->count >= list->max))
        return NULL;
    char *msg = len <= SIZE_MAX - sizeof SYNTAX_PREFIX
                    ? facet_arena_alloc(list->arena, sizeof SYNTAX_PREFIX + len)
                    : NULL;
    if (!msg) {
        p->status = FACET_ENOMEM;
        return NULL;
    }
    memcpy(msg, SYNTAX_PREFIX, SYNTAX_PREFIX_LEN);
    return msg;
}

static bool end_error(gql__parser_t *p, size_t pos, char *msg, size_t len)
{
    msg[SYNTAX_PREFIX_LEN + len] = '\0';
    gql_loc_t loc = gql_source_location(p->lx.src, p->lx.len, pos);
    gql_error_t *e = gql_error_add(p->errors, GQL_CODE_PARSE_FAILED, &loc, 1, "%s", "");
    if (!e)
        p->status = FACET_ENOMEM;
    else
        e->message = facet_str(msg, SYNTAX_PREFIX_LEN + len);
    return false;
}

bool gql__fail(gql__parser_t *p, size_t pos, const char *fmt, ...)
{
    if (p->status != FACET_OK)
        return false;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return gql__nomem(p);
    char *msg = begin_error(p, (size_t)n);
    if (!msg)
        return false;
    va_start(ap, fmt);
    vsnprintf(msg + SYNTAX_PREFIX_LEN, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return end_error(p, pos, msg, (size_t)n);
}

static bool fail_lexer(gql__parser_t *p, int rc)
{
    if (rc == FACET_ENOMEM)
        return gql__nomem(p);
    char *msg = begin_error(p, p->lx.error_len);
    if (!msg)
        return false;
    memcpy(msg + SYNTAX_PREFIX_LEN, p->lx.error, p->lx.error_len);
    return end_error(p, p->lx.error_pos, msg, p->lx.error_len);
}

/* Bytes of v to quote: all of it up to MAX_QUOTED, then cut back to a
 * character boundary. */
static size_t quoted_len(facet_str_t v)
{
    size_t n = v.len;
    if (n > MAX_QUOTED) {
        n = MAX_QUOTED;
        while (n > 0 && ((unsigned char)v.base[n] & 0xC0) == 0x80)
            n--;
    }
    return n;
}

/* Fails at pos with prefix, the token as graphql-js describes it (Name
 * "x", "{", <EOF>), then suffix. */
static bool fail_token(gql__parser_t *p, size_t pos, const char *prefix, const gql_token_t *tok,
                       const char *suffix)
{
    const char *kind = gql_token_kind_desc(tok->kind);
    size_t vlen = tok->value.base ? quoted_len(tok->value) : 0;
    size_t plen = strlen(prefix), klen = strlen(kind), slen = strlen(suffix);
    char *msg = begin_error(p, plen + klen + vlen + slen + 3);
    if (!msg)
        return false;
    char *w = msg + SYNTAX_PREFIX_LEN;
    size_t len = 0;
    memcpy(w, prefix, plen), len += plen;
    memcpy(w + len, kind, klen), len += klen;
    if (tok->value.base) {
        memcpy(w + len, " \"", 2), len += 2;
        memcpy(w + len, tok->value.base, vlen), len += vlen;
        w[len++] = '"';
    }
    memcpy(w + len, suffix, slen), len += slen;
    return end_error(p, pos, msg, len);
}

bool gql__unexpected(gql__parser_t *p, const gql_token_t *tok)
{
    return fail_token(p, tok->start, "Unexpected ", tok, ".");
}

bool gql__advance(gql__parser_t *p)
{
    if (p->has_next) {
        p->tok = p->next;
        p->has_next = false;
    } else {
        int rc = gql_lexer_next(&p->lx, &p->tok);
        if (rc)
            return fail_lexer(p, rc);
    }
    /* graphql-js counts every token but <EOF> and fails on the first one
     * past the limit. Its message says "more that", and is kept word for
     * word so that clients matching on it see the same text. */
    if (p->tok.kind != GQL_TOK_EOF && ++p->ntokens > p->max_tokens)
        return gql__fail(p, p->tok.start,
                         "Document contains more that %zu tokens. Parsing aborted.", p->max_tokens);
    return true;
}

const gql_token_t *gql__peek(gql__parser_t *p)
{
    if (!p->has_next) {
        int rc = gql_lexer_next(&p->lx, &p->next);
        if (rc) {
            fail_lexer(p, rc);
            return NULL;
        }
        p->has_next = true;
    }
    return &p->next;
}

bool gql__is(const gql__parser_t *p, gql_token_kind_t kind)
{
    return p->tok.kind == kind;
}

bool gql__is_keyword(const gql__parser_t *p, const char *word)
{
    return p->tok.kind == GQL_TOK_NAME && facet_str_eq(p->tok.value, facet_str_c(word));
}

bool gql__expect(gql__parser_t *p, gql_token_kind_t kind)
{
    if (p->tok.kind == kind)
        return gql__advance(p);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "Expected %s, found ", gql_token_kind_desc(kind));
    return fail_token(p, p->tok.start, prefix, &p->tok, ".");
}

bool gql__expect_keyword(gql__parser_t *p, const char *word)
{
    if (gql__is_keyword(p, word))
        return gql__advance(p);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "Expected \"%s\", found ", word);
    return fail_token(p, p->tok.start, prefix, &p->tok, ".");
}

bool gql__optional(gql__parser_t *p, gql_token_kind_t kind, bool *matched)
{
    *matched = p->tok.kind == kind;
    return *matched ? gql__advance(p) : true;
}

bool gql__optional_keyword(gql__parser_t *p, const char *word, bool *matched)
{
    *matched = gql__is_keyword(p, word);
    return *matched ? gql__advance(p) : true;
}

bool gql__enter(gql__parser_t *p)
{
    if (++p->depth > p->max_depth)
        return gql__fail(p, p->tok.start,
                         "Document nesting is deeper than %zu levels. Parsing aborted.",
                         p->max_depth);
    return true;
}

void gql__leave(gql__parser_t *p)
{
    p->depth--;
}

bool gql__parse_name(gql__parser_t *p, gql_ast_name_t *out)
{
    if (p->tok.kind != GQL_TOK_NAME)
        return gql__expect(p, GQL_TOK_NAME);
    out->loc = p->tok.loc;
    out->value = facet_arena_strdup(p->arena, p->tok.value.base, p->tok.value.len);
    if (!out->value.base)
        return gql__nomem(p);
    return gql__advance(p);
}

bool gql__parse_description(gql__parser_t *p, facet_str_t *out)
{
    *out = FACET_STR_NULL;
    if (p->tok.kind != GQL_TOK_STRING && p->tok.kind != GQL_TOK_BLOCK_STRING)
        return true;
    *out = p->tok.value;
    return gql__advance(p);
}

bool gql__parse_operation_type(gql__parser_t *p, gql_operation_type_t *out)
{
    static const char *const words[] = {"query", "mutation", "subscription"};
    static const gql_operation_type_t ops[] = {GQL_OP_QUERY, GQL_OP_MUTATION, GQL_OP_SUBSCRIPTION};
    /* graphql-js takes the name first and judges it after, so a lexical
     * error in the next token wins over a wrong keyword. */
    gql_token_t tok = p->tok;
    if (!gql__expect(p, GQL_TOK_NAME))
        return false;
    for (size_t i = 0; i < 3; i++) {
        if (facet_str_eq(tok.value, facet_str_c(words[i]))) {
            *out = ops[i];
            return true;
        }
    }
    return gql__unexpected(p, &tok);
}
