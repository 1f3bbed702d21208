/* GET /metrics: Prometheus text exposition of the process's counters. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/activity.h"
#include "app/app.h"
#include "cache/entity.h"
#include "core/error.h"

static long resident_bytes(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
        rss = 0;
    fclose(f);
    return rss * sysconf(_SC_PAGESIZE);
}

static void metrics(http_request_t *req, void *ud)
{
    (void)ud;
    cache_entity_stats_t c = cache_entity_stats();
    app_activity_stats_t a = app_activity_stats();
    facet_buf_t b;
    facet_buf_init(&b, 0);
    facet_buf_printf(
        &b,
        "# HELP facet_cache_hits_total Entity reads answered from the Valkey cache.\n"
        "# TYPE facet_cache_hits_total counter\n"
        "facet_cache_hits_total %llu\n"
        "# HELP facet_cache_misses_total Entity reads that went to MongoDB.\n"
        "# TYPE facet_cache_misses_total counter\n"
        "facet_cache_misses_total %llu\n"
        "# HELP facet_activities_queued_total Activities handed to the job queue.\n"
        "# TYPE facet_activities_queued_total counter\n"
        "facet_activities_queued_total %llu\n"
        "# HELP facet_activities_dropped_total Activities lost while Valkey was away.\n"
        "# TYPE facet_activities_dropped_total counter\n"
        "facet_activities_dropped_total %llu\n"
        "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
        "# TYPE process_resident_memory_bytes gauge\n"
        "process_resident_memory_bytes %ld\n",
        (unsigned long long)c.hits, (unsigned long long)c.misses, (unsigned long long)a.queued,
        (unsigned long long)a.dropped, resident_bytes());
    http_add_header(req, "Cache-Control", "no-store");
    http_respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.base, b.len);
    facet_buf_free(&b);
}

int app_metrics_routes(app_t *app)
{
    return http_router_add(&app->router, "GET", "/metrics", metrics, app);
}
