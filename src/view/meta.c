/* meta.c - page metadata beyond the visible page: JSON-LD documents
 * (NewsArticle, WebSite) and the featured image of a post. */
#include <string.h>
#include <strings.h>

#include "core/time.h"
#include "media/media.h"
#include "render/json.h"
#include "view/view.h"

void view_add_jsonld(struct view_ctx *ctx, struct tval *root, struct json *ld)
{
	struct arena *a = ctx->a;
	if (!ld)
		return;
	const char *text = json_script(a, ld);
	struct tval *list = (struct tval *)tval_get(root, "jsonld", 6);
	if (!list || list->kind != TV_LIST) {
		list = tval_list(a);
		tval_set(a, root, "jsonld", list);
	}
	if (text)
		tval_push(a, list, tval_html(a, text));
}

static struct json *person(struct view_ctx *ctx, const struct post *p)
{
	struct json *j = json_obj();
	json_set_str(j, "@type", "Person");
	json_set_str(j, "name", p->author_name ? p->author_name : "");
	if (p->author_login)
		json_set_str(j, "url",
			     view_abs(ctx, arena_printf(ctx->a, "/author/%s/", p->author_login)));
	return j;
}

static struct json *publisher(struct view_ctx *ctx)
{
	struct json *j = json_obj();
	json_set_str(j, "@type", "Organization");
	json_set_str(j, "name", ctx->site.title);
	json_set_str(j, "url", view_abs(ctx, "/"));
	return j;
}

struct json *view_article_jsonld(struct view_ctx *ctx, const struct post *p, const char *url,
				 const char *image)
{
	struct arena *a = ctx->a;
	struct json *j = json_obj();
	json_set_str(j, "@context", "https://schema.org");
	json_set_str(j, "@type", "NewsArticle");
	json_set_str(j, "headline", p->title);
	const char *abs = view_abs(ctx, url);
	json_set_str(j, "url", abs);
	struct json *main = json_obj();
	json_set_str(main, "@type", "WebPage");
	json_set_str(main, "@id", abs);
	json_set(j, "mainEntityOfPage", main);
	json_set_str(j, "datePublished", time_iso(a, p->published_at));
	json_set_str(j, "dateModified",
		     time_iso(a, p->updated_at > p->published_at ? p->updated_at : p->published_at));
	struct json *authors = json_arr();
	json_push(authors, person(ctx, p));
	json_set(j, "author", authors);
	json_set(j, "publisher", publisher(ctx));
	if (image) {
		struct json *imgs = json_arr();
		json_push(imgs, json_str(image));
		json_set(j, "image", imgs);
	}
	const char *d = p->excerpt && *p->excerpt ? p->excerpt : p->summary;
	if (d && *d)
		json_set_str(j, "description", d);
	if (p->category_name && *p->category_name)
		json_set_str(j, "articleSection", p->category_name);
	if (ctx->site.lang && *ctx->site.lang)
		json_set_str(j, "inLanguage", ctx->site.lang);
	return j;
}

struct json *view_website_jsonld(struct view_ctx *ctx)
{
	struct json *j = json_obj();
	json_set_str(j, "@context", "https://schema.org");
	json_set_str(j, "@type", "WebSite");
	json_set_str(j, "name", ctx->site.title);
	json_set_str(j, "url", view_abs(ctx, "/"));
	if (ctx->site.description && *ctx->site.description)
		json_set_str(j, "description", ctx->site.description);
	if (ctx->site.lang && *ctx->site.lang)
		json_set_str(j, "inLanguage", ctx->site.lang);
	struct json *act = json_obj(), *target = json_obj();
	json_set_str(act, "@type", "SearchAction");
	json_set_str(target, "@type", "EntryPoint");
	json_set_str(target, "urlTemplate", view_abs(ctx, "/search?q={search_term_string}"));
	json_set(act, "target", target);
	json_set_str(act, "query-input", "required name=search_term_string");
	json_set(j, "potentialAction", act);
	return j;
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
	const char *p = body_html ? strstr(body_html, "<img ") : NULL;
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
