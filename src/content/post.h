/* post.h - domain rules for writing articles and pages.
 *
 * The CLI and the back office both go through these, so a post is checked
 * the same way wherever it comes from: title and body are valid UTF-8 within
 * limits, the slug is valid and unique (generated from the title when not
 * given; explicit duplicates are refused), a future date makes a "published"
 * post "scheduled", the Markdown is rendered and an excerpt derived. Every
 * save keeps a revision of the text, and a public post whose URL changes
 * (slug, date, category) leaves a 301 from the old URL.
 * Errors come with a one-line reason in errmsg naming the field at fault. */
#ifndef GAZETTE_CONTENT_POST_H
#define GAZETTE_CONTENT_POST_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

/* Fields as typed by a user. NULL = default on create, unchanged on update. */
struct post_fields {
	enum post_type type;
	const char *title, *slug, *body_md, *excerpt;
	const char *category; /* slug or path; "" = none */
	const char *tags;     /* comma-separated names; "" = none */
	const char *author;   /* login; default: the first admin */
	const char *status;   /* draft|pending|scheduled|published|private|trash */
	const char *date;     /* ISO-8601 */
	const char *parent;   /* pages: parent page slug; "" = none */
	int sticky;           /* -1 unchanged, 0, 1 */
	int comments_open;    /* -1 default/unchanged, 0, 1 */
	int64_t by_user;      /* who saves it (its revision's author); 0 = the CLI */
	int64_t featured_media; /* media id of the featured image; 0 none, -1 unchanged */
};

#define POST_FIELDS_INIT {.sticky = -1, .comments_open = -1, .featured_media = -1}
#define POST_TITLE_MAX 300
#define POST_BODY_MAX (4u << 20)
#define POST_SUMMARY_MAX 300 /* bytes of the derived plain-text summary */

enum err post_create(struct store *st, struct arena *a, const struct post_fields *f,
		     int64_t now, int64_t *id, char *errmsg, size_t errlen);
enum err post_update(struct store *st, struct arena *a, int64_t id, const struct post_fields *f,
		     int64_t now, char *errmsg, size_t errlen);
/* Publish now (or schedule, when the post's date is in the future). */
enum err post_publish(struct store *st, struct arena *a, int64_t id, int64_t now,
		      enum post_status *result);

/* Is slug taken by the site's own URLs for a page ("feed", "2026" ...)? */
bool post_slug_reserved(const char *slug);

/* Is the post visible to the public at time now? */
bool post_is_public(const struct post *p, int64_t now);

#endif
