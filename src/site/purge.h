/* purge.h - which cached pages a change makes stale.
 *
 * Pages declare what they show with resp_depend (http/http.h), using these
 * names:
 *   post:ID          the post's own page, and every listing that shows it
 *   cat:ID tag:ID user:ID   pages that show that category's, tag's or
 *                    author's name or description
 *   list:home  list:cat:ID  list:tag:ID  list:author:ID
 *   list:year:YYYY  list:month:YYYY-MM  list:search
 *   related:ID       the article's "You may also like" list
 *   comments:all     pages listing comments of every post (comment feeds)
 *                    (a post's own comments are under post:ID)
 *                    the listings themselves (their membership and order)
 * Everything on every page (settings, the menu of top-level categories and
 * pages) is purged wholesale when it changes, so pages do not name it.
 *
 * site_purge maps one change-log row (store.h) to those names, using the
 * facets the store records with post changes (store/sqlite_facets.c). */
#ifndef GAZETTE_SITE_PURGE_H
#define GAZETTE_SITE_PURGE_H

#include <stddef.h>

#include "http/cache.h"
#include "store/store.h"

/* Purge what ch touches; returns how many entries went. */
size_t site_purge(struct store *st, struct cache *c, const struct change *ch);

#endif
