/* Name maps for the schema: an open-addressing hash table from names to
 * pointers, used while building and for the schema's lookups by name, and
 * the per-type member index that makes field lookups O(1) on large types. */
#include <stdint.h>
#include <string.h>

#include "core/error.h"
#include "core/str.h"
#include "gql/schema_internal.h"

/* Below this many members a linear scan beats hashing. */
#define INDEX_MIN_MEMBERS 8

static gql__smap_slot_t *find_slot(gql__smap_slot_t *slots, size_t cap, facet_str_t key)
{
    size_t i = (size_t)facet_str_hash(key) & (cap - 1);
    for (;;) {
        gql__smap_slot_t *sl = &slots[i];
        if (!sl->key.base || facet_str_eq(sl->key, key))
            return sl;
        i = (i + 1) & (cap - 1);
    }
}

static int resize(gql__smap_t *m, size_t cap)
{
    gql__smap_slot_t *slots = FACET_ARENA_ARRAY(m->arena, gql__smap_slot_t, cap);
    if (!slots)
        return FACET_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key.base)
            *find_slot(slots, cap, m->slots[i].key) = m->slots[i];
    }
    m->slots = slots;
    m->cap = cap;
    return FACET_OK;
}

int gql__smap_init(gql__smap_t *m, facet_arena_t *a, size_t expected)
{
    memset(m, 0, sizeof *m);
    m->arena = a;
    size_t cap = 16;
    while (cap < expected * 2 + 1)
        cap *= 2;
    return resize(m, cap);
}

int gql__smap_put(gql__smap_t *m, facet_str_t key, void *value)
{
    if ((m->count + 1) * 2 > m->cap) {
        int rc = resize(m, m->cap * 2);
        if (rc)
            return rc;
    }
    gql__smap_slot_t *sl = find_slot(m->slots, m->cap, key);
    if (!sl->key.base) {
        /* An empty name still needs a non-NULL base to mark the slot. */
        sl->key = key.base ? key : facet_str("", 0);
        m->count++;
    }
    sl->value = value;
    return FACET_OK;
}

void *gql__smap_get(const gql__smap_t *m, facet_str_t key)
{
    if (!m || !m->cap)
        return NULL;
    if (!key.base)
        key = facet_str("", 0);
    gql__smap_slot_t *sl = find_slot(m->slots, m->cap, key);
    return sl->key.base ? sl->value : NULL;
}

int gql__schema_index_members(facet_arena_t *a, gql_type_t *t)
{
    size_t n = t->kind == GQL_ENUM           ? t->nvalues
               : t->kind == GQL_INPUT_OBJECT ? t->ninput_fields
                                             : t->nfields;
    if (n < INDEX_MIN_MEMBERS)
        return FACET_OK;
    gql__smap_t *m = FACET_ARENA_NEW(a, gql__smap_t);
    if (!m || gql__smap_init(m, a, n))
        return FACET_ENOMEM;
    /* Insert in reverse so that, should a name repeat, the first member
     * wins, as a linear scan would find it. */
    for (size_t i = n; i-- > 0;) {
        int rc;
        if (t->kind == GQL_ENUM)
            rc = gql__smap_put(m, t->values[i].name, &t->values[i]);
        else if (t->kind == GQL_INPUT_OBJECT)
            rc = gql__smap_put(m, t->input_fields[i].name, &t->input_fields[i]);
        else
            rc = gql__smap_put(m, t->fields[i].name, &t->fields[i]);
        if (rc)
            return rc;
    }
    t->member_index = m;
    return FACET_OK;
}
