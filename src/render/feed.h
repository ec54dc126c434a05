/* feed.h - RSS 2.0 and Atom 1.0 documents from generic entries.
 *
 * The caller (site/feed.c) turns whatever it lists - articles today,
 * comments later - into struct feed_entry values; this module only writes
 * XML, through render/xml.h, so every text round-trips and nothing XML
 * forbids is emitted. URLs must be absolute. Dates are Unix seconds,
 * written in the site timezone (RFC 822 for RSS, RFC 3339 for Atom). */
#ifndef GAZETTE_RENDER_FEED_H
#define GAZETTE_RENDER_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

enum feed_format { FEED_RSS, FEED_ATOM, FEED_FORMAT__MAX };

struct feed_entry {
	const char *id;           /* stable across edits (a tag: URI) */
	const char *title;        /* text */
	const char *url;          /* the entry's page */
	int64_t published, updated;
	const char *author_name;  /* text; may be NULL */
	const char *author_url;   /* may be NULL */
	const char *const *categories; /* text labels */
	size_t ncategories;
	const char *summary;      /* text; may be NULL or "" */
	const char *content_html; /* HTML; NULL = summary only */
	const char *image_url;    /* featured image; may be NULL */
	const char *image_type;   /* its MIME type ("image/jpeg") */
};

struct feed {
	const char *title;    /* text */
	const char *subtitle; /* text; may be "" */
	const char *lang;     /* BCP 47 */
	const char *self_url; /* this feed */
	const char *home_url; /* the page the feed belongs to */
	const char *id;       /* Atom feed id (stable) */
	int64_t updated;      /* newest change of anything in it */
	const struct feed_entry *entries;
	size_t n;
};

/* MIME type for a format ("application/rss+xml; charset=utf-8"). */
const char *feed_content_type(enum feed_format f);
/* Append the whole document to out; a is for date strings. */
enum err feed_write(struct buf *out, struct arena *a, enum feed_format f, const struct feed *fd);

#endif
