/* import.c - the WordPress import's driver (see import.h): the checking
 * pass, then the writing pass with users, categories and tags; items are
 * in import_post.c, redirects in import_redirect.c. */
#include "import/import_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "content/settings.h"
#include "core/str.h"
#include "core/time.h"

static const char *const kind_names[IMP_KIND__MAX] = {
	"users", "categories", "tags", "posts", "pages", "comments", "redirects", "media",
	"menu items"};

const char *import_kind_name(enum import_kind k)
{
	return (unsigned)k < IMP_KIND__MAX ? kind_names[k] : "?";
}

void import_result_free(struct import_result *res)
{
	for (size_t i = 0; i < IMPORT_WARNINGS; i++) {
		free(res->warnings[i]);
		res->warnings[i] = NULL;
	}
}

/* --- helpers ------------------------------------------------------------- */

static size_t hash(const char *s)
{
	size_t h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h % STRMAP_BUCKETS;
}

bool strmap_get(const struct strmap *m, const char *key, int64_t *id)
{
	for (const struct strmap_entry *e = m->b[hash(key)]; e; e = e->next)
		if (strcmp(e->key, key) == 0) {
			*id = e->id;
			return true;
		}
	return false;
}

bool strmap_put(struct strmap *m, struct arena *a, const char *key, int64_t id)
{
	size_t h = hash(key);
	for (struct strmap_entry *e = m->b[h]; e; e = e->next)
		if (strcmp(e->key, key) == 0) {
			e->id = id;
			return true;
		}
	struct strmap_entry *e = ARENA_NEW(a, struct strmap_entry);
	if (!e || !(e->key = arena_strdup(a, key)))
		return false;
	e->id = id;
	e->next = m->b[h];
	m->b[h] = e;
	return true;
}

void imp_warn(struct imp *im, int line, const char *fmt, ...)
{
	struct import_result *res = im->res;
	if (res->nwarnings < IMPORT_WARNINGS) {
		char msg[400];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		char full[420];
		if (line > 0)
			snprintf(full, sizeof full, "line %d: %s", line, msg);
		else /* about the file as a whole */
			snprintf(full, sizeof full, "%s", msg);
		res->warnings[res->nwarnings] = strdup(full);
	}
	res->nwarnings++;
}

static bool has_letter(const char *s)
{
	for (; *s; s++)
		if (isalpha((unsigned char)*s))
			return true;
	return false;
}

static bool ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

const char *imp_slug(struct arena *a, const char *wp_slug, const char *fallback)
{
	const char *s = NULL;
	if (wp_slug && *wp_slug) {
		char *dec = str_url_decode(a, wp_slug, strlen(wp_slug), false);
		s = dec ? str_slugify(a, dec) : NULL;
		/* non-Latin slugs lose their letters ("επίπεδο-2" -> "2"): such a
		 * remainder says nothing, the title may say more */
		if (s && dec && !has_letter(s) && !ascii(dec))
			s = NULL;
	}
	if ((!s || !*s) && fallback) {
		s = str_slugify(a, fallback);
		if (s && !has_letter(s) && !ascii(fallback))
			s = NULL;
	}
	if (!s)
		return "";
	if (strlen(s) > 180) {
		char *cut = arena_strndup(a, s, 180);
		if (!cut)
			return "";
		size_t k = strlen(cut);
		while (k > 0 && cut[k - 1] == '-')
			cut[--k] = '\0';
		s = cut;
	}
	return s;
}

bool imp_date(const char *s, int64_t *out)
{
	char iso[32];
	if (!s || strlen(s) != 19 || strncmp(s, "0000", 4) == 0)
		return false;
	memcpy(iso, s, 19);
	iso[10] = 'T';
	iso[19] = 'Z';
	iso[20] = '\0';
	return time_parse_iso(iso, out);
}

const char *imp_meta(const struct wxr_item *it, const char *key)
{
	for (size_t i = 0; i < it->nmeta; i++)
		if (strcmp(it->meta[i].key, key) == 0)
			return it->meta[i].value;
	return "";
}

enum err imp_note_wpcat(struct imp *im, const char *slug, const char *parent)
{
	int64_t have;
	if (strmap_get(&im->wpcat_idx, slug, &have))
		return ERR_OK;
	if (im->nwpcats == im->capwpcats) {
		size_t nc = im->capwpcats ? im->capwpcats * 2 : 64;
		struct imp_wpcat *nw = arena_realloc(&im->keep, im->wpcats,
						     im->capwpcats * sizeof *nw, nc * sizeof *nw);
		if (!nw)
			return ERR_NOMEM;
		im->wpcats = nw;
		im->capwpcats = nc;
	}
	struct imp_wpcat *w = &im->wpcats[im->nwpcats];
	w->slug = arena_strdup(&im->keep, slug);
	w->parent = arena_strdup(&im->keep, parent);
	if (!w->slug || !w->parent ||
	    !strmap_put(&im->wpcat_idx, &im->keep, slug, (int64_t)im->nwpcats))
		return ERR_NOMEM;
	im->nwpcats++;
	return ERR_OK;
}

static bool digits(const char *s)
{
	if (!*s || strlen(s) > 18)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static enum err map_set(struct imp *im, const char *kind, const char *wp_id, int64_t id)
{
	if (im->o->dry_run || id <= 0)
		return ERR_OK;
	return STORE_CALL(im->st, import_map_set, im->source, kind, wp_id, id);
}

static enum err map_get(struct imp *im, const char *kind, const char *wp_id, int64_t *id)
{
	enum err rc = STORE_CALL(im->st, import_map_get, im->source, kind, wp_id, id);
	if (rc == ERR_NOTFOUND) {
		*id = 0;
		return ERR_OK;
	}
	return rc;
}

/* --- pass 1: check everything, write nothing ------------------------------ */

struct seen {
	int64_t id;
	int line;
};

struct check {
	struct imp_collect *col;
	struct seen *posts, *comments;
	size_t nposts, ncomments, capposts, capcomments;
	char *errmsg;
	size_t errlen;
	bool oom;
};

static void remember(struct check *c, struct seen **arr, size_t *n, size_t *cap, int64_t id,
		     int line)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		struct seen *na = realloc(*arr, nc * sizeof *na);
		if (!na) {
			c->oom = true;
			return;
		}
		*arr = na;
		*cap = nc;
	}
	(*arr)[(*n)++] = (struct seen){id, line};
}

static enum err check_author(void *ud, const struct wxr_author *au)
{
	struct check *c = ud;
	if (!*au->login) {
		snprintf(c->errmsg, c->errlen, "<wp:author> without <wp:author_login>");
		return ERR_INVALID;
	}
	return ERR_OK;
}

static enum err check_item(void *ud, const struct wxr_item *it)
{
	struct check *c = ud;
	int64_t id;
	if (!digits(it->post_id) || !str_to_i64(it->post_id, 1, INT64_MAX, &id)) {
		snprintf(c->errmsg, c->errlen, "<item> '%.60s' has no numeric <wp:post_id>",
			 it->title);
		return ERR_INVALID;
	}
	if (!*it->post_type) {
		snprintf(c->errmsg, c->errlen, "<item> %s has no <wp:post_type>", it->post_id);
		return ERR_INVALID;
	}
	/* Only what is imported must be unique: real exports (the Theme Unit
	 * Test among them) repeat menu items, which are skipped anyway. */
	if (strcmp(it->post_type, "post") == 0 || strcmp(it->post_type, "page") == 0 ||
	    strcmp(it->post_type, "attachment") == 0)
		remember(c, &c->posts, &c->nposts, &c->capposts, id, it->line);
	if (strcmp(it->post_type, "attachment") == 0)
		imp_collect_attachment(c->col, it);
	else if (strcmp(it->post_type, "nav_menu_item") == 0)
		imp_collect_menu_item(c->col, it);
	if (c->col->oom)
		return ERR_NOMEM;
	for (size_t i = 0; i < it->ncomments; i++) {
		int64_t cid;
		if (!digits(it->comments[i].id) ||
		    !str_to_i64(it->comments[i].id, 1, INT64_MAX, &cid)) {
			snprintf(c->errmsg, c->errlen,
				 "a comment of item %s (line %d) has no numeric <wp:comment_id>",
				 it->post_id, it->comments[i].line);
			return ERR_INVALID;
		}
		remember(c, &c->comments, &c->ncomments, &c->capcomments, cid,
			 it->comments[i].line);
	}
	return c->oom ? ERR_NOMEM : ERR_OK;
}

static int by_id(const void *x, const void *y)
{
	const struct seen *a = x, *b = y;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return a->line - b->line;
}

static enum err duplicates(struct seen *s, size_t n, const char *what, char *errmsg,
			   size_t errlen, int *errline)
{
	if (n)
		qsort(s, n, sizeof *s, by_id);
	for (size_t i = 1; i < n; i++)
		if (s[i].id == s[i - 1].id) {
			*errline = s[i].line;
			snprintf(errmsg, errlen, "duplicate %s id %lld (first at line %d)", what,
				 (long long)s[i].id, s[i - 1].line);
			return ERR_INVALID;
		}
	return ERR_OK;
}

static enum err check_file(const char *path, struct imp_collect *col, char *errmsg,
			   size_t errlen, int *errline)
{
	struct check c = {0};
	c.col = col;
	c.errmsg = errmsg;
	c.errlen = errlen;
	struct wxr_handler h = {0};
	h.ud = &c;
	h.author = check_author;
	h.item = check_item;
	enum err rc = wxr_read(path, &h, errmsg, errlen, errline);
	if (rc == ERR_OK)
		rc = duplicates(c.posts, c.nposts, "post", errmsg, errlen, errline);
	if (rc == ERR_OK)
		rc = duplicates(c.comments, c.ncomments, "comment", errmsg, errlen, errline);
	free(c.posts);
	free(c.comments);
	return rc;
}

/* --- pass 2: users -------------------------------------------------------- */

static const char *local_login(struct arena *a, const char *wp)
{
	size_t n = strlen(wp);
	char *s = arena_alloc(a, n + 1);
	if (!s)
		return "";
	size_t k = 0;
	for (size_t i = 0; i < n && k < 60; i++) {
		unsigned char ch = (unsigned char)wp[i];
		if (isalnum(ch) || ch == '.' || ch == '_' || ch == '-')
			s[k++] = (char)tolower(ch);
		else if (k && s[k - 1] != '-')
			s[k++] = '-';
	}
	while (k && s[k - 1] == '-')
		k--;
	s[k] = '\0';
	return s;
}

/* An author: declared in <wp:author>, or only named by an item's
 * dc:creator (then never used to update a user, and matched to an
 * existing user of the same login without counting). */
static enum err put_author(struct imp *im, const struct wxr_author *au, bool declared)
{
	struct arena *a = &im->a;
	struct import_count *n = &im->res->n[IMP_USER];
	const char *name = *au->display_name ? au->display_name : NULL;
	if (!name && (*au->first_name || *au->last_name))
		name = arena_printf(a, "%s%s%s", au->first_name,
				    *au->first_name && *au->last_name ? " " : "", au->last_name);
	if (!name)
		name = au->login;
	int64_t id;
	enum err rc = map_get(im, "user", au->login, &id);
	struct user u;
	if (rc == ERR_OK && id && STORE_CALL(im->st, user_get, a, id, &u) == ERR_OK) {
		if (!declared) {
			/* named by an item only: nothing to update */
		} else if (strcmp(u.email, au->email) != 0 ||
			   strcmp(u.display_name, name) != 0) {
			u.email = au->email;
			u.display_name = name;
			if (!im->o->dry_run)
				rc = STORE_CALL(im->st, user_update, &u);
			n->updated++;
		} else {
			n->unchanged++;
		}
	} else if (rc == ERR_OK) {
		const char *login = local_login(a, au->login);
		if (!*login)
			login = arena_printf(a, "user-%s", *au->id ? au->id : "1");
		if (STORE_CALL(im->st, user_by_login, a, login, &u) == ERR_OK) {
			id = u.id; /* the same login is already here: that user */
			if (declared)
				n->unchanged++;
		} else {
			struct user nu = {0};
			nu.login = login;
			nu.email = au->email;
			nu.display_name = name;
			nu.bio = "";
			nu.pwhash = ""; /* no password: cannot log in until one is set */
			nu.role = ROLE_AUTHOR;
			nu.created_at = im->now;
			if (im->o->dry_run)
				id = --im->fake_id;
			else
				rc = STORE_CALL(im->st, user_add, &nu, &id);
			n->created++;
		}
		if (rc == ERR_OK)
			rc = map_set(im, "user", au->login, id);
	}
	if (rc == ERR_OK && !strmap_put(&im->users, &im->keep, au->login, id))
		rc = ERR_NOMEM;
	if (rc == ERR_OK && !im->default_author)
		im->default_author = id;
	return rc;
}

enum err imp_author_for(struct imp *im, const char *login, int64_t *id)
{
	if (*login && strmap_get(&im->users, login, id))
		return ERR_OK;
	if (*login) { /* not declared in <wp:author>: make it as if it were */
		struct wxr_author au = {0};
		au.id = au.email = au.display_name = au.first_name = au.last_name = "";
		au.login = login;
		enum err rc = put_author(im, &au, false);
		if (rc != ERR_OK)
			return rc;
		if (strmap_get(&im->users, login, id))
			return ERR_OK;
	}
	if (!im->default_author) { /* no author at all: the site's first user */
		struct user *us;
		size_t n;
		enum err rc = STORE_CALL(im->st, user_list, &im->a, &us, &n);
		if (rc != ERR_OK)
			return rc;
		for (size_t i = 0; i < n && !im->default_author; i++)
			if (us[i].role == ROLE_ADMIN)
				im->default_author = us[i].id;
		if (!im->default_author && n)
			im->default_author = us[0].id;
		if (!im->default_author) {
			struct wxr_author au = {0};
			au.id = au.email = au.display_name = au.first_name = au.last_name = "";
			au.login = "wordpress";
			if ((rc = put_author(im, &au, false)) != ERR_OK)
				return rc;
		}
	}
	*id = im->default_author;
	return ERR_OK;
}

/* --- pass 2: categories and tags ------------------------------------------ */

/* Store one category whose parent is stored (or none); false in *ready
 * when the parent is still to come. */
static enum err put_category(struct imp *im, const struct pend_cat *pc, bool force,
			     bool *ready)
{
	struct arena *a = &im->a;
	struct import_count *n = &im->res->n[IMP_CATEGORY];
	int64_t parent = 0;
	*ready = true;
	if (*pc->parent && !strmap_get(&im->cats, pc->parent, &parent)) {
		if (!force) {
			*ready = false;
			return ERR_OK;
		}
		imp_warn(im, pc->line, "category '%s': parent '%s' not in the file, made top-level",
			 pc->slug, pc->parent);
	}
	int64_t id;
	enum err rc = map_get(im, "category", pc->slug, &id);
	const char *name = *pc->name ? pc->name : pc->slug;
	struct category c;
	int64_t merged = 0;
	if (rc == ERR_OK && id)
		rc = map_get(im, "category_merged", pc->slug, &merged);
	if (rc == ERR_OK && id && STORE_CALL(im->st, category_get, a, id, &c) == ERR_OK) {
		if (merged) {
			n->unchanged++; /* the site's own category: it stays as the site has it */
		} else if (strcmp(c.name, name) != 0 || strcmp(c.description, pc->description) != 0 ||
		    (parent >= 0 && c.parent_id != parent)) {
			c.name = name;
			c.description = pc->description;
			if (parent >= 0)
				c.parent_id = parent;
			if (!im->o->dry_run)
				rc = STORE_CALL(im->st, category_update, &c);
			n->updated++;
		} else {
			n->unchanged++;
		}
	} else if (rc == ERR_OK) {
		const char *slug = imp_slug(a, pc->slug, name);
		if (!*slug)
			slug = arena_printf(a, "category-%s", *pc->id ? pc->id : "x");
		/* another category of this file came to the same slug ("café" and
		 * "cafe"): this one gets a suffix (and its old URL a redirect); a
		 * category the site had before is merged into */
		int64_t made;
		const char *want = slug;
		for (int k = 2; slug && strmap_get(&im->cats_made, slug, &made) && k < 10000; k++)
			slug = arena_printf(a, "%s-%d", want, k);
		if (!slug)
			return ERR_NOMEM;
		if (STORE_CALL(im->st, category_by_slug, a, slug, &c) == ERR_OK) {
			id = c.id; /* the site has it already: merge into it */
			n->unchanged++;
			rc = map_set(im, "category_merged", pc->slug, id);
		} else {
			struct category nc = {0};
			nc.parent_id = parent > 0 ? parent : 0;
			nc.slug = slug;
			nc.name = name;
			nc.description = pc->description;
			if (im->o->dry_run)
				id = --im->fake_id;
			else
				rc = STORE_CALL(im->st, category_add, &nc, &id);
			n->created++;
			if (rc == ERR_OK && !strmap_put(&im->cats_made, &im->keep, slug, id))
				rc = ERR_NOMEM;
			if (rc == ERR_OK && strcmp(slug, pc->slug) != 0)
				imp_warn(im, pc->line, "category '%s' is now '%s'", pc->slug, slug);
		}
		if (rc == ERR_OK)
			rc = map_set(im, "category", pc->slug, id);
	}
	if (rc == ERR_OK && *pc->id)
		rc = map_set(im, "category_id", pc->id, id);
	if (rc == ERR_OK && !strmap_put(&im->cats, &im->keep, pc->slug, id))
		rc = ERR_NOMEM;
	return rc;
}

enum err imp_flush_categories(struct imp *im, bool final)
{
	bool progress = true;
	enum err rc = ERR_OK;
	while (rc == ERR_OK && im->npend && progress) {
		progress = false;
		size_t k = 0;
		for (size_t i = 0; i < im->npend && rc == ERR_OK; i++) {
			bool ready;
			rc = put_category(im, &im->pend[i], false, &ready);
			if (ready)
				progress = true;
			else
				im->pend[k++] = im->pend[i];
		}
		im->npend = k;
	}
	if (final) { /* parents that never came: top level */
		for (size_t i = 0; i < im->npend && rc == ERR_OK; i++) {
			bool ready;
			rc = put_category(im, &im->pend[i], true, &ready);
		}
		im->npend = 0;
		im->cats_flushed = true;
	}
	return rc;
}

static enum err on_term(void *ud, const struct wxr_term *t)
{
	struct imp *im = ud;
	bool cat = t->kind == WXR_CATEGORY ||
		   (t->kind == WXR_TERM && strcmp(t->taxonomy, "category") == 0);
	bool tag = t->kind == WXR_TAG || (t->kind == WXR_TERM && strcmp(t->taxonomy, "post_tag") == 0);
	if (!*t->slug || (!cat && !tag))
		return ERR_OK; /* menus, post formats, custom taxonomies */
	if (tag) {
		int64_t id;
		enum err rc = imp_tag_for(im, t->slug, t->name, &id);
		if (rc == ERR_OK && *t->id) /* menus name tags by term id */
			rc = map_set(im, "tag_id", t->id, id);
		return rc;
	}
	enum err nrc = imp_note_wpcat(im, t->slug, t->parent);
	if (nrc != ERR_OK)
		return nrc;
	int64_t have;
	if (strmap_get(&im->cats, t->slug, &have))
		return ERR_OK; /* a <wp:term> repeating a <wp:category> */
	for (size_t i = 0; i < im->npend; i++)
		if (strcmp(im->pend[i].slug, t->slug) == 0)
			return ERR_OK;
	if (im->npend == im->cappend) {
		size_t nc = im->cappend ? im->cappend * 2 : 64;
		struct pend_cat *np =
			arena_realloc(&im->keep, im->pend, im->cappend * sizeof *np, nc * sizeof *np);
		if (!np)
			return ERR_NOMEM;
		im->pend = np;
		im->cappend = nc;
	}
	struct pend_cat *pc = &im->pend[im->npend++];
	pc->id = arena_strdup(&im->keep, t->id);
	pc->slug = arena_strdup(&im->keep, t->slug);
	pc->parent = arena_strdup(&im->keep, t->parent);
	pc->name = arena_strdup(&im->keep, t->name);
	pc->description = arena_strdup(&im->keep, t->description);
	pc->line = t->line;
	if (im->keep.failed)
		return ERR_NOMEM;
	return imp_flush_categories(im, false);
}

enum err imp_category_for(struct imp *im, const char *wp_slug, const char *name, int64_t *id)
{
	if (strmap_get(&im->cats, wp_slug, id))
		return ERR_OK;
	/* used by an item but not declared: add it at the top level */
	struct pend_cat pc = {"", wp_slug, "", *name ? name : wp_slug, "", 0};
	bool ready;
	enum err rc = imp_note_wpcat(im, wp_slug, "");
	if (rc == ERR_OK)
		rc = put_category(im, &pc, true, &ready);
	if (rc == ERR_OK && !strmap_get(&im->cats, wp_slug, id))
		*id = 0;
	return rc;
}

enum err imp_tag_for(struct imp *im, const char *wp_slug, const char *name, int64_t *id)
{
	if (strmap_get(&im->tags, wp_slug, id))
		return ERR_OK;
	struct arena *a = &im->a;
	struct import_count *n = &im->res->n[IMP_TAG];
	const char *nm = *name ? name : wp_slug;
	enum err rc = map_get(im, "tag", wp_slug, id);
	struct tag t;
	if (rc != ERR_OK)
		return rc;
	if (*id) {
		n->unchanged++;
	} else {
		const char *slug = imp_slug(a, wp_slug, nm);
		if (!*slug)
			slug = arena_printf(a, "tag-%lld", (long long)(im->res->n[IMP_TAG].created + 1));
		/* another tag of this file came to the same slug: a suffix */
		int64_t made;
		const char *want = slug;
		for (int k = 2; slug && strmap_get(&im->tags_made, slug, &made) && k < 10000; k++)
			slug = arena_printf(a, "%s-%d", want, k);
		if (!slug)
			return ERR_NOMEM;
		if (STORE_CALL(im->st, tag_by_slug, a, slug, &t) == ERR_OK) {
			*id = t.id;
			n->unchanged++;
		} else {
			if (im->o->dry_run)
				*id = --im->fake_id;
			else
				rc = STORE_CALL(im->st, tag_add, slug, nm, id);
			n->created++;
			if (rc == ERR_OK && !strmap_put(&im->tags_made, &im->keep, slug, *id))
				rc = ERR_NOMEM;
		}
		if (rc == ERR_OK)
			rc = map_set(im, "tag", wp_slug, *id);
		if (rc == ERR_OK)
			rc = imp_tag_redirect(im, wp_slug, slug);
	}
	if (rc == ERR_OK && !strmap_put(&im->tags, &im->keep, wp_slug, *id))
		rc = ERR_NOMEM;
	return rc;
}

/* --- the writing pass ----------------------------------------------------- */

static enum err on_channel(void *ud, const struct wxr_channel *ch)
{
	struct imp *im = ud;
	const char *src = *ch->base_blog_url ? ch->base_blog_url : ch->link;
	if (!*src)
		src = "wordpress";
	size_t n = strlen(src);
	while (n > 1 && src[n - 1] == '/')
		n--;
	im->source = arena_strndup(&im->keep, src, n);
	im->gazette = ch->gazette;
	str_copy(im->res->source, im->source ? im->source : "", sizeof im->res->source);
	str_copy(im->res->version, ch->wxr_version, sizeof im->res->version);
	return im->source ? ERR_OK : ERR_NOMEM;
}

static enum err on_item(void *ud, const struct wxr_item *it)
{
	struct imp *im = ud;
	enum err rc = ERR_OK;
	if (!im->cats_flushed)
		rc = imp_flush_categories(im, true);
	if (rc == ERR_OK && !im->media_done) {
		im->media_done = true;
		rc = imp_media_all(im);
		arena_free(&im->a);
		arena_init(&im->a, 0);
	}
	im->res->items++;
	if (rc == ERR_OK)
		rc = imp_item(im, it);
	arena_free(&im->a);
	arena_init(&im->a, 0);
	return rc;
}

static enum err on_author_reset(void *ud, const struct wxr_author *au)
{
	struct imp *im = ud;
	enum err rc = put_author(im, au, true);
	arena_free(&im->a);
	arena_init(&im->a, 0);
	return rc;
}

static enum err on_term_reset(void *ud, const struct wxr_term *t)
{
	struct imp *im = ud;
	enum err rc = on_term(im, t);
	arena_free(&im->a);
	arena_init(&im->a, 0);
	return rc;
}

static enum err on_redirect(void *ud, const char *from, const char *to, int status, int line)
{
	struct imp *im = ud;
	(void)status; /* imported redirects are permanent */
	if (from[0] != '/' || (to[0] != '/' && strncmp(to, "http://", 7) != 0 &&
			       strncmp(to, "https://", 8) != 0)) {
		imp_warn(im, line, "redirect '%.80s' -> '%.80s' skipped (not a path)", from, to);
		im->res->n[IMP_REDIRECT].skipped++;
		return ERR_OK;
	}
	enum err rc = imp_redirect(im, from, to);
	arena_free(&im->a);
	arena_init(&im->a, 0);
	return rc;
}

static void on_progress(void *ud, uint64_t bytes)
{
	struct imp *im = ud;
	if (im->o->progress)
		im->o->progress(im->o->ud, bytes, im->total_bytes, im->res->items);
}

enum err import_wordpress(struct store *st, const struct import_opts *o,
			  struct import_result *res, char *errmsg, size_t errlen, int *errline)
{
	memset(res, 0, sizeof *res);
	*errline = 0;
	errmsg[0] = '\0';
	struct imp im;
	memset(&im, 0, sizeof im);
	arena_init(&im.keep, 0);
	im.col.a = &im.keep;
	enum err rc = check_file(o->path, &im.col, errmsg, errlen, errline);
	if (rc != ERR_OK) {
		arena_free(&im.keep);
		return rc;
	}
	im.st = st;
	im.o = o;
	im.res = res;
	im.now = clock_now();
	im.errmsg = errmsg;
	im.errlen = errlen;
	arena_init(&im.a, 0);
	struct stat sb;
	if (stat(o->path, &sb) == 0)
		im.total_bytes = (uint64_t)sb.st_size;
	im.permalink = arena_strdup(&im.keep, settings_get(st, &im.keep, "permalink"));
	res->wrote = !o->dry_run;
	struct wxr_handler h = {0};
	h.ud = &im;
	h.channel = on_channel;
	h.author = on_author_reset;
	h.term = on_term_reset;
	h.item = on_item;
	h.redirect = on_redirect;
	h.progress = on_progress;
	rc = wxr_read(o->path, &h, errmsg, errlen, errline);
	if (rc == ERR_OK && !im.cats_flushed)
		rc = imp_flush_categories(&im, true);
	if (rc == ERR_OK && !im.media_done) { /* a file without items */
		im.media_done = true;
		rc = imp_media_all(&im);
	}
	if (rc == ERR_OK)
		rc = imp_fixups(&im);
	if (rc == ERR_OK)
		rc = imp_feed_redirects(&im);
	if (rc == ERR_OK)
		rc = imp_category_redirects(&im);
	if (rc == ERR_OK)
		rc = imp_menu(&im);
	if (rc != ERR_OK && !errmsg[0])
		snprintf(errmsg, errlen, "import stopped: %s", err_str(rc));
	arena_free(&im.a);
	arena_free(&im.keep);
	return rc;
}
