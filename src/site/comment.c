/* comment.c - the comments section of an article page, and the "Leave a
 * Comment" form's POST to the article's own URL.
 *
 * The page is the same for every visitor (so it is cached): the thread,
 * the count, and a form carrying a signed token of the post and the time it
 * was rendered (comment/comment.h). Cached copies are kept at most a
 * quarter of the token's lifetime, so a served form always has time left.
 * Per-visitor variants (a Reply link's ?replytocom=, the ?held= notice
 * after posting, a refused form shown again) are rendered fresh: the page
 * cache only keys on parameters listings read. */
#include <string.h>

#include "comment/comment.h"
#include "content/settings.h"
#include "core/str.h"
#include "http/app.h"
#include "site/site.h"

static const char *const form_keys[CF__MAX] = {"name", "email", "url", "comment"};

/* The form: action, token, the values typed and the errors, if any. */
static struct tval *form_view(struct req *r, struct view_ctx *ctx, const struct post *p,
			      const char *url, const struct comment_state *cs,
			      const struct comment *parent)
{
	struct arena *a = ctx->a;
	struct tval *f = tval_map(a);
	char token[COMMENT_TOKEN_MAX];
	comment_token_make(r->app->secret, p->id, ctx->now, token);
	tval_set_str(a, f, "action", url);
	tval_set_str(a, f, "token", token);
	tval_set_str(a, f, "parent",
		     parent ? arena_printf(a, "%lld", (long long)parent->id) : "");
	tval_set_str(a, f, "replying_to", parent ? parent->author_name : "");
	tval_set_str(a, f, "cancel_url", ARENA_CAT(a, url, "#leave-comment"));
	struct tval *values = tval_map(a), *errors = tval_map(a);
	const struct comment_form *in = cs ? cs->form : NULL;
	const char *typed[CF__MAX] = {in ? in->name : NULL, in ? in->email : NULL,
				      in ? in->url : NULL, in ? in->body : NULL};
	for (int i = 0; i < CF__MAX; i++) {
		tval_set_str(a, values, form_keys[i], typed[i] ? typed[i] : "");
		const char *e = cs && cs->outcome ? cs->outcome->errors[i] : NULL;
		tval_set_str(a, errors, form_keys[i], e ? e : "");
	}
	tval_set(a, f, "values", values);
	tval_set(a, f, "errors", errors);
	tval_set_str(a, f, "message", cs && cs->outcome && cs->outcome->message
					      ? cs->outcome->message
					      : "");
	return f;
}

/* The reader's own comment awaiting moderation, from ?held=ID-MAC. */
static struct tval *held_view(struct req *r, struct view_ctx *ctx, const struct post *p,
			      const char *url)
{
	int64_t id = comment_held_id(r->app->secret, req_query(r, "held"));
	struct comment c;
	if (!id || STORE_CALL(ctx->st, comment_get, ctx->a, id, &c) != ERR_OK ||
	    c.post_id != p->id || c.status == COMMENT_APPROVED || c.status == COMMENT_TRASH)
		return NULL;
	return view_comment(ctx, &c, url, 1, false);
}

enum err site_comments(struct req *r, struct resp *rs, struct view_ctx *ctx,
		       const struct post *p, const char *url, struct tval *root,
		       const struct comment_state *cs)
{
	struct arena *a = ctx->a;
	struct comment *list = NULL;
	size_t n = 0;
	/* p was read in this page's read snapshot with its approved comments
	 * counted: none means no thread to read */
	enum err rc = p->comment_count > 0 ? STORE_CALL(ctx->st, comment_thread, a, p->id, &list, &n)
					   : ERR_OK;
	if (rc != ERR_OK)
		return rc;
	const struct settings_snapshot *set = &ctx->settings;
	bool open = comment_open(set, p, ctx->now);
	struct tval *v = tval_map(a);
	tval_set_int(a, v, "count", (int64_t)n);
	tval_set_str(a, v, "label", view_comments_label(a, (int64_t)n));
	tval_set(a, v, "thread",
		 view_comment_thread(ctx, url, list, n,
				     (int)settings_snap_int(set, "comments_depth"), open));
	tval_set_bool(a, v, "has_thread", n > 0);
	tval_set_bool(a, v, "open", open);
	struct tval *held = held_view(r, ctx, p, url);
	if (held)
		tval_set(a, v, "held", held);
	if (open) {
		/* A Reply link (?replytocom=ID) or a refused reply sets the parent. */
		const char *pid = cs && cs->form ? cs->form->parent : req_query(r, "replytocom");
		int64_t id = 0;
		struct comment parent, *pp = NULL;
		if (pid && str_to_i64(pid, 1, INT64_MAX, &id) &&
		    STORE_CALL(ctx->st, comment_get, a, id, &parent) == ERR_OK &&
		    parent.post_id == p->id && parent.status == COMMENT_APPROVED)
			pp = &parent;
		tval_set(a, root, "form", form_view(r, ctx, p, url, cs, pp));
		int64_t max_age = settings_snap_int(set, "comments_token_max_age");
		rs->cache_ttl = max_age / 4 > 0 ? max_age / 4 : 1;
	}
	tval_set(a, root, "comments", v);
	return a->failed ? ERR_NOMEM : ERR_OK;
}

enum err site_comment_post(struct req *r, struct resp *rs, struct view_ctx *ctx,
			   const struct post *p)
{
	struct comment_form f = {
		.name = req_form(r, "name"),
		.email = req_form(r, "email"),
		.url = req_form(r, "url"),
		.body = req_form(r, "comment"),
		.parent = req_form(r, "parent"),
		.token = req_form(r, "token"),
		.honeypot = req_form(r, "homepage"),
	};
	struct comment_env env = {
		.st = ctx->st,
		.a = r->arena,
		.key = r->app->secret,
		.now = r->now,
		.ip = r->client_ip,
		.user_agent = req_header(r, "User-Agent"),
	};
	struct comment_outcome out;
	enum err rc = comment_submit(&env, p, &f, &out);
	if (rc != ERR_OK)
		return rc;
	const char *url = view_post_url(ctx, p);
	if (!url)
		return ERR_NOMEM;
	if (out.status == 0) {
		const char *to;
		if (out.stored == COMMENT_APPROVED) {
			/* ?c= makes the page render fresh, with the new comment */
			to = arena_printf(r->arena, "%s?c=%lld#comment-%lld", url,
					  (long long)out.id, (long long)out.id);
		} else {
			char ref[48];
			comment_held_ref(r->app->secret, out.id, ref);
			to = arena_printf(r->arena, "%s?held=%s#comment-%lld", url, ref,
					  (long long)out.id);
		}
		if (!to)
			return ERR_NOMEM;
		resp_redirect(rs, 303, to);
		return ERR_OK;
	}
	if (out.status == 404)
		return ERR_NOTFOUND;
	if (out.status == 429) {
		int64_t window = settings_snap_int(&ctx->settings, "comments_rate_window");
		resp_header(rs, "Retry-After", arena_printf(r->arena, "%lld", (long long)window));
	}
	/* Refused: the page again, with the message, the errors and what was
	 * typed. */
	struct comment_state cs = {&f, &out};
	rc = site_article_show(r, rs, ctx, p, &cs);
	if (rc == ERR_OK)
		rs->status = out.status;
	rs->cacheable = false;
	return rc;
}
