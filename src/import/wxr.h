/* wxr.h - the WordPress export (WXR 1.0, 1.1, 1.2) streaming reader.
 *
 * wxr_read walks the file once with libxml2's xmlTextReader (the only
 * libxml2 XML user) and hands each record - the channel, each author,
 * category, tag or other term, each item with its terms, post meta and
 * comments - to a callback as soon as it is complete. Memory is bounded by
 * the largest single record, whatever the file size: a record's strings
 * live in an arena emptied after its callback returns (callbacks copy what
 * they keep).
 *
 * The export namespace (xmlns:wp) must be http:// or https://
 * wordpress.org/export/1.0/, 1.1/ or 1.2/. Every string field is "" when
 * absent, never NULL. Errors: *errline gets the line at fault and errmsg a
 * one-line reason; a callback's error stops the walk and is returned. */
#ifndef GAZETTE_IMPORT_WXR_H
#define GAZETTE_IMPORT_WXR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct wxr_channel {
	const char *title, *link, *description, *language;
	const char *wxr_version, *base_site_url, *base_blog_url;
	bool gazette; /* written by Gazette (export.h): content is already plain HTML */
};

struct wxr_author {
	const char *id, *login, *email, *display_name, *first_name, *last_name;
	int line;
};

enum wxr_term_kind { WXR_CATEGORY, WXR_TAG, WXR_TERM, WXR_TERM_KIND__MAX };

/* <wp:category>, <wp:tag> or <wp:term> (taxonomy says which). */
struct wxr_term {
	enum wxr_term_kind kind;
	const char *id, *taxonomy, *slug, *parent, *name, *description;
	int line;
};

/* <category domain="post_tag" nicename="slug">Name</category> in an item. */
struct wxr_item_term {
	const char *domain, *nicename, *name;
};

struct wxr_meta {
	const char *key, *value;
};

struct wxr_comment {
	const char *id, *author, *author_email, *author_url, *author_ip;
	const char *date, *date_gmt, *content, *approved, *type, *parent, *user_id;
	int line;
};

struct wxr_item {
	const char *title, *link, *pub_date, *creator, *guid, *description;
	const char *content, *excerpt;
	const char *post_id, *post_date, *post_date_gmt, *comment_status, *post_name;
	const char *status, *post_parent, *menu_order, *post_type, *post_password;
	const char *is_sticky, *attachment_url;
	struct wxr_item_term *terms;
	size_t nterms;
	struct wxr_meta *meta;
	size_t nmeta;
	struct wxr_comment *comments;
	size_t ncomments;
	int line;
};

struct wxr_handler {
	void *ud;
	/* Each may be NULL. channel comes once, before the first other record. */
	enum err (*channel)(void *ud, const struct wxr_channel *ch);
	enum err (*author)(void *ud, const struct wxr_author *au);
	enum err (*term)(void *ud, const struct wxr_term *t);
	enum err (*item)(void *ud, const struct wxr_item *it);
	/* <gazette:redirect from to status/> of a Gazette export (export.h) */
	enum err (*redirect)(void *ud, const char *from, const char *to, int status, int line);
	/* After each item: bytes of the file read so far. */
	void (*progress)(void *ud, uint64_t bytes);
};

/* Read the file at path. On a callback's error, errmsg is left to it
 * (and *errline is that record's line). */
enum err wxr_read(const char *path, const struct wxr_handler *h, char *errmsg, size_t errlen,
		  int *errline);

#endif
