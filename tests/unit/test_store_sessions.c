/* Refresh-token sessions against a live FerretDB/MongoDB (MONGODB_URI):
 * rotation, reuse detection revoking the family, expiry, sign-out, and
 * racing rotations of one token. */
#include <string.h>
#include <sys/wait.h>

#include "core/error.h"
#include "store/sessions.h"
#include "test_store_db.h"

#define USER "65a1b2c3d4e5f60718293a4b"
#define HOUR (3600 * 1000LL)

/* A distinct valid hash per n, in a ring of buffers (enough for one call's
 * arguments). */
static const char *hash(int n)
{
    static char buf[8][65];
    static unsigned next;
    char *h = buf[next++ % 8];
    snprintf(h, 65, "%064x", n);
    return h;
}

static store_session_t start(test_db_t *t, const char *h, int64_t now)
{
    store_session_t s;
    store_error_t err;
    CHECK_EQ_INT(store_session_create(t->client, t->name, USER, h, now + HOUR, now, &s, &err),
                 FACET_OK);
    return s;
}

static int rotate(test_db_t *t, const char *from, const char *to, int64_t now,
                  store_session_refusal_t *why, store_session_t *out)
{
    store_session_t ignored;
    store_error_t err;
    return store_session_rotate(t->client, t->name, from, to, now + HOUR, now, out ? out : &ignored,
                                why, &err);
}

TEST(session_create_and_find)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_session_t s = start(&t, hash(1), 1000), f;
    CHECK_EQ_STR(s.user_id, USER);
    CHECK_EQ_STR(s.family, s.id);
    CHECK_EQ_INT(s.expires_at, 1000 + HOUR);
    CHECK_EQ_INT(s.used_at, 0);
    store_error_t err;
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(1), &f, &err), FACET_OK);
    CHECK_EQ_STR(f.id, s.id);
    CHECK_EQ_STR(f.token_hash, hash(1));
    CHECK_EQ_INT(store_session_create(t.client, t.name, USER, hash(1), 5, 1, &f, &err),
                 FACET_EEXIST);
    CHECK_EQ_INT(store_session_create(t.client, t.name, USER, "ABC", 5, 1, &f, &err), FACET_EINVAL);
    CHECK_EQ_INT(store_session_create(t.client, t.name, "nope", hash(2), 5, 1, &f, &err),
                 FACET_EINVAL);
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(2), &f, &err), FACET_ENOTFOUND);
    test_db_close(&t);
}

TEST(session_rotate_then_reuse_revokes_the_family)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_session_t first = start(&t, hash(1), 1000), second, third, f;
    store_session_refusal_t why;
    CHECK_EQ_INT(rotate(&t, hash(1), hash(2), 2000, &why, &second), FACET_OK);
    CHECK_EQ_INT(why, STORE_SESSION_ACCEPTED);
    CHECK_EQ_STR(second.family, first.family);
    CHECK_EQ_STR(second.user_id, USER);
    CHECK_EQ_STR(second.token_hash, hash(2));
    CHECK_EQ_INT(second.expires_at, 2000 + HOUR);
    store_error_t err;
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(1), &f, &err), FACET_OK);
    CHECK_EQ_INT(f.used_at, 2000);
    CHECK_EQ_STR(f.replaced_by, second.id);
    CHECK_EQ_INT(rotate(&t, hash(2), hash(3), 3000, &why, &third), FACET_OK);

    /* The first token again: reuse. */
    CHECK_EQ_INT(rotate(&t, hash(1), hash(4), 4000, &why, NULL), FACET_EPERM);
    CHECK_EQ_INT(why, STORE_SESSION_REUSED);
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(3), &f, &err), FACET_OK);
    CHECK_EQ_INT(f.revoked_at, 4000);
    /* The newest token of the family fails too. */
    CHECK_EQ_INT(rotate(&t, hash(3), hash(5), 5000, &why, NULL), FACET_EPERM);
    CHECK_EQ_INT(why, STORE_SESSION_REVOKED);
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(4), &f, &err), FACET_ENOTFOUND);
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(5), &f, &err), FACET_ENOTFOUND);
    test_db_close(&t);
}

TEST(session_families_are_independent)
{
    test_db_t t;
    test_db_open(&t, 1);
    start(&t, hash(1), 1000);
    start(&t, hash(10), 1000);
    store_session_refusal_t why;
    CHECK_EQ_INT(rotate(&t, hash(1), hash(2), 2000, &why, NULL), FACET_OK);
    CHECK_EQ_INT(rotate(&t, hash(1), hash(3), 2000, &why, NULL), FACET_EPERM);
    CHECK_EQ_INT(rotate(&t, hash(10), hash(11), 2000, &why, NULL), FACET_OK);
    test_db_close(&t);
}

TEST(session_expired_unknown_and_invalid)
{
    test_db_t t;
    test_db_open(&t, 1);
    start(&t, hash(1), 1000);
    store_session_refusal_t why;
    CHECK_EQ_INT(rotate(&t, hash(1), hash(2), 1000 + HOUR, &why, NULL), FACET_EPERM);
    CHECK_EQ_INT(why, STORE_SESSION_EXPIRED);
    CHECK_EQ_STR(store_session_refusal_name(why), "expired");
    CHECK_EQ_INT(rotate(&t, hash(7), hash(2), 1000, &why, NULL), FACET_ENOTFOUND);
    CHECK_EQ_INT(rotate(&t, hash(1), hash(1), 1000, &why, NULL), FACET_EINVAL);
    CHECK_EQ_INT(rotate(&t, "revoked:x", hash(2), 1000, &why, NULL), FACET_EINVAL);
    /* An expired token is not reuse: the family is left alone. */
    store_session_t f;
    store_error_t err;
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(1), &f, &err), FACET_OK);
    CHECK_EQ_INT(f.revoked_at, 0);
    test_db_close(&t);
}

TEST(session_sign_out_is_idempotent)
{
    test_db_t t;
    test_db_open(&t, 1);
    start(&t, hash(1), 1000);
    store_session_refusal_t why;
    CHECK_EQ_INT(rotate(&t, hash(1), hash(2), 2000, &why, NULL), FACET_OK);
    store_error_t err;
    CHECK_EQ_INT(store_session_revoke(t.client, t.name, hash(2), 3000, &err), FACET_OK);
    CHECK_EQ_INT(store_session_revoke(t.client, t.name, hash(2), 3500, &err), FACET_OK);
    store_session_t f;
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(2), &f, &err), FACET_OK);
    CHECK_EQ_INT(f.revoked_at, 3000);
    CHECK_EQ_INT(rotate(&t, hash(2), hash(3), 4000, &why, NULL), FACET_EPERM);
    CHECK_EQ_INT(why, STORE_SESSION_REVOKED);
    CHECK_EQ_INT(store_session_revoke(t.client, t.name, hash(9), 3000, &err), FACET_ENOTFOUND);
    test_db_close(&t);
}

TEST(session_revoke_user_counts)
{
    test_db_t t;
    test_db_open(&t, 1);
    start(&t, hash(1), 1000);
    start(&t, hash(2), 1000);
    store_session_refusal_t why;
    CHECK_EQ_INT(rotate(&t, hash(2), hash(3), 2000, &why, NULL), FACET_OK);
    store_session_t other;
    store_error_t err;
    CHECK_EQ_INT(store_session_create(t.client, t.name, "65a1b2c3d4e5f60718293a4c", hash(4),
                                      10 * HOUR, 1000, &other, &err),
                 FACET_OK);
    uint64_t n = 99;
    CHECK_EQ_INT(store_session_revoke_user(t.client, t.name, USER, 5000, &n, &err), FACET_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(store_session_revoke_user(t.client, t.name, USER, 6000, &n, &err), FACET_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(rotate(&t, hash(3), hash(5), 7000, &why, NULL), FACET_EPERM);
    CHECK_EQ_INT(rotate(&t, hash(4), hash(6), 7000, &why, NULL), FACET_OK);
    test_db_close(&t);
}

/* A refresh that claimed its token while the family was being revoked
 * finds the tombstone and gives up its new session. */
TEST(session_rotation_loses_to_a_racing_revocation)
{
    test_db_t t;
    test_db_open(&t, 1);
    store_session_t s = start(&t, hash(1), 1000);
    mongoc_collection_t *c = mongoc_client_get_collection(t.client, t.name, "sessions");
    char tomb[64];
    snprintf(tomb, sizeof tomb, "revoked:%s", s.family);
    bson_t *doc = BCON_NEW("tokenHash", BCON_UTF8(tomb), "parent", BCON_UTF8(tomb));
    bson_error_t error;
    CHECK(mongoc_collection_insert_one(c, doc, NULL, NULL, &error));
    bson_destroy(doc);
    mongoc_collection_destroy(c);
    store_session_refusal_t why;
    CHECK_EQ_INT(rotate(&t, hash(1), hash(2), 2000, &why, NULL), FACET_EPERM);
    CHECK_EQ_INT(why, STORE_SESSION_REVOKED);
    store_session_t f;
    store_error_t err;
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(2), &f, &err), FACET_OK);
    CHECK_EQ_INT(f.revoked_at, 2000);
    test_db_close(&t);
}

/* Eight processes present the same token at once: at most one gets a new
 * session, and in the end no token of the family works. */
TEST(session_racing_rotations_of_one_token)
{
    test_db_t t;
    test_db_open(&t, 1);
    start(&t, hash(1), 1000);
    enum { RACERS = 8 };
    int ready[2], go[2];
    CHECK(pipe(ready) == 0 && pipe(go) == 0);
    for (int r = 0; r < RACERS; r++) {
        if (fork() == 0) {
            mongoc_client_t *client = mongoc_client_new(getenv("MONGODB_URI"));
            mongoc_client_set_error_api(client, MONGOC_ERROR_API_VERSION_2);
            store_session_t out;
            store_session_refusal_t why;
            store_error_t err;
            /* Connect first, then wait for the others so the calls overlap. */
            store_session_find(client, t.name, hash(1), &out, &err);
            char c = 'r';
            close(go[1]);
            CHECK(write(ready[1], &c, 1) == 1);
            CHECK(read(go[0], &c, 1) == 0);
            int rc = store_session_rotate(client, t.name, hash(1), hash(100 + r), 2000 + HOUR, 2000,
                                          &out, &why, &err);
            if (rc != FACET_OK && rc != FACET_EPERM)
                fprintf(stderr, "racer: %d %s\n", rc, err.message);
            mongoc_client_destroy(client);
            _exit(rc == FACET_OK ? 10 : rc == FACET_EPERM ? 20 : 30);
        }
    }
    for (int r = 0; r < RACERS; r++) {
        char c;
        CHECK(read(ready[0], &c, 1) == 1);
    }
    close(go[1]);
    int ok = 0, refused = 0;
    for (int r = 0; r < RACERS; r++) {
        int status;
        CHECK(wait(&status) > 0 && WIFEXITED(status));
        ok += WEXITSTATUS(status) == 10;
        refused += WEXITSTATUS(status) == 20;
    }
    CHECK(ok <= 1);
    CHECK_EQ_INT(ok + refused, RACERS);
    store_session_refusal_t why;
    for (int r = 0; r < RACERS; r++) {
        int rc = rotate(&t, hash(100 + r), hash(200 + r), 3000, &why, NULL);
        CHECK(rc == FACET_EPERM || rc == FACET_ENOTFOUND);
    }
    test_db_close(&t);
}

TEST(session_delete_expired)
{
    test_db_t t;
    test_db_open(&t, 1);
    start(&t, hash(1), 1000);
    start(&t, hash(2), 5000);
    uint64_t n = 0;
    store_error_t err;
    CHECK_EQ_INT(store_session_delete_expired(t.client, t.name, 3000 + HOUR, &n, &err), FACET_OK);
    CHECK_EQ_INT(n, 1);
    store_session_t f;
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(1), &f, &err), FACET_ENOTFOUND);
    CHECK_EQ_INT(store_session_find(t.client, t.name, hash(2), &f, &err), FACET_OK);
    test_db_close(&t);
}
