/* GET and HEAD /media/<key>: the fs storage's objects, served from
 * <FACET_DATA_DIR>/media with immutable caching, a strong ETag
 * (If-None-Match gives 304) and single byte ranges (206, or 416 when
 * unsatisfiable). Nothing outside the media directory is ever served. */
#ifndef FACET_APP_MEDIA_HTTP_H
#define FACET_APP_MEDIA_HTTP_H

#include "app/app.h"

/* Largest body sent whole; a larger file is only served by ranges. */
#define APP_MEDIA_MAX_WHOLE (32u << 20)
/* Largest part sent for one range request; longer ranges are shortened (the
 * Content-Range says so, and players ask for the rest). */
#define APP_MEDIA_MAX_RANGE (4u << 20)

/* Registers the /media/ prefix route (the router must support prefix
 * routes: a path ending in '*'). Returns FACET_ELIMIT when the route table
 * is full. */
int app_media_routes(app_t *app);

#endif
