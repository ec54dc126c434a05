/* export.c - the site as WXR 1.2 (see export.h). Text goes through
 * render/xml.c's escaping, which drops what XML 1.0 forbids, so the file
 * is well-formed whatever the content. */
#include "import/export.h"

#include <stdio.h>
#include <string.h>

#include "content/permalink.h"
#include "content/settings.h"
#include "core/buf.h"
#include "core/time.h"
#include "render/xml.h"

struct ex {
	struct store *st;
	FILE *out;
	struct buf b;
	const char *base, *permalink;
	int64_t now;
};

static enum err flush(struct ex *x, bool force)
{
	if (x->b.oom)
		return ERR_NOMEM;
	if (!force && x->b.len < (1u << 16))
		return ERR_OK;
	if (x->b.len && fwrite(x->b.data, 1, x->b.len, x->out) != x->b.len)
		return ERR_IO;
	buf_reset(&x->b);
	return ERR_OK;
}

/* <name><![CDATA[...]]></name> is what WordPress writes; escaped text
 * means the same to every XML parser and needs no "]]>" splitting. */
static void el(struct ex *x, const char *name, const char *text)
{
	buf_putc(&x->b, '\t');
	xml_elem(&x->b, name, text ? text : "");
}

static void eli(struct ex *x, const char *name, int64_t v)
{
	buf_printf(&x->b, "\t<%s>%lld</%s>\n", name, (long long)v, name);
}

static const char *wp_status(enum post_status s)
{
	static const char *const names[POST_STATUS__MAX] = {
		[POST_DRAFT] = "draft",     [POST_PENDING] = "pending", [POST_SCHEDULED] = "future",
		[POST_PUBLISHED] = "publish", [POST_PRIVATE] = "private", [POST_TRASH] = "trash"};
	return (unsigned)s < POST_STATUS__MAX ? names[s] : "draft";
}

static const char *wp_approved(enum comment_status s)
{
	switch (s) {
	case COMMENT_APPROVED: return "1";
	case COMMENT_SPAM: return "spam";
	case COMMENT_TRASH: return "trash";
	default: return "0";
	}
}

static const char *wp_date(struct arena *a, int64_t t, bool gmt)
{
	if (gmt) {
		const char *u = time_utc(a, t); /* 2026-11-26T16:30:00Z */
		return u ? arena_printf(a, "%.10s %.8s", u, u + 11) : "";
	}
	struct date_parts d;
	time_local(t, &d);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day, d.hour,
			    d.min, d.sec);
}

static enum err channel(struct ex *x, struct arena *a)
{
	const char *title = settings_get(x->st, a, "title");
	const char *desc = settings_get(x->st, a, "description");
	const char *lang = settings_get(x->st, a, "language");
	buf_puts(&x->b, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
			"<!-- A WordPress eXtended RSS (WXR 1.2) export of a Gazette site. -->\n"
			"<rss version=\"2.0\"\n"
			"\txmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n"
			"\txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
			"\txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n"
			"\txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
			"\txmlns:wp=\"http://wordpress.org/export/1.2/\"\n"
			"\txmlns:gazette=\"" EXPORT_GAZETTE_NS "\">\n<channel>\n");
	el(x, "title", title);
	el(x, "link", x->base);
	el(x, "description", desc);
	el(x, "pubDate", time_rfc822(a, x->now));
	el(x, "language", lang);
	el(x, "wp:wxr_version", "1.2");
	el(x, "wp:base_site_url", x->base);
	el(x, "wp:base_blog_url", x->base);
	el(x, "generator", "Gazette");
	return flush(x, false);
}

static enum err authors(struct ex *x, struct arena *a)
{
	struct user *us;
	size_t n;
	enum err rc = STORE_CALL(x->st, user_list, a, &us, &n);
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		buf_puts(&x->b, "<wp:author>\n");
		eli(x, "wp:author_id", us[i].id);
		el(x, "wp:author_login", us[i].login);
		el(x, "wp:author_email", us[i].email);
		el(x, "wp:author_display_name", us[i].display_name);
		el(x, "wp:author_first_name", "");
		el(x, "wp:author_last_name", "");
		buf_puts(&x->b, "</wp:author>\n");
		rc = flush(x, false);
	}
	return rc;
}

static enum err terms(struct ex *x, struct arena *a)
{
	struct category *cs;
	size_t n;
	enum err rc = STORE_CALL(x->st, category_list, a, 0, &cs, &n);
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		const char *parent = "";
		for (size_t k = 0; k < n && cs[i].parent_id; k++)
			if (cs[k].id == cs[i].parent_id)
				parent = cs[k].slug;
		buf_puts(&x->b, "<wp:category>\n");
		eli(x, "wp:term_id", cs[i].id);
		el(x, "wp:category_nicename", cs[i].slug);
		el(x, "wp:category_parent", parent);
		el(x, "wp:cat_name", cs[i].name);
		el(x, "wp:category_description", cs[i].description);
		buf_puts(&x->b, "</wp:category>\n");
		rc = flush(x, false);
	}
	struct menu_item *ms;
	size_t nm = 0;
	if (rc == ERR_OK && x->st->ops->menu_get) /* a backend may keep no menu */
		rc = STORE_CALL(x->st, menu_get, a, &ms, &nm);
	if (rc == ERR_OK && nm) {
		buf_puts(&x->b, "<wp:term>\n");
		eli(x, "wp:term_id", EXPORT_MENU_ID);
		el(x, "wp:term_taxonomy", "nav_menu");
		el(x, "wp:term_slug", "main");
		el(x, "wp:term_parent", "");
		el(x, "wp:term_name", "Main");
		buf_puts(&x->b, "</wp:term>\n");
	}
	struct tag *ts;
	if (rc == ERR_OK)
		rc = STORE_CALL(x->st, tag_list, a, x->now, &ts, &n);
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		buf_puts(&x->b, "<wp:tag>\n");
		eli(x, "wp:term_id", EXPORT_TAG_ID + ts[i].id);
		el(x, "wp:tag_slug", ts[i].slug);
		el(x, "wp:tag_name", ts[i].name);
		buf_puts(&x->b, "</wp:tag>\n");
		rc = flush(x, false);
	}
	return rc;
}

static enum err redirects(struct ex *x, struct arena *a)
{
	struct redirect *rs;
	size_t n;
	enum err rc = STORE_CALL(x->st, redirect_list, a, &rs, &n);
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		buf_puts(&x->b, "<gazette:redirect");
		xml_attr(&x->b, "from", rs[i].from_path);
		xml_attr(&x->b, "to", rs[i].to_path);
		buf_printf(&x->b, " status=\"%d\"/>\n", rs[i].status == 302 ? 302 : 301);
		rc = flush(x, false);
	}
	return rc;
}

static void meta(struct ex *x, const char *key, const char *value)
{
	buf_puts(&x->b, "\t<wp:postmeta>\n\t");
	el(x, "wp:meta_key", key);
	buf_putc(&x->b, '\t');
	el(x, "wp:meta_value", value);
	buf_puts(&x->b, "\t</wp:postmeta>\n");
}

/* The fields every item has, from <wp:post_id> to <wp:is_sticky>. */
static void item_head(struct ex *x, struct arena *a, const char *title, const char *link,
		      int64_t when, const char *creator, int64_t id, const char *name,
		      const char *status, int64_t parent, int64_t order, const char *type)
{
	buf_puts(&x->b, "<item>\n");
	el(x, "title", title);
	el(x, "link", link);
	el(x, "pubDate", time_rfc822(a, when));
	el(x, "dc:creator", creator);
	buf_puts(&x->b, "\t<guid isPermaLink=\"false\">");
	xml_escape(&x->b, x->base, strlen(x->base), false);
	buf_printf(&x->b, "/?p=%lld</guid>\n", (long long)id);
	el(x, "description", "");
	el(x, "content:encoded", "");
	el(x, "excerpt:encoded", "");
	eli(x, "wp:post_id", id);
	el(x, "wp:post_date", wp_date(a, when, false));
	el(x, "wp:post_date_gmt", wp_date(a, when, true));
	el(x, "wp:comment_status", "closed");
	el(x, "wp:ping_status", "closed");
	el(x, "wp:post_name", name);
	el(x, "wp:status", status);
	eli(x, "wp:post_parent", parent);
	eli(x, "wp:menu_order", order);
	el(x, "wp:post_type", type);
	el(x, "wp:post_password", "");
	eli(x, "wp:is_sticky", 0);
}

/* The media library, a page at a time. */
static enum err attachments(struct ex *x, int64_t *items)
{
	enum err rc = ERR_OK;
	for (int64_t off = 0; rc == ERR_OK;) {
		struct arena a;
		arena_init(&a, 0);
		struct media *ms;
		size_t n = 0;
		int64_t total;
		rc = STORE_CALL(x->st, media_list, &a, off, 200, &ms, &n, &total);
		for (size_t i = 0; rc == ERR_OK && i < n; i++) {
			const struct media *m = &ms[i];
			struct user u;
			const char *login = STORE_CALL(x->st, user_get, &a, m->user_id, &u) == ERR_OK
						    ? u.login
						    : "";
			const char *url = arena_printf(&a, "%s/media/%s", x->base, m->path);
			const char *slash = strrchr(m->path, '/');
			const char *file = slash ? slash + 1 : m->path;
			const char *dot = strrchr(file, '.');
			const char *name = arena_strndup(&a, file, dot ? (size_t)(dot - file)
								       : strlen(file));
			item_head(x, &a, *m->orig_name ? m->orig_name : file, url, m->uploaded_at,
				  login, EXPORT_MEDIA_ID + m->id, name ? name : "", "inherit", 0, 0,
				  "attachment");
			el(x, "wp:attachment_url", url);
			meta(x, "_wp_attached_file", m->path);
			if (*m->alt)
				meta(x, "_wp_attachment_image_alt", m->alt);
			buf_puts(&x->b, "</item>\n");
			(*items)++;
			rc = flush(x, false);
		}
		arena_free(&a);
		off += (int64_t)n;
		if (n < 200)
			break;
	}
	return rc;
}

/* The navigation menu as nav_menu_item items of the menu "main". */
static enum err menu(struct ex *x, struct arena *a, int64_t *items)
{
	struct menu_item *ms;
	size_t n = 0;
	enum err rc = x->st->ops->menu_get ? STORE_CALL(x->st, menu_get, a, &ms, &n) : ERR_OK;
	for (size_t i = 0; rc == ERR_OK && i < n; i++) {
		const struct menu_item *m = &ms[i];
		int64_t id = EXPORT_MENU_ID + m->id;
		const char *type = "custom", *object = "custom", *url = m->url;
		int64_t object_id = id;
		struct post p;
		if (m->kind == MENU_POST &&
		    STORE_CALL(x->st, post_get, a, m->target_id, &p) == ERR_OK) {
			type = "post_type";
			object = p.type == POST_PAGE ? "page" : "post";
			object_id = p.id;
			url = "";
		} else if (m->kind == MENU_CATEGORY) {
			type = "taxonomy";
			object = "category";
			object_id = m->target_id;
			url = "";
		} else if (m->kind != MENU_URL) {
			continue; /* a post that is gone */
		} else if (url[0] == '/') {
			url = arena_printf(a, "%s%s", x->base, url); /* WordPress wants it whole */
		}
		item_head(x, a, m->label, arena_printf(a, "%s/?p=%lld", x->base, (long long)id),
			  x->now, "", id, arena_printf(a, "%lld", (long long)id), "publish", 0,
			  m->position, "nav_menu_item");
		buf_puts(&x->b, "\t<category domain=\"nav_menu\" nicename=\"main\">Main</category>\n");
		meta(x, "_menu_item_type", type);
		meta(x, "_menu_item_menu_item_parent",
		     m->parent_id ? arena_printf(a, "%lld", (long long)(EXPORT_MENU_ID + m->parent_id))
				  : "0");
		meta(x, "_menu_item_object_id", arena_printf(a, "%lld", (long long)object_id));
		meta(x, "_menu_item_object", object);
		meta(x, "_menu_item_target", "");
		meta(x, "_menu_item_classes", "a:1:{i:0;s:0:\"\";}");
		meta(x, "_menu_item_xfn", "");
		meta(x, "_menu_item_url", url);
		buf_puts(&x->b, "</item>\n");
		(*items)++;
		rc = flush(x, false);
	}
	return rc;
}

static enum err comments(struct ex *x, struct arena *a, int64_t post_id)
{
	struct comment_query q = {0};
	q.post_id = post_id;
	struct comment *cs;
	size_t n;
	int64_t total;
	enum err rc = STORE_CALL(x->st, comment_list, a, &q, &cs, &n, &total);
	for (size_t i = n; rc == ERR_OK && i-- > 0;) { /* oldest first */
		const struct comment *c = &cs[i];
		buf_puts(&x->b, "<wp:comment>\n");
		eli(x, "wp:comment_id", c->id);
		el(x, "wp:comment_author", c->author_name);
		el(x, "wp:comment_author_email", c->author_email);
		el(x, "wp:comment_author_url", c->author_url);
		el(x, "wp:comment_author_IP", c->author_ip);
		el(x, "wp:comment_date", wp_date(a, c->created_at, false));
		el(x, "wp:comment_date_gmt", wp_date(a, c->created_at, true));
		el(x, "wp:comment_content", c->body_html);
		el(x, "wp:comment_approved", wp_approved(c->status));
		el(x, "wp:comment_type", "comment");
		eli(x, "wp:comment_parent", c->parent_id);
		eli(x, "wp:comment_user_id", 0);
		buf_puts(&x->b, "</wp:comment>\n");
	}
	return rc;
}

static enum err item(struct ex *x, struct arena *a, int64_t id)
{
	struct post p;
	enum err rc = STORE_CALL(x->st, post_get, a, id, &p);
	if (rc != ERR_OK)
		return rc;
	const char *url = permalink_for(a, x->permalink, &p);
	buf_puts(&x->b, "<item>\n");
	el(x, "title", p.title);
	el(x, "link", arena_printf(a, "%s%s", x->base, url ? url : "/"));
	el(x, "pubDate", time_rfc822(a, p.published_at));
	el(x, "dc:creator", p.author_login);
	buf_puts(&x->b, "\t<guid isPermaLink=\"false\">");
	xml_escape(&x->b, x->base, strlen(x->base), false);
	buf_printf(&x->b, "/?p=%lld</guid>\n", (long long)p.id);
	el(x, "description", "");
	el(x, "content:encoded", p.body_html);
	el(x, "excerpt:encoded", p.excerpt);
	eli(x, "wp:post_id", p.id);
	el(x, "wp:post_date", wp_date(a, p.published_at, false));
	el(x, "wp:post_date_gmt", wp_date(a, p.published_at, true));
	el(x, "wp:comment_status", p.comments_open ? "open" : "closed");
	el(x, "wp:ping_status", "closed");
	el(x, "wp:post_name", p.slug);
	el(x, "wp:status", wp_status(p.status));
	eli(x, "wp:post_parent", p.parent_id);
	eli(x, "wp:menu_order", 0);
	el(x, "wp:post_type", p.type == POST_PAGE ? "page" : "post");
	el(x, "wp:post_password", "");
	eli(x, "wp:is_sticky", p.sticky ? 1 : 0);
	if (p.category_slug) {
		buf_puts(&x->b, "\t<category domain=\"category\"");
		xml_attr(&x->b, "nicename", p.category_slug);
		buf_putc(&x->b, '>');
		xml_escape(&x->b, p.category_name, strlen(p.category_name), false);
		buf_puts(&x->b, "</category>\n");
	}
	struct tag *ts;
	size_t nt;
	rc = STORE_CALL(x->st, post_tags, a, p.id, &ts, &nt);
	for (size_t i = 0; rc == ERR_OK && i < nt; i++) {
		buf_puts(&x->b, "\t<category domain=\"post_tag\"");
		xml_attr(&x->b, "nicename", ts[i].slug);
		buf_putc(&x->b, '>');
		xml_escape(&x->b, ts[i].name, strlen(ts[i].name), false);
		buf_puts(&x->b, "</category>\n");
	}
	if (rc == ERR_OK && p.featured_media_id > 0)
		meta(x, "_thumbnail_id",
		     arena_printf(a, "%lld", (long long)(EXPORT_MEDIA_ID + p.featured_media_id)));
	if (rc == ERR_OK)
		rc = comments(x, a, p.id);
	buf_puts(&x->b, "</item>\n");
	return rc == ERR_OK ? flush(x, false) : rc;
}

enum err export_wordpress(struct store *st, FILE *out, int64_t *items)
{
	struct ex x = {st, out, BUF_INIT, NULL, NULL, clock_now()};
	struct arena a;
	arena_init(&a, 0);
	*items = 0;
	const char *base = settings_get(st, &a, "base_url");
	size_t bl = base ? strlen(base) : 0;
	while (bl && base[bl - 1] == '/')
		bl--;
	x.base = bl ? arena_strndup(&a, base, bl) : "http://localhost";
	x.permalink = settings_get(st, &a, "permalink");
	enum err rc = channel(&x, &a);
	if (rc == ERR_OK)
		rc = authors(&x, &a);
	if (rc == ERR_OK)
		rc = terms(&x, &a);
	if (rc == ERR_OK)
		rc = redirects(&x, &a);
	if (rc == ERR_OK)
		rc = attachments(&x, items);
	/* posts then pages, a page of ids at a time, each post on its own arena */
	for (int t = 0; rc == ERR_OK && t < POST_TYPE__MAX; t++) {
		for (int64_t off = 0; rc == ERR_OK;) {
			struct arena la;
			arena_init(&la, 0);
			struct post_query q = {0};
			q.type = (enum post_type)t;
			q.oldest_first = true;
			q.offset = off;
			q.limit = 200;
			struct post *ps;
			size_t n = 0;
			int64_t total;
			rc = STORE_CALL(st, post_list, &la, &q, &ps, &n, &total);
			for (size_t i = 0; rc == ERR_OK && i < n; i++) {
				struct arena ia;
				arena_init(&ia, 0);
				rc = item(&x, &ia, ps[i].id);
				arena_free(&ia);
				(*items)++;
			}
			arena_free(&la);
			off += (int64_t)n;
			if (n < 200)
				break;
		}
	}
	if (rc == ERR_OK)
		rc = menu(&x, &a, items);
	buf_puts(&x.b, "</channel>\n</rss>\n");
	if (rc == ERR_OK)
		rc = flush(&x, true);
	if (rc == ERR_OK && fflush(out) != 0)
		rc = ERR_IO;
	buf_free(&x.b);
	arena_free(&a);
	return rc;
}
