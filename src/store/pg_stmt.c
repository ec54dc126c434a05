/* pg_stmt.c - every SQL statement of the PostgreSQL backend, in one table
 * indexed by enum pgs, prepared once per connection (pg_run.c). Values are
 * always bound ($N), never spliced. Each statement uses every parameter it
 * declares (PostgreSQL cannot type an unused one), so the numbering is this
 * file's own, not sqlite_stmt.c's; a parameter compared with a literal gets
 * an explicit type. Listings are composed by shape in pg_list.c. */
#include "store/pg_int.h"

/* Columns of a full post row, the Markdown source as md ("NULL": not
 * read, for post_by_slug_html); read by pg_row_post() in pg_posts.c. */
#define POST_COLS_MD(md)                                                                   \
	"p.id, p.type, p.status, p.slug, p.title, p.excerpt, "                              \
	md ", coalesce(b.body_html, ''), "                                                   \
	"p.author_id, p.category_id, p.parent_id, p.sticky, p.comments_open, "              \
	"p.published_at, p.created_at, p.updated_at, "                                      \
	"(SELECT count(*) FROM comments cm WHERE cm.post_id = p.id AND cm.status = 'approved'), " \
	"u.login, u.display_name, c.slug, c.name, c.path, p.summary, p.featured_media_id "
#define POST_COLS POST_COLS_MD("coalesce(b.body_md, '')")
#define POST_JOINS                                                                         \
	"FROM posts p LEFT JOIN users u ON u.id = p.author_id "                             \
	"LEFT JOIN categories c ON c.id = p.category_id "                                   \
	"LEFT JOIN post_bodies b ON b.post_id = p.id "
/* The public-visibility rule, with `now` a parameter ("$2"). */
#define VISIBLE(now) "p.status IN ('published','scheduled') AND p.published_at <= " now
#define USER_COLS "id, login, email, display_name, bio, pwhash, role, created_at "
/* Columns of a comment row, read by row_comment() in pg_comments.c. */
#define COMMENT_COLS                                                                       \
	"cm.id, cm.post_id, cm.parent_id, cm.status, cm.author_name, cm.author_email, "     \
	"cm.author_url, cm.author_ip, cm.author_net, cm.user_agent, cm.body_md, "           \
	"cm.body_html, cm.note, cm.spam_score, cm.created_at, cm.updated_at, "              \
	"coalesce(p.title, ''), cm.prev_status FROM comments cm LEFT JOIN posts p ON p.id = cm.post_id "
/* comment_query: $1 status ('' any), $2 post, $3 email (any case), $4
 * address, $5 public articles only as of that time (0 = any post). */
#define COMMENT_FILTERS                                                                    \
	"($1::text = '' OR cm.status = $1) AND ($2::bigint = 0 OR cm.post_id = $2) AND "    \
	"($3::text = '' OR lower(cm.author_email) = lower($3)) AND "                        \
	"($4::text = '' OR cm.author_ip = $4) "                                             \
	"AND ($5::bigint = 0 OR (p.type = 'post' AND " VISIBLE("$5") ")) "
#define MEDIA_COLS                                                                         \
	"m.id, m.path, m.orig_name, m.mime, m.width, m.height, m.bytes, m.alt, "            \
	"m.uploaded_at, m.user_id, coalesce(u.display_name, '') FROM media m "              \
	"LEFT JOIN users u ON u.id = m.user_id "
#define CAT_BARE "c.id, c.parent_id, c.slug, c.name, c.description, c.path, 0 "
#define CAT_COLS                                                                           \
	"c.id, c.parent_id, c.slug, c.name, c.description, c.path, "                        \
	"(SELECT count(*) FROM posts p WHERE p.category_id = c.id AND p.type = 'post' AND " \
	VISIBLE("$1") ") "
/* Tree order: parents before children, siblings by slug ('/' sorts first). */
#define TREE_ORDER "ORDER BY replace(c.path, '/', chr(1))"
/* Every category reachable from the top, with its path. */
#define TREE_CTE                                                                           \
	"WITH RECURSIVE t(id, path, depth) AS ("                                            \
	"SELECT id, slug COLLATE \"C\", 0 FROM categories WHERE parent_id = 0 "             \
	"UNION ALL SELECT c.id, (t.path || '/' || c.slug) COLLATE \"C\", t.depth + 1 "      \
	"FROM categories c JOIN t ON c.parent_id = t.id WHERE t.depth < 32) "

/* Search (pg_search.c): $1 and $2 are the positive and the excluded items,
 * one per line, a prefix item ending in '*' (pg_search.c turns the FTS5
 * expression of search/query.c into these). Each item becomes a tsquery
 * (a phrase in the index's configuration; a prefix unstemmed, as SQLite
 * does); `query` is any positive item and no excluded one. */
#define SEARCH_ITEMS(name, param)                                                          \
	name " AS (SELECT CASE WHEN right(l, 1) = '*' AND "                                 \
	"numnode(phraseto_tsquery('simple', left(l, -1))) > 0 THEN "                        \
	"(phraseto_tsquery('simple', left(l, -1))::text || ':*')::tsquery "                 \
	"ELSE phraseto_tsquery((SELECT cfg FROM search_config), l) END AS q "                \
	"FROM regexp_split_to_table(" param "::text, E'\\n') AS l WHERE l != ''), "
#define SEARCH_CTE                                                                         \
	"WITH " SEARCH_ITEMS("pos", "$1") SEARCH_ITEMS("neg", "$2")                          \
	"query AS (SELECT CASE WHEN n.q IS NULL THEN p.q ELSE p.q && !! n.q END AS q "        \
	"FROM (SELECT gz_or(q) AS q FROM pos WHERE numnode(q) > 0) p, "                     \
	"(SELECT gz_or(q) AS q FROM neg WHERE numnode(q) > 0) n) "
/* public, and the optional filters: $4 category (with its subtree), $5 tag,
 * $6 author, $7 and $8 the date range (0 = none) */
#define SEARCH_WHERE                                                                       \
	"WHERE s.doc @@ query.q AND " VISIBLE("$3")                                         \
	" AND ($4::bigint = 0 OR p.category_id IN (WITH RECURSIVE sub(id, depth) AS ("       \
	"SELECT $4::bigint, 0 UNION ALL SELECT c2.id, sub.depth + 1 FROM categories c2 "     \
	"JOIN sub ON c2.parent_id = sub.id WHERE sub.depth < 32) SELECT id FROM sub)) "      \
	"AND ($5::bigint = 0 OR p.id IN (SELECT post_id FROM post_tags WHERE tag_id = $5)) " \
	"AND ($6::bigint = 0 OR p.author_id = $6) AND ($7::bigint = 0 OR p.published_at >= $7) " \
	"AND ($8::bigint = 0 OR p.published_at < $8) "
/* Rank weights D (body), C (category, author), B (excerpt, tags), A (title):
 * SQLite's BM25 weights 1, 2, 3-4, 10 in PostgreSQL's four classes. */
#define SEARCH_WEIGHTS "'{0.1, 0.2, 0.35, 1.0}'"

const char *const pg_stmt_sql[G__MAX] = {
	/* The id comes back, and is announced to LISTENing servers at commit. */
	[G_CHANGE_ADD] = "WITH ins AS (INSERT INTO changes(at, kind, object_id, detail) "
			 "VALUES ($1, $2, $3, $4) RETURNING id) "
			 "SELECT id, pg_notify('" PG_CHANNEL "', id::text) FROM ins",

	[G_SETTING_GET] = "SELECT value FROM settings WHERE key = $1",
	[G_SETTING_SET] = "INSERT INTO settings(key, value) VALUES ($1, $2) "
			  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[G_SETTING_LIST] = "SELECT key, value FROM settings ORDER BY key",

	[G_USER_ADD] = "INSERT INTO users(login, email, display_name, bio, pwhash, role, created_at) "
		       "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	[G_USER_GET] = "SELECT " USER_COLS "FROM users WHERE id = $1",
	[G_USER_BY_LOGIN] = "SELECT " USER_COLS "FROM users WHERE login = $1",
	[G_USER_LIST] = "SELECT " USER_COLS "FROM users ORDER BY login",
	[G_USER_UPDATE] = "UPDATE users SET email = $2, display_name = $3, bio = $4, pwhash = $5, "
			  "role = $6 WHERE id = $1",
	[G_USER_BY_EMAIL] = "SELECT " USER_COLS "FROM users WHERE lower(email) = lower($1) "
			    "ORDER BY id LIMIT 2",

	[G_CAT_ADD] = "INSERT INTO categories(parent_id, slug, name, description, path) "
		      "VALUES ($1, $2, $3, $4, $2) RETURNING id",
	/* Single lookups carry no post count (0): counting reads the posts. */
	[G_CAT_GET] = "SELECT " CAT_BARE "FROM categories c WHERE c.id = $1",
	[G_CAT_BY_PATH] = "SELECT " CAT_BARE "FROM categories c WHERE c.path = $1",
	[G_CAT_BY_SLUG] = "SELECT " CAT_BARE "FROM categories c WHERE c.slug = $1",
	[G_CAT_LIST] = "SELECT " CAT_COLS "FROM categories c " TREE_ORDER,
	[G_CAT_LIST_BARE] = "SELECT " CAT_BARE "FROM categories c " TREE_ORDER,
	[G_CAT_UPDATE] = "UPDATE categories SET parent_id = $2, slug = $3, name = $4, "
			 "description = $5 WHERE id = $1",
	[G_CAT_DELETE] = "DELETE FROM categories WHERE id = $1",
	[G_CAT_REPARENT_CHILDREN] = "UPDATE categories SET parent_id = $2 WHERE parent_id = $1",
	[G_CAT_MOVE_POSTS] = "UPDATE posts SET category_id = $2 WHERE category_id = $1",
	/* categories not reachable from the top (a cycle): must be 0 */
	[G_CAT_UNREACHABLE] = TREE_CTE "SELECT (SELECT count(*) FROM categories) - "
				       "(SELECT count(*) FROM t)",
	/* every path from the tree, in one statement (path's UNIQUE is checked
	 * at its end, so a subtree can move) */
	[G_CAT_SET_PATHS] = TREE_CTE "UPDATE categories c SET path = t.path FROM t "
				     "WHERE c.id = t.id AND c.path IS DISTINCT FROM t.path",

	[G_TAG_BY_SLUG] = "SELECT t.id, t.slug, t.name, (SELECT count(*) FROM post_tags pt "
			  "JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = t.id AND p.type = 'post' "
			  "AND " VISIBLE("$2") ") FROM tags t WHERE t.slug = $1",
	[G_TAG_ID_BY_SLUG] = "SELECT id FROM tags WHERE slug = $1",
	[G_TAG_ADD] = "INSERT INTO tags(slug, name) VALUES ($1, $2) RETURNING id",
	[G_TAG_LIST] = "SELECT t.id, t.slug, t.name, (SELECT count(*) FROM post_tags pt "
		       "JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = t.id AND p.type = 'post' "
		       "AND " VISIBLE("$1") ") FROM tags t ORDER BY t.name, t.id",
	[G_TAG_UPDATE] = "UPDATE tags SET name = $2, slug = $3 WHERE id = $1",
	[G_TAG_DELETE] = "DELETE FROM tags WHERE id = $1",
	[G_TAG_RELINK] = "INSERT INTO post_tags(post_id, tag_id) SELECT post_id, $2::bigint FROM "
			 "post_tags WHERE tag_id = $1 ON CONFLICT DO NOTHING",
	[G_POST_TAGS] = "SELECT t.id, t.slug, t.name, 0 FROM post_tags pt JOIN tags t "
			"ON t.id = pt.tag_id WHERE pt.post_id = $1 ORDER BY t.name, t.id",
	[G_POST_TAGS_CLEAR] = "DELETE FROM post_tags WHERE post_id = $1",
	[G_POST_TAG_LINK] = "INSERT INTO post_tags(post_id, tag_id) VALUES ($1, $2) "
			    "ON CONFLICT DO NOTHING",

	/* Insert and update share $2..$11, $13 and $14 (pg_posts.c). */
	[G_POST_INSERT] = "INSERT INTO posts(type, status, slug, title, excerpt, author_id, "
			  "category_id, parent_id, sticky, comments_open, published_at, created_at, "
			  "updated_at, summary, featured_media_id) VALUES ($1, $2, $3, $4, $5, $6, "
			  "$7, $8, $9, $10, $11, $12, LEAST($11::bigint, $12::bigint), $13, "
			  "GREATEST($14::bigint, 0)) RETURNING id",
	[G_POST_UPDATE] = "UPDATE posts SET status = $2, slug = coalesce($3, slug), "
			  "title = coalesce($4, title), excerpt = coalesce($5, excerpt), "
			  "author_id = $6, category_id = $7, parent_id = $8, sticky = $9, "
			  "comments_open = $10, published_at = $11, updated_at = $12, "
			  "summary = coalesce($13, summary), featured_media_id = CASE WHEN "
			  "$14::bigint >= 0 THEN $14::bigint ELSE featured_media_id END WHERE id = $1",
	[G_BODY_SAVE] = "INSERT INTO post_bodies(post_id, body_md, body_html) "
			"VALUES ($1, coalesce($2::text, ''), coalesce($3::text, '')) "
			"ON CONFLICT(post_id) DO UPDATE SET "
			"body_md = coalesce($2::text, post_bodies.body_md), "
			"body_html = coalesce($3::text, post_bodies.body_html)",
	[G_POST_FACETS] = "SELECT type, status, category_id, author_id, published_at, parent_id, "
			  "title, slug, EXISTS (SELECT 1 FROM menu_items WHERE kind = 'post' "
			  "AND target_id = $1) FROM posts WHERE id = $1",
	[G_POST_TAG_IDS] = "SELECT tag_id FROM post_tags WHERE post_id = $1 ORDER BY tag_id",
	[G_POST_GET] = "SELECT " POST_COLS POST_JOINS "WHERE p.id = $1",
	[G_POST_BY_SLUG] = "SELECT " POST_COLS POST_JOINS "WHERE p.type = $1 AND p.slug = $2",
	/* POST_COLS' places without the Markdown, the author's and the
	 * category's names (store.h) */
	[G_POST_BY_SLUG_HTML] = "SELECT " "p.id, p.type, p.status, p.slug, p.title, p.excerpt, NULL, coalesce(b.body_html, ''), "
				"p.author_id, p.category_id, p.parent_id, p.sticky, p.comments_open, "
				"p.published_at, p.created_at, p.updated_at, (SELECT count(*) FROM "
				"comments cm WHERE cm.post_id = p.id AND cm.status = 'approved'), NULL, "
				"NULL, NULL, NULL, NULL, p.summary, p.featured_media_id "
				"FROM posts p LEFT JOIN post_bodies b ON b.post_id = p.id "
				"WHERE p.type = $1 AND p.slug = $2",
	[G_POST_SET_STATUS] = "UPDATE posts SET status = $2, published_at = CASE WHEN "
			      "$3::bigint > 0 THEN $3::bigint ELSE published_at END, "
			      "updated_at = $4 WHERE id = $1",
	[G_POST_DELETE] = "DELETE FROM posts WHERE id = $1",
	[G_POST_DUE] = "SELECT id FROM posts WHERE type IN ('post', 'page') "
		       "AND status = 'scheduled' AND published_at <= $1 ORDER BY id LIMIT 256",
	[G_POST_PUBLISH] = "UPDATE posts SET status = 'published' WHERE id = $1 "
			   "AND status = 'scheduled'",
	/* months in the process's time zone ($2, as SQLite's 'localtime') */
	[G_ARCHIVE_MONTHS] = "SELECT y, m, count(*) FROM (SELECT "
			     "extract(year FROM to_timestamp(p.published_at) AT TIME ZONE $2::text)::int AS y, "
			     "extract(month FROM to_timestamp(p.published_at) AT TIME ZONE $2::text)::int AS m "
			     "FROM posts p WHERE p.type = 'post' AND " VISIBLE("$1")
			     ") x GROUP BY y, m ORDER BY y DESC, m DESC",

	[G_REDIRECT_GET] = "SELECT from_path, to_path, status FROM redirects WHERE from_path = $1",
	[G_REDIRECT_LIST] = "SELECT from_path, to_path, status FROM redirects ORDER BY from_path",
	[G_REDIRECT_SET] = "INSERT INTO redirects(from_path, to_path, status) VALUES ($1, $2, $3) "
			   "ON CONFLICT(from_path) DO UPDATE SET to_path = excluded.to_path, "
			   "status = excluded.status",
	[G_REDIRECT_RETARGET] = "UPDATE redirects SET to_path = $2 WHERE to_path = $1",
	[G_REDIRECT_DELETE] = "DELETE FROM redirects WHERE from_path = $1",

	[G_CHANGES_SINCE] = "SELECT id, at, kind, object_id, detail FROM changes WHERE id > $1 "
			    "ORDER BY id LIMIT 1000",
	[G_CHANGE_NEWEST] = "SELECT id, at FROM changes ORDER BY id DESC LIMIT 1",

	/* comments */
	[G_CM_POST_OK] = "SELECT 1 FROM posts p WHERE p.id = $1 AND p.type = 'post' AND " VISIBLE("$2"),
	[G_CM_PARENT_OK] = "SELECT 1 FROM comments WHERE id = $1 AND post_id = $2 AND "
			   "status = 'approved'",
	[G_CM_INSERT] = "INSERT INTO comments(post_id, parent_id, status, author_name, author_email, "
			"author_url, author_ip, author_net, user_agent, body_md, body_html, note, "
			"spam_score, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
			"$9, $10, $11, $12, $13, $14, $14) RETURNING id",
	[G_CM_GET] = "SELECT " COMMENT_COLS "WHERE cm.id = $1",
	[G_CM_LIST] = "SELECT " COMMENT_COLS "WHERE " COMMENT_FILTERS
		      "ORDER BY cm.id DESC LIMIT $6 OFFSET $7",
	[G_CM_COUNT] = "SELECT count(*) FROM comments cm LEFT JOIN posts p ON p.id = cm.post_id "
		       "WHERE " COMMENT_FILTERS,
	[G_CM_THREAD] = "SELECT " COMMENT_COLS "WHERE cm.post_id = $1 AND cm.status = 'approved' "
			"ORDER BY cm.created_at, cm.id",
	[G_CM_BY_EMAIL] = "SELECT count(*) FROM (SELECT 1 FROM comments WHERE "
			  "lower(author_email) = lower($1) AND status = 'approved' LIMIT 1000) x",
	[G_CM_BY_IP] = "SELECT count(*) FROM comments WHERE author_ip = $1 AND created_at >= $2",
	[G_CM_BY_NET] = "SELECT count(*) FROM comments WHERE author_net = $1 AND created_at >= $2",
	[G_CM_DUP] = "SELECT 1 FROM comments WHERE post_id = $1 AND (lower(author_email) = "
		     "lower($2) OR author_ip = $3) AND body_md = $4 AND status != 'trash' LIMIT 1",
	[G_CM_STATE] = "SELECT status, learned, post_id FROM comments WHERE id = $1",
	[G_CM_SET_STATUS] = "UPDATE comments SET prev_status = CASE WHEN status = $2 THEN "
			    "prev_status ELSE status END, status = $2, learned = $3, updated_at = $4 "
			    "WHERE id = $1",
	[G_CM_REPARENT] = "UPDATE comments SET parent_id = (SELECT parent_id FROM comments WHERE "
			  "id = $1) WHERE parent_id = $1",
	[G_CM_DELETE] = "DELETE FROM comments WHERE id = $1",
	/* per token asked for ($1, a text[]), in order: ham and spam counts */
	[G_SPAM_GET] = "SELECT t.i, coalesce(s.ham, 0), coalesce(s.spam, 0) "
		       "FROM unnest($1::text[]) WITH ORDINALITY AS t(token, i) "
		       "LEFT JOIN spam_tokens s ON s.token = t.token",
	/* add $2 ham and $3 spam documents (+1 or -1, never below 0) per
	 * occurrence of each token in $1 (the writer holds the write lock: no
	 * other insert can race) */
	[G_SPAM_LEARN] = "WITH d AS (SELECT t, count(*) AS k FROM unnest($1::text[]) AS t GROUP BY t), "
			 "up AS (UPDATE spam_tokens s SET ham = GREATEST(0, s.ham + $2::bigint * d.k), "
			 "spam = GREATEST(0, s.spam + $3::bigint * d.k) FROM d WHERE s.token = d.t "
			 "RETURNING s.token) "
			 "INSERT INTO spam_tokens(token, ham, spam) SELECT d.t, "
			 "GREATEST(0, $2::bigint * d.k), GREATEST(0, $3::bigint * d.k) FROM d "
			 "WHERE d.t NOT IN (SELECT token FROM up)",
	[G_SPAM_CLEAR] = "DELETE FROM spam_tokens",
	[G_SPAM_FORGET] = "UPDATE comments SET learned = '' WHERE learned != ''",

	/* back-office sessions and sign-in throttling */
	[G_SESSION_ADD] = "INSERT INTO sessions(token_hash, user_id, csrf, created_at, seen_at, ip) "
			  "VALUES ($1, $2, $3, $4, $4, $5)",
	[G_SESSION_PRUNE] = "DELETE FROM sessions WHERE created_at < $1",
	[G_SESSION_GET] = "SELECT token_hash, user_id, csrf, created_at, seen_at, ip FROM sessions "
			  "WHERE token_hash = $1",
	[G_SESSION_TOUCH] = "UPDATE sessions SET seen_at = $2 WHERE token_hash = $1",
	[G_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = $1",
	[G_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = $1",
	[G_SIGNIN_FAIL] = "INSERT INTO signin_failures(key, at) VALUES ($1, $2)",
	[G_SIGNIN_COUNT] = "SELECT count(*) FROM signin_failures WHERE key = $1 AND at >= $2",
	[G_SIGNIN_CLEAR] = "DELETE FROM signin_failures WHERE key = $1",
	[G_SIGNIN_PRUNE] = "DELETE FROM signin_failures WHERE key = $1 AND at < $2",

	/* revisions */
	[G_REV_ADD] = "INSERT INTO post_revisions(post_id, user_id, saved_at, title, excerpt, "
		      "body_md) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	[G_REV_OF_POST] = "INSERT INTO post_revisions(post_id, user_id, saved_at, title, excerpt, "
			  "body_md) SELECT p.id, $2, $3, p.title, p.excerpt, coalesce(b.body_md, '') "
			  "FROM posts p LEFT JOIN post_bodies b ON b.post_id = p.id WHERE p.id = $1 "
			  "RETURNING id",
	[G_REV_LIST] = "SELECT r.id, r.post_id, r.user_id, r.saved_at, r.title, '', '', "
		       "coalesce(u.display_name, '') FROM post_revisions r LEFT JOIN users u ON "
		       "u.id = r.user_id WHERE r.post_id = $1 ORDER BY r.id DESC",
	[G_REV_GET] = "SELECT r.id, r.post_id, r.user_id, r.saved_at, r.title, r.excerpt, r.body_md, "
		      "coalesce(u.display_name, '') FROM post_revisions r LEFT JOIN users u ON "
		      "u.id = r.user_id WHERE r.id = $1",
	[G_REV_RECENT] = "SELECT r.id, r.post_id, r.user_id, r.saved_at, r.title, '', '', "
			 "coalesce(u.display_name, '') FROM post_revisions r LEFT JOIN users u ON "
			 "u.id = r.user_id JOIN posts p ON p.id = r.post_id "
			 "WHERE $1::bigint = 0 OR p.author_id = $1 ORDER BY r.id DESC LIMIT $2",

	/* imports */
	[G_MAP_GET] = "SELECT local_id FROM import_map WHERE source = $1 AND kind = $2 AND wp_id = $3",
	[G_MAP_FIND] = "SELECT local_id FROM import_map WHERE kind = $1 AND wp_id = $2 "
		       "ORDER BY source LIMIT 1",
	[G_MAP_SET] = "INSERT INTO import_map(source, kind, wp_id, local_id) VALUES ($1, $2, $3, $4) "
		      "ON CONFLICT(source, kind, wp_id) DO UPDATE SET local_id = excluded.local_id",
	/* imported comments keep their status and dates; prev_status = status */
	[G_CM_IMPORT_INSERT] = "INSERT INTO comments(post_id, parent_id, status, author_name, "
			       "author_email, author_url, author_ip, author_net, user_agent, body_md, "
			       "body_html, note, spam_score, created_at, updated_at, prev_status) "
			       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
			       "$14, $3) RETURNING id",
	/* $12 = the comment's id, $13 = now */
	[G_CM_IMPORT_UPDATE] = "UPDATE comments SET post_id = $1, parent_id = $2, status = $3, "
			       "author_name = $4, author_email = $5, author_url = $6, author_ip = $7, "
			       "author_net = $8, user_agent = $9, body_md = $10, body_html = $11, "
			       "created_at = $14, updated_at = $13 WHERE id = $12",
	[G_POST_EXISTS] = "SELECT status = 'published' AND type = 'post' FROM posts WHERE id = $1",

	/* sitemaps: public posts oldest first; the chunks of the same order */
	[G_SITEMAP_EACH] = "SELECT p.id, p.slug, p.published_at, p.updated_at, p.parent_id, "
			   "c.path FROM posts p LEFT JOIN categories c ON c.id = p.category_id "
			   "WHERE p.type = $1 AND " VISIBLE("$2")
			   " ORDER BY p.published_at, p.id LIMIT $3 OFFSET $4",
	[G_SITEMAP_CHUNKS] = "SELECT (rn - 1 + $4::bigint) / $3::bigint, max(m) FROM (SELECT "
			     "row_number() OVER (ORDER BY p.published_at, p.id) AS rn, "
			     "GREATEST(p.published_at, p.updated_at) AS m FROM posts p "
			     "WHERE p.type = $1 AND " VISIBLE("$2") ") x GROUP BY 1 ORDER BY 1",
	[G_TERM_CATEGORIES] = "SELECT c.id, c.parent_id, c.path, coalesce((SELECT "
			      "max(GREATEST(p.published_at, p.updated_at)) FROM posts p "
			      "WHERE p.category_id = c.id AND p.type = 'post' AND " VISIBLE("$1")
			      "), 0) FROM categories c " TREE_ORDER,
	[G_TERM_TAGS] = "SELECT t.id, 0, t.slug, max(GREATEST(p.published_at, p.updated_at)) "
			"FROM tags t JOIN post_tags pt ON pt.tag_id = t.id JOIN posts p "
			"ON p.id = pt.post_id WHERE p.type = 'post' AND " VISIBLE("$1")
			" GROUP BY t.id ORDER BY t.slug",
	[G_TERM_AUTHORS] = "SELECT u.id, 0, u.login, max(GREATEST(p.published_at, p.updated_at)) "
			   "FROM users u JOIN posts p ON p.author_id = u.id "
			   "WHERE p.type = 'post' AND " VISIBLE("$1")
			   " GROUP BY u.id ORDER BY u.login",

	/* media library */
	[G_MEDIA_ADD] = "INSERT INTO media(path, orig_name, mime, width, height, bytes, alt, "
			"uploaded_at, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
	[G_MEDIA_VARIANT_ADD] = "INSERT INTO media_variants(media_id, width, height, bytes, path, "
				"mime) VALUES ($1, $2, $3, $4, $5, $6)",
	[G_MEDIA_GET] = "SELECT " MEDIA_COLS "WHERE m.id = $1",
	[G_MEDIA_LIST] = "SELECT " MEDIA_COLS "ORDER BY m.id DESC LIMIT $1 OFFSET $2",
	[G_MEDIA_COUNT] = "SELECT count(*) FROM media",
	[G_MEDIA_VARIANTS] = "SELECT width, height, bytes, path, mime FROM media_variants "
			     "WHERE media_id = $1 ORDER BY width",
	[G_MEDIA_FILE] = "SELECT mime FROM media WHERE path = $1 UNION ALL "
			 "SELECT mime FROM media_variants WHERE path = $1 LIMIT 1",
	[G_MEDIA_SET_ALT] = "UPDATE media SET alt = $2 WHERE id = $1",
	/* its variants go with it (ON DELETE CASCADE) */
	[G_MEDIA_DELETE] = "DELETE FROM media WHERE id = $1",
	[G_MEDIA_USAGE] = "SELECT " PG_POST_LIST_COLS "FROM posts p "
			  "LEFT JOIN users u ON u.id = p.author_id "
			  "LEFT JOIN categories c ON c.id = p.category_id "
			  "LEFT JOIN post_bodies b ON b.post_id = p.id "
			  "WHERE p.featured_media_id = $1 OR strpos(b.body_md, $2) > 0 "
			  "ORDER BY p.id LIMIT 50",

	/* the search index: the text of one public article */
	[G_FTS_SOURCE] = "SELECT p.title, CASE WHEN p.excerpt != '' THEN p.excerpt ELSE p.summary END, "
			 "coalesce(b.body_md, ''), coalesce((SELECT string_agg(t.name, ' ' ORDER BY t.name) "
			 "FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id), ''), "
			 "coalesce(c.name, ''), coalesce(u.display_name, '') FROM posts p "
			 "LEFT JOIN post_bodies b ON b.post_id = p.id "
			 "LEFT JOIN categories c ON c.id = p.category_id "
			 "LEFT JOIN users u ON u.id = p.author_id "
			 "WHERE p.id = $1 AND p.type = 'post' AND p.status IN ('published','scheduled')",
	/* $2 title, $3 excerpt, $4 body (plain text), $5 tags, $6 category, $7 author */
	[G_FTS_PUT] = "INSERT INTO posts_search(post_id, title, excerpt, body, tags, category, author, "
		      "doc, words) SELECT $1, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, "
		      "setweight(to_tsvector(g.cfg, $2::text), 'A') || "
		      "setweight(to_tsvector(g.cfg, $3::text || ' ' || $5::text), 'B') || "
		      "setweight(to_tsvector(g.cfg, $6::text || ' ' || $7::text), 'C') || "
		      "setweight(to_tsvector(g.cfg, $4::text), 'D'), "
		      "to_tsvector('simple', concat_ws(' ', $2::text, $3::text, $4::text, $5::text, "
		      "$6::text, $7::text)) FROM search_config g "
		      "ON CONFLICT (post_id) DO UPDATE SET title = excluded.title, "
		      "excerpt = excluded.excerpt, body = excluded.body, tags = excluded.tags, "
		      "category = excluded.category, author = excluded.author, doc = excluded.doc, "
		      "words = excluded.words",
	[G_FTS_DELETE] = "DELETE FROM posts_search WHERE post_id = $1",
	[G_FTS_CLEAR] = "DELETE FROM posts_search",
	[G_FTS_BY_TAG] = "SELECT post_id FROM post_tags WHERE tag_id = $1",
	[G_FTS_BY_CATEGORY] = "SELECT id FROM posts WHERE category_id = $1 AND type = 'post'",
	[G_FTS_BY_AUTHOR] = "SELECT id FROM posts WHERE author_id = $1 AND type = 'post'",
	[G_ARTICLE_IDS] = "SELECT id FROM posts WHERE type = 'post' AND id > $1 ORDER BY id",
	/* the spelling vocabulary follows the index: out before a row changes,
	 * in after (words left at 0 documents are ignored, and cleared by a
	 * rebuild) */
	[G_SPELL_FORGET] = "WITH old AS (SELECT unnest(tsvector_to_array(words)) AS word "
			   "FROM posts_search WHERE post_id = $1) "
			   "UPDATE spell_words w SET docs = w.docs - 1 FROM old WHERE w.word = old.word",
	[G_SPELL_ADD] = "INSERT INTO spell_words(word, docs) SELECT unnest(tsvector_to_array(words)), 1 "
			"FROM posts_search WHERE post_id = $1 "
			"ON CONFLICT (word) DO UPDATE SET docs = spell_words.docs + 1",
	[G_SPELL_CLEAR] = "DELETE FROM spell_words",
	/* the whole vocabulary at once, from a complete (rebuilt) index */
	[G_SPELL_FILL] = "INSERT INTO spell_words(word, docs) SELECT w, count(*) FROM posts_search, "
			 "unnest(tsvector_to_array(words)) AS w GROUP BY w",
	[G_SPELL_HAS] = "SELECT word, docs FROM spell_words WHERE word = $1 AND docs > 0",
	/* words starting with the same character, of about the same length */
	[G_SPELL_NEAR] = "SELECT word, docs FROM spell_words WHERE word >= $1 AND word < $2 AND "
			 "char_length(word) BETWEEN $3 AND $4 AND docs > 0 "
			 "ORDER BY docs DESC, word LIMIT 20000",
	/* Columns 0-23 as a listing (pg_row_post), then matched items, rank,
	 * snippet. The page is chosen first, so only its rows get a headline. */
	[G_SEARCH] = SEARCH_CTE "SELECT " PG_POST_LIST_COLS ", m.matched, m.rank, "
		     "ts_headline((SELECT cfg FROM search_config), "
		     "concat_ws(' ', nullif(s.excerpt, ''), s.body), (SELECT q FROM query), "
		     "'StartSel=' || chr(1) || ', StopSel=' || chr(2) || "
		     "', MaxWords=24, MinWords=12, MaxFragments=1') "
		     "FROM (SELECT s.post_id, (SELECT count(*) FROM pos WHERE numnode(pos.q) > 0 "
		     "AND s.doc @@ pos.q) AS matched, "
		     "ts_rank(" SEARCH_WEIGHTS ", s.doc, query.q, 1) AS rank, "
		     "p.published_at FROM posts_search s JOIN posts p ON p.id = s.post_id, query "
		     SEARCH_WHERE "ORDER BY 2 DESC, 3 DESC, 4 DESC, 1 DESC LIMIT $9 OFFSET $10) m "
		     "JOIN posts p ON p.id = m.post_id JOIN posts_search s ON s.post_id = m.post_id "
		     "LEFT JOIN users u ON u.id = p.author_id "
		     "LEFT JOIN categories c ON c.id = p.category_id "
		     "ORDER BY m.matched DESC, m.rank DESC, p.published_at DESC, p.id DESC",
	[G_SEARCH_COUNT] = SEARCH_CTE "SELECT count(*) FROM posts_search s "
			   "JOIN posts p ON p.id = s.post_id, query " SEARCH_WHERE,
	/* a search's time budget, for its transaction (or savepoint) only */
	[G_SEARCH_TIMEOUT] = "SELECT set_config('statement_timeout', $1, true)",
	[G_SEARCH_CFG] = "SELECT cfg::text FROM search_config",
	[G_SEARCH_CFG_SET] = "UPDATE search_config SET cfg = $1::regconfig",
	[G_TS_CONFIG_EXISTS] = "SELECT 1 FROM pg_ts_config WHERE cfgname = $1",
	/* related articles (pg_related.c, migration 3); arrays carry a whole
	 * vector, list or set of terms in one round trip */
	[G_REL_TEXT] = "SELECT title, body, tags FROM posts_search WHERE post_id = $1",
	[G_REL_DOC_GET] = "SELECT terms, vector FROM related_docs WHERE post_id = $1",
	[G_REL_DOC_PUT] = "INSERT INTO related_docs(post_id, terms, vector) "
			  "VALUES ($1, $2::bytea, $3::bytea) ON CONFLICT (post_id) DO UPDATE "
			  "SET terms = excluded.terms, vector = excluded.vector",
	[G_REL_DOC_DEL] = "DELETE FROM related_docs WHERE post_id = $1",
	/* $1 terms (distinct), $2 their deltas */
	[G_REL_DF_ADD] = "INSERT INTO related_df(term, df) "
			 "SELECT t, d FROM unnest($1::bigint[], $2::bigint[]) AS x(t, d) "
			 "ON CONFLICT (term) DO UPDATE SET df = related_df.df + excluded.df",
	[G_REL_DF_PRUNE] = "DELETE FROM related_df WHERE term = ANY($1::bigint[]) AND df <= 0",
	[G_REL_DF_GET] = "SELECT coalesce(d.df, 0) FROM unnest($1::bigint[]) WITH ORDINALITY "
			 "AS x(term, i) LEFT JOIN related_df d ON d.term = x.term ORDER BY x.i",
	/* $1 terms, $2 weights of article $3 */
	[G_REL_POSTING_ADD] = "INSERT INTO related_postings(term, weight, post_id) "
			      "SELECT t, w, $3 FROM unnest($1::bigint[], $2::float8[]) AS x(t, w) "
			      "ON CONFLICT DO NOTHING",
	[G_REL_POSTING_DEL] = "DELETE FROM related_postings p USING unnest($1::bigint[], "
			      "$2::float8[]) AS x(t, w) WHERE p.term = x.t AND p.weight = x.w "
			      "AND p.post_id = $3",
	/* the $2 heaviest postings of each term of $1, by the term's place */
	[G_REL_POSTINGS] = "SELECT x.i, p.post_id, p.weight FROM unnest($1::bigint[]) "
			   "WITH ORDINALITY AS x(term, i) CROSS JOIN LATERAL (SELECT post_id, weight "
			   "FROM related_postings WHERE term = x.term "
			   "ORDER BY weight DESC, post_id DESC LIMIT $2) p "
			   "ORDER BY x.i, p.weight DESC, p.post_id DESC",
	/* candidates $1 against article $2: same category, seconds apart,
	 * shared tags (a candidate gone has no row) */
	[G_REL_FACETS] = "SELECT x.i, p.category_id <> 0 AND p.category_id = me.category_id, "
			 "p.published_at - me.published_at, "
			 "(SELECT count(*) FROM post_tags y JOIN post_tags z ON z.tag_id = y.tag_id "
			 "AND z.post_id = $2 WHERE y.post_id = p.id) "
			 "FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, i) "
			 "JOIN posts p ON p.id = x.id JOIN posts me ON me.id = $2",
	[G_REL_SCORES] = "SELECT related_id, score FROM related WHERE post_id = $1 ORDER BY rank",
	[G_REL_CLEAR] = "DELETE FROM related WHERE post_id = $1",
	[G_REL_PUT] = "INSERT INTO related(post_id, rank, related_id, score) "
		      "SELECT $1, x.i - 1, x.r, x.s FROM unnest($2::bigint[], $3::float8[]) "
		      "WITH ORDINALITY AS x(r, s, i)",
	[G_REL_LISTED_BY] = "SELECT post_id FROM related WHERE related_id = $1",
	[G_REL_OF] = "SELECT related_id FROM related WHERE post_id = $1 ORDER BY rank",
	/* every stored related id, and whether it is public (then its
	 * listing columns are the post): related_ids and the public ones in
	 * one read */
	[G_REL_LIST] = "SELECT p.id, p.type, p.status, p.slug, p.title, p.category_id, "
		       "p.published_at, p.featured_media_id, r.related_id, "
		       "coalesce((" VISIBLE("$2") "), false) "
		       "FROM related r LEFT JOIN posts p ON p.id = r.related_id "
		       "WHERE r.post_id = $1 ORDER BY r.rank",
	[G_REL_CLEAR_DOCS] = "DELETE FROM related_docs",
	[G_REL_CLEAR_POSTINGS] = "DELETE FROM related_postings",
	[G_REL_CLEAR_DF] = "DELETE FROM related_df",

	/* the navigation menu (pg_menu.c, migration 4) */
	[G_MENU_GET] = "SELECT id, parent_id, position, kind, label, url, target_id FROM menu_items "
		       "ORDER BY position, id",
	[G_MENU_CLEAR] = "DELETE FROM menu_items",
	[G_MENU_ADD] = "INSERT INTO menu_items(id, parent_id, position, kind, label, url, target_id) "
		       "VALUES ($1, $2, $3, $4, $5, $6, $7)",
};
