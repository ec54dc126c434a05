/* facets.h - what a post write touches, for the "post" row of the change
 * log: both backends read a post's facets before and after a write (from
 * their own rows) and log facets_detail() of the two.
 *
 * The detail is a space-separated list (site/purge.c reads it):
 *   pub        the post was or is public (published, or scheduled)
 *   page       it is a static page
 *   nav        a menu entry appeared, vanished or changed: a top-level
 *              page's (the default menu) or the post of a stored menu item
 *   c<ID>      its category
 *   a<ID>      its author
 *   t<ID>      one of its tags
 *   d<UNIX>    its date (for the year and month archives)
 *   all        more tags than one row lists: every page may be affected
 * Readers must ignore tokens they do not know.
 *
 * A "comment" row's detail is "post:<ID>" and " pub" when the comment was
 * or is approved (shown): facets_comment_detail. */
#ifndef GAZETTE_STORE_FACETS_H
#define GAZETTE_STORE_FACETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define FACETS_MAX_TAGS 64

struct post_facets {
	bool exists, pub, page;
	bool in_menu; /* a stored menu item links to it */
	int64_t category, author, date, parent;
	uint64_t menu_hash; /* facets_menu_hash */
	int64_t tags[FACETS_MAX_TAGS];
	size_t ntags;
	bool too_many_tags;
};

/* A cheap fingerprint of what a menu shows of the post: its title, and its
 * slug and date (its URL; the date also orders the default menu). Call
 * after setting f->date. */
void facets_menu_hash(struct post_facets *f, const char *title, const char *slug);
/* Add a tag id (too_many_tags once FACETS_MAX_TAGS are in). */
void facets_add_tag(struct post_facets *f, int64_t tag);
/* The change-log detail of a write from before to after (b->oom on no
 * memory). */
void facets_detail(struct buf *b, const struct post_facets *before,
		   const struct post_facets *after);

/* The "comment" row's detail into buf (returned). */
const char *facets_comment_detail(char *buf, size_t len, int64_t post_id, bool shown);

#endif
