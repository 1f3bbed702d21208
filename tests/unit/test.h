/* A small unit-test harness. Each TEST runs in its own forked process, so a
 * crash or a sanitizer report fails that test alone; the run ends with the
 * line "N passed, N failed". */
#ifndef FACET_TEST_H
#define FACET_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);

#define TEST(name)                                                 \
    static void test_##name(void);                                 \
    __attribute__((constructor)) static void register_##name(void) \
    {                                                              \
        test_register(#name, test_##name);                         \
    }                                                              \
    static void test_##name(void)

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                      \
    do {                                                                                        \
        long long a_ = (long long)(a), b_ = (long long)(b);                                     \
        if (a_ != b_) {                                                                         \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, \
                    a_, #b, b_);                                                                \
            exit(1);                                                                            \
        }                                                                                       \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                            \
    do {                                                                              \
        const char *a_ = (a), *b_ = (b);                                              \
        if (strcmp(a_, b_) != 0) {                                                    \
            fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a_, b_); \
            exit(1);                                                                  \
        }                                                                             \
    } while (0)

/* Compares a {base, len} slice with a C string. */
#define CHECK_SLICE(s, cstr)                                                                 \
    do {                                                                                     \
        const char *e_ = (cstr);                                                             \
        if ((s).len != strlen(e_) || memcmp((s).base, e_, (s).len) != 0) {                   \
            fprintf(stderr, "%s:%d: \"%.*s\" != \"%s\"\n", __FILE__, __LINE__, (int)(s).len, \
                    (s).base ? (s).base : "", e_);                                           \
            exit(1);                                                                         \
        }                                                                                    \
    } while (0)

#endif
