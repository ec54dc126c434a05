/* import_post.c - one WordPress item (a post or a page) and its comments
 * into the store, created or updated by its WordPress id; page parents
 * that come later in the file are set at the end (imp_fixups). URLs of
 * imported attachments in the body point at the media library
 * (import_media.c), and _thumbnail_id becomes the featured image. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/permalink.h"
#include "content/post.h"
#include "core/str.h"
#include "import/import_int.h"

static bool status_of(const char *s, enum post_status *out)
{
	static const struct {
		const char *wp;
		enum post_status st;
	} map[] = {{"publish", POST_PUBLISHED}, {"future", POST_SCHEDULED},
		   {"draft", POST_DRAFT},       {"pending", POST_PENDING},
		   {"private", POST_PRIVATE},   {"trash", POST_TRASH}};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i].wp) == 0) {
			*out = map[i].st;
			return true;
		}
	return false;
}

/* One line of valid text: controls removed, cut at max bytes on a
 * character boundary, trimmed. */
static const char *clean_line(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	char *o = arena_alloc(a, n + 1);
	if (!o)
		return "";
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		o[k++] = c < 0x20 ? ' ' : (char)c;
	}
	o[k] = '\0';
	if (k > max) {
		k = max;
		while (k > 0 && ((unsigned char)o[k] & 0xC0) == 0x80)
			k--;
		o[k] = '\0';
	}
	return str_trim(o);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

static bool same_tags(struct imp *im, int64_t post_id, int64_t *ids, size_t n)
{
	struct tag *tags;
	size_t nt;
	if (STORE_CALL(im->st, post_tags, &im->a, post_id, &tags, &nt) != ERR_OK || nt != n)
		return false;
	int64_t *have = ARENA_ARRAY(&im->a, int64_t, nt + 1);
	if (!have)
		return false;
	for (size_t i = 0; i < nt; i++)
		have[i] = tags[i].id;
	qsort(have, nt, sizeof *have, cmp_i64);
	qsort(ids, n, sizeof *ids, cmp_i64);
	return n == 0 || memcmp(have, ids, n * sizeof *ids) == 0;
}

/* A slug of this type free for post `self` (0: a new one): want, or
 * want-2, want-3 ... */
static enum err free_slug(struct imp *im, enum post_type type, int64_t self, const char *want,
			  const char **out)
{
	for (int i = 1; i < 10000; i++) {
		const char *cand = i == 1 ? want : arena_printf(&im->a, "%s-%d", want, i);
		if (!cand)
			return ERR_NOMEM;
		if (type == POST_PAGE && post_slug_reserved(cand))
			continue;
		struct post other;
		enum err rc = STORE_CALL(im->st, post_by_slug, &im->a, type, cand, &other);
		if (rc == ERR_NOTFOUND || (rc == ERR_OK && other.id == self)) {
			*out = cand;
			return ERR_OK;
		}
		if (rc != ERR_OK)
			return rc;
	}
	return ERR_CONFLICT;
}

static int cmp_comment(const void *x, const void *y)
{
	const struct wxr_comment *a = x, *b = y;
	int64_t ia = 0, ib = 0;
	str_to_i64(a->id, 0, INT64_MAX, &ia);
	str_to_i64(b->id, 0, INT64_MAX, &ib);
	return ia < ib ? -1 : ia > ib;
}

static enum comment_status comment_status_of(const char *approved)
{
	if (strcmp(approved, "1") == 0 || strcmp(approved, "approve") == 0)
		return COMMENT_APPROVED;
	if (strcmp(approved, "spam") == 0)
		return COMMENT_SPAM;
	if (strcmp(approved, "trash") == 0 || strcmp(approved, "post-trashed") == 0)
		return COMMENT_TRASH;
	return COMMENT_PENDING;
}

static enum err comments(struct imp *im, const struct wxr_item *it, int64_t post_id)
{
	struct arena *a = &im->a;
	struct import_count *n = &im->res->n[IMP_COMMENT];
	if (!it->ncomments)
		return ERR_OK;
	struct wxr_comment *cs = ARENA_ARRAY(a, struct wxr_comment, it->ncomments);
	if (!cs)
		return ERR_NOMEM;
	memcpy(cs, it->comments, it->ncomments * sizeof *cs);
	qsort(cs, it->ncomments, sizeof *cs, cmp_comment); /* parents before replies */
	enum err rc = ERR_OK;
	for (size_t i = 0; i < it->ncomments && rc == ERR_OK; i++) {
		const struct wxr_comment *w = &cs[i];
		struct comment c = {0};
		c.post_id = post_id;
		c.status = comment_status_of(w->approved);
		c.author_name = *w->author ? clean_line(a, w->author, 200) : "Anonymous";
		c.author_email = clean_line(a, w->author_email, 200);
		c.author_url = sanitize_url_ok(w->author_url, false) ? clean_line(a, w->author_url, 500)
								     : "";
		c.author_ip = clean_line(a, w->author_ip, 64);
		c.note = *w->type && strcmp(w->type, "comment") != 0 ? w->type : "";
		c.spam_score = -1;
		if (!imp_date(w->date_gmt, &c.created_at) && !imp_date(w->date, &c.created_at))
			c.created_at = im->now;
		if (*w->parent && strcmp(w->parent, "0") != 0) {
			int64_t pid = 0;
			rc = STORE_CALL(im->st, import_map_get, im->source, "comment", w->parent, &pid);
			if (rc == ERR_NOTFOUND) {
				rc = ERR_OK;
				if (!im->o->dry_run)
					imp_warn(im, w->line, "comment %s: parent %s not found, kept at the top",
						 w->id, w->parent);
			}
			c.parent_id = pid;
		}
		char *p = NULL, *html = NULL;
		if (rc == ERR_OK && im->gazette)
			p = (char *)w->content;
		else if (rc == ERR_OK)
			rc = convert_autop(a, w->content, &p);
		if (rc == ERR_OK)
			rc = sanitize_html(a, p, SANITIZE_COMMENT, &html, &im->res->sanitize);
		if (rc != ERR_OK)
			return rc;
		c.body_html = html;
		c.body_md = convert_html_text(a, html);
		if (!c.body_md)
			return ERR_NOMEM;
		int64_t id = 0;
		rc = STORE_CALL(im->st, import_map_get, im->source, "comment", w->id, &id);
		if (rc == ERR_NOTFOUND)
			rc = ERR_OK;
		struct comment cur;
		if (rc == ERR_OK && id && STORE_CALL(im->st, comment_get, a, id, &cur) == ERR_OK) {
			if (cur.post_id == c.post_id && cur.parent_id == c.parent_id &&
			    cur.status == c.status && cur.created_at == c.created_at &&
			    strcmp(cur.author_name, c.author_name) == 0 &&
			    strcmp(cur.author_email, c.author_email) == 0 &&
			    strcmp(cur.author_url, c.author_url) == 0 &&
			    strcmp(cur.author_ip, c.author_ip) == 0 &&
			    strcmp(cur.body_html, c.body_html) == 0) {
				n->unchanged++;
				continue;
			}
			c.id = id;
			n->updated++;
		} else {
			n->created++;
		}
		if (rc == ERR_OK && !im->o->dry_run && post_id > 0) {
			rc = STORE_CALL(im->st, comment_put, &c, &id);
			if (rc == ERR_OK)
				rc = STORE_CALL(im->st, import_map_set, im->source, "comment", w->id, id);
		}
	}
	return rc;
}

/* The URL the post will have (dry runs: from what would be stored). */
static const char *new_url(struct imp *im, int64_t id, const struct post_input *in)
{
	struct post p;
	if (!im->o->dry_run && STORE_CALL(im->st, post_get, &im->a, id, &p) == ERR_OK)
		return permalink_for(&im->a, im->permalink, &p);
	memset(&p, 0, sizeof p);
	p.id = id;
	p.type = in->type;
	p.slug = in->slug;
	p.published_at = in->published_at;
	struct category c;
	if (in->category_id > 0 &&
	    STORE_CALL(im->st, category_get, &im->a, in->category_id, &c) == ERR_OK)
		p.category_path = c.path;
	return permalink_for(&im->a, im->permalink, &p);
}

enum err imp_item(struct imp *im, const struct wxr_item *it)
{
	struct arena *a = &im->a;
	struct import_result *res = im->res;
	enum post_type type;
	if (strcmp(it->post_type, "post") == 0) {
		type = POST_ARTICLE;
	} else if (strcmp(it->post_type, "page") == 0) {
		type = POST_PAGE;
	} else {
		if (strcmp(it->post_type, "nav_menu_item") == 0)
			res->menu_items++;
		else if (strcmp(it->post_type, "attachment") != 0) /* those: import_media.c */
			res->other_types++;
		return ERR_OK;
	}
	struct import_count *n = &res->n[type == POST_PAGE ? IMP_PAGE : IMP_POST];
	struct post_input in = {0};
	/* the file's featured image, else (-1) an update keeps one chosen here */
	in.featured_media_id = imp_media_featured(im, it);
	in.type = type;
	if (!status_of(it->status, &in.status)) {
		imp_warn(im, it->line, "%s %s '%.60s': status '%s' skipped", it->post_type,
			 it->post_id, it->title, it->status);
		n->skipped++;
		return ERR_OK;
	}
	if (!imp_date(it->post_date_gmt, &in.published_at) &&
	    !imp_date(it->post_date, &in.published_at))
		in.published_at = im->now;
	if (in.status == POST_PUBLISHED && in.published_at > im->now)
		in.status = POST_SCHEDULED;
	if (in.status == POST_SCHEDULED && in.published_at <= im->now)
		in.status = POST_PUBLISHED;
	if (*it->post_password && in.status != POST_DRAFT && in.status != POST_TRASH) {
		imp_warn(im, it->line, "%s %s '%.60s' was password-protected: imported as private",
			 it->post_type, it->post_id, it->title);
		in.status = POST_PRIVATE;
	}
	in.created_at = in.published_at;
	const char *title = clean_line(a, it->title, POST_TITLE_MAX);
	in.title = *title ? title : "(no title)";

	/* the body: WordPress HTML, made plain and then safe */
	size_t dropped = res->sanitize.dropped_elements;
	char *conv = NULL, *html = NULL;
	enum err rc = ERR_OK;
	const char *media = NULL;
	if (im->gazette)
		conv = (char *)it->content; /* ours: no shortcodes, paragraphs made */
	else
		rc = convert_content(a, it->content, &conv, &res->convert);
	if (rc == ERR_OK)
		rc = imp_media_rewrite(im, conv, &media);
	if (rc == ERR_OK)
		rc = sanitize_html(a, media, SANITIZE_POST, &html, &res->sanitize);
	if (rc != ERR_OK)
		return rc;
	if (res->sanitize.dropped_elements > dropped)
		imp_warn(im, it->line, "%s %s '%.60s': %zu unsafe element(s) removed (scripts, "
			 "iframes, forms ...)", it->post_type, it->post_id, in.title,
			 res->sanitize.dropped_elements - dropped);
	if (strlen(html) > POST_BODY_MAX) {
		imp_warn(im, it->line, "%s %s: body over %u bytes, skipped", it->post_type,
			 it->post_id, POST_BODY_MAX);
		n->skipped++;
		return ERR_OK;
	}
	in.body_html = html;
	const char *text = convert_html_text(a, html);
	if (!text)
		return ERR_NOMEM;
	in.body_md = text; /* plain text: what search and related articles read */
	in.summary = convert_summary(a, text, POST_SUMMARY_MAX);
	char *ex = NULL;
	if (*it->excerpt) {
		if ((rc = sanitize_html(a, it->excerpt, SANITIZE_COMMENT, &ex, NULL)) != ERR_OK)
			return rc;
		ex = (char *)clean_line(a, convert_html_text(a, ex), 2000);
	}
	in.excerpt = ex ? ex : "";
	in.sticky = strcmp(it->is_sticky, "1") == 0;
	in.comments_open = strcmp(it->comment_status, "closed") != 0;
	if ((rc = imp_author_for(im, it->creator, &in.author_id)) != ERR_OK)
		return rc;

	/* category (the first), tags */
	int64_t *tag_ids = ARENA_ARRAY(a, int64_t, it->nterms + 1);
	size_t ntags = 0, ncats = 0;
	if (!tag_ids)
		return ERR_NOMEM;
	for (size_t i = 0; i < it->nterms && rc == ERR_OK; i++) {
		const struct wxr_item_term *t = &it->terms[i];
		if (!*t->nicename)
			continue;
		if (strcmp(t->domain, "category") == 0 && type == POST_ARTICLE) {
			int64_t cid;
			rc = imp_category_for(im, t->nicename, t->name, &cid);
			if (rc == ERR_OK && ncats++ == 0)
				in.category_id = cid;
		} else if (strcmp(t->domain, "post_tag") == 0 && type == POST_ARTICLE) {
			int64_t tid;
			rc = imp_tag_for(im, t->nicename, t->name, &tid);
			if (rc == ERR_OK) {
				bool dup = false;
				for (size_t k = 0; k < ntags; k++)
					dup |= tag_ids[k] == tid;
				if (!dup)
					tag_ids[ntags++] = tid;
			}
		}
	}
	if (rc != ERR_OK)
		return rc;
	if (ncats > 1)
		res->multi_category++;
	if (in.category_id < 0)
		in.category_id = 0; /* dry run: one that would be created */
	if (type == POST_ARTICLE) {
		in.tag_ids = tag_ids;
		in.ntag_ids = ntags;
	}

	/* which post it is, and its slug */
	int64_t id = 0, parent_wp = 0;
	rc = STORE_CALL(im->st, import_map_get, im->source, "post", it->post_id, &id);
	if (rc == ERR_NOTFOUND)
		rc = ERR_OK;
	if (rc != ERR_OK)
		return rc;
	struct post cur;
	bool exists = id && STORE_CALL(im->st, post_get, a, id, &cur) == ERR_OK &&
		      cur.type == type;
	if (!exists)
		id = 0;
	if (type == POST_PAGE && str_to_i64(it->post_parent, 1, INT64_MAX, &parent_wp)) {
		int64_t pl = 0;
		if (STORE_CALL(im->st, import_map_get, im->source, "post", it->post_parent, &pl) ==
			    ERR_OK &&
		    pl != id)
			in.parent_id = pl;
	}
	const char *want = imp_slug(a, it->post_name, in.title);
	if (!*want)
		want = arena_printf(a, "%s-%s", type == POST_PAGE ? "page" : "post", it->post_id);
	const char *slug = exists ? cur.slug : NULL;
	if (!slug && (rc = free_slug(im, type, id, want, &slug)) != ERR_OK)
		return rc;
	in.slug = slug;
	if (!exists && strcmp(slug, want) != 0)
		imp_warn(im, it->line, "%s %s: slug '%s' is taken or reserved, imported as '%s' "
			 "(the old URL redirects)", it->post_type, it->post_id, want, slug);

	if (exists) {
		if (in.parent_id == 0 && parent_wp)
			in.parent_id = cur.parent_id; /* set by a fixup below */
		bool same = cur.status == in.status && strcmp(cur.title, in.title) == 0 &&
			    strcmp(cur.excerpt, in.excerpt) == 0 &&
			    strcmp(cur.body_html, in.body_html) == 0 &&
			    cur.author_id == in.author_id && cur.category_id == in.category_id &&
			    cur.parent_id == in.parent_id && cur.sticky == in.sticky &&
			    cur.comments_open == in.comments_open &&
			    cur.published_at == in.published_at &&
			    (in.featured_media_id < 0 || cur.featured_media_id == in.featured_media_id) &&
			    (type != POST_ARTICLE || same_tags(im, id, tag_ids, ntags));
		if (same) {
			n->unchanged++;
		} else {
			in.id = id;
			n->updated++;
			if (!im->o->dry_run)
				rc = STORE_CALL(im->st, post_save, &in, NULL);
		}
	} else {
		n->created++;
		if (im->o->dry_run)
			id = --im->fake_id;
		else
			rc = STORE_CALL(im->st, post_save, &in, &id);
		if (rc == ERR_CONFLICT)
			snprintf(im->errmsg, im->errlen, "%s %s: slug '%s' conflict", it->post_type,
				 it->post_id, slug);
	}
	if (rc == ERR_OK && !im->o->dry_run)
		rc = STORE_CALL(im->st, import_map_set, im->source, "post", it->post_id, id);
	if (rc == ERR_OK && parent_wp && !in.parent_id) {
		if (im->nfix == im->capfix) {
			size_t nc = im->capfix ? im->capfix * 2 : 64;
			struct fixup *nf = arena_realloc(&im->keep, im->fix, im->capfix * sizeof *nf,
							 nc * sizeof *nf);
			if (!nf)
				return ERR_NOMEM;
			im->fix = nf;
			im->capfix = nc;
		}
		im->fix[im->nfix++] = (struct fixup){id, parent_wp, it->line};
	}
	if (rc == ERR_OK)
		rc = comments(im, it, id);

	/* the old URL, and the article's old comment feed */
	const char *from = imp_url_path(a, it->link);
	const char *to = rc == ERR_OK && from ? new_url(im, id, &in) : NULL;
	if (from && to) {
		rc = imp_redirect(im, from, to);
		if (rc == ERR_OK && type == POST_ARTICLE && strcmp(from, to) != 0)
			rc = imp_redirect(im, arena_printf(a, "%sfeed/", from),
					  arena_printf(a, "%sfeed/", to));
	}
	return rc;
}

enum err imp_fixups(struct imp *im)
{
	enum err rc = ERR_OK;
	for (size_t i = 0; i < im->nfix && rc == ERR_OK; i++) {
		const struct fixup *f = &im->fix[i];
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)f->wp_parent);
		int64_t parent = 0;
		rc = STORE_CALL(im->st, import_map_get, im->source, "post", key, &parent);
		if (rc == ERR_NOTFOUND || parent == f->local) {
			if (!im->o->dry_run)
				imp_warn(im, f->line, "page parent %s is not in the file: kept at the top",
					 key);
			rc = ERR_OK;
			continue;
		}
		struct post p;
		if (rc != ERR_OK || im->o->dry_run ||
		    STORE_CALL(im->st, post_get, &im->a, f->local, &p) != ERR_OK ||
		    p.parent_id == parent)
			continue;
		struct post_input in = {0};
		in.featured_media_id = -1;
		in.id = p.id;
		in.type = p.type;
		in.status = p.status;
		in.author_id = p.author_id;
		in.category_id = p.category_id;
		in.parent_id = parent;
		in.sticky = p.sticky;
		in.comments_open = p.comments_open;
		in.published_at = p.published_at;
		rc = STORE_CALL(im->st, post_save, &in, NULL);
	}
	return rc;
}
