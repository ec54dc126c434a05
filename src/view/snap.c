/* snap.c - the per-thread site snapshot (snap.h): built from the store,
 * checked against the change log on every page. */
#include "view/snap.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "content/permalink.h"
#include "view/view.h"

struct held {
	struct site_snap *cur, *retired;
};

static pthread_key_t held_key;
static pthread_once_t held_once = PTHREAD_ONCE_INIT;

static void snap_free(struct site_snap *s)
{
	if (!s)
		return;
	struct arena a = s->arena; /* s lives in it */
	arena_free(&a);
}

static void free_retired(struct held *h)
{
	while (h->retired) {
		struct site_snap *next = h->retired->next;
		snap_free(h->retired);
		h->retired = next;
	}
}

/* At a worker thread's exit. */
static void held_free(void *p)
{
	struct held *h = p;
	free_retired(h);
	snap_free(h->cur);
	free(h);
}

static void held_key_make(void)
{
	pthread_key_create(&held_key, held_free);
}

static struct held *held(bool create)
{
	pthread_once(&held_once, held_key_make);
	struct held *h = pthread_getspecific(held_key);
	if (!h && create) {
		h = calloc(1, sizeof *h);
		if (h && pthread_setspecific(held_key, h) != 0) {
			free(h);
			h = NULL;
		}
	}
	return h;
}

/* Settings into site info, with the defaults and bounds pages rely on. */
static void site_info_from(struct site_info *s, const struct settings_snapshot *snap)
{
	s->title = settings_snap_get(snap, "title");
	s->tagline = settings_snap_get(snap, "tagline");
	s->description = settings_snap_get(snap, "description");
	s->base_url = settings_snap_get(snap, "base_url");
	s->permalink = settings_snap_get(snap, "permalink");
	s->lang = settings_snap_get(snap, "language");
	s->per_page = settings_snap_int(snap, "posts_per_page");
	if (s->per_page < 1 || s->per_page > 100)
		s->per_page = 10;
	s->feed_items = settings_snap_int(snap, "feed_items");
	if (s->feed_items < 1 || s->feed_items > 100)
		s->feed_items = 10;
	s->feed_full_text = settings_snap_int(snap, "feed_full_text") != 0;
	if (!permalink_valid(s->permalink))
		s->permalink = "/%year%/%month%/%slug%/";
}

static int by_id(const void *x, const void *y)
{
	int64_t a = ((const struct snap_cat_ref *)x)->id, b = ((const struct snap_cat_ref *)y)->id;
	return (a > b) - (a < b);
}

static int author_by_id(const void *x, const void *y)
{
	int64_t a = ((const struct snap_author *)x)->id, b = ((const struct snap_author *)y)->id;
	return (a > b) - (a < b);
}

/* Every user's id, login and name (read with the rest of their row into a
 * scratch arena: the snapshot keeps no e-mail address or password hash). */
static enum err load_authors(struct store *st, struct arena *a, struct site_snap *s)
{
	struct arena tmp;
	arena_init(&tmp, 0);
	struct user *us = NULL;
	size_t n = 0;
	enum err rc = STORE_CALL(st, user_list, &tmp, &us, &n);
	if (rc == ERR_OK && n) {
		s->authors = ARENA_ARRAY(a, struct snap_author, n);
		if (!s->authors)
			rc = ERR_NOMEM;
		for (size_t i = 0; rc == ERR_OK && i < n; i++) {
			s->authors[i].id = us[i].id;
			s->authors[i].login = arena_strdup(a, us[i].login ? us[i].login : "");
			s->authors[i].name = arena_strdup(a, us[i].display_name ? us[i].display_name : "");
		}
		if (rc == ERR_OK) {
			s->nauthors = n;
			qsort(s->authors, n, sizeof *s->authors, author_by_id);
		}
	}
	arena_free(&tmp);
	return rc;
}

static enum err build(struct store *st, int64_t now, int64_t id, int64_t at,
		      struct site_snap **out)
{
	struct arena a;
	arena_init(&a, 0);
	struct site_snap *s = ARENA_NEW(&a, struct site_snap);
	if (!s) {
		arena_free(&a);
		return ERR_NOMEM;
	}
	s->st = st;
	s->change_id = id;
	s->change_at = at;
	s->built_at = now;
	enum err rc = settings_load(st, &a, &s->settings);
	if (rc == ERR_OK) {
		site_info_from(&s->site, &s->settings);
		rc = STORE_CALL(st, category_list, &a, 0, &s->cats, &s->ncats);
	}
	if (rc == ERR_OK && s->ncats) {
		s->cat_urls = ARENA_ARRAY(&a, const char *, s->ncats);
		s->cat_by_id = ARENA_ARRAY(&a, struct snap_cat_ref, s->ncats);
		if (!s->cat_urls || !s->cat_by_id) {
			rc = ERR_NOMEM;
		} else {
			for (size_t i = 0; i < s->ncats; i++) {
				s->cat_urls[i] = arena_printf(&a, "/category/%s/", s->cats[i].path);
				s->cat_by_id[i].id = s->cats[i].id;
				s->cat_by_id[i].at = i;
			}
			qsort(s->cat_by_id, s->ncats, sizeof *s->cat_by_id, by_id);
		}
	}
	if (rc == ERR_OK)
		rc = load_authors(st, &a, s);
	if (rc == ERR_OK) {
		struct view_ctx ctx = {.a = &a, .st = st, .now = now, .site = s->site};
		s->nnav = view_nav_build(&ctx, s->cats, s->ncats, &s->nav);
		s->nav_val = view_nav_list(&a, s->nav, s->nnav, NULL);
		s->feeds_val = view_site_feeds(&ctx);
		view_snap_jsonld(&ctx, s);
	}
	if (rc == ERR_OK && a.failed)
		rc = ERR_NOMEM;
	if (rc != ERR_OK) {
		arena_free(&a);
		return rc;
	}
	s->arena = a;
	*out = s;
	return ERR_OK;
}

enum err snap_current(struct store *st, int64_t now, const struct site_snap **out)
{
	int64_t id = 0, at = 0;
	enum err rc = STORE_CALL(st, change_last, &id, &at);
	if (rc != ERR_OK)
		return rc;
	struct held *h = held(true);
	if (!h)
		return ERR_NOMEM;
	struct site_snap *cur = h->cur;
	if (cur && cur->st == st && cur->change_id == id && cur->change_at == at &&
	    now >= cur->built_at && now - cur->built_at < SNAP_MAX_AGE) {
		*out = cur;
		return ERR_OK;
	}
	struct site_snap *fresh = NULL;
	rc = build(st, now, id, at, &fresh);
	if (rc != ERR_OK)
		return rc;
	if (cur) {
		cur->next = h->retired;
		h->retired = cur;
	}
	h->cur = fresh;
	*out = fresh;
	return ERR_OK;
}

const struct site_snap *snap_last(struct store *st)
{
	struct held *h = held(false);
	return h && h->cur && h->cur->st == st ? h->cur : NULL;
}

void snap_request_done(void)
{
	struct held *h = held(false);
	if (h)
		free_retired(h);
}

const struct snap_author *snap_author(const struct site_snap *s, int64_t id)
{
	size_t lo = 0, hi = s->nauthors;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->authors[mid].id == id)
			return &s->authors[mid];
		if (s->authors[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct category *snap_category(const struct site_snap *s, int64_t id, const char **url)
{
	size_t lo = 0, hi = s->ncats;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct snap_cat_ref *r = &s->cat_by_id[mid];
		if (r->id == id) {
			if (url)
				*url = s->cat_urls[r->at];
			return &s->cats[r->at];
		}
		if (r->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
