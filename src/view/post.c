/* post.c - a post as template data, and breadcrumbs. */
#include <string.h>

#include "content/permalink.h"
#include "core/time.h"
#include "media/media.h"
#include "render/jsonw.h"
#include "view/view.h"

const char *view_post_url(struct view_ctx *ctx, const struct post *p)
{
	return permalink_for(ctx->a, ctx->site.permalink, p);
}

/* `image`: the featured image with every stored width in srcset. */
static void view_post_featured(struct view_ctx *ctx, struct tval *v, const struct post *p)
{
	struct arena *a = ctx->a;
	struct media m;
	if (p->featured_media_id <= 0 ||
	    STORE_CALL(ctx->st, media_get, a, p->featured_media_id, &m) != ERR_OK)
		return;
	struct tval *img = tval_map(a);
	const char *url = media_url(a, m.path);
	/* narrowest first, the original last (stored URLs hold no spaces or
	 * commas, so the list is unambiguous) */
	const char *srcset = "";
	for (size_t i = 0; i < m.nvariants; i++)
		srcset = arena_printf(a, "%s%s %lldw, ", srcset, media_url(a, m.variants[i].path),
				      (long long)m.variants[i].width);
	srcset = arena_printf(a, "%s%s %lldw", srcset, url, (long long)m.width);
	tval_set_str(a, img, "url", url);
	tval_set_str(a, img, "srcset", srcset);
	tval_set_str(a, img, "sizes", "(max-width: 800px) 100vw, 800px");
	tval_set_str(a, img, "alt", m.alt);
	tval_set_int(a, img, "width", m.width);
	tval_set_int(a, img, "height", m.height);
	tval_set_str(a, img, "mime", m.mime);
	tval_set(a, v, "image", img);
}

/* `category`: an article's category name and archive URL. */
static void view_post_category(struct view_ctx *ctx, struct tval *v, const struct post *p)
{
	struct arena *a = ctx->a;
	if (!p->category_path || p->type != POST_ARTICLE)
		return;
	/* the snapshot's URL when the names are the snapshot's (view_post_names) */
	const char *url = NULL;
	const struct category *c =
		ctx->snap ? snap_category(ctx->snap, p->category_id, &url) : NULL;
	struct tval *cat = tval_map(a);
	tval_set_str(a, cat, "name", p->category_name);
	if (c && c->path == p->category_path)
		tval_set(a, cat, "url", tval_str_ref(a, url));
	else
		tval_set_str(a, cat, "url", ARENA_CAT(a, "/category/", p->category_path, "/"));
	tval_set(a, v, "category", cat);
}

struct tval *view_post(struct view_ctx *ctx, const struct post *p, bool with_body)
{
	struct arena *a = ctx->a;
	/* the card's fields (title, url, date, category, image), then the rest */
	struct tval *v = view_post_card(ctx, p);
	/* The author's excerpt, else the summary derived when the post was
	 * saved (never Markdown parsed at request time). */
	const char *excerpt = p->excerpt && *p->excerpt ? p->excerpt : p->summary;
	tval_set_str(a, v, "excerpt", excerpt ? excerpt : "");
	bool updated = p->updated_at > p->published_at + 3600;
	tval_set_bool(a, v, "updated", updated);
	tval_set_str(a, v, "updated_iso", time_iso(a, p->updated_at));
	tval_set_str(a, v, "updated_human", time_human(a, p->updated_at));
	struct tval *author = tval_map(a);
	tval_set_str(a, author, "name", p->author_name ? p->author_name : "");
	tval_set_str(a, author, "url",
		     p->author_login ? ARENA_CAT(a, "/author/", p->author_login, "/") : "");
	tval_set(a, v, "author", author);
	tval_set_int(a, v, "comment_count", p->comment_count);
	tval_set_str(a, v, "comments_label", view_comments_label(a, p->comment_count));
	tval_set_bool(a, v, "sticky", p->sticky);
	if (with_body) {
		/* the page's biggest string: referred to, not copied (p
		 * outlives the tree, as view.h says) */
		tval_set(a, v, "body_html", tval_html_ref(a, p->body_html ? p->body_html : ""));
		view_post_tags(ctx, v, NULL, 0);
	}
	return v;
}

void view_post_names(struct view_ctx *ctx, struct post *p)
{
	if (!ctx->snap)
		return;
	const struct snap_author *u = snap_author(ctx->snap, p->author_id);
	p->author_login = u ? u->login : NULL;
	p->author_name = u ? u->name : NULL;
	const struct category *c = snap_category(ctx->snap, p->category_id, NULL);
	p->category_slug = c ? c->slug : NULL;
	p->category_name = c ? c->name : NULL;
	p->category_path = c ? c->path : NULL;
}

struct tval *view_post_card(struct view_ctx *ctx, const struct post *p)
{
	struct arena *a = ctx->a;
	struct tval *v = tval_map(a);
	tval_set_int(a, v, "id", p->id);
	tval_set_str(a, v, "title", p->title);
	tval_set_str(a, v, "url", view_post_url(ctx, p));
	tval_set_str(a, v, "date_iso", time_iso(a, p->published_at));
	tval_set_str(a, v, "date_human", time_human(a, p->published_at));
	view_post_category(ctx, v, p);
	view_post_featured(ctx, v, p);
	return v;
}

void view_post_tags(struct view_ctx *ctx, struct tval *post, const struct tag *ts, size_t n)
{
	struct arena *a = ctx->a;
	struct tval *tags = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tval *t = tval_map(a);
		tval_set_str(a, t, "name", ts[i].name);
		tval_set_str(a, t, "url", ARENA_CAT(a, "/tag/", ts[i].slug, "/"));
		tval_push(a, tags, t);
	}
	tval_set(a, post, "tags", tags);
	tval_set_bool(a, post, "has_tags", n > 0);
}

size_t view_category_crumbs(struct view_ctx *ctx, int64_t category_id, struct crumb *out,
			    size_t max)
{
	/* Walk up to the root, then reverse. Depth is bounded by max. */
	struct crumb chain[16];
	size_t n = 0;
	int64_t id = category_id;
	/* with each category's item from the snapshot when it has them */
	bool ld = view_snap_ld_usable(ctx) && ctx->snap->cat_ld;
	while (id && n < 16 && ctx->snap) {
		const char *url = NULL;
		const struct category *c = snap_category(ctx->snap, id, &url);
		if (!c)
			break;
		size_t at = (size_t)(c - ctx->snap->cats);
		chain[n++] = (struct crumb){.name = c->name, .url = url,
					    .ld = ld ? ctx->snap->cat_ld[at] : NULL,
					    .ld_pos = ld ? ctx->snap->cat_ld_pos[at] : 0};
		id = c->parent_id;
	}
	size_t k = 0;
	if (k < max) {
		out[k] = (struct crumb){.name = "Home", .url = "/",
					.ld = ld ? ctx->snap->ld_home : NULL, .ld_pos = 1};
		k++;
	}
	while (n > 0 && k < max)
		out[k++] = chain[--n];
	return k;
}

/* One BreadcrumbList item. */
static void crumb_item(struct jsonw *w, struct view_ctx *ctx, size_t pos, const char *name,
		       const char *url)
{
	jsonw_obj(w, NULL);
	jsonw_raw(w, "@type", "\"ListItem\"");
	jsonw_int(w, "position", (int64_t)pos);
	jsonw_str(w, "name", name);
	jsonw_str(w, "item", view_abs(ctx, url));
	jsonw_end(w);
}

static const char *crumb_item_text(struct view_ctx *ctx, size_t pos, const char *name,
				   const char *url)
{
	struct jsonw w;
	jsonw_init(&w);
	crumb_item(&w, ctx, pos, name, url);
	return jsonw_finish(&w, ctx->a);
}

bool view_snap_ld_usable(const struct view_ctx *ctx)
{
	return ctx->snap && ctx->snap->ld_origin && ctx->origin &&
	       strcmp(ctx->origin, ctx->snap->ld_origin) == 0;
}

/* A category's position in its own crumbs (Home, then the ancestors from
 * the root), or 0 past view_category_crumbs' depth. */
static size_t crumb_position(const struct site_snap *s, const struct category *c)
{
	size_t depth = 0;
	for (int64_t id = c->parent_id; id; depth++) {
		const struct category *up = depth < 16 ? snap_category(s, id, NULL) : NULL;
		if (!up)
			return 0;
		id = up->parent_id;
	}
	return depth + 2;
}

void view_snap_jsonld(struct view_ctx *ctx, struct site_snap *s)
{
	if (!ctx->site.base_url || !*ctx->site.base_url)
		return; /* the origin is each request's own */
	ctx->origin = ctx->site.base_url;
	s->ld_home = crumb_item_text(ctx, 1, "Home", "/");
	s->ld_publisher = view_publisher_jsonld(ctx);
	if (s->ncats) {
		s->cat_ld = ARENA_ARRAY(ctx->a, const char *, s->ncats);
		s->cat_ld_pos = ARENA_ARRAY(ctx->a, size_t, s->ncats);
		if (!s->cat_ld || !s->cat_ld_pos)
			return;
		for (size_t i = 0; i < s->ncats; i++) {
			size_t pos = crumb_position(s, &s->cats[i]);
			if (pos) {
				s->cat_ld[i] = crumb_item_text(ctx, pos, s->cats[i].name,
							       s->cat_urls[i]);
				s->cat_ld_pos[i] = pos;
			}
		}
	}
	if (s->ld_home && s->ld_publisher)
		s->ld_origin = ctx->site.base_url;
}

struct tval *view_breadcrumb(struct view_ctx *ctx, const struct crumb *c, size_t n,
			     const char **jsonld)
{
	struct arena *a = ctx->a;
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tval *it = tval_map(a);
		tval_set_str(a, it, "name", c[i].name);
		tval_set_str(a, it, "url", c[i].url);
		tval_set_bool(a, it, "last", i + 1 == n);
		tval_push(a, list, it);
	}
	if (!jsonld)
		return list;
	struct jsonw w;
	jsonw_init(&w);
	jsonw_obj(&w, NULL);
	/* constants as jsonw_str writes them ('/' escaped) */
	jsonw_raw(&w, "@context", "\"https:\\/\\/schema.org\"");
	jsonw_raw(&w, "@type", "\"BreadcrumbList\"");
	jsonw_arr(&w, "itemListElement");
	for (size_t i = 0; i < n; i++) {
		if (c[i].ld && c[i].ld_pos == i + 1) /* the same bytes, made once */
			jsonw_raw(&w, NULL, c[i].ld);
		else
			crumb_item(&w, ctx, i + 1, c[i].name, c[i].url);
	}
	jsonw_end(&w);
	jsonw_end(&w);
	*jsonld = jsonw_finish(&w, a);
	return list;
}
