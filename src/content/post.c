#include "content/post.h"

#include <stdio.h>
#include <string.h>

#include "content/permalink.h"
#include "content/settings.h"
#include "core/str.h"
#include "core/time.h"
#include "render/markdown.h"

/* First path segments a page slug may not take: they belong to routes. */
static const char *const reserved[] = {"category", "tag",     "author", "search", "page",
				       "assets",   "feed",    "admin",  "healthz", "comments",
				       "media",    "sitemap", "api",    "login",  "logout", NULL};

bool post_is_public(const struct post *p, int64_t now)
{
	return post_status_visible(p->status, p->published_at, now);
}

static bool text_ok(const char *s, size_t max, bool allow_newlines)
{
	size_t n = strlen(s);
	if (n > max || !str_utf8_valid(s, n))
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
			return false;
	}
	return true;
}

bool post_slug_reserved(const char *slug)
{
	for (size_t i = 0; reserved[i]; i++)
		if (strcmp(reserved[i], slug) == 0)
			return true;
	int64_t y;
	return str_to_i64(slug, 0, 9999, &y); /* /2026/ is a date archive */
}

/* Choose a free slug: `want` as given (explicit) or derived from the title
 * with -2, -3 ... appended until free (generated). */
static enum err pick_slug(struct store *st, struct arena *a, enum post_type type, int64_t self,
			  const char *explicit, const char *title, const char **out,
			  char *errmsg, size_t errlen)
{
	struct post other;
	if (explicit) {
		if (!str_slug_valid(explicit)) {
			snprintf(errmsg, errlen,
				 "slug: '%s' is not a valid slug (lower-case a-z, 0-9 and single "
				 "dashes, at most 200)",
				 explicit);
			return ERR_INVALID;
		}
		if (type == POST_PAGE && post_slug_reserved(explicit)) {
			snprintf(errmsg, errlen, "slug: '%s' is reserved for the site's own URLs",
				 explicit);
			return ERR_CONFLICT;
		}
		enum err rc = STORE_CALL(st, post_by_slug, a, type, explicit, &other);
		if (rc == ERR_OK && other.id != self) {
			snprintf(errmsg, errlen, "slug: '%s' is already used by %s %lld", explicit,
				 type == POST_PAGE ? "page" : "post", (long long)other.id);
			return ERR_CONFLICT;
		}
		if (rc != ERR_OK && rc != ERR_NOTFOUND)
			return rc;
		*out = explicit;
		return ERR_OK;
	}
	const char *base = str_slugify(a, title);
	if (!base)
		return ERR_NOMEM;
	if (!*base)
		base = type == POST_PAGE ? "page-1" : "post";
	if (strlen(base) > 180) {
		char *cut = arena_strndup(a, base, 180);
		if (!cut)
			return ERR_NOMEM;
		size_t k = strlen(cut);
		while (k > 0 && cut[k - 1] == '-') /* the cut may end on a dash */
			cut[--k] = '\0';
		base = cut;
	}
	for (int i = 1; i < 10000; i++) {
		const char *cand = i == 1 ? base : arena_printf(a, "%s-%d", base, i);
		if (!cand)
			return ERR_NOMEM;
		if (type == POST_PAGE && post_slug_reserved(cand))
			continue;
		enum err rc = STORE_CALL(st, post_by_slug, a, type, cand, &other);
		if (rc == ERR_NOTFOUND || (rc == ERR_OK && other.id == self)) {
			*out = cand;
			return ERR_OK;
		}
		if (rc != ERR_OK)
			return rc;
	}
	snprintf(errmsg, errlen, "slug: no free slug for this title");
	return ERR_CONFLICT;
}

static size_t split_tags(struct arena *a, const char *csv, const char ***out)
{
	size_t cap = 1;
	for (const char *p = csv; *p; p++)
		cap += *p == ',';
	const char **names = ARENA_ARRAY(a, const char *, cap);
	size_t n = 0;
	if (!names)
		return 0;
	const char *s = csv;
	while (s) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *t = arena_strndup(a, s, len);
		if (t && *str_trim(t))
			names[n++] = t;
		s = e ? e + 1 : NULL;
	}
	*out = names;
	return n;
}

/* Fill `in` from `f` over the current values (cur: NULL on create). */
static enum err apply(struct store *st, struct arena *a, const struct post_fields *f,
		      const struct post *cur, int64_t now, struct post_input *in, char *errmsg,
		      size_t errlen)
{
	enum err rc;
	const char *title = f->title ? f->title : cur ? cur->title : NULL;
	if (!title || !*str_trim(arena_strdup(a, title))) {
		snprintf(errmsg, errlen, "title: required");
		return ERR_INVALID;
	}
	if (!text_ok(title, POST_TITLE_MAX, false)) {
		snprintf(errmsg, errlen,
			 "title: must be valid UTF-8 without control characters, at most %d bytes",
			 POST_TITLE_MAX);
		return ERR_INVALID;
	}
	in->title = title;
	const char *body = f->body_md ? f->body_md : cur ? cur->body_md : "";
	if (!text_ok(body, POST_BODY_MAX, true)) {
		snprintf(errmsg, errlen, "body: must be valid UTF-8 text of at most %u bytes",
			 POST_BODY_MAX);
		return ERR_INVALID;
	}
	in->body_md = body;
	const char *excerpt = f->excerpt ? f->excerpt : cur ? cur->excerpt : "";
	if (!text_ok(excerpt, 2000, true)) {
		snprintf(errmsg, errlen, "excerpt: must be valid UTF-8 of at most 2000 bytes");
		return ERR_INVALID;
	}
	in->excerpt = excerpt;
	if (cur && !f->body_md) {
		/* The body is unchanged: keep its HTML as stored. Imported posts
		 * (src/import/) hold sanitized HTML that the Markdown source does
		 * not reproduce, and must survive an edit of their title. */
		in->body_html = cur->body_html;
		in->summary = cur->summary;
	} else {
		char *html, *summary;
		if ((rc = markdown_to_html(a, body, &html)) != ERR_OK ||
		    (rc = markdown_excerpt(a, body, POST_SUMMARY_MAX, &summary)) != ERR_OK)
			return rc;
		in->body_html = html;
		in->summary = summary;
	}

	/* author */
	if (f->author) {
		struct user u;
		rc = STORE_CALL(st, user_by_login, a, f->author, &u);
		if (rc == ERR_NOTFOUND) {
			snprintf(errmsg, errlen, "author: no user '%s'", f->author);
			return ERR_INVALID;
		}
		if (rc != ERR_OK)
			return rc;
		in->author_id = u.id;
	} else if (cur) {
		in->author_id = cur->author_id;
	} else {
		struct user *us;
		size_t n;
		if ((rc = STORE_CALL(st, user_list, a, &us, &n)) != ERR_OK)
			return rc;
		for (size_t i = 0; i < n && !in->author_id; i++)
			if (us[i].role == ROLE_ADMIN)
				in->author_id = us[i].id;
		if (!in->author_id && n)
			in->author_id = us[0].id;
		if (!in->author_id) {
			snprintf(errmsg, errlen,
				 "author: the site has no users yet; add one with `gazette user add`");
			return ERR_INVALID;
		}
	}

	/* category (articles) / parent (pages) */
	in->category_id = cur ? cur->category_id : 0;
	if (f->category && in->type == POST_ARTICLE) {
		in->category_id = 0;
		if (*f->category) {
			struct category c;
			rc = strchr(f->category, '/')
				     ? STORE_CALL(st, category_by_path, a, f->category, &c)
				     : STORE_CALL(st, category_by_slug, a, f->category, &c);
			if (rc == ERR_NOTFOUND) {
				snprintf(errmsg, errlen,
					 "category: no category '%s' (see `gazette category list`)",
					 f->category);
				return ERR_INVALID;
			}
			if (rc != ERR_OK)
				return rc;
			in->category_id = c.id;
		}
	}
	in->parent_id = cur ? cur->parent_id : 0;
	if (f->parent && in->type == POST_PAGE) {
		in->parent_id = 0;
		if (*f->parent) {
			struct post par;
			rc = STORE_CALL(st, post_by_slug, a, POST_PAGE, f->parent, &par);
			if (rc == ERR_NOTFOUND || (rc == ERR_OK && cur && par.id == cur->id)) {
				snprintf(errmsg, errlen, "parent: no other page '%s'", f->parent);
				return ERR_INVALID;
			}
			if (rc != ERR_OK)
				return rc;
			in->parent_id = par.id;
		}
	}

	/* date and status */
	in->published_at = cur ? cur->published_at : now;
	if (f->date) {
		if (!time_parse_iso(f->date, &in->published_at)) {
			snprintf(errmsg, errlen,
				 "date: '%s' is not an ISO-8601 date such as 2026-11-26 or "
				 "2026-11-26T09:30:00+01:00",
				 f->date);
			return ERR_INVALID;
		}
	}
	in->status = cur ? cur->status : POST_DRAFT;
	if (f->status && !post_status_parse(f->status, &in->status)) {
		snprintf(errmsg, errlen,
			 "status: '%s' is not one of draft, pending, scheduled, published, "
			 "private, trash",
			 f->status);
		return ERR_INVALID;
	}
	if (in->status == POST_SCHEDULED && in->published_at <= now) {
		if (f->status) {
			snprintf(errmsg, errlen, "status: scheduled needs a --date in the future");
			return ERR_INVALID;
		}
		in->status = POST_PUBLISHED; /* its time came while it was edited */
	}
	if (in->status == POST_PUBLISHED && in->published_at > now)
		in->status = POST_SCHEDULED;

	in->sticky = f->sticky >= 0 ? f->sticky : cur ? cur->sticky : false;
	in->featured_media_id = f->featured_media >= 0 ? f->featured_media
				: cur			 ? cur->featured_media_id
							 : 0;
	if (f->featured_media > 0) {
		struct media m;
		rc = STORE_CALL(st, media_get, a, f->featured_media, &m);
		if (rc == ERR_NOTFOUND) {
			snprintf(errmsg, errlen, "featured image: there is no medium %lld",
				 (long long)f->featured_media);
			return ERR_INVALID;
		}
		if (rc != ERR_OK)
			return rc;
	}
	if (f->comments_open >= 0)
		in->comments_open = f->comments_open;
	else if (cur)
		in->comments_open = cur->comments_open;
	else
		in->comments_open = settings_get_int(st, a, "comments_open") != 0;

	/* tags */
	if (f->tags && in->type == POST_ARTICLE) {
		if (!text_ok(f->tags, 4000, false)) {
			snprintf(errmsg, errlen, "tags: must be valid UTF-8, at most 4000 bytes");
			return ERR_INVALID;
		}
		const char **names = NULL;
		in->ntags = split_tags(a, f->tags, &names);
		in->tags = names;
		for (size_t i = 0; i < in->ntags; i++)
			if (strlen(names[i]) > 100) {
				snprintf(errmsg, errlen, "tags: '%.40s...' is longer than 100 bytes",
					 names[i]);
				return ERR_INVALID;
			}
		if (!in->tags && in->ntags == 0)
			in->tags = (const char *const *)ARENA_ARRAY(a, const char *, 1);
	}

	/* slug last: it may derive from the title */
	const char *slug;
	rc = pick_slug(st, a, in->type, cur ? cur->id : 0, f->slug ? f->slug : cur ? cur->slug : NULL,
		       title, &slug, errmsg, errlen);
	if (rc != ERR_OK)
		return rc;
	in->slug = slug;
	return a->failed ? ERR_NOMEM : ERR_OK;
}

/* What the store writes with the save, in its transaction: a revision of
 * the text, and when a public post's URL changes (slug, date, category) a
 * redirect from the old URL to the new one. before is NULL for a new post. */
static enum err with_history(struct store *st, struct arena *a, const struct post *before,
			     const struct post_fields *f, int64_t now, struct post_input *in)
{
	in->revision_user = f->by_user;
	in->revision_at = now;
	if (!before || !post_is_public(before, now))
		return ERR_OK;
	struct post after = *before;
	after.slug = in->slug;
	after.status = in->status;
	after.published_at = in->published_at;
	if (in->category_id != before->category_id) {
		struct category c;
		after.category_path = NULL;
		if (in->category_id) {
			enum err rc = STORE_CALL(st, category_get, a, in->category_id, &c);
			if (rc != ERR_OK)
				return rc;
			after.category_path = c.path;
		}
	}
	if (!post_is_public(&after, now))
		return ERR_OK;
	const char *pattern = settings_get(st, a, "permalink");
	const char *was = permalink_for(a, pattern, before);
	const char *is = permalink_for(a, pattern, &after);
	if (!was || !is)
		return ERR_NOMEM;
	if (strcmp(was, is) != 0) {
		in->moved_from = was;
		in->moved_to = is;
	}
	return ERR_OK;
}

enum err post_create(struct store *st, struct arena *a, const struct post_fields *f,
		     int64_t now, int64_t *id, char *errmsg, size_t errlen)
{
	struct post_input in = {0};
	in.type = f->type;
	in.created_at = now; /* so "no date of its own" is published_at == created_at */
	enum err rc = apply(st, a, f, NULL, now, &in, errmsg, errlen);
	if (rc == ERR_OK && (rc = with_history(st, a, NULL, f, now, &in)) != ERR_OK)
		snprintf(errmsg, errlen, "cannot save: %s", err_str(rc));
	if (rc != ERR_OK)
		return rc;
	int64_t newid = 0;
	rc = STORE_CALL(st, post_save, &in, &newid);
	if (rc == ERR_CONFLICT)
		snprintf(errmsg, errlen, "slug: '%s' is already used", in.slug);
	else if (rc != ERR_OK)
		snprintf(errmsg, errlen, "cannot save: %s", err_str(rc));
	if (rc == ERR_OK && id)
		*id = newid;
	return rc;
}

enum err post_update(struct store *st, struct arena *a, int64_t id, const struct post_fields *f,
		     int64_t now, char *errmsg, size_t errlen)
{
	struct post cur;
	enum err rc = STORE_CALL(st, post_get, a, id, &cur);
	if (rc != ERR_OK) {
		snprintf(errmsg, errlen, "no post %lld", (long long)id);
		return rc;
	}
	struct post_input in = {0};
	in.id = id;
	in.type = cur.type;
	rc = apply(st, a, f, &cur, now, &in, errmsg, errlen);
	if (rc == ERR_OK && (rc = with_history(st, a, &cur, f, now, &in)) != ERR_OK)
		snprintf(errmsg, errlen, "cannot save: %s", err_str(rc));
	if (rc != ERR_OK)
		return rc;
	rc = STORE_CALL(st, post_save, &in, NULL);
	if (rc == ERR_CONFLICT)
		snprintf(errmsg, errlen, "slug: '%s' is already used", in.slug);
	else if (rc != ERR_OK)
		snprintf(errmsg, errlen, "cannot save: %s", err_str(rc));
	return rc;
}

enum err post_publish(struct store *st, struct arena *a, int64_t id, int64_t now,
		      enum post_status *result)
{
	struct post cur;
	enum err rc = STORE_CALL(st, post_get, a, id, &cur);
	if (rc != ERR_OK)
		return rc;
	enum post_status s = cur.published_at > now ? POST_SCHEDULED : POST_PUBLISHED;
	/* A draft is published with today's date, unless its author gave it a
	 * date of its own (a draft dated when it was created has none). */
	int64_t when = 0;
	if ((cur.status == POST_DRAFT || cur.status == POST_PENDING) &&
	    cur.published_at <= now && cur.published_at == cur.created_at)
		when = now;
	rc = STORE_CALL(st, post_set_status, id, s, when);
	if (rc == ERR_OK && result)
		*result = s;
	return rc;
}
