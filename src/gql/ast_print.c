/* Value literals back to text, following graphql-js 16's print(),
 * printString() and printBlockString() so that printed schemas and
 * introspection's defaultValue strings match graphql-js byte for byte. */
#include "gql/ast_print.h"

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

int gql_ast_print_string(const char *s, size_t len, facet_buf_t *out)
{
    int rc = facet_buf_append(out, "\"", 1);
    size_t run = 0; /* start of the bytes not yet copied */
    for (size_t i = 0; i < len && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        size_t skip = 1;
        if (c == '"' || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c, esc[2] = '\0';
        } else if (c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
            static const char letters[] = {
                ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r'};
            esc[0] = '\\', esc[1] = letters[c], esc[2] = '\0';
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(esc, sizeof esc, "\\u%04X", c);
        } else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F) {
            /* U+0080..U+009F, the C1 controls, in their UTF-8 form. */
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned char)s[i + 1]);
            skip = 2;
        } else {
            continue;
        }
        rc = facet_buf_append(out, s + run, i - run);
        rc = rc ? rc : facet_buf_append_str(out, esc);
        i += skip - 1;
        run = i + 1;
    }
    rc = rc ? rc : facet_buf_append(out, s + run, len - run);
    return rc ? rc : facet_buf_append(out, "\"", 1);
}

/* The facts printBlockString decides its layout on. */
typedef struct block_shape {
    bool single_line;     /* no line terminator */
    bool lines_indented;  /* every line after the first is empty or starts blank */
    bool trailing_triple; /* ends with """ (printed as \""") */
    size_t utf16_len;     /* length as JavaScript counts it */
} block_shape_t;

static bool is_terminator(char c)
{
    return c == '\n' || c == '\r';
}

static block_shape_t block_shape(const char *s, size_t len)
{
    block_shape_t sh = {true, true, false, 0};
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        sh.utf16_len += ((c & 0xC0) != 0x80) + (c >= 0xF0);
        if (!is_terminator(s[i]))
            continue;
        if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
            i++;
        sh.single_line = false;
        if (i + 1 < len && !is_terminator(s[i + 1]) && s[i + 1] != ' ' && s[i + 1] != '\t')
            sh.lines_indented = false;
    }
    /* graphql-js escapes """ left to right without overlap; the value
     * ends with an escaped triple quote when the last match ends it. */
    for (size_t i = 0; i + 3 <= len;) {
        if (s[i] == '"' && s[i + 1] == '"' && s[i + 2] == '"') {
            i += 3;
            sh.trailing_triple = i == len;
        } else {
            i++;
        }
    }
    return sh;
}

/* Appends s with every """ written \""". */
static int append_escaped_triples(const char *s, size_t len, facet_buf_t *out)
{
    size_t run = 0;
    int rc = 0;
    for (size_t i = 0; i + 3 <= len && !rc;) {
        if (s[i] == '"' && s[i + 1] == '"' && s[i + 2] == '"') {
            rc = facet_buf_append(out, s + run, i - run);
            rc = rc ? rc : facet_buf_append(out, "\\\"\"\"", 4);
            i += 3;
            run = i;
        } else {
            i++;
        }
    }
    return rc ? rc : facet_buf_append(out, s + run, len - run);
}

int gql_ast_print_block_string(const char *s, size_t len, facet_buf_t *out)
{
    block_shape_t sh = block_shape(s, len);
    bool force_leading = !sh.single_line && sh.lines_indented;
    bool ends_quote = len > 0 && s[len - 1] == '"' && !sh.trailing_triple;
    bool ends_slash = len > 0 && s[len - 1] == '\\';
    bool force_trailing = ends_quote || ends_slash;
    bool multiple = !sh.single_line || sh.utf16_len > 70 || force_trailing || force_leading ||
                    sh.trailing_triple;
    bool skip_leading = sh.single_line && len > 0 && (s[0] == ' ' || s[0] == '\t');
    int rc = facet_buf_append(out, "\"\"\"", 3);
    if (!rc && ((multiple && !skip_leading) || force_leading))
        rc = facet_buf_append(out, "\n", 1);
    rc = rc ? rc : append_escaped_triples(s, len, out);
    if (!rc && (multiple || force_trailing))
        rc = facet_buf_append(out, "\n", 1);
    return rc ? rc : facet_buf_append(out, "\"\"\"", 3);
}

int gql_ast_print_value(const gql_ast_value_t *v, facet_buf_t *out)
{
    int rc = 0;
    switch (v->kind) {
    case GQL_AST_VARIABLE:
        rc = facet_buf_append(out, "$", 1);
        return rc ? rc : facet_buf_append(out, v->text.base, v->text.len);
    case GQL_AST_INT:
    case GQL_AST_FLOAT:
    case GQL_AST_ENUM:
        return facet_buf_append(out, v->text.base, v->text.len);
    case GQL_AST_STRING:
        return v->block ? gql_ast_print_block_string(v->text.base, v->text.len, out)
                        : gql_ast_print_string(v->text.base, v->text.len, out);
    case GQL_AST_BOOLEAN:
        return facet_buf_append_str(out, v->boolean ? "true" : "false");
    case GQL_AST_NULL:
        return facet_buf_append_str(out, "null");
    case GQL_AST_LIST:
        rc = facet_buf_append(out, "[", 1);
        for (size_t i = 0; i < v->nitems && !rc; i++) {
            rc = i ? facet_buf_append(out, ", ", 2) : 0;
            rc = rc ? rc : gql_ast_print_value(v->items[i], out);
        }
        return rc ? rc : facet_buf_append(out, "]", 1);
    case GQL_AST_OBJECT:
        rc = facet_buf_append(out, "{", 1);
        for (size_t i = 0; i < v->nfields && !rc; i++) {
            const gql_ast_object_field_t *f = &v->fields[i];
            rc = i ? facet_buf_append(out, ", ", 2) : 0;
            rc = rc ? rc : facet_buf_append(out, f->name.value.base, f->name.value.len);
            rc = rc ? rc : facet_buf_append(out, ": ", 2);
            rc = rc ? rc : gql_ast_print_value(f->value, out);
        }
        return rc ? rc : facet_buf_append(out, "}", 1);
    }
    return FACET_EINVAL;
}
