/* store.h - storage in domain terms: types and an ops table per backend.
 *
 * Handlers and domain modules call the store_* wrappers below and never see
 * SQL. A backend (sqlite.c today, pg.c later) fills a struct store_ops.
 * Every write runs in one transaction together with its change-log row
 * (see store_changes_since), so a running server can tell what changed.
 *
 * Thread-safety: a struct store may be used from any number of threads at
 * once (the backend keeps a connection per caller).
 * Ownership: every string and array a store function returns lives in the
 * arena passed to it. Inputs are only read during the call.
 *
 * Adding a new operation:
 *  1. declare it in struct store_ops and add the store_* inline wrapper;
 *  2. add its statements to the backend's statement table and implement it;
 *  3. record a change-log row if it writes;
 *  4. add a unit test in tests/unit/test_store.c. */
#ifndef GAZETTE_STORE_STORE_H
#define GAZETTE_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/copy.h"

enum post_type { POST_ARTICLE, POST_PAGE, POST_TYPE__MAX };

enum post_status {
	POST_DRAFT,
	POST_PENDING,   /* awaiting review */
	POST_SCHEDULED, /* published_at in the future */
	POST_PUBLISHED,
	POST_PRIVATE,
	POST_TRASH,
	POST_STATUS__MAX
};

enum user_role { ROLE_ADMIN, ROLE_EDITOR, ROLE_AUTHOR, ROLE_CONTRIBUTOR, ROLE__MAX };

enum comment_status {
	COMMENT_PENDING,
	COMMENT_APPROVED,
	COMMENT_SPAM,
	COMMENT_TRASH,
	COMMENT_STATUS__MAX
};

/* Is a post with this status and date public at `now`? The rule every
 * page applies (content/post.h post_is_public; the SQL twin is the stores'
 * VISIBLE). */
static inline bool post_status_visible(enum post_status s, int64_t published_at, int64_t now)
{
	return (s == POST_PUBLISHED || s == POST_SCHEDULED) && published_at <= now;
}

/* Names as stored and as typed on the command line ("published"). */
const char *post_status_name(enum post_status s);
bool post_status_parse(const char *s, enum post_status *out);
const char *post_type_name(enum post_type t);
const char *user_role_name(enum user_role r);
bool user_role_parse(const char *s, enum user_role *out);
const char *comment_status_name(enum comment_status s);
bool comment_status_parse(const char *s, enum comment_status *out);
/* What the spam model should have learned from a comment moved to status s,
 * given what it learned before ("ham", "spam" or ""): approving teaches ham,
 * marking spam teaches spam, other moves keep what was learned. */
const char *comment_learn_label(enum comment_status s, const char *learned);

struct user {
	int64_t id;
	const char *login, *email, *display_name, *bio;
	const char *pwhash; /* argon2id string; "" when no password set */
	enum user_role role;
	int64_t created_at;
};

struct category {
	int64_t id, parent_id; /* parent_id 0 = top level */
	const char *slug, *name, *description;
	const char *path;      /* "parent/child" from the root */
	int64_t post_count;    /* publicly visible articles in it (not sub-categories) */
};

struct tag {
	int64_t id;
	const char *slug, *name;
	int64_t post_count; /* publicly visible articles */
};

struct post {
	int64_t id;
	enum post_type type;
	enum post_status status;
	const char *slug, *title;
	const char *excerpt;   /* plain text written by the author; may be "" */
	const char *summary;   /* plain text derived from the body at save time */
	const char *body_md;   /* Markdown source */
	const char *body_html; /* rendered at save time by render/markdown */
	int64_t author_id;
	int64_t category_id;   /* 0 = none (pages) */
	int64_t parent_id;     /* pages: parent page, 0 = none */
	bool sticky;
	bool comments_open;
	int64_t published_at;  /* the post's date (publish time, or scheduled time) */
	int64_t created_at, updated_at;
	int64_t comment_count; /* approved comments */
	int64_t featured_media_id; /* 0 = none */
	/* Joined for display by get/list calls (may be NULL when absent): */
	const char *author_login, *author_name;
	const char *category_slug, *category_name, *category_path;
};

/* Which posts a listing wants. Zero fields mean "no filter". */
struct post_query {
	enum post_type type;
	bool public_only;      /* published (or scheduled and due) with published_at <= now */
	int64_t now;           /* required with public_only */
	bool by_status;        /* filter on status (for non-public listings) */
	enum post_status status;
	int64_t category_id;   /* with include_children: the whole subtree */
	bool include_children;
	int64_t tag_id;
	int64_t author_id;
	int64_t from, to;      /* published_at in [from, to) when to > 0 */
	bool top_level;        /* pages: only those without a parent */
	const char *title_has; /* titles containing this text (back office) */
	bool sticky_first;
	bool oldest_first;
	int64_t offset, limit; /* limit 0 = no limit */
};

/* What a write wants to store. Unset strings mean "" on create and
 * "unchanged" on update (NULL) - see store_post_save. */
struct post_input {
	int64_t id; /* 0 = create */
	enum post_type type;
	enum post_status status;
	const char *slug, *title, *excerpt, *body_md, *body_html, *summary;
	int64_t author_id, category_id, parent_id;
	bool sticky, comments_open;
	int64_t published_at;
	int64_t created_at;      /* create only; 0 = now */
	const char *const *tags; /* tag names; NULL = leave tags unchanged */
	size_t ntags;
	int64_t featured_media_id; /* 0 = none; -1 = unchanged (update only) */
	const int64_t *tag_ids;  /* or tag ids (when tags is NULL); NULL = unchanged */
	size_t ntag_ids;
	/* Written in the post's own transaction, so a save never keeps the
	 * post without them (content/post.c): when revision_at > 0, a revision
	 * of the text as saved, by revision_user; when moved_from is not NULL,
	 * a 301 from it to moved_to, as redirect_move writes (a public post
	 * whose URL changed). */
	int64_t revision_user, revision_at;
	const char *moved_from, *moved_to;
};

struct comment {
	int64_t id, post_id, parent_id;
	enum comment_status status;
	enum comment_status prev_status; /* before the last change ("restore" goes back) */
	const char *author_name, *author_email, *author_url, *author_ip;
	const char *author_net; /* the /24 (IPv4) or /64 (IPv6) the address is in */
	const char *user_agent;
	const char *body_md, *body_html;
	const char *note;       /* why it was held or marked spam ("" when not) */
	int spam_score;         /* classifier's spam probability in percent; -1 none */
	int64_t created_at, updated_at;
	/* Joined for display by get/list calls: */
	const char *post_title;
};

/* Which comments a listing wants (newest first). Zero fields: no filter. */
struct comment_query {
	bool by_status;
	enum comment_status status;
	int64_t post_id;
	const char *email; /* exact, case-insensitive */
	const char *ip;
	int64_t public_at;     /* > 0: only on articles public at that time */
	int64_t offset, limit; /* limit 0 = no limit */
};

/* What the moderation policy needs to know about a new comment's author
 * and text (comment/submit.c). */
struct comment_signals {
	int64_t approved_by_email; /* earlier approved comments from this email */
	int64_t recent_by_ip;      /* comments (any status) from the address since `since` */
	int64_t recent_by_net;     /* ... and from its subnet */
	bool duplicate;            /* same post, same email or address, same text */
};

/* The naive Bayes spam model (comment/spam.c): per-token counts of the
 * ham and spam comments containing it, and the document totals. */
struct spam_counts {
	int64_t ham_docs, spam_docs;
	int64_t *ham, *spam; /* per token asked for, in the arena */
};

/* One saved version of a post's text. */
struct revision {
	int64_t id, post_id, user_id, saved_at;
	const char *title, *excerpt, *body_md; /* excerpt and body empty in lists */
	const char *user_name;
};

/* An uploaded image (media/media.h) and its narrower copies. Paths are
 * relative to SITE/media/ ("2026/01/harbour-3fa9c2d1.jpg"). */
struct media_variant {
	int64_t width, height, bytes;
	const char *path, *mime;
};

struct media {
	int64_t id;
	const char *path, *orig_name, *mime, *alt;
	int64_t width, height, bytes, uploaded_at, user_id;
	const char *user_name; /* joined for display */
	struct media_variant *variants; /* narrowest first */
	size_t nvariants;
};

/* A signed-in back-office session (auth/session.h). */
struct session {
	const char *token_hash; /* hex SHA-256 of the cookie's token */
	int64_t user_id;
	const char *csrf;       /* the session's CSRF token */
	int64_t created_at, seen_at;
	const char *ip;
};

struct redirect {
	const char *from_path, *to_path;
	int status; /* 301 or 302 */
};

/* The site's navigation menu (src/view/menu.c shows it): links to a URL
 * (a tag archive is one), a post or page, or a category, in order, nested
 * by parent. An empty menu means the default one (top categories, then
 * top-level pages). */
enum menu_kind { MENU_URL, MENU_POST, MENU_CATEGORY, MENU_KIND__MAX };

struct menu_item {
	int64_t id;        /* 1.. within the menu */
	int64_t parent_id; /* 0 = top level */
	int64_t position;  /* order among siblings (then id) */
	enum menu_kind kind;
	const char *label; /* "" = the target's own title or name */
	const char *url;   /* MENU_URL: an http(s) URL or a root-relative path */
	int64_t target_id; /* MENU_POST, MENU_CATEGORY: its id */
};

const char *menu_kind_name(enum menu_kind k);
bool menu_kind_parse(const char *s, enum menu_kind *out);
/* What menu_set accepts (both backends): ids unique and positive, kinds
 * known, parents among the items (and not themselves). */
bool menu_well_formed(const struct menu_item *items, size_t n);

struct archive_month {
	int year, month;
	int64_t count;
};

/* One change-log row. */
struct change {
	int64_t id;
	int64_t at;
	const char *kind;  /* "post", "category", "tag", "user", "setting", "comment", "redirect" */
	int64_t object_id; /* 0 for settings */
	const char *detail;/* setting key, old slug/path, ... may be "" */
};

/* A full-text search (search/query.h builds match). */
struct search_request {
	const char *match;  /* FTS5 expression from search_parse */
	size_t positive;    /* its positive items (search_parse's npositive; 0 =
			     * unknown): with one, every match has them all */
	const char *match_all; /* the positive items AND-ed (search_parse's
				* match_all; NULL = none): articles with every
				* item rank first, so a page they fill is read
				* from them alone */
	int64_t now;        /* public posts as of now */
	int64_t offset, limit;
	/* optional filters (0 = none): a category with its sub-categories, a
	 * tag, an author, published_at in [from, to) */
	int64_t category_id, tag_id, author_id, from, to;
};

struct search_hit {
	struct post post;    /* listing fields (no body) */
	const char *snippet; /* plain text with \x01 before and \x02 after matches */
	int matched;         /* how many of the positive items it contains */
	double score;        /* higher is better */
};

/* Sitemaps: the newest change of a public article in a category (directly),
 * a tag or by an author. */
enum term_kind { TERM_CATEGORY, TERM_TAG, TERM_AUTHOR, TERM_KIND__MAX };
struct term_mod {
	int64_t id, parent_id; /* parent_id: categories only */
	const char *key;       /* category path, tag slug or author login */
	int64_t lastmod;       /* max(published_at, updated_at); 0 = no public article */
};

/* Called for each row of post_each_public; p is valid only during the call. */
typedef void (*post_each_fn)(void *ud, const struct post *p);

/* A word of the public articles' text and in how many it appears. */
struct spell_word {
	const char *word;
	int64_t docs;
};

struct store;

struct store_ops {
	void (*close)(struct store *st);

	/* settings */
	enum err (*setting_get)(struct store *st, struct arena *a, const char *key, const char **out);
	enum err (*setting_set)(struct store *st, const char *key, const char *value);
	enum err (*setting_list)(struct store *st, struct arena *a, const char ***keys,
				 const char ***values, size_t *n);

	/* users */
	enum err (*user_add)(struct store *st, const struct user *u, int64_t *id);
	enum err (*user_get)(struct store *st, struct arena *a, int64_t id, struct user *out);
	enum err (*user_by_login)(struct store *st, struct arena *a, const char *login,
				  struct user *out);
	enum err (*user_list)(struct store *st, struct arena *a, struct user **out, size_t *n);
	enum err (*user_update)(struct store *st, const struct user *u); /* by id */

	/* categories (a tree) */
	enum err (*category_add)(struct store *st, const struct category *c, int64_t *id);
	enum err (*category_get)(struct store *st, struct arena *a, int64_t id, struct category *out);
	enum err (*category_by_path)(struct store *st, struct arena *a, const char *path,
				     struct category *out);
	enum err (*category_by_slug)(struct store *st, struct arena *a, const char *slug,
				     struct category *out);
	/* All categories, in tree order (parents before children, by path).
	 * post_count is filled for now > 0 and left 0 when now is 0 (menus
	 * need no counts, and counting reads every post). */
	enum err (*category_list)(struct store *st, struct arena *a, int64_t now,
				  struct category **out, size_t *n);
	enum err (*category_update)(struct store *st, const struct category *c); /* slug, name, description, parent */
	/* Delete; its posts move to the parent (or none), its children to its parent. */
	enum err (*category_delete)(struct store *st, int64_t id);
	/* Posts and sub-categories of `from` move to `into`; `from` is deleted.
	 * ERR_INVALID when into is from or inside it. */
	enum err (*category_merge)(struct store *st, int64_t from, int64_t into);

	/* tags */
	enum err (*tag_by_slug)(struct store *st, struct arena *a, const char *slug, struct tag *out);
	enum err (*tag_list)(struct store *st, struct arena *a, int64_t now, struct tag **out,
			     size_t *n);
	enum err (*tag_update)(struct store *st, int64_t id, const char *name, const char *slug);
	enum err (*tag_delete)(struct store *st, int64_t id);
	/* Every post tagged `from` gets `into` instead; `from` is deleted. */
	enum err (*tag_merge)(struct store *st, int64_t from, int64_t into);
	enum err (*post_tags)(struct store *st, struct arena *a, int64_t post_id, struct tag **out,
			      size_t *n);

	/* posts and pages */
	/* Create or update (in->id) with its tags in one transaction. Slug
	 * conflicts among posts of the same type give ERR_CONFLICT. */
	enum err (*post_save)(struct store *st, const struct post_input *in, int64_t *id);
	enum err (*post_get)(struct store *st, struct arena *a, int64_t id, struct post *out);
	/* By type and slug, any status. */
	enum err (*post_by_slug)(struct store *st, struct arena *a, enum post_type type,
				 const char *slug, struct post *out);
	/* The same, to show the post (public pages): every field but the
	 * Markdown source, which is neither read nor copied (body_md NULL),
	 * and the author's and category's names (author_login, author_name
	 * and category_* NULL: pages have them in their snapshot). Who edits,
	 * exports or re-renders a post reads post_by_slug. */
	enum err (*post_by_slug_html)(struct store *st, struct arena *a, enum post_type type,
				      const char *slug, struct post *out);
	enum err (*post_list)(struct store *st, struct arena *a, const struct post_query *q,
			      struct post **out, size_t *n, int64_t *total);
	enum err (*post_set_status)(struct store *st, int64_t id, enum post_status status,
				    int64_t published_at /* 0 = unchanged */);
	enum err (*post_delete)(struct store *st, int64_t id); /* for good, with its comments */
	/* Publish scheduled posts whose time has come; *n = how many. */
	enum err (*post_publish_due)(struct store *st, int64_t now, size_t *n);
	/* Months with public articles, newest first. */
	enum err (*archive_months)(struct store *st, struct arena *a, int64_t now,
				   struct archive_month **out, size_t *n);

	/* comments */
	/* Insert a new comment. The post must be a public article and the
	 * parent (if any) an approved comment of the same post, checked in the
	 * same transaction: ERR_NOTFOUND (post) or ERR_CONFLICT (parent) when
	 * not. Returns once the comment is committed. */
	enum err (*comment_add)(struct store *st, const struct comment *c, int64_t *id);
	enum err (*comment_get)(struct store *st, struct arena *a, int64_t id, struct comment *out);
	enum err (*comment_list)(struct store *st, struct arena *a, const struct comment_query *q,
				 struct comment **out, size_t *n, int64_t *total);
	/* The approved comments of a post, oldest first. */
	enum err (*comment_thread)(struct store *st, struct arena *a, int64_t post_id,
				   struct comment **out, size_t *n);
	enum err (*comment_signals)(struct store *st, const struct comment *c, int64_t since,
				    struct comment_signals *out);
	/* Change the status; in the same transaction the spam model learns
	 * from the decision: approved = ham, spam = spam (tokens are the
	 * comment's, from comment/spam.c; a comment that was learned under the
	 * other label is unlearned first). Other statuses keep what was
	 * learned. */
	enum err (*comment_set_status)(struct store *st, int64_t id, enum comment_status status,
				       const char *const *tokens, size_t ntokens);
	/* Delete for good; replies move up to the deleted comment's parent. */
	enum err (*comment_delete)(struct store *st, int64_t id);
	enum err (*spam_counts)(struct store *st, struct arena *a, const char *const *tokens,
				size_t n, struct spam_counts *out);
	/* Forget everything learned (before re-learning from history). */
	enum err (*spam_clear)(struct store *st);

	/* sitemaps */
	/* Public posts of a type, oldest first (published_at, id), rows
	 * [offset, offset + limit): each() sees id, type, slug, published_at,
	 * updated_at, parent_id and category_path filled (other strings NULL),
	 * so that large sitemaps need no arena. */
	enum err (*post_each_public)(struct store *st, enum post_type type, int64_t now,
				     int64_t offset, int64_t limit, post_each_fn each, void *ud);
	/* The same rows, after `lead` other URLs, cut into chunks of `size`:
	 * *n chunks holding rows, (*lastmod)[i] the newest max(published_at,
	 * updated_at) of the rows in chunk i. */
	enum err (*post_chunks)(struct store *st, struct arena *a, enum post_type type,
				int64_t now, int64_t size, int64_t lead, int64_t **lastmod,
				size_t *n);
	/* Every category (tree order, lastmod 0 when none directly in it), or
	 * the tags and authors with public articles (by slug / login). */
	enum err (*term_lastmods)(struct store *st, struct arena *a, enum term_kind kind,
				  int64_t now, struct term_mod **out, size_t *n);

	/* revisions (newest first in lists) */
	enum err (*revision_add)(struct store *st, const struct revision *r, int64_t *id);
	enum err (*revision_list)(struct store *st, struct arena *a, int64_t post_id,
				  struct revision **out, size_t *n);
	enum err (*revision_get)(struct store *st, struct arena *a, int64_t id,
				 struct revision *out);
	/* The newest saves, of any post or (author_id > 0) of one author's. */
	enum err (*revision_recent)(struct store *st, struct arena *a, int64_t author_id,
				    int64_t limit, struct revision **out, size_t *n);
	/* A page moved from from_path to to_path: redirect the old path (and
	 * every redirect that ended there) to the new one, and drop any
	 * redirect away from the new path, in one transaction. */
	enum err (*redirect_move)(struct store *st, const char *from_path, const char *to_path);

	/* media library (newest first in lists; get and list fill variants) */
	/* Add a medium with its variants in one transaction. */
	enum err (*media_add)(struct store *st, const struct media *m, int64_t *id);
	enum err (*media_get)(struct store *st, struct arena *a, int64_t id, struct media *out);
	enum err (*media_list)(struct store *st, struct arena *a, int64_t offset, int64_t limit,
			       struct media **out, size_t *n, int64_t *total);
	/* The MIME type of a stored file (a medium's or a variant's path);
	 * ERR_NOTFOUND for any other path. */
	enum err (*media_file)(struct store *st, struct arena *a, const char *path,
			       const char **mime);
	enum err (*media_set_alt)(struct store *st, int64_t id, const char *alt);
	/* Delete the rows (the caller removes the files). */
	enum err (*media_delete)(struct store *st, int64_t id);
	/* Posts (any status, at most 50) with id as featured image or whose
	 * Markdown contains needle (the medium's URL without extension). */
	enum err (*media_usage)(struct store *st, struct arena *a, int64_t id, const char *needle,
				struct post **out, size_t *n);

	/* back-office sign-in (not content: no change-log rows) */
	/* ERR_NOTFOUND, or ERR_CONFLICT when several users share the email. */
	enum err (*user_by_email)(struct store *st, struct arena *a, const char *email,
				  struct user *out);
	/* Add a session, dropping those created before prune_before. */
	enum err (*session_add)(struct store *st, const struct session *s, int64_t prune_before);
	enum err (*session_get)(struct store *st, struct arena *a, const char *token_hash,
				struct session *out);
	enum err (*session_touch)(struct store *st, const char *token_hash, int64_t at);
	enum err (*session_delete)(struct store *st, const char *token_hash);
	enum err (*session_delete_user)(struct store *st, int64_t user_id);
	/* Failed sign-ins under a key ("login:ann", "ip:192.0.2.1"). */
	enum err (*signin_failed)(struct store *st, const char *key, int64_t at,
				  int64_t prune_before);
	enum err (*signin_failures)(struct store *st, const char *key, int64_t since, int64_t *n);
	enum err (*signin_clear)(struct store *st, const char *key);

	/* redirects */
	enum err (*redirect_get)(struct store *st, struct arena *a, const char *from_path,
				 struct redirect *out);
	enum err (*redirect_set)(struct store *st, const struct redirect *r);
	/* every redirect, by from_path (exports) */
	enum err (*redirect_list)(struct store *st, struct arena *a, struct redirect **out,
				  size_t *n);

	/* imports (src/import/): which local row a source site's object
	 * became. kind is "user", "category", "tag", "post" or "comment";
	 * wp_id the id in the source. map_find looks in every source. */
	enum err (*import_map_get)(struct store *st, const char *source, const char *kind,
				   const char *wp_id, int64_t *id);
	enum err (*import_map_find)(struct store *st, const char *kind, const char *wp_id,
				    int64_t *id);
	enum err (*import_map_set)(struct store *st, const char *source, const char *kind,
				   const char *wp_id, int64_t id);
	/* A tag with this slug and name; ERR_CONFLICT when the slug is taken. */
	enum err (*tag_add)(struct store *st, const char *slug, const char *name, int64_t *id);
	/* Store an imported comment as it was (status, dates, address), on any
	 * post: insert when c->id is 0, else replace that comment's fields. */
	enum err (*comment_put)(struct store *st, const struct comment *c, int64_t *id);

	/* the navigation menu */
	/* Every item, by position then id (parents and children mixed). */
	enum err (*menu_get)(struct store *st, struct arena *a, struct menu_item **out, size_t *n);
	/* Replace the whole menu in one transaction (n = 0 empties it: the
	 * default menu shows again). Ids must be 1..n-unique and every
	 * parent_id one of them or 0: ERR_INVALID otherwise. */
	enum err (*menu_set)(struct store *st, const struct menu_item *items, size_t n);

	/* change log */
	/* Cheap check whether another connection/process wrote since the last
	 * call (SQLite: PRAGMA data_version). */
	enum err (*changed)(struct store *st, bool *yes);
	/* Optional (NULL: the caller sleeps): wait up to ms milliseconds, and
	 * return sooner with *announced when a change may have been announced
	 * (PostgreSQL: NOTIFY on the change-log channel, from any node), so a
	 * server purges within moments of another node's write instead of at
	 * its next poll. A false alarm costs one more changed() call. */
	enum err (*wait_change)(struct store *st, unsigned ms, bool *announced);
	enum err (*changes_since)(struct store *st, struct arena *a, int64_t after_id,
				  struct change **out, size_t *n);
	/* The newest change's id and time (0 and 0 when none), in one read:
	 * the time is every page's Last-Modified, and the id tells a page
	 * whether what it read before (view/snap.c) is still current. Either
	 * pointer may be NULL. */
	enum err (*change_last)(struct store *st, int64_t *id, int64_t *at);

	/* full-text search over public articles: all-items matches first,
	 * then by BM25 (title weighted highest) */
	enum err (*search)(struct store *st, struct arena *a, const struct search_request *q,
			   struct search_hit **out, size_t *n, int64_t *total);
	/* Words of the public articles as written (lower case): word itself
	 * when it is one (first, n = 1), else those sharing its first character
	 * within 2 of its length, most frequent first (for "did you mean"). */
	enum err (*spell_words)(struct store *st, struct arena *a, const char *word,
				struct spell_word **out, size_t *n);
	/* "You may also like": the first max public articles related to id
	 * (at most 8 are stored), best first, in *out; and, when ids is not
	 * NULL, every stored related id, public or not, in stored order (what
	 * related_ids gives) in *ids - both from one read of the list.
	 * The posts are cards: id, type, status, slug, title, category_id,
	 * published_at (also in created_at and updated_at) and
	 * featured_media_id; the texts are "", the rest 0 or NULL - a page
	 * has the categories in its snapshot, and shows no more of a related
	 * article.
	 * related_ids gives the ids alone. */
	enum err (*related)(struct store *st, struct arena *a, int64_t id, int64_t now,
			    size_t max, struct post **out, size_t *n, int64_t **ids, size_t *nids);
	enum err (*related_ids)(struct store *st, struct arena *a, int64_t id, int64_t **ids,
				size_t *n);
	enum err (*relate_all)(struct store *st, void (*progress)(int64_t done, int64_t total));
	/* Make the search index stem words of lang (BCP 47: Snowball for the
	 * languages it knows, porter for English, none otherwise), rebuilding
	 * it when that changes. */
	enum err (*search_language)(struct store *st, const char *lang,
				    void (*progress)(int64_t done, int64_t total));
	/* Rebuild the whole index; progress(done, total) is called as it goes. */
	enum err (*reindex)(struct store *st, void (*progress)(int64_t done, int64_t total));

	/* Reads between read_begin and read_end, on this thread, see one
	 * snapshot of the database (a page renders from one consistent state).
	 * No writes in between. Nests; read_end must follow every begin. */
	enum err (*read_begin)(struct store *st);
	void (*read_end)(struct store *st);

	/* copying a whole site into another store (store/copy.h, store_copy):
	 * the source side */
	/* Every row of table t in key order, to each() (its error stops the
	 * scan and is returned). Inside read_begin/read_end for one snapshot. */
	enum err (*copy_read)(struct store *st, enum copy_table t, copy_row_fn each, void *ud);
	/* Rows in table t: in the copy transaction when one is open, else in
	 * the thread's snapshot or now. */
	enum err (*copy_count)(struct store *st, enum copy_table t, int64_t *n);
	/* ... and the target side, one copy at a time per store, from one
	 * thread: open the transaction the rows are written in (ERR_CONFLICT,
	 * st->errmsg naming the table, when any table of copy.h holds rows);
	 * add a row of table t (tables in copy.h's order); after the last
	 * row, in the same transaction: sequences past the copied ids and the
	 * search index built in language lang (progress per article, may be
	 * NULL); then commit (ERR_OK) or roll back (commit false). */
	enum err (*copy_begin)(struct store *st);
	enum err (*copy_put)(struct store *st, enum copy_table t, const struct copy_value *row);
	enum err (*copy_finish)(struct store *st, const char *lang,
				void (*progress)(int64_t done, int64_t total));
	enum err (*copy_end)(struct store *st, bool commit);

	/* maintenance */
	enum err (*backup)(struct store *st, const char *dest_path);
	enum err (*schema_version)(struct store *st, int *version);
};

struct store {
	const struct store_ops *ops;
	void *impl;
	char errmsg[256]; /* why the last backup or copy failed (CLI use only) */
};

/* Open (creating and migrating the schema as needed) the database at url:
 * a SQLite file path, or later "postgres://...". */
enum err store_open(struct store **out, const char *url, char *errmsg, size_t errlen);
void store_close(struct store *st);

#define STORE_CALL(st, op, ...) ((st)->ops->op((st), __VA_ARGS__))

#endif
