/* sitemap.c - /sitemap.xml (a sitemap index), the sitemaps it lists
 * (/sitemap-posts-N.xml, -pages-, -categories-, -tags-, -authors-) and
 * /robots.txt pointing to the index.
 *
 * Only public content appears: published articles and pages (the home page
 * first among the pages), categories with public articles in them or below
 * them, tags and authors with public articles. Each sitemap holds at most
 * SITEMAP_MAX_URLS URLs and stays under SITEMAP_MAX_BYTES (the protocol's
 * 50,000 URLs / 50 MiB): a URL longer than SITEMAP_MAX_LOC bytes is left
 * out, which bounds every entry. Articles and pages are streamed from the
 * store oldest first, so new ones land in the last sitemap. */
#include <stdlib.h>
#include <string.h>

#include "content/permalink.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "render/xml.h"
#include "site/site.h"

#define SITEMAP_MAX_URLS 50000
#define SITEMAP_MAX_BYTES 52428800 /* 50 MiB, uncompressed */
#define SITEMAP_FRAME 256          /* the document around the entries, at most */
/* "<url><loc></loc><lastmod>" + a 25-byte date + "</lastmod></url>\n" */
#define SITEMAP_ENTRY_OVERHEAD 67
#define SITEMAP_MAX_LOC 980 /* escaped bytes of one URL */
_Static_assert(SITEMAP_FRAME + (long long)SITEMAP_MAX_URLS *
				       (SITEMAP_ENTRY_OVERHEAD + SITEMAP_MAX_LOC) <=
		       SITEMAP_MAX_BYTES,
	       "a full sitemap must fit in the protocol's size limit");

static const char urlset_head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				  "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
static const char index_head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				 "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";

enum sm_kind { SM_POSTS, SM_PAGES, SM_CATEGORIES, SM_TAGS, SM_AUTHORS, SM__MAX };
static const char *const sm_names[SM__MAX] = {"posts", "pages", "categories", "tags",
					      "authors"};

/* URLs per sitemap: the protocol's limit, or less for tests
 * (GAZETTE_SITEMAP_MAX_URLS, 1..50000). */
static int64_t max_urls(void)
{
	const char *v = getenv("GAZETTE_SITEMAP_MAX_URLS");
	int64_t n;
	if (v && str_to_i64(v, 1, SITEMAP_MAX_URLS, &n))
		return n;
	return SITEMAP_MAX_URLS;
}

int64_t sitemap_count(int64_t nurls, int64_t per)
{
	return per > 0 && nurls > 0 ? (nurls - 1) / per + 1 : 0;
}

struct writer {
	struct buf *b;
	struct view_ctx *ctx;
	struct arena scratch; /* per-row strings, recycled */
	size_t rows, skipped;
};

static void entry(struct writer *w, const char *path, int64_t lastmod)
{
	struct buf *b = w->b;
	size_t start = b->len;
	const char *o = w->ctx->origin ? w->ctx->origin : "";
	buf_puts(b, "<url><loc>");
	size_t loc = b->len;
	xml_escape(b, o, strlen(o), false);
	xml_escape(b, path, strlen(path), false);
	if (b->len - loc > SITEMAP_MAX_LOC) { /* too long for the size bound */
		b->len = start;
		if (b->data)
			b->data[start] = '\0';
		w->skipped++;
		return;
	}
	buf_puts(b, "</loc>");
	if (lastmod > 0) {
		char *t = time_iso(&w->scratch, lastmod);
		buf_printf(b, "<lastmod>%s</lastmod>", t ? t : "");
	}
	buf_puts(b, "</url>\n");
}

static void recycle(struct writer *w)
{
	if (++w->rows % 1024 == 0) {
		size_t cap = w->scratch.cap;
		arena_free(&w->scratch);
		arena_init(&w->scratch, cap);
	}
}

static void each_post(void *ud, const struct post *p)
{
	struct writer *w = ud;
	const char *path = permalink_for(&w->scratch, w->ctx->site.permalink, p);
	if (path)
		entry(w, path, p->updated_at > p->published_at ? p->updated_at : p->published_at);
	recycle(w);
}

/* Newest change of any public article (the home page's lastmod). */
static int64_t newest_article(struct view_ctx *ctx, int64_t per)
{
	int64_t *lm = NULL, best = 0;
	size_t n = 0;
	if (STORE_CALL(ctx->st, post_chunks, ctx->a, POST_ARTICLE, ctx->now, per, 0, &lm, &n) !=
	    ERR_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lm[i] > best)
			best = lm[i];
	return best;
}

struct item {
	const char *path;
	int64_t lastmod;
};

/* Categories, tags or authors with public articles, as URLs. */
static enum err term_items(struct view_ctx *ctx, enum sm_kind kind, struct item **out,
			   size_t *n)
{
	struct arena *a = ctx->a;
	enum term_kind tk = kind == SM_CATEGORIES ? TERM_CATEGORY
			    : kind == SM_TAGS     ? TERM_TAG
						  : TERM_AUTHOR;
	struct term_mod *ts;
	size_t nt;
	enum err rc = STORE_CALL(ctx->st, term_lastmods, a, tk, ctx->now, &ts, &nt);
	if (rc != ERR_OK)
		return rc;
	if (tk == TERM_CATEGORY) {
		/* A category's archive includes its sub-categories: children come
		 * after parents, so walking backwards carries dates up the tree. */
		for (size_t i = nt; i-- > 0;) {
			if (!ts[i].lastmod || !ts[i].parent_id)
				continue;
			for (size_t j = 0; j < i; j++)
				if (ts[j].id == ts[i].parent_id) {
					if (ts[i].lastmod > ts[j].lastmod)
						ts[j].lastmod = ts[i].lastmod;
					break;
				}
		}
	}
	static const char *const fmt[SM__MAX] = {
		[SM_CATEGORIES] = "/category/%s/", [SM_TAGS] = "/tag/%s/",
		[SM_AUTHORS] = "/author/%s/"};
	struct item *it = nt ? ARENA_ARRAY(a, struct item, nt) : NULL;
	if (nt && !it)
		return ERR_NOMEM;
	size_t k = 0;
	for (size_t i = 0; i < nt; i++) {
		if (!ts[i].lastmod)
			continue;
		it[k].path = arena_printf(a, fmt[kind], ts[i].key);
		it[k].lastmod = ts[i].lastmod;
		k++;
	}
	*out = it;
	*n = k;
	return a->failed ? ERR_NOMEM : ERR_OK;
}

/* Number of sitemaps of a kind and each one's lastmod. */
static enum err chunks(struct view_ctx *ctx, enum sm_kind kind, int64_t per, int64_t **lm,
		       size_t *n)
{
	struct arena *a = ctx->a;
	if (kind == SM_POSTS)
		return STORE_CALL(ctx->st, post_chunks, a, POST_ARTICLE, ctx->now, per, 0, lm, n);
	if (kind == SM_PAGES) { /* the home page, then the pages */
		enum err rc = STORE_CALL(ctx->st, post_chunks, a, POST_PAGE, ctx->now, per, 1, lm, n);
		if (rc != ERR_OK)
			return rc;
		if (*n == 0) {
			*lm = ARENA_NEW(a, int64_t);
			if (!*lm)
				return ERR_NOMEM;
			*n = 1;
		}
		int64_t home = newest_article(ctx, per);
		if (home > (*lm)[0])
			(*lm)[0] = home;
		return ERR_OK;
	}
	struct item *it;
	size_t ni;
	enum err rc = term_items(ctx, kind, &it, &ni);
	if (rc != ERR_OK)
		return rc;
	*n = (size_t)sitemap_count((int64_t)ni, per);
	*lm = *n ? ARENA_ARRAY(a, int64_t, *n) : NULL;
	if (*n && !*lm)
		return ERR_NOMEM;
	for (size_t i = 0; i < ni; i++) {
		size_t c = i / (size_t)per;
		if (it[i].lastmod > (*lm)[c])
			(*lm)[c] = it[i].lastmod;
	}
	return ERR_OK;
}

/* What every sitemap shows: public posts (any publish, edit or unpublish
 * purges "list:home"), tag slugs; categories purge everything. */
static void depend(struct req *r, struct resp *rs)
{
	resp_depend(r, rs, "list:home");
	resp_depend(r, rs, "list:tags");
}

enum err site_sitemap_index(struct req *r, struct resp *rs)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	int64_t per = max_urls();
	depend(r, rs);
	struct buf *b = &rs->body;
	buf_puts(b, index_head);
	for (int k = 0; k < SM__MAX; k++) {
		int64_t *lm;
		size_t n;
		if ((rc = chunks(&ctx, (enum sm_kind)k, per, &lm, &n)) != ERR_OK)
			return rc;
		for (size_t i = 0; i < n; i++) {
			buf_puts(b, "<sitemap><loc>");
			const char *loc = view_abs(&ctx, arena_printf(r->arena, "/sitemap-%s-%zu.xml",
								   sm_names[k], i + 1));
			if (!loc)
				return ERR_NOMEM;
			xml_escape(b, loc, strlen(loc), false);
			buf_puts(b, "</loc>");
			if (lm[i] > 0)
				buf_printf(b, "<lastmod>%s</lastmod>", time_iso(r->arena, lm[i]));
			buf_puts(b, "</sitemap>\n");
		}
	}
	buf_puts(b, "</sitemapindex>\n");
	return site_send_xml(r, rs, &ctx, "application/xml; charset=utf-8", 0);
}

/* "sitemap-KIND-N.xml" -> kind, N (1-based, no leading zero). */
static bool parse_name(const char *name, enum sm_kind *kind, int64_t *num)
{
	if (!str_starts(name, "sitemap-") || !str_ends(name, ".xml"))
		return false;
	const char *k = name + strlen("sitemap-");
	const char *dash = strrchr(k, '-');
	if (!dash || dash == k)
		return false;
	char digits[24];
	size_t nd = strlen(dash + 1) - strlen(".xml");
	if (nd == 0 || nd >= sizeof digits || dash[1] == '0')
		return false;
	memcpy(digits, dash + 1, nd);
	digits[nd] = '\0';
	for (size_t i = 0; i < nd; i++)
		if (digits[i] < '0' || digits[i] > '9')
			return false;
	if (!str_to_i64(digits, 1, INT64_MAX / SITEMAP_MAX_URLS, num))
		return false;
	for (int i = 0; i < SM__MAX; i++)
		if (strlen(sm_names[i]) == (size_t)(dash - k) &&
		    memcmp(sm_names[i], k, (size_t)(dash - k)) == 0) {
			*kind = (enum sm_kind)i;
			return true;
		}
	return false;
}

enum err site_sitemap(struct req *r, struct resp *rs)
{
	enum sm_kind kind;
	int64_t num;
	if (!parse_name(r->params[0], &kind, &num))
		return ERR_NOTFOUND;
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	int64_t per = max_urls();
	int64_t *lm;
	size_t n;
	if ((rc = chunks(&ctx, kind, per, &lm, &n)) != ERR_OK)
		return rc;
	if (num > (int64_t)n)
		return ERR_NOTFOUND; /* past the end, or a kind with nothing in it */
	depend(r, rs);
	struct writer w = {.b = &rs->body, .ctx = &ctx};
	arena_init(&w.scratch, 1 << 20);
	buf_puts(w.b, urlset_head);
	int64_t first = (num - 1) * per; /* index of the first URL in this sitemap */
	if (kind == SM_POSTS || kind == SM_PAGES) {
		enum post_type type = kind == SM_POSTS ? POST_ARTICLE : POST_PAGE;
		int64_t offset = first, limit = per;
		if (kind == SM_PAGES) { /* the home page is URL 0 */
			if (num == 1) {
				entry(&w, "/", lm[0]);
				limit--;
			} else {
				offset--;
			}
		}
		if (limit > 0)
			rc = STORE_CALL(ctx.st, post_each_public, type, ctx.now, offset, limit,
					each_post, &w);
	} else {
		struct item *it;
		size_t ni;
		rc = term_items(&ctx, kind, &it, &ni);
		for (int64_t i = first; rc == ERR_OK && i < first + per && i < (int64_t)ni; i++)
			entry(&w, it[i].path, it[i].lastmod);
	}
	arena_free(&w.scratch);
	if (rc != ERR_OK)
		return rc;
	if (w.skipped)
		log_warn("%s: %zu URLs longer than %d bytes left out", r->path, w.skipped,
			 SITEMAP_MAX_LOC);
	buf_puts(w.b, "</urlset>\n");
	return site_send_xml(r, rs, &ctx, "application/xml; charset=utf-8", 0);
}

enum err site_robots(struct req *r, struct resp *rs)
{
	struct view_ctx ctx;
	enum err rc = site_begin(r, &ctx);
	if (rc != ERR_OK)
		return rc;
	buf_printf(&rs->body, "User-agent: *\nDisallow: /search\n\nSitemap: %s\n",
		   view_abs(&ctx, "/sitemap.xml"));
	return site_send_xml(r, rs, &ctx, "text/plain; charset=utf-8", 0);
}
