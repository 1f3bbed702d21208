/* Publishing subscription events and binding subscription fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/error.h"
#include "gql/exec.h"

int app_publish(app_worker_t *aw, const char *topic, const char *json, size_t len,
                cache_valkey_reply_cb cb, void *ud)
{
    char channel[256];
    int n = snprintf(channel, sizeof channel, "facet:%s", topic);
    if (n < 0 || (size_t)n >= sizeof channel)
        return FACET_EINVAL;
    const char *argv[] = {"PUBLISH", channel, json};
    size_t lens[] = {7, (size_t)n, len};
    return cache_valkey_command_argv(aw->valkey, aw->app->cfg->dependency_timeout_ms, 3, argv, lens,
                                     cb, ud);
}

/* During an event the root value is the event; the field's value is its
 * member of the same name, as graphql-js' default resolver reads it. */
static void resolve_from_event(gql_resolve_t *r)
{
    const gql_value_t *root = gql_resolve_parent_json(r);
    gql_resolve_json(r, gql_value_get(root, gql_resolve_field(r)->name));
}

void app_bind_subscription(gql_field_t *field, const char *topic)
{
    gql_field_bind(field, resolve_from_event, (void *)topic);
}

int app_subscription_channel(const gql_field_t *field, const app_viewer_t *viewer, char *out,
                             size_t outlen)
{
    const char *topic = field->resolver_data ? field->resolver_data : "";
    size_t prefix = sizeof APP_TOPIC_PER_USER - 1;
    int n;
    if (strncmp(topic, APP_TOPIC_PER_USER, prefix) == 0) {
        if (!viewer->user_id[0])
            return FACET_EPERM;
        n = snprintf(out, outlen, "facet:%s:%s", topic + prefix, viewer->user_id);
    } else {
        n = snprintf(out, outlen, "facet:%s", topic);
    }
    return n > 0 && (size_t)n < outlen ? FACET_OK : FACET_EINVAL;
}
