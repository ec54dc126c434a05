/* search.c - /search (a page) and /search.json (for scripts).
 *
 * Parameters: q (the query, any text), page (1..), per_page (JSON only,
 * 1..100, clamped), and filters: category (slug or path, with its
 * sub-categories), tag (slug), author (login), from and to (dates, to
 * inclusive). An unknown category, tag or author finds nothing. A query
 * with nothing searchable in it answers "not understood"; a malformed page
 * number or date is a 400; no query ever makes a 500. */
#include <string.h>

#include "core/str.h"
#include "core/time.h"
#include "render/json.h"
#include "search/query.h"
#include "search/snippet.h"
#include "search/suggest.h"
#include "site/site.h"

#define QUERY_MAX 2000 /* bytes of the query we read; the rest is ignored */

struct search_run {
	const char *q;
	const char *keep; /* the filter parameters, for page links ("" or "&tag=x...") */
	struct search_request req;
	struct search_query parsed;
	int64_t page, per_page, total;
	struct search_hit *hits;
	size_t n;
	const char *suggestion; /* "did you mean", when nothing was found */
};

/* A date parameter: YYYY-MM-DD (or full ISO-8601); `end` moves a plain
 * date to the end of that day, so "to" is inclusive. */
static bool date_param(const char *v, bool end, int64_t *out)
{
	if (!time_parse_iso(v, out))
		return false;
	if (end && strlen(v) == 10)
		*out += 86400;
	return true;
}

/* Nothing found: "did you mean", offered only when it finds something. */
static enum err suggest(struct req *r, struct view_ctx *ctx, struct search_run *s)
{
	const char *alt = NULL;
	enum err rc = search_suggest(ctx->st, r->arena, s->q, &alt);
	if (rc != ERR_OK || !alt)
		return rc;
	struct search_query parsed;
	if ((rc = search_parse(r->arena, alt, &parsed)) != ERR_OK || !parsed.match)
		return rc;
	struct search_request sr = s->req;
	sr.match = parsed.match;
	sr.now = ctx->now;
	sr.limit = 1;
	struct search_hit *hits;
	size_t n;
	int64_t total = 0;
	rc = STORE_CALL(ctx->st, search, r->arena, &sr, &hits, &n, &total);
	if (rc == ERR_INVALID || rc == ERR_LIMIT)
		return ERR_OK;
	if (rc == ERR_OK && total > 0)
		s->suggestion = alt;
	return rc;
}

static enum err filters(struct req *r, struct view_ctx *ctx, struct search_run *s)
{
	struct arena *a = r->arena;
	const char *cat = req_query(r, "category"), *tag = req_query(r, "tag");
	const char *author = req_query(r, "author"), *from = req_query(r, "from");
	const char *to = req_query(r, "to");
	s->keep = "";
	if (cat && *cat) {
		struct category c;
		enum err rc = strchr(cat, '/') ? STORE_CALL(ctx->st, category_by_path, a, cat, &c)
					       : STORE_CALL(ctx->st, category_by_slug, a, cat, &c);
		if (rc != ERR_OK && rc != ERR_NOTFOUND)
			return rc;
		s->req.category_id = rc == ERR_OK ? c.id : -1; /* unknown: finds nothing */
		s->keep = arena_printf(a, "%s&category=%s", s->keep, str_url_encode(a, cat));
	}
	if (tag && *tag) {
		struct tag t;
		enum err rc = STORE_CALL(ctx->st, tag_by_slug, a, tag, &t);
		if (rc != ERR_OK && rc != ERR_NOTFOUND)
			return rc;
		s->req.tag_id = rc == ERR_OK ? t.id : -1;
		s->keep = arena_printf(a, "%s&tag=%s", s->keep, str_url_encode(a, tag));
	}
	if (author && *author) {
		struct user u;
		enum err rc = STORE_CALL(ctx->st, user_by_login, a, author, &u);
		if (rc != ERR_OK && rc != ERR_NOTFOUND)
			return rc;
		s->req.author_id = rc == ERR_OK ? u.id : -1;
		s->keep = arena_printf(a, "%s&author=%s", s->keep, str_url_encode(a, author));
	}
	if (from && *from) {
		if (!date_param(from, false, &s->req.from))
			return ERR_INVALID;
		s->keep = arena_printf(a, "%s&from=%s", s->keep, str_url_encode(a, from));
	}
	if (to && *to) {
		if (!date_param(to, true, &s->req.to))
			return ERR_INVALID;
		s->keep = arena_printf(a, "%s&to=%s", s->keep, str_url_encode(a, to));
	}
	return s->keep ? ERR_OK : ERR_NOMEM;
}

static enum err run(struct req *r, struct view_ctx *ctx, struct search_run *s, int64_t per_max)
{
	s->q = req_query(r, "q");
	if (!s->q)
		s->q = "";
	if (strlen(s->q) > QUERY_MAX) {
		size_t n = QUERY_MAX;
		while (n > 0 && ((unsigned char)s->q[n] & 0xC0) == 0x80)
			n--; /* cut on a character boundary */
		s->q = arena_strndup(r->arena, s->q, n);
		if (!s->q)
			return ERR_NOMEM;
	}
	s->page = 1;
	const char *pg = req_query(r, "page");
	if (pg && !str_to_i64(pg, 1, 1000000, &s->page))
		return ERR_INVALID;
	s->per_page = ctx->site.per_page;
	const char *pp = req_query(r, "per_page");
	if (pp && per_max) {
		if (!str_to_i64(pp, INT64_MIN, INT64_MAX, &s->per_page))
			return ERR_INVALID;
		if (s->per_page < 1)
			s->per_page = 1;
		if (s->per_page > per_max)
			s->per_page = per_max;
	}
	enum err rc = filters(r, ctx, s);
	if (rc != ERR_OK)
		return rc;
	rc = search_parse(r->arena, s->q, &s->parsed);
	if (rc != ERR_OK || !s->parsed.match)
		return rc;
	struct search_request sr = s->req;
	sr.match = s->parsed.match;
	sr.positive = s->parsed.npositive;
	sr.match_all = s->parsed.match_all;
	sr.now = ctx->now;
	sr.offset = (s->page - 1) * s->per_page;
	sr.limit = s->per_page;
	rc = STORE_CALL(ctx->st, search, r->arena, &sr, &s->hits, &s->n, &s->total);
	if (rc == ERR_INVALID || rc == ERR_LIMIT) {
		/* refused by the index, or too broad to answer in our budget: say
		 * so, never a 500 */
		s->parsed.understood = false;
		s->n = 0;
		s->total = 0;
		return ERR_OK;
	}
	if (rc == ERR_OK && s->page > 1 && sr.offset >= s->total)
		return ERR_NOTFOUND;
	if (rc == ERR_OK && s->total == 0 && s->page == 1)
		rc = suggest(r, ctx, s);
	return rc;
}

static const char *page_url(struct arena *a, const struct search_run *s, int64_t page)
{
	const char *eq = str_url_encode(a, s->q);
	return page > 1 ? arena_printf(a, "/search?q=%s%s&page=%lld", eq, s->keep, (long long)page)
			: arena_printf(a, "/search?q=%s%s", eq, s->keep);
}

/* Both answers: the page context and the search itself. */
static enum err begin(struct req *r, struct view_ctx *ctx, struct search_run *s, int64_t per_max)
{
	enum err rc = site_begin(r, ctx);
	return rc != ERR_OK ? rc : run(r, ctx, s, per_max);
}

enum err site_search(struct req *r, struct resp *rs)
{
	struct view_ctx ctx;
	struct search_run s = {0};
	enum err rc = begin(r, &ctx, &s, 0);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = r->arena;
	resp_depend(r, rs, "list:search");
	struct tval *root = view_page(&ctx, NULL), *sv = tval_map(a), *list = tval_list(a);
	bool has_query = *str_trim(arena_strdup(a, s.q)) != '\0';
	tval_set_str(a, sv, "query", s.q);
	tval_set_int(a, sv, "total", s.total);
	tval_set_str(a, sv, "total_label",
		     s.total == 0   ? ""
		     : s.total == 1 ? "1 result"
				    : arena_printf(a, "%lld results", (long long)s.total));
	tval_set_bool(a, sv, "has_query", has_query);
	tval_set_bool(a, sv, "understood", !has_query || s.parsed.understood);
	if (s.suggestion) {
		tval_set_str(a, sv, "suggestion", s.suggestion);
		tval_set_str(a, sv, "suggestion_url",
			     arena_printf(a, "/search?q=%s%s", str_url_encode(a, s.suggestion),
					  s.keep));
	}
	for (size_t i = 0; i < s.n; i++) {
		struct tval *v = view_post(&ctx, &s.hits[i].post, false);
		tval_set_html(a, v, "snippet", search_snippet_html(a, s.hits[i].snippet));
		tval_push(a, list, v);
		resp_depend_id(r, rs, "post", s.hits[i].post.id);
		resp_depend_id(r, rs, "user", s.hits[i].post.author_id);
	}
	tval_set(a, root, "search", sv);
	tval_set(a, root, "results", list);
	/* pagination links keep the query */
	int64_t pages = (s.total + s.per_page - 1) / s.per_page;
	view_pager(&ctx, root, s.page, pages, s.page > 1 ? page_url(a, &s, s.page - 1) : "",
		   s.page < pages ? page_url(a, &s, s.page + 1) : "");
	tval_set_str(a, root, "page_title",
		     has_query ? arena_printf(a, "Search: %s \xE2\x80\x93 %s", s.q, ctx.site.title)
			       : arena_printf(a, "Search \xE2\x80\x93 %s", ctx.site.title));
	resp_header(rs, "X-Robots-Tag", "noindex");
	return site_render(r, rs, &ctx, "search", root);
}

enum err site_search_json(struct req *r, struct resp *rs)
{
	struct view_ctx ctx;
	struct search_run s = {0};
	enum err rc = begin(r, &ctx, &s, 100);
	if (rc != ERR_OK)
		return rc;
	struct arena *a = r->arena;
	struct json *doc = json_obj(), *results = json_arr();
	json_set_str(doc, "query", s.q);
	json_set(doc, "total", json_int(s.total));
	json_set(doc, "page", json_int(s.page));
	json_set(doc, "per_page", json_int(s.per_page));
	json_set(doc, "understood", json_flag(s.parsed.understood || !*s.q));
	if (s.suggestion)
		json_set_str(doc, "suggestion", s.suggestion);
	for (size_t i = 0; i < s.n; i++) {
		const struct post *p = &s.hits[i].post;
		struct json *o = json_obj();
		json_set_str(o, "title", p->title);
		json_set_str(o, "url", view_post_url(&ctx, p));
		json_set_str(o, "slug", p->slug);
		json_set_str(o, "date", time_iso(a, p->published_at));
		json_set_str(o, "snippet", search_snippet_html(a, s.hits[i].snippet));
		json_set(o, "score", json_num(s.hits[i].score));
		json_push(results, o);
		resp_depend_id(r, rs, "post", p->id);
	}
	json_set(doc, "results", results);
	const char *text = json_text(a, doc);
	if (!text)
		return ERR_NOMEM;
	buf_puts(&rs->body, text);
	rs->content_type = "application/json; charset=utf-8";
	resp_depend(r, rs, "list:search");
	rs->cacheable = true;
	return ERR_OK;
}
