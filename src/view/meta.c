/* meta.c - page metadata beyond the visible page: JSON-LD documents
 * (NewsArticle, WebSite) and the featured image of a post. */
#include <string.h>
#include <strings.h>

#include "core/time.h"
#include "media/media.h"
#include "render/jsonw.h"
#include "view/view.h"

void view_add_jsonld(struct view_ctx *ctx, struct tval *root, const char *text)
{
	struct arena *a = ctx->a;
	if (!text)
		return;
	struct tval *list = (struct tval *)tval_get(root, "jsonld", 6);
	if (!list || list->kind != TV_LIST) {
		list = tval_list(a);
		tval_set(a, root, "jsonld", list);
	}
	tval_push(a, list, tval_html(a, text));
}

/* The site as an article's publisher. */
static void publisher(struct jsonw *w, struct view_ctx *ctx, const char *key)
{
	jsonw_obj(w, key);
	jsonw_str(w, "@type", "Organization");
	jsonw_str(w, "name", ctx->site.title);
	jsonw_str(w, "url", view_abs(ctx, "/"));
	jsonw_end(w);
}

const char *view_publisher_jsonld(struct view_ctx *ctx)
{
	struct jsonw w;
	jsonw_init(&w);
	publisher(&w, ctx, NULL);
	return jsonw_finish(&w, ctx->a);
}

const char *view_article_jsonld(struct view_ctx *ctx, const struct post *p, const char *url,
				const char *image)
{
	struct arena *a = ctx->a;
	struct jsonw w;
	jsonw_init(&w);
	jsonw_obj(&w, NULL);
	/* constants as jsonw_str writes them ('/' escaped) */
	jsonw_raw(&w, "@context", "\"https:\\/\\/schema.org\"");
	jsonw_raw(&w, "@type", "\"NewsArticle\"");
	jsonw_str(&w, "headline", p->title);
	const char *abs = view_abs(ctx, url);
	jsonw_str(&w, "url", abs);
	jsonw_obj(&w, "mainEntityOfPage");
	jsonw_raw(&w, "@type", "\"WebPage\"");
	jsonw_str(&w, "@id", abs);
	jsonw_end(&w);
	jsonw_str(&w, "datePublished", time_iso(a, p->published_at));
	jsonw_str(&w, "dateModified",
		  time_iso(a, p->updated_at > p->published_at ? p->updated_at : p->published_at));
	jsonw_arr(&w, "author");
	jsonw_obj(&w, NULL);
	jsonw_raw(&w, "@type", "\"Person\"");
	jsonw_str(&w, "name", p->author_name ? p->author_name : "");
	if (p->author_login)
		jsonw_str(&w, "url",
			  view_abs(ctx, ARENA_CAT(a, "/author/", p->author_login, "/")));
	jsonw_end(&w);
	jsonw_end(&w);
	if (view_snap_ld_usable(ctx)) /* the same bytes, made once per snapshot */
		jsonw_raw(&w, "publisher", ctx->snap->ld_publisher);
	else
		publisher(&w, ctx, "publisher");
	if (image) {
		jsonw_arr(&w, "image");
		jsonw_str(&w, NULL, image);
		jsonw_end(&w);
	}
	const char *d = p->excerpt && *p->excerpt ? p->excerpt : p->summary;
	if (d && *d)
		jsonw_str(&w, "description", d);
	if (p->category_name && *p->category_name)
		jsonw_str(&w, "articleSection", p->category_name);
	if (ctx->site.lang && *ctx->site.lang)
		jsonw_str(&w, "inLanguage", ctx->site.lang);
	jsonw_end(&w);
	return jsonw_finish(&w, a);
}

const char *view_website_jsonld(struct view_ctx *ctx)
{
	struct jsonw w;
	jsonw_init(&w);
	jsonw_obj(&w, NULL);
	jsonw_str(&w, "@context", "https://schema.org");
	jsonw_str(&w, "@type", "WebSite");
	jsonw_str(&w, "name", ctx->site.title);
	jsonw_str(&w, "url", view_abs(ctx, "/"));
	if (ctx->site.description && *ctx->site.description)
		jsonw_str(&w, "description", ctx->site.description);
	if (ctx->site.lang && *ctx->site.lang)
		jsonw_str(&w, "inLanguage", ctx->site.lang);
	jsonw_obj(&w, "potentialAction");
	jsonw_str(&w, "@type", "SearchAction");
	jsonw_obj(&w, "target");
	jsonw_str(&w, "@type", "EntryPoint");
	jsonw_str(&w, "urlTemplate", view_abs(ctx, "/search?q={search_term_string}"));
	jsonw_end(&w);
	jsonw_str(&w, "query-input", "required name=search_term_string");
	jsonw_end(&w);
	jsonw_end(&w);
	return jsonw_finish(&w, ctx->a);
}

/* &amp; &lt; &gt; &quot; &#39; back to characters (what escape_html and
 * cmark write into an attribute); other entities are left as they are. */
static char *unescape_attr(struct arena *a, const char *s, size_t n)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
	char *out = arena_alloc(a, n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		for (size_t e = 0; e < sizeof ents / sizeof ents[0] && !k; e++) {
			size_t el = strlen(ents[e].ent);
			if (i + el <= n && memcmp(s + i, ents[e].ent, el) == 0) {
				*o++ = ents[e].c;
				k = el;
			}
		}
		if (!k) {
			*o++ = s[i];
			k = 1;
		}
		i += k;
	}
	*o = '\0';
	return out;
}

static const char *image_type(const char *url)
{
	static const struct {
		const char *ext, *type;
	} types[] = {{".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"},
		     {".gif", "image/gif"},  {".webp", "image/webp"},  {".avif", "image/avif"},
		     {".svg", "image/svg+xml"}};
	size_t n = strcspn(url, "?#");
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t el = strlen(types[i].ext);
		if (n >= el && strncasecmp(url + n - el, types[i].ext, el) == 0)
			return types[i].type;
	}
	return "image/jpeg";
}

const char *view_post_image(struct view_ctx *ctx, const struct post *post, const char **type)
{
	struct media m;
	if (post->featured_media_id > 0 &&
	    STORE_CALL(ctx->st, media_get, ctx->a, post->featured_media_id, &m) == ERR_OK) {
		if (type)
			*type = m.mime;
		return view_abs(ctx, media_url(ctx->a, m.path));
	}
	const char *body_html = post->body_html;
	/* the first "<img ": from '<' to '<' (strchr is vectorised; glibc's
	 * strstr was a tenth of this page's time in libc) */
	const char *p = body_html;
	while (p && (p = strchr(p, '<')) &&
	       !(p[1] == 'i' && p[2] == 'm' && p[3] == 'g' && p[4] == ' ')) /* stops at a NUL */
		p++;
	if (!p)
		return NULL;
	const char *end = strchr(p, '>');
	const char *src = strstr(p, " src=\"");
	if (!end || !src || src > end)
		return NULL;
	src += 6;
	const char *q = strchr(src, '"');
	if (!q || q > end)
		return NULL;
	char *url = unescape_attr(ctx->a, src, (size_t)(q - src));
	if (!url || strpbrk(url, " \t\r\n<>\""))
		return NULL;
	const char *abs = NULL;
	if (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0)
		abs = url;
	else if (url[0] == '/' && url[1] != '/')
		abs = view_abs(ctx, url);
	if (abs && type)
		*type = image_type(abs);
	return abs;
}
