/* Writing the response: a depth-first walk of the result tree in graphql-js'
 * execution order that serializes leaves, applies null propagation (a null
 * or an error at a non-null position nulls the nearest nullable parent,
 * whose bytes are rolled back) and builds the error list. Because the walk
 * stops at the first failure inside an object or list, like graphql-js'
 * synchronous execution, errors of later siblings are not reported.
 * Writing is most of a request's work, so the common leaves (plain
 * strings, integers, booleans) are written straight into the buffer a
 * block of bytes at a time, together with their key. */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/error.h"
#include "gql/exec_internal.h"
#include "gql/json.h"

enum { W_OK, W_NULL, W_ERR };

typedef struct writer {
    gql_exec_t *ex;
    facet_buf_t *out;
    bool dry;              /* no errors recorded (serial mutations probe a root field) */
    int rc;                /* first buffer or memory error */
    const struct seg *top; /* the current response path, innermost first */
    size_t depth;
} writer_t;

/* One step of the response path, kept on the C stack of the walk and
 * copied into an error only when one is reported. */
typedef struct seg {
    const struct seg *up;
    facet_str_t key; /* base NULL for a list index */
    size_t index;
} seg_t;

#define ENTER(w, s, k, i)           \
    seg_t s = {(w)->top, (k), (i)}; \
    (w)->top = &s;                  \
    (w)->depth++
#define LEAVE(w, s)  \
    (w)->top = s.up; \
    (w)->depth--

/* Makes room for n more bytes; output grows in large steps because the
 * walk writes many small pieces. */
static inline bool room(writer_t *w, size_t n)
{
    facet_buf_t *b = w->out;
    if (b->cap - b->len >= n)
        return true;
    if (w->rc)
        return false;
    w->rc = facet_buf_reserve(b, n > 4096 ? n : 4096);
    if (w->rc == FACET_ELIMIT)
        w->rc = facet_buf_reserve(b, n);
    return !w->rc;
}

static inline void put(writer_t *w, const char *s, size_t n)
{
    if (room(w, n)) {
        memcpy(w->out->base + w->out->len, s, n);
        w->out->len += n;
    }
}

#define PUT_LIT(w, s) put((w), (s), sizeof(s) - 1)

/* Nonzero when a byte of x is not plain text for a JSON string: a control
 * byte, '"', '\\' or a byte of a multi-byte UTF-8 sequence. A borrow can
 * only flag bytes above one that is flagged anyway, so the test is exact
 * on whether any byte is flagged. */
static inline uint64_t unplain8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
    return (x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs;
}

#ifdef __SSE2__
/* The same test on 16 bytes. As signed bytes, those of multi-byte UTF-8
 * sequences are negative, so one comparison finds them with the control
 * bytes. */
static inline int unplain16(__m128i x)
{
    __m128i bad = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                               _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                            _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
    return _mm_movemask_epi8(bad);
}

/* copy_plain for n >= 16: 16 bytes at a time, the last block overlapping
 * the one before it. */
static inline bool copy_plain16(char *d, const char *s, size_t n)
{
    __m128i x;
    for (size_t i = 0; i + 16 < n; i += 16) {
        x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        if (unplain16(x))
            return false;
        _mm_storeu_si128((__m128i *)(void *)(d + i), x);
    }
    x = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
    _mm_storeu_si128((__m128i *)(void *)(d + n - 16), x);
    return !unplain16(x);
}
#endif

/* Copies n bytes of plain text from s to d and returns true, or returns
 * false (d partly written) when s needs escaping. Strings are checked a
 * block at a time; the last block, and the whole of a string shorter than
 * a block, is read as overlapping pieces, so every byte checked and
 * written belongs to s and nothing is read or written past either end. */
static inline bool copy_plain(char *d, const char *s, size_t n)
{
#ifdef __SSE2__
    if (n >= 16)
        return copy_plain16(d, s, n);
#endif
    if (n >= 8) {
        uint64_t x;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, s + i, 8);
            if (unplain8(x))
                return false;
            memcpy(d + i, &x, 8);
        }
        memcpy(&x, s + n - 8, 8);
        memcpy(d + n - 8, &x, 8);
        return !unplain8(x);
    }
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        memcpy(d, &lo, 4);
        memcpy(d + n - 4, &hi, 4);
        return !unplain8(lo | (uint64_t)hi << 32);
    }
    if (n >= 2) {
        uint16_t lo, hi;
        memcpy(&lo, s, 2);
        memcpy(&hi, s + n - 2, 2);
        memcpy(d, &lo, 2);
        memcpy(d + n - 2, &hi, 2);
        return !unplain8((lo | (uint64_t)hi << 16) * 0x0000000100000001ull);
    }
    if (n == 1) {
        *d = *s;
        return !unplain8((unsigned char)*s * 0x0101010101010101ull);
    }
    return true;
}

/* Writes s as a JSON string at d, where room for n + 2 bytes was made,
 * and returns the end; NULL when s needs escaping (d partly written). */
static inline char *raw_string(char *d, const char *s, size_t n)
{
    if (!copy_plain(d + 1, s, n))
        return NULL;
    d[0] = '"';
    d[n + 1] = '"';
    return d + n + 2;
}

/* Writes s as a JSON string: plain text is copied as it is checked;
 * anything else goes through the JSON writer (escapes, UTF-8 checks). */
static inline void put_string(writer_t *w, const char *s, size_t n)
{
    if (!room(w, n + 2))
        return;
    char *end = raw_string(w->out->base + w->out->len, s, n);
    if (end)
        w->out->len = (size_t)(end - w->out->base);
    else
        w->rc = gql_json_write_string(w->out, s, n);
}

/* A field's ,"key": bytes, without the comma for an object's first
 * member. */
static inline facet_str_t key_bytes(const exec_field_t *f, bool first)
{
    facet_str_t k = f->key_json;
    if (first) {
        k.base++;
        k.len--;
    }
    return k;
}

/* No key before a value (list items, whole fields); padded as keys are. */
static const char no_key_pad[16];
#define NO_KEY facet_str(no_key_pad, 0)

/* Copies key bytes to d, where room for max(16, k.len) bytes was made.
 * Keys are padded in the arena, so a short key is copied as one 16-byte
 * block rather than by a call with its exact length. */
static inline char *raw_key(char *d, facet_str_t k)
{
    if (k.len <= 16)
        memcpy(d, k.base, 16);
    else
        memcpy(d, k.base, k.len);
    return d + k.len;
}

static inline void put_key(writer_t *w, facet_str_t k)
{
    if (room(w, k.len > 16 ? k.len : 16))
        w->out->len = (size_t)(raw_key(w->out->base + w->out->len, k) - w->out->base);
}

/* Writes v in decimal at d (room for 20 bytes) and returns the end; the
 * digits are counted first (by multiplications, cheaper than divisions)
 * so they can be written in place, two per step. */
static char *raw_int(char *d, int64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        *d++ = '-';
    size_t n = 1;
    for (uint64_t p10 = 10; n < 20 && u >= p10; p10 *= 10)
        n++;
    char *p = d + n;
    while (u >= 100) {
        p -= 2;
        memcpy(p, pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10)
        memcpy(p - 2, pairs + 2 * u, 2);
    else
        p[-1] = (char)('0' + u);
    return d + n;
}

/* True with *out set when v is an integral number in [lo, hi] (bounds
 * that doubles represent exactly). */
static inline bool integral(const gql_value_t *v, double lo, double hi, int64_t *out)
{
    if (v->kind == GQL_V_FLOAT) {
        double f = v->u.f;
        if (!(f >= lo && f <= hi) || f != (double)(int64_t)f)
            return false;
        *out = (int64_t)f;
        return true;
    }
    if (v->kind == GQL_V_INT && v->u.i >= (int64_t)lo && v->u.i <= (int64_t)hi) {
        *out = v->u.i;
        return true;
    }
    return false;
}

/* Writes key and then v, for the common leaves that graphql-js'
 * serializers give back as they are: strings and IDs given as strings,
 * Ints and integral Floats in their ranges (below 2^53 JavaScript prints
 * a Float's digits; -0 prints as 0), Booleans. One reservation covers the
 * key and the value. Returns false, having written nothing, when the
 * general serializer must run (other kinds, conversions, errors). */
static inline __attribute__((always_inline)) bool fast_leaf(writer_t *w, facet_str_t key,
                                                            const gql_value_t *v, uint8_t leaf)
{
    int64_t i = 0;
    size_t need;
    switch (leaf) {
    case LEAF_STRING:
    case LEAF_ID:
        if (v->kind != GQL_V_STRING)
            return false;
        need = v->u.s.len + 2;
        break;
    case LEAF_INT:
        if (!integral(v, -2147483648.0, 2147483647.0, &i))
            return false;
        need = 11;
        break;
    case LEAF_FLOAT:
        if (!integral(v, -9007199254740991.0, 9007199254740991.0, &i))
            return false;
        need = 17;
        break;
    case LEAF_BOOLEAN:
        if (v->kind != GQL_V_BOOL)
            return false;
        need = 5;
        break;
    default:
        return false;
    }
    if (!room(w, (key.len > 16 ? key.len : 16) + need))
        return true; /* w->rc is set: nothing more is written */
    char *base = w->out->base, *d = raw_key(base + w->out->len, key);
    if (leaf == LEAF_STRING || leaf == LEAF_ID) {
        char *end = raw_string(d, v->u.s.base, v->u.s.len);
        if (!end) {
            w->out->len = (size_t)(d - base);
            w->rc = gql_json_write_string(w->out, v->u.s.base, v->u.s.len);
            return true;
        }
        d = end;
    } else if (leaf == LEAF_BOOLEAN) {
        memcpy(d, v->u.b ? "true" : "false", 5);
        d += v->u.b ? 4 : 5;
    } else {
        d = raw_int(d, i);
    }
    w->out->len = (size_t)(d - base);
    return true;
}

static void add_error(writer_t *w, const exec_err_t *e, const exec_field_t *f)
{
    if (w->dry || w->rc)
        return;
    gql_exec_t *ex = w->ex;
    gql_loc_t stack_locs[8];
    const gql_loc_t *locs = e->locs;
    size_t nlocs = e->nlocs;
    gql_loc_t *heap = NULL;
    if (!locs && f) {
        nlocs = f->nnodes;
        heap = nlocs > 8 ? FACET_ARENA_ARRAY(ex->arena, gql_loc_t, nlocs) : stack_locs;
        if (!heap) {
            w->rc = FACET_ENOMEM;
            return;
        }
        for (size_t i = 0; i < nlocs; i++)
            heap[i] = f->nodes[i]->loc;
        locs = heap;
    }
    gql_error_t *ge = gql_error_add(&ex->errors, e->code, locs, nlocs, "%.*s", (int)e->message.len,
                                    e->message.base);
    if (!ge) {
        w->rc = FACET_ENOMEM;
        return;
    }
    ge->path = FACET_ARENA_ARRAY(ex->arena, gql_path_segment_t, w->depth ? w->depth : 1);
    if (!ge->path) {
        w->rc = FACET_ENOMEM;
        return;
    }
    size_t i = w->depth;
    for (const seg_t *sg = w->top; sg && i > 0; sg = sg->up) {
        i--;
        ge->path[i].key = sg->key;
        ge->path[i].index = sg->index;
    }
    ge->npath = w->depth;
}

static void add_message(writer_t *w, facet_str_t msg, const exec_field_t *f)
{
    exec_err_t e = {.message = msg};
    add_error(w, &e, f);
}

static void null_error(writer_t *w, const exec_field_t *f, const gql_type_t *pt)
{
    if (w->dry)
        return;
    exec_err_t *e =
        exec__error(w->ex, NULL, NULL, "Cannot return null for non-nullable field %.*s.%.*s.",
                    (int)pt->name.len, pt->name.base, (int)f->def->name.len, f->def->name.base);
    if (!e) {
        w->rc = FACET_ENOMEM;
        return;
    }
    add_error(w, e, f);
}

static int pos_json(writer_t *w, const gql_value_t *v, const gql_type_ref_t *ref,
                    const exec_field_t *f, const gql_type_t *pt);

/* A list of leaves given as JSON. */
static int list_json(writer_t *w, const gql_value_t *v, const gql_type_ref_t *item,
                     const exec_field_t *f, const gql_type_t *pt)
{
    put(w, "[", 1);
    for (size_t i = 0; i < v->u.list.n; i++) {
        if (i)
            put(w, ",", 1);
        ENTER(w, sg, FACET_STR_NULL, i);
        int r = pos_json(w, v->u.list.items[i], item, f, pt);
        LEAVE(w, sg);
        if (r == W_ERR)
            return W_ERR;
    }
    put(w, "]", 1);
    return W_OK;
}

static int json_object(writer_t *w, const gql_value_t *v, const exec_field_t *f,
                       const gql_type_t *pt);

static int inner_json(writer_t *w, const gql_value_t *v, const gql_type_ref_t *t,
                      const exec_field_t *f, const gql_type_t *pt)
{
    if (!v || v->kind == GQL_V_NULL)
        return W_NULL;
    if (t->kind == GQL_REF_LIST) {
        if (v->kind != GQL_V_LIST) {
            exec_err_t *e = exec__error(w->ex, NULL, NULL,
                                        "Expected Iterable, but did not find one for field "
                                        "\"%.*s.%.*s\".",
                                        (int)pt->name.len, pt->name.base, (int)f->def->name.len,
                                        f->def->name.base);
            if (e)
                add_error(w, e, f);
            else
                w->rc = FACET_ENOMEM;
            return W_ERR;
        }
        return list_json(w, v, t->of, f, pt);
    }
    if (f->leaf == LEAF_NONE)
        return json_object(w, v, f, pt);
    if (fast_leaf(w, NO_KEY, v, f->leaf))
        return W_OK;
    if (w->rc)
        return W_ERR;
    facet_str_t msg;
    int rc = exec__serialize_leaf(w->ex, t->named, v, w->out, &msg);
    if (rc < 0) {
        w->rc = rc;
        return W_ERR;
    }
    if (rc == 1) {
        add_message(w, msg, f);
        return W_ERR;
    }
    return W_OK;
}

/* The wrapper logic shared by every position (a field or a list item):
 * a failure inside rolls the bytes back; a nullable position turns it into
 * null, a non-null one passes it up ("Cannot return null ..." when the
 * value itself was null). */
static int settle(writer_t *w, int r, size_t mark, bool nonnull, const exec_field_t *f,
                  const gql_type_t *pt)
{
    if (r == W_OK)
        return W_OK;
    if (!w->rc)
        w->out->len = mark;
    if (r == W_NULL && nonnull) {
        null_error(w, f, pt);
        return W_ERR;
    }
    if (r == W_ERR && nonnull)
        return W_ERR;
    PUT_LIT(w, "null");
    return W_OK;
}

static int pos_json(writer_t *w, const gql_value_t *v, const gql_type_ref_t *ref,
                    const exec_field_t *f, const gql_type_t *pt)
{
    bool nonnull = ref->kind == GQL_REF_NON_NULL;
    size_t mark = w->out->len;
    int r = inner_json(w, v, nonnull ? ref->of : ref, f, pt);
    return settle(w, r, mark, nonnull, f, pt);
}

static int write_obj(writer_t *w, const exec_obj_t *obj);

/* An object value whose fields all have the default resolver (see
 * exec__field_pure), completed here rather than in a result node: its
 * members are read, completed and written in one pass. */
static int json_object(writer_t *w, const gql_value_t *v, const exec_field_t *f,
                       const gql_type_t *pt)
{
    gql_exec_t *ex = w->ex;
    const gql_type_t *rt = f->named;
    if (rt->kind != GQL_OBJECT) {
        exec_err_t *err;
        rt = exec__json_runtime_type(ex, v, rt, f, pt, &err);
        if (!rt) {
            if (err)
                add_error(w, err, f);
            else
                w->rc = FACET_ENOMEM;
            return W_ERR;
        }
    }
    exec_set_t *set = exec__subfields(ex, (exec_field_t *)f, rt);
    if (!set) {
        w->rc = FACET_ENOMEM;
        return W_ERR;
    }
    put(w, "{", 1);
    for (size_t i = 0; i < set->n; i++) {
        exec_field_t *sf = &set->fields[i];
        facet_str_t key = key_bytes(sf, i == 0);
        if (sf->meta == META_TYPENAME) {
            put_key(w, key);
            put_string(w, rt->name.base, rt->name.len);
            continue;
        }
        const gql_value_t *m = exec__field_member(ex, v, sf);
        /* A present leaf of a common kind cannot fail, so it needs no
         * path step or rollback mark. */
        if (m && sf->plain_leaf != LEAF_NONE && fast_leaf(w, key, m, sf->plain_leaf))
            continue;
        put_key(w, key);
        ENTER(w, sg, sf->key, 0);
        int r = pos_json(w, m, sf->def->type, sf, rt);
        LEAVE(w, sg);
        if (r == W_ERR || w->rc)
            return W_ERR;
    }
    put(w, "}", 1);
    return W_OK;
}

static int pos_slot(writer_t *w, const exec_slot_t *slot, const gql_type_ref_t *ref,
                    const exec_field_t *f, const gql_type_t *pt);

static int inner_slot(writer_t *w, const exec_slot_t *slot, const gql_type_ref_t *t,
                      const exec_field_t *f, const gql_type_t *pt)
{
    switch (slot->kind) {
    case SLOT_PENDING:
        return W_NULL;
    case SLOT_JSON:
        return inner_json(w, slot->u.json, t, f, pt);
    case SLOT_NAME:
        put_string(w, slot->u.name->base, slot->u.name->len);
        return W_OK;
    case SLOT_ERR:
        add_error(w, slot->u.err, f);
        return W_ERR;
    case SLOT_OBJ:
        return write_obj(w, slot->u.obj);
    case SLOT_LIST: {
        const exec_list_t *l = slot->u.list;
        put(w, "[", 1);
        for (size_t i = 0; i < l->n; i++) {
            if (i)
                put(w, ",", 1);
            ENTER(w, sg, FACET_STR_NULL, i);
            int r = pos_slot(w, &l->items[i], t->of, f, pt);
            LEAVE(w, sg);
            if (r == W_ERR)
                return W_ERR;
        }
        put(w, "]", 1);
        return W_OK;
    }
    }
    return W_NULL;
}

static int pos_slot(writer_t *w, const exec_slot_t *slot, const gql_type_ref_t *ref,
                    const exec_field_t *f, const gql_type_t *pt)
{
    bool nonnull = ref->kind == GQL_REF_NON_NULL;
    size_t mark = w->out->len;
    int r = inner_slot(w, slot, nonnull ? ref->of : ref, f, pt);
    return settle(w, r, mark, nonnull, f, pt);
}

static int write_field(writer_t *w, const exec_obj_t *obj, size_t i)
{
    const exec_field_t *f = &obj->set->fields[i];
    put_key(w, key_bytes(f, i == 0));
    ENTER(w, sg, f->key, 0);
    int r = pos_slot(w, &obj->slots[i], f->def->type, f, obj->set->type);
    LEAVE(w, sg);
    return r;
}

static int write_obj(writer_t *w, const exec_obj_t *obj)
{
    put(w, "{", 1);
    for (size_t i = 0; i < obj->set->n; i++) {
        if (write_field(w, obj, i) == W_ERR)
            return W_ERR;
        if (w->rc)
            return W_ERR;
    }
    put(w, "}", 1);
    return W_OK;
}

bool exec__root_field_fails(gql_exec_t *ex, size_t i)
{
    facet_buf_t scratch;
    facet_buf_init(&scratch, 0);
    writer_t w = {.ex = ex, .out = &scratch, .dry = true};
    int r = write_field(&w, ex->root, i);
    facet_buf_free(&scratch);
    return r == W_ERR && !w.rc;
}

/* ---- the response ---- */

static int write_errors_only(gql_exec_t *ex, facet_buf_t *out, bool data_null)
{
    int rc = facet_buf_append_str(out, "{\"errors\":");
    rc = rc ? rc : gql_errors_write_json(&ex->errors, out);
    if (data_null)
        rc = rc ? rc : facet_buf_append_str(out, ",\"data\":null");
    return rc ? rc : facet_buf_append(out, "}", 1);
}

/* Inserts "errors":[...], after the response's opening brace. */
static int insert_errors(gql_exec_t *ex, facet_buf_t *out, size_t start)
{
    facet_buf_t eb;
    facet_buf_init(&eb, 0);
    int rc = facet_buf_append_str(&eb, "\"errors\":");
    rc = rc ? rc : gql_errors_write_json(&ex->errors, &eb);
    rc = rc ? rc : facet_buf_append(&eb, ",", 1);
    rc = rc ? rc : facet_buf_reserve(out, eb.len);
    if (!rc) {
        char *at = out->base + start + 1;
        memmove(at + eb.len, at, out->len - start - 1);
        memcpy(at, eb.base, eb.len);
        out->len += eb.len;
    }
    facet_buf_free(&eb);
    return rc;
}

#define OOM_RESPONSE "{\"errors\":[{\"message\":\"Execution ran out of memory.\"}],\"data\":null}"

int exec__write_response(gql_exec_t *ex, facet_buf_t *out)
{
    if (ex->written) {
        /* The walk appends to ex->errors, so it runs once. */
        return FACET_EINVAL;
    }
    ex->written = true;
    if (ex->request_error)
        return write_errors_only(ex, out, false);
    if (ex->oom)
        return facet_buf_append_str(out, OOM_RESPONSE);
    if (ex->root_err) {
        gql_error_add(&ex->errors, ex->root_err->code, ex->root_err->locs, ex->root_err->nlocs,
                      "%.*s", (int)ex->root_err->message.len, ex->root_err->message.base);
        return write_errors_only(ex, out, true);
    }
    size_t start = out->len;
    int rc = facet_buf_append_str(out, "{\"data\":");
    if (rc)
        return rc;
    writer_t w = {.ex = ex, .out = out};
    size_t mark = out->len;
    int r = write_obj(&w, ex->root);
    if (w.rc == FACET_ENOMEM) {
        /* The arena ran out while writing: nothing more can be allocated,
         * so the response is a fixed text. */
        out->len = start;
        return facet_buf_append_str(out, OOM_RESPONSE);
    }
    if (w.rc) {
        out->len = start;
        return w.rc;
    }
    if (r == W_ERR) {
        out->len = mark;
        rc = facet_buf_append_str(out, "null");
    }
    rc = rc ? rc : facet_buf_append(out, "}", 1);
    if (!rc && ex->errors.count)
        rc = insert_errors(ex, out, start);
    if (rc)
        out->len = start;
    return rc;
}
