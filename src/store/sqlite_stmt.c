/* sqlite_stmt.c - every SQL statement of the SQLite backend, in one table
 * indexed by enum stmt. Parameters are always bound (?N), never spliced. */
#include "store/sqlite_int.h"

/* Columns of a full post row, the Markdown source as md ("NULL": not
 * read, for post_by_slug_html); read by row_post() in sqlite_posts.c.
 * Listings (sqlite_list.c) use the same columns with the bodies left out. */
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
/* The public-visibility rule, with ?now as the named parameter's index. */
#define VISIBLE(now) "p.status IN ('published','scheduled') AND p.published_at <= " now
/* Search filters, applied to the rows the full-text match found (?3 and
 * ?4 are the page's limit and offset; 0 = no filter). */
#define SEARCH_FILTERS                                                                     \
	"AND (?5 = 0 OR p.category_id IN (WITH RECURSIVE sub(id, depth) AS (SELECT ?5, 0 " \
	"UNION ALL SELECT c2.id, sub.depth + 1 FROM categories c2 JOIN sub "                 \
	"ON c2.parent_id = sub.id WHERE sub.depth < 32) SELECT id FROM sub)) "               \
	"AND (?6 = 0 OR p.id IN (SELECT post_id FROM post_tags WHERE tag_id = ?6)) "        \
	"AND (?7 = 0 OR p.author_id = ?7) AND (?8 = 0 OR p.published_at >= ?8) "           \
	"AND (?9 = 0 OR p.published_at < ?9) "
/* Columns of a comment row, read by row_comment() in sqlite_comments.c. */
#define COMMENT_COLS                                                                       \
	"cm.id, cm.post_id, cm.parent_id, cm.status, cm.author_name, cm.author_email, "     \
	"cm.author_url, cm.author_ip, cm.author_net, cm.user_agent, cm.body_md, "           \
	"cm.body_html, cm.note, cm.spam_score, cm.created_at, cm.updated_at, "              \
	"coalesce(p.title, ''), cm.prev_status FROM comments cm LEFT JOIN posts p ON p.id = cm.post_id "
/* comment_query: ?1 status ('' any), ?2 post, ?3 email, ?4 address, ?7 public
 * articles only as of that time (0 = any post). */
#define COMMENT_FILTERS                                                                    \
	"(?1 = '' OR cm.status = ?1) AND (?2 = 0 OR cm.post_id = ?2) AND "                 \
	"(?3 = '' OR cm.author_email = ?3 COLLATE NOCASE) AND (?4 = '' OR cm.author_ip = ?4) " \
	"AND (?7 = 0 OR (p.type = 'post' AND " VISIBLE("?7") ")) "
/* Columns of a media row, read by row_media() in sqlite_media.c. */
#define MEDIA_COLS                                                                         \
	"m.id, m.path, m.orig_name, m.mime, m.width, m.height, m.bytes, m.alt, "            \
	"m.uploaded_at, m.user_id, coalesce(u.display_name, '') FROM media m "              \
	"LEFT JOIN users u ON u.id = m.user_id "
#define CAT_BARE "c.id, c.parent_id, c.slug, c.name, c.description, c.path, 0 "
#define CAT_COLS                                                                           \
	"c.id, c.parent_id, c.slug, c.name, c.description, c.path, "                        \
	"(SELECT count(*) FROM posts p WHERE p.category_id = c.id AND p.type = 'post' AND " \
	VISIBLE("?1") ") "

const char *const sqlite_stmt_sql[S__MAX] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_BEGIN_READ] = "BEGIN",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_CHANGE_ADD] = "INSERT INTO changes(at, kind, object_id, detail) VALUES (?1, ?2, ?3, ?4)",

	[S_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
	[S_SETTING_SET] = "INSERT INTO settings(key, value) VALUES (?1, ?2) "
			  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_SETTING_LIST] = "SELECT key, value FROM settings ORDER BY key",

	[S_USER_ADD] = "INSERT INTO users(login, email, display_name, bio, pwhash, role, created_at) "
		       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_USER_GET] = "SELECT id, login, email, display_name, bio, pwhash, role, created_at "
		       "FROM users WHERE id = ?1",
	[S_USER_BY_LOGIN] = "SELECT id, login, email, display_name, bio, pwhash, role, created_at "
			    "FROM users WHERE login = ?1",
	[S_USER_LIST] = "SELECT id, login, email, display_name, bio, pwhash, role, created_at "
			"FROM users ORDER BY login",
	[S_USER_UPDATE] = "UPDATE users SET email = ?2, display_name = ?3, bio = ?4, pwhash = ?5, "
			  "role = ?6 WHERE id = ?1",

	[S_CAT_ADD] = "INSERT INTO categories(parent_id, slug, name, description, path) "
		      "VALUES (?1, ?2, ?3, ?4, ?2)",
	/* Single lookups carry no post count (0): counting reads the posts. */
	[S_CAT_GET] = "SELECT " CAT_BARE "FROM categories c WHERE c.id = ?1",
	[S_CAT_BY_PATH] = "SELECT " CAT_BARE "FROM categories c WHERE c.path = ?1",
	[S_CAT_BY_SLUG] = "SELECT " CAT_BARE "FROM categories c WHERE c.slug = ?1",
	/* ordered in C (sqlite_tax.c): SQLite's sorter cost more than the rest */
	[S_CAT_LIST] = "SELECT " CAT_COLS "FROM categories c",
	[S_CAT_LIST_BARE] = "SELECT " CAT_BARE "FROM categories c",
	[S_CAT_UPDATE] = "UPDATE categories SET parent_id = ?2, slug = ?3, name = ?4, "
			 "description = ?5 WHERE id = ?1",
	[S_CAT_DELETE] = "DELETE FROM categories WHERE id = ?1",
	[S_CAT_REPARENT_CHILDREN] = "UPDATE categories SET parent_id = ?2 WHERE parent_id = ?1",
	[S_CAT_MOVE_POSTS] = "UPDATE posts SET category_id = ?2 WHERE category_id = ?1",
	/* Every category with its computed path, for rewriting the path column. */
	[S_CAT_ALL_IDS] = "WITH RECURSIVE t(id, path, depth) AS ("
			  "SELECT id, slug, 0 FROM categories WHERE parent_id = 0 "
			  "UNION ALL SELECT c.id, t.path || '/' || c.slug, t.depth + 1 "
			  "FROM categories c JOIN t ON c.parent_id = t.id WHERE t.depth < 32) "
			  "SELECT id, path FROM t",
	[S_CAT_SET_PATH] = "UPDATE categories SET path = ?2 WHERE id = ?1",

	[S_TAG_BY_SLUG] = "SELECT t.id, t.slug, t.name, (SELECT count(*) FROM post_tags pt "
			  "CROSS JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = t.id AND p.type = 'post' "
			  "AND " VISIBLE("?2") ") FROM tags t WHERE t.slug = ?1",
	[S_TAG_BY_NAME] = "SELECT id FROM tags WHERE slug = ?1",
	[S_TAG_ADD] = "INSERT INTO tags(slug, name) VALUES (?1, ?2)",
	[S_TAG_LIST] = "SELECT t.id, t.slug, t.name, (SELECT count(*) FROM post_tags pt "
		       "CROSS JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = t.id AND p.type = 'post' "
		       "AND " VISIBLE("?1") ") FROM tags t ORDER BY t.name",
	[S_TAG_UPDATE] = "UPDATE tags SET name = ?2, slug = ?3 WHERE id = ?1",
	[S_TAG_DELETE] = "DELETE FROM tags WHERE id = ?1",
	/* in name order, sorted by sqt_post_tags: a post has a few tags, and
	 * SQLite's ORDER BY would build a temporary b-tree on every page */
	[S_POST_TAGS] = "SELECT t.id, t.slug, t.name, 0 FROM post_tags pt JOIN tags t "
			"ON t.id = pt.tag_id WHERE pt.post_id = ?1",
	[S_POST_TAGS_CLEAR] = "DELETE FROM post_tags WHERE post_id = ?1",
	[S_POST_TAG_LINK] = "INSERT OR IGNORE INTO post_tags(post_id, tag_id) VALUES (?1, ?2)",

	/* ?6 and ?7 (the bodies) go to post_bodies through S_BODY_SAVE; the
	 * numbering is shared with it and with S_POST_UPDATE. */
	[S_POST_INSERT] = "INSERT INTO posts(type, status, slug, title, excerpt, "
			  "author_id, category_id, parent_id, sticky, comments_open, published_at, "
			  "created_at, updated_at, summary, featured_media_id) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
			  "min(?13, ?14), ?15, max(?16, 0))",
	[S_POST_UPDATE] = "UPDATE posts SET status = ?2, slug = coalesce(?3, slug), "
			  "title = coalesce(?4, title), excerpt = coalesce(?5, excerpt), "
			  "author_id = ?8, category_id = ?9, "
			  "parent_id = ?10, sticky = ?11, comments_open = ?12, published_at = ?13, "
			  "updated_at = ?14, summary = coalesce(?15, summary), "
			  "featured_media_id = CASE WHEN ?16 >= 0 THEN ?16 ELSE featured_media_id END "
			  "WHERE id = ?1",
	[S_BODY_SAVE] = "INSERT INTO post_bodies(post_id, body_md, body_html) "
			"VALUES (?1, coalesce(?2, ''), coalesce(?3, '')) ON CONFLICT(post_id) DO UPDATE "
			"SET body_md = coalesce(?2, body_md), body_html = coalesce(?3, body_html)",
	[S_POST_FACETS] = "SELECT type, status, category_id, author_id, published_at, parent_id, "
			  "title, slug, EXISTS (SELECT 1 FROM menu_items WHERE kind = 'post' "
			  "AND target_id = ?1) FROM posts WHERE id = ?1",
	[S_POST_TAG_IDS] = "SELECT tag_id FROM post_tags WHERE post_id = ?1",
	[S_POST_GET] = "SELECT " POST_COLS POST_JOINS "WHERE p.id = ?1",
	[S_POST_BY_SLUG] = "SELECT " POST_COLS POST_JOINS "WHERE p.type = ?1 AND p.slug = ?2",
	/* POST_COLS' places without the Markdown, the author's and the
	 * category's names (store.h) */
	[S_POST_BY_SLUG_HTML] = "SELECT " "p.id, p.type, p.status, p.slug, p.title, p.excerpt, NULL, coalesce(b.body_html, ''), "
				"p.author_id, p.category_id, p.parent_id, p.sticky, p.comments_open, "
				"p.published_at, p.created_at, p.updated_at, (SELECT count(*) FROM "
				"comments cm WHERE cm.post_id = p.id AND cm.status = 'approved'), NULL, "
				"NULL, NULL, NULL, NULL, p.summary, p.featured_media_id "
				"FROM posts p LEFT JOIN post_bodies b ON b.post_id = p.id "
				"WHERE p.type = ?1 AND p.slug = ?2",
	[S_POST_SET_STATUS] = "UPDATE posts SET status = ?2, "
			      "published_at = CASE WHEN ?3 > 0 THEN ?3 ELSE published_at END, "
			      "updated_at = ?4 WHERE id = ?1",
	[S_POST_DELETE] = "DELETE FROM posts WHERE id = ?1",
	/* type IN (...) lets the (type, status, published_at) index answer it. */
	[S_POST_DUE] = "SELECT id FROM posts WHERE type IN ('post', 'page') "
		       "AND status = 'scheduled' AND published_at <= ?1 LIMIT 256",
	[S_POST_PUBLISH] = "UPDATE posts SET status = 'published' WHERE id = ?1 "
			   "AND status = 'scheduled'",
	[S_ARCHIVE_MONTHS] = "SELECT CAST(strftime('%Y', p.published_at, 'unixepoch', 'localtime') AS INTEGER), "
			     "CAST(strftime('%m', p.published_at, 'unixepoch', 'localtime') AS INTEGER), "
			     "count(*) FROM posts p WHERE p.type = 'post' AND " VISIBLE("?1")
			     " GROUP BY 1, 2 ORDER BY 1 DESC, 2 DESC",

	[S_REDIRECT_GET] = "SELECT from_path, to_path, status FROM redirects WHERE from_path = ?1",
	[S_REDIRECT_LIST] = "SELECT from_path, to_path, status FROM redirects ORDER BY from_path",
	[S_REDIRECT_SET] = "INSERT INTO redirects(from_path, to_path, status) VALUES (?1, ?2, ?3) "
			   "ON CONFLICT(from_path) DO UPDATE SET to_path = excluded.to_path, "
			   "status = excluded.status",

	/* search index: the text of one public article */
	[S_FTS_SOURCE] = "SELECT p.title, CASE WHEN p.excerpt != '' THEN p.excerpt ELSE p.summary END, "
			 "coalesce(b.body_md, ''), coalesce((SELECT group_concat(t.name, ' ') "
			 "FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id), ''), "
			 "coalesce(c.name, ''), coalesce(u.display_name, '') FROM posts p "
			 "LEFT JOIN post_bodies b ON b.post_id = p.id "
			 "LEFT JOIN categories c ON c.id = p.category_id "
			 "LEFT JOIN users u ON u.id = p.author_id "
			 "WHERE p.id = ?1 AND p.type = 'post' AND p.status IN ('published','scheduled')",
	[S_FTS_PUT] = "INSERT OR REPLACE INTO posts_fts(rowid, title, excerpt, body, tags, category, "
		      "author) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_FTS_DELETE] = "DELETE FROM posts_fts WHERE rowid = ?1",
	[S_FTS_CLEAR] = "DELETE FROM posts_fts",
	/* the spelling index follows posts_fts: out before a row changes, in after */
	[S_SPELL_FORGET] = "INSERT INTO spell_fts(spell_fts, rowid, title, excerpt, body, tags, "
			   "category, author) SELECT 'delete', rowid, title, excerpt, body, tags, "
			   "category, author FROM posts_fts WHERE rowid = ?1",
	[S_SPELL_ADD] = "INSERT INTO spell_fts(rowid, title, excerpt, body, tags, category, author) "
			"SELECT rowid, title, excerpt, body, tags, category, author FROM posts_fts "
			"WHERE rowid = ?1",
	[S_SPELL_CLEAR] = "INSERT INTO spell_fts(spell_fts) VALUES ('delete-all')",
	[S_SPELL_HAS] = "SELECT term, doc FROM spell_vocab WHERE term = ?1",
	/* words starting with the same character, of about the same length */
	[S_SPELL_NEAR] = "SELECT term, doc FROM spell_vocab WHERE term >= ?1 AND term < ?2 AND "
			 "length(term) BETWEEN ?3 AND ?4 ORDER BY doc DESC LIMIT 20000",
	[S_FTS_BY_TAG] = "SELECT post_id FROM post_tags WHERE tag_id = ?1",
	[S_FTS_BY_CATEGORY] = "SELECT id FROM posts WHERE category_id = ?1 AND type = 'post'",
	[S_FTS_BY_AUTHOR] = "SELECT id FROM posts WHERE author_id = ?1 AND type = 'post'",
	/* Columns 0-22 as a listing (row_post), then matched, bm25, snippet.
	 * bm25 weights: title, excerpt, body, tags, category, author. */
	/* Search ranks every match but reads the listing columns (joins, the
	 * comment count) and the snippet only for the page's rows: the ranking
	 * is materialized first. With filters (?5-?9), the matches are joined
	 * to posts before ranking. A query of one item (?10, ?6 below) skips
	 * counting the items each match has: all have it. */
	[S_SEARCH] = "WITH top(id, r, m, d) AS MATERIALIZED (SELECT p.id, "
		     "bm25(posts_fts, 10.0, 4.0, 1.0, 3.0, 2.0, 2.0), "
		     "CASE WHEN ?10 = 1 THEN 1 ELSE gz_matched(posts_fts) END, p.published_at "
		     "FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid "
		     "WHERE posts_fts MATCH ?1 AND p.status IN ('published','scheduled') "
		     "AND p.published_at <= ?2 " SEARCH_FILTERS
		     "ORDER BY 3 DESC, 2 ASC, 4 DESC LIMIT ?3 OFFSET ?4) "
		     "SELECT " POST_LIST_COLS ", top.m, top.r FROM top JOIN posts p ON p.id = top.id "
		     "LEFT JOIN users u ON u.id = p.author_id "
		     "LEFT JOIN categories c ON c.id = p.category_id "
		     "ORDER BY top.m DESC, top.r ASC, top.d DESC",
	[S_SEARCH_COUNT] = "SELECT count(*) FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid "
			   "WHERE posts_fts MATCH ?1 AND p.status IN ('published','scheduled') "
			   "AND p.published_at <= ?2 " SEARCH_FILTERS,
	/* Without filters the index alone ranks: it holds exactly the public
	 * articles, some of them dated in the future (not shown yet). ?5 =
	 * offset + limit + the number of those, so the first ?5 matches hold
	 * the page whatever they are. */
	[S_SEARCH_ALL] = "WITH top(id, r, m) AS MATERIALIZED (SELECT rowid, "
			 "bm25(posts_fts, 10.0, 4.0, 1.0, 3.0, 2.0, 2.0), "
			 "CASE WHEN ?6 = 1 THEN 1 ELSE gz_matched(posts_fts) END FROM posts_fts "
			 "WHERE posts_fts MATCH ?1 ORDER BY 3 DESC, 2 ASC LIMIT ?5) "
			 "SELECT " POST_LIST_COLS ", top.m, top.r FROM top JOIN posts p ON p.id = top.id "
			 "LEFT JOIN users u ON u.id = p.author_id "
			 "LEFT JOIN categories c ON c.id = p.category_id "
			 "WHERE p.status IN ('published','scheduled') AND p.published_at <= ?2 "
			 "ORDER BY top.m DESC, top.r ASC, p.published_at DESC LIMIT ?3 OFFSET ?4",
	[S_SEARCH_ALL_COUNT] = "SELECT (SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?1) - "
			       "(SELECT count(*) FROM posts p WHERE p.type = 'post' AND "
			       "p.status IN ('published','scheduled') AND p.published_at > ?2 AND "
			       "EXISTS (SELECT 1 FROM posts_fts WHERE posts_fts MATCH ?1 "
			       "AND posts_fts.rowid = p.id))",
	[S_SEARCH_FUTURE] = "SELECT count(*) FROM posts WHERE type = 'post' AND "
			    "status IN ('published','scheduled') AND published_at > ?1",
	[S_SEARCH_SNIPPET] = "SELECT snippet(posts_fts, -1, char(1), char(2), '\xE2\x80\xA6', 24) "
			     "FROM posts_fts WHERE posts_fts MATCH ?1 AND rowid = ?2",
	/* related articles */
	[S_REL_TEXT] = "SELECT title, body, tags FROM posts_fts WHERE rowid = ?1",
	[S_REL_CLEAR] = "DELETE FROM related WHERE post_id = ?1",
	[S_REL_PUT] = "INSERT INTO related(post_id, rank, related_id, score) VALUES (?1, ?2, ?3, ?4)",
	[S_REL_LISTED_BY] = "SELECT post_id FROM related WHERE related_id = ?1",
	[S_REL_OF] = "SELECT related_id FROM related WHERE post_id = ?1 ORDER BY rank",
	[S_REL_SCORES] = "SELECT related_id, score FROM related WHERE post_id = ?1 ORDER BY rank",
	[S_REL_FTS5] = "SELECT fts5(?1)",
	[S_REL_DOC_GET] = "SELECT terms, vector FROM related_docs WHERE post_id = ?1",
	[S_REL_DOC_PUT] = "INSERT OR REPLACE INTO related_docs(post_id, terms, vector) VALUES (?1, ?2, ?3)",
	[S_REL_DOC_DEL] = "DELETE FROM related_docs WHERE post_id = ?1",
	[S_REL_DF_GET] = "SELECT df FROM related_df WHERE term = ?1",
	[S_REL_DF_ADD] = "INSERT INTO related_df(term, df) VALUES (?1, ?2) "
			 "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
	[S_REL_DF_PRUNE] = "DELETE FROM related_df WHERE term = ?1 AND df <= 0",
	[S_REL_POSTING_ADD] = "INSERT OR REPLACE INTO related_postings(term, weight, post_id) "
			      "VALUES (?1, ?2, ?3)",
	[S_REL_POSTING_DEL] = "DELETE FROM related_postings WHERE term = ?1 AND weight = ?2 "
			      "AND post_id = ?3",
	[S_REL_POSTINGS] = "SELECT post_id, weight FROM related_postings WHERE term = ?1 "
			   "ORDER BY weight DESC LIMIT ?2",
	/* candidate ?1 against article ?2: same category, seconds apart, shared tags */
	[S_REL_FACETS] = "SELECT p.category_id != 0 AND p.category_id = x.category_id, "
			 "p.published_at - x.published_at, "
			 "(SELECT count(*) FROM post_tags y JOIN post_tags z ON z.tag_id = y.tag_id "
			 "AND z.post_id = ?2 WHERE y.post_id = p.id) "
			 "FROM posts p, posts x WHERE p.id = ?1 AND x.id = ?2",
	[S_ARTICLE_IDS] = "SELECT id FROM posts WHERE type = 'post' AND id > ?1 ORDER BY id",
	/* every stored related id, and its post as a card (store.h; read by
	 * sqlite_related.c's row_card, which tells the public ones by their
	 * status and date: cheaper there than as one more column) */
	[S_REL_LIST] = "SELECT p.id, p.type, p.status, p.slug, p.title, p.category_id, "
		       "p.published_at, p.featured_media_id, r.related_id "
		       "FROM related r LEFT JOIN posts p ON p.id = r.related_id "
		       "WHERE r.post_id = ?1 ORDER BY r.rank",
	/* comments */
	[S_CM_POST_OK] = "SELECT 1 FROM posts p WHERE p.id = ?1 AND p.type = 'post' AND " VISIBLE("?2"),
	[S_CM_PARENT_OK] = "SELECT 1 FROM comments WHERE id = ?1 AND post_id = ?2 AND "
			   "status = 'approved'",
	[S_MAP_GET] = "SELECT local_id FROM import_map WHERE source = ?1 AND kind = ?2 AND wp_id = ?3",
	[S_MAP_FIND] = "SELECT local_id FROM import_map WHERE kind = ?1 AND wp_id = ?2 "
		       "ORDER BY source LIMIT 1",
	[S_MAP_SET] = "INSERT INTO import_map(source, kind, wp_id, local_id) VALUES (?1, ?2, ?3, ?4) "
		      "ON CONFLICT(source, kind, wp_id) DO UPDATE SET local_id = excluded.local_id",
	/* Imported comments keep their status and dates; ?15 = prev_status. */
	[S_CM_IMPORT_INSERT] = "INSERT INTO comments(post_id, parent_id, status, author_name, "
			       "author_email, author_url, author_ip, author_net, user_agent, body_md, "
			       "body_html, note, spam_score, created_at, updated_at, prev_status) "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
			       "?14, ?3)",
	[S_CM_IMPORT_UPDATE] = "UPDATE comments SET post_id = ?1, parent_id = ?2, status = ?3, "
			       "author_name = ?4, author_email = ?5, author_url = ?6, author_ip = ?7, "
			       "author_net = ?8, user_agent = ?9, body_md = ?10, body_html = ?11, "
			       "created_at = ?14, updated_at = ?16 WHERE id = ?15",
	[S_POST_EXISTS] = "SELECT status = 'published' AND type = 'post' FROM posts WHERE id = ?1",
	[S_CM_INSERT] = "INSERT INTO comments(post_id, parent_id, status, author_name, author_email, "
			"author_url, author_ip, author_net, user_agent, body_md, body_html, note, "
			"spam_score, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
			"?9, ?10, ?11, ?12, ?13, ?14, ?14)",
	[S_CM_GET] = "SELECT " COMMENT_COLS "WHERE cm.id = ?1",
	[S_CM_LIST] = "SELECT " COMMENT_COLS "WHERE " COMMENT_FILTERS
		      "ORDER BY cm.id DESC LIMIT ?5 OFFSET ?6",
	[S_CM_COUNT] = "SELECT count(*) FROM comments cm LEFT JOIN posts p ON p.id = cm.post_id "
		       "WHERE " COMMENT_FILTERS,
	[S_CM_THREAD] = "SELECT " COMMENT_COLS "WHERE cm.post_id = ?1 AND cm.status = 'approved' "
			"ORDER BY cm.created_at, cm.id",
	[S_CM_BY_EMAIL] = "SELECT count(*) FROM (SELECT 1 FROM comments WHERE author_email = ?1 "
			  "COLLATE NOCASE AND status = 'approved' LIMIT 1000)",
	[S_CM_BY_IP] = "SELECT count(*) FROM comments WHERE author_ip = ?1 AND created_at >= ?2",
	[S_CM_BY_NET] = "SELECT count(*) FROM comments WHERE author_net = ?1 AND created_at >= ?2",
	[S_CM_DUP] = "SELECT 1 FROM comments WHERE post_id = ?1 AND (author_email = ?2 COLLATE "
		     "NOCASE OR author_ip = ?3) AND body_md = ?4 AND status != 'trash' LIMIT 1",
	[S_CM_STATE] = "SELECT status, learned, post_id FROM comments WHERE id = ?1",
	[S_CM_SET_STATUS] = "UPDATE comments SET prev_status = CASE WHEN status = ?2 THEN "
			    "prev_status ELSE status END, status = ?2, learned = ?3, updated_at = ?4 "
			    "WHERE id = ?1",
	[S_CM_REPARENT] = "UPDATE comments SET parent_id = (SELECT parent_id FROM comments WHERE "
			  "id = ?1) WHERE parent_id = ?1",
	[S_CM_DELETE] = "DELETE FROM comments WHERE id = ?1",
	[S_SPAM_GET] = "SELECT ham, spam FROM spam_tokens WHERE token = ?1",
	[S_SPAM_ADD] = "INSERT INTO spam_tokens(token, ham, spam) VALUES (?1, max(0, ?2), max(0, ?3)) "
		       "ON CONFLICT(token) DO UPDATE SET ham = max(0, ham + ?2), "
		       "spam = max(0, spam + ?3)",
	[S_SPAM_CLEAR] = "DELETE FROM spam_tokens",
	[S_SPAM_FORGET] = "UPDATE comments SET learned = '' WHERE learned != ''",

	/* sitemaps: public posts oldest first; the chunks of the same order */
	[S_SITEMAP_EACH] = "SELECT p.id, p.slug, p.published_at, p.updated_at, p.parent_id, "
			   "c.path FROM posts p LEFT JOIN categories c ON c.id = p.category_id "
			   "WHERE p.type = ?1 AND " VISIBLE("?2")
			   " ORDER BY p.published_at, p.id LIMIT ?3 OFFSET ?4",
	/* the rows in sitemap order, cut into chunks by sqm_post_chunks (a
	 * window function and GROUP BY here cost 20k instructions a row) */
	[S_SITEMAP_CHUNKS] = "SELECT max(p.published_at, p.updated_at) FROM posts p "
			     "WHERE p.type = ?1 AND " VISIBLE("?2") " ORDER BY p.published_at, p.id",
	[S_TERM_CATEGORIES] = "SELECT c.id, c.parent_id, c.path, coalesce((SELECT "
			      "max(max(p.published_at, p.updated_at)) FROM posts p "
			      "WHERE p.category_id = c.id AND p.type = 'post' AND " VISIBLE("?1")
			      "), 0) FROM categories c ORDER BY replace(c.path, '/', char(1))",
	/* from the links (CROSS JOIN fixes the order: left alone, SQLite
	 * walked every public post and looked up its links, minutes on a
	 * 10,000-post site from the sqlite3 shell) */
	[S_TERM_TAGS] = "SELECT t.id, 0, t.slug, max(max(p.published_at, p.updated_at)) "
			"FROM post_tags pt CROSS JOIN posts p ON p.id = pt.post_id "
			"CROSS JOIN tags t ON t.id = pt.tag_id WHERE p.type = 'post' AND "
			VISIBLE("?1") " GROUP BY t.id ORDER BY t.slug",
	[S_TERM_AUTHORS] = "SELECT u.id, 0, u.login, max(max(p.published_at, p.updated_at)) "
			   "FROM users u JOIN posts p ON p.author_id = u.id "
			   "WHERE p.type = 'post' AND " VISIBLE("?1")
			   " GROUP BY u.id ORDER BY u.login",
	/* back-office sessions and sign-in throttling */
	[S_USER_BY_EMAIL] = "SELECT id, login, email, display_name, bio, pwhash, role, created_at "
			    "FROM users WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 2",
	[S_SESSION_ADD] = "INSERT INTO sessions(token_hash, user_id, csrf, created_at, seen_at, ip) "
			  "VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
	[S_SESSION_PRUNE] = "DELETE FROM sessions WHERE created_at < ?1",
	[S_SESSION_GET] = "SELECT token_hash, user_id, csrf, created_at, seen_at, ip FROM sessions "
			  "WHERE token_hash = ?1",
	[S_SESSION_TOUCH] = "UPDATE sessions SET seen_at = ?2 WHERE token_hash = ?1",
	[S_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[S_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?1",
	[S_SIGNIN_FAIL] = "INSERT INTO signin_failures(key, at) VALUES (?1, ?2)",
	[S_SIGNIN_COUNT] = "SELECT count(*) FROM signin_failures WHERE key = ?1 AND at >= ?2",
	[S_SIGNIN_CLEAR] = "DELETE FROM signin_failures WHERE key = ?1",
	[S_SIGNIN_PRUNE] = "DELETE FROM signin_failures WHERE key = ?1 AND at < ?2",

	/* revisions, and redirects kept when a URL changes */
	[S_REV_ADD] = "INSERT INTO post_revisions(post_id, user_id, saved_at, title, excerpt, body_md) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_REV_OF_POST] = "INSERT INTO post_revisions(post_id, user_id, saved_at, title, excerpt, body_md) "
			  "SELECT p.id, ?2, ?3, p.title, p.excerpt, coalesce(b.body_md, '') FROM posts p "
			  "LEFT JOIN post_bodies b ON b.post_id = p.id WHERE p.id = ?1",
	[S_REV_LIST] = "SELECT r.id, r.post_id, r.user_id, r.saved_at, r.title, '', '', "
		       "coalesce(u.display_name, '') FROM post_revisions r LEFT JOIN users u ON "
		       "u.id = r.user_id WHERE r.post_id = ?1 ORDER BY r.id DESC",
	[S_REV_GET] = "SELECT r.id, r.post_id, r.user_id, r.saved_at, r.title, r.excerpt, r.body_md, "
		      "coalesce(u.display_name, '') FROM post_revisions r LEFT JOIN users u ON "
		      "u.id = r.user_id WHERE r.id = ?1",
	[S_REV_RECENT] = "SELECT r.id, r.post_id, r.user_id, r.saved_at, r.title, '', '', "
			 "coalesce(u.display_name, '') FROM post_revisions r LEFT JOIN users u ON "
			 "u.id = r.user_id JOIN posts p ON p.id = r.post_id "
			 "WHERE ?1 = 0 OR p.author_id = ?1 ORDER BY r.id DESC LIMIT ?2",
	[S_REDIRECT_RETARGET] = "UPDATE redirects SET to_path = ?2 WHERE to_path = ?1",
	[S_REDIRECT_DELETE] = "DELETE FROM redirects WHERE from_path = ?1",
	[S_TAG_RELINK] = "INSERT OR IGNORE INTO post_tags(post_id, tag_id) SELECT post_id, ?2 FROM "
			 "post_tags WHERE tag_id = ?1",

	/* media library (sqlite_media.c) */
	[S_MEDIA_ADD] = "INSERT INTO media(path, orig_name, mime, width, height, bytes, alt, "
			"uploaded_at, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_MEDIA_VARIANT_ADD] = "INSERT INTO media_variants(media_id, width, height, bytes, path, "
				"mime) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_MEDIA_GET] = "SELECT " MEDIA_COLS "WHERE m.id = ?1",
	[S_MEDIA_LIST] = "SELECT " MEDIA_COLS "ORDER BY m.id DESC LIMIT ?1 OFFSET ?2",
	[S_MEDIA_COUNT] = "SELECT count(*) FROM media",
	[S_MEDIA_VARIANTS] = "SELECT width, height, bytes, path, mime FROM media_variants "
			     "WHERE media_id = ?1 ORDER BY width",
	[S_MEDIA_FILE] = "SELECT mime FROM media WHERE path = ?1 UNION ALL "
			 "SELECT mime FROM media_variants WHERE path = ?1 LIMIT 1",
	[S_MEDIA_SET_ALT] = "UPDATE media SET alt = ?2 WHERE id = ?1",
	[S_MEDIA_DELETE_VARIANTS] = "DELETE FROM media_variants WHERE media_id = ?1",
	[S_MEDIA_DELETE] = "DELETE FROM media WHERE id = ?1",
	/* posts showing a medium: as featured image, or its URL stem in the body */
	[S_MEDIA_USAGE] = "SELECT " POST_LIST_COLS "FROM posts p "
			  "LEFT JOIN users u ON u.id = p.author_id "
			  "LEFT JOIN categories c ON c.id = p.category_id "
			  "LEFT JOIN post_bodies b ON b.post_id = p.id "
			  "WHERE p.featured_media_id = ?1 OR instr(b.body_md, ?2) > 0 "
			  "ORDER BY p.id LIMIT 50",

	/* the navigation menu (sqlite_menu.c) */
	[S_MENU_GET] = "SELECT id, parent_id, position, kind, label, url, target_id FROM menu_items "
		       "ORDER BY position, id",
	[S_MENU_CLEAR] = "DELETE FROM menu_items",
	[S_MENU_ADD] = "INSERT INTO menu_items(id, parent_id, position, kind, label, url, target_id) "
		       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",

	[S_CHANGES_SINCE] = "SELECT id, at, kind, object_id, detail FROM changes WHERE id > ?1 "
			    "ORDER BY id LIMIT 1000",
	[S_CHANGE_NEWEST] = "SELECT id, at FROM changes ORDER BY id DESC LIMIT 1",
};
