/* comment.c - a post's approved comments as a thread of template data.
 *
 * Replies nest under their parent down to max_depth levels; deeper replies
 * are shown at the deepest level, under their ancestor one level up (the
 * stored parent is kept, so raising the depth later re-nests them). A reply
 * whose parent is not shown (held, removed) starts a thread of its own.
 * Every comment map carries every key, so a reply never picks up a value
 * from the comment it is nested in (mustache looks names up the stack). */
#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "view/view.h"

struct node {
	int64_t id;
	size_t idx;
};

static int by_id(const void *x, const void *y)
{
	const struct node *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

static const char *time_with_clock(struct arena *a, int64_t t)
{
	struct date_parts dp;
	time_local(t, &dp);
	return arena_printf(a, "%s at %02d:%02d", time_human(a, t), dp.hour, dp.min);
}

struct tval *view_comment(struct view_ctx *ctx, const struct comment *c, const char *post_url,
			  int depth, bool can_reply)
{
	struct arena *a = ctx->a;
	struct tval *v = tval_map(a);
	tval_set_int(a, v, "id", c->id);
	tval_set_str(a, v, "anchor", arena_printf(a, "comment-%lld", (long long)c->id));
	tval_set_str(a, v, "url", arena_printf(a, "%s#comment-%lld", post_url, (long long)c->id));
	tval_set_str(a, v, "author_name", c->author_name);
	tval_set_str(a, v, "author_url", c->author_url ? c->author_url : "");
	tval_set_str(a, v, "date_iso", time_iso(a, c->created_at));
	tval_set_str(a, v, "date_human", time_with_clock(a, c->created_at));
	tval_set_html(a, v, "body_html", c->body_html);
	tval_set_int(a, v, "depth", depth);
	tval_set_str(a, v, "reply_url",
		     can_reply ? arena_printf(a, "%s?replytocom=%lld#leave-comment", post_url,
					      (long long)c->id)
			       : "");
	return v;
}

struct tval *view_comment_thread(struct view_ctx *ctx, const char *post_url,
				 const struct comment *cs, size_t n, int max_depth,
				 bool can_reply)
{
	struct arena *a = ctx->a;
	struct tval *top = tval_list(a);
	if (n == 0)
		return top;
	struct node *ix = ARENA_ARRAY(a, struct node, n);
	size_t *parent = ARENA_ARRAY(a, size_t, n);  /* index of the shown parent, or n */
	int *depth = ARENA_ARRAY(a, int, n);
	struct tval **views = ARENA_ARRAY(a, struct tval *, n);
	struct tval **replies = ARENA_ARRAY(a, struct tval *, n);
	size_t *nreplies = ARENA_ARRAY(a, size_t, n);
	size_t *shown_parent = ARENA_ARRAY(a, size_t, n);
	if (!ix || !parent || !depth || !views || !replies || !nreplies || !shown_parent)
		return top;
	for (size_t i = 0; i < n; i++) {
		ix[i].id = cs[i].id;
		ix[i].idx = i;
		depth[i] = 0;
		nreplies[i] = 0;
	}
	qsort(ix, n, sizeof *ix, by_id);
	for (size_t i = 0; i < n; i++) {
		struct node key = {cs[i].parent_id, 0};
		struct node *f = cs[i].parent_id && cs[i].parent_id != cs[i].id
					 ? bsearch(&key, ix, n, sizeof *ix, by_id)
					 : NULL;
		parent[i] = f ? f->idx : n;
	}
	/* Depths, following parents up (with a bound, against a cycle in
	 * imported data). */
	for (size_t i = 0; i < n; i++) {
		int d = 1;
		for (size_t p = parent[i]; p < n && d < 1000; p = parent[p])
			d++;
		depth[i] = d;
	}
	/* Too deep: hang it under its ancestor at max_depth - 1. */
	for (size_t i = 0; i < n; i++) {
		shown_parent[i] = parent[i];
		if (depth[i] <= max_depth)
			continue;
		size_t p = parent[i];
		for (int d = depth[i] - 1; d > max_depth - 1 && p < n; d--)
			p = parent[p];
		shown_parent[i] = max_depth > 1 ? p : n;
	}
	for (size_t i = 0; i < n; i++) {
		int shown = depth[i] > max_depth ? max_depth : depth[i];
		views[i] = view_comment(ctx, &cs[i], post_url, shown, can_reply);
		replies[i] = tval_list(a);
		tval_set(a, views[i], "replies", replies[i]);
		if (shown_parent[i] < n)
			nreplies[shown_parent[i]]++;
	}
	/* cs is oldest first, so each list comes out in order. */
	for (size_t i = 0; i < n; i++) {
		tval_set_bool(a, views[i], "has_replies", nreplies[i] > 0);
		tval_push(a, shown_parent[i] < n ? replies[shown_parent[i]] : top, views[i]);
	}
	return top;
}

const char *view_comments_label(struct arena *a, int64_t n)
{
	if (n == 0)
		return "No comments";
	if (n == 1)
		return "1 comment";
	return arena_printf(a, "%lld comments", (long long)n);
}
