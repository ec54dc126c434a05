#include "store/sqlite_schema.h"

const char *const sqlite_migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE settings(\n"
	"  key TEXT PRIMARY KEY,\n"
	"  value TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE users(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  login TEXT NOT NULL UNIQUE,\n"
	"  email TEXT NOT NULL,\n"
	"  display_name TEXT NOT NULL,\n"
	"  bio TEXT NOT NULL DEFAULT '',\n"
	"  pwhash TEXT NOT NULL DEFAULT '',\n"
	"  role TEXT NOT NULL CHECK (role IN ('admin','editor','author','contributor')),\n"
	"  created_at INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE categories(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  parent_id INTEGER NOT NULL DEFAULT 0,\n"
	"  slug TEXT NOT NULL UNIQUE,\n"
	"  name TEXT NOT NULL,\n"
	"  description TEXT NOT NULL DEFAULT '',\n"
	"  path TEXT NOT NULL UNIQUE\n"
	");\n"
	"CREATE INDEX categories_parent ON categories(parent_id);\n"
	"CREATE TABLE tags(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  slug TEXT NOT NULL UNIQUE,\n"
	"  name TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE posts(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  type TEXT NOT NULL CHECK (type IN ('post','page')),\n"
	"  status TEXT NOT NULL CHECK (status IN "
	"('draft','pending','scheduled','published','private','trash')),\n"
	"  slug TEXT NOT NULL,\n"
	"  title TEXT NOT NULL,\n"
	"  excerpt TEXT NOT NULL DEFAULT '',\n"
	"  body_md TEXT NOT NULL DEFAULT '',\n"
	"  body_html TEXT NOT NULL DEFAULT '',\n"
	"  author_id INTEGER NOT NULL REFERENCES users(id),\n"
	"  category_id INTEGER NOT NULL DEFAULT 0,\n"
	"  parent_id INTEGER NOT NULL DEFAULT 0,\n"
	"  sticky INTEGER NOT NULL DEFAULT 0,\n"
	"  comments_open INTEGER NOT NULL DEFAULT 1,\n"
	"  published_at INTEGER NOT NULL,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  updated_at INTEGER NOT NULL,\n"
	"  UNIQUE(type, slug)\n"
	");\n"
	"CREATE INDEX posts_listing ON posts(type, status, published_at);\n"
	"CREATE INDEX posts_category ON posts(category_id, published_at);\n"
	"CREATE INDEX posts_author ON posts(author_id, published_at);\n"
	"CREATE TABLE post_tags(\n"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,\n"
	"  PRIMARY KEY(post_id, tag_id)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX post_tags_tag ON post_tags(tag_id, post_id);\n"
	"CREATE TABLE comments(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  parent_id INTEGER NOT NULL DEFAULT 0,\n"
	"  status TEXT NOT NULL CHECK (status IN ('pending','approved','spam','trash')),\n"
	"  author_name TEXT NOT NULL,\n"
	"  author_email TEXT NOT NULL,\n"
	"  author_url TEXT NOT NULL DEFAULT '',\n"
	"  author_ip TEXT NOT NULL DEFAULT '',\n"
	"  body_md TEXT NOT NULL,\n"
	"  body_html TEXT NOT NULL,\n"
	"  created_at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX comments_post ON comments(post_id, status, created_at);\n",

	/* 2: redirects, and the change log every server follows */
	"CREATE TABLE redirects(\n"
	"  from_path TEXT PRIMARY KEY,\n"
	"  to_path TEXT NOT NULL,\n"
	"  status INTEGER NOT NULL DEFAULT 301 CHECK (status IN (301, 302))\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE changes(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	"  at INTEGER NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  object_id INTEGER NOT NULL DEFAULT 0,\n"
	"  detail TEXT NOT NULL DEFAULT ''\n"
	");\n",

	/* 3: bodies move to their own table, so that listings and counts read
	 * small rows (a post row holding 10 KB of Markdown and HTML spills onto
	 * overflow pages that every scan past it has to read); a stored
	 * plain-text summary derived from the body at save time (filled for old
	 * rows by sqlite.c's after_migration); an index that walks public
	 * listings in date order. */
	"CREATE TABLE post_bodies(\n"
	"  post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  body_md TEXT NOT NULL DEFAULT '',\n"
	"  body_html TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"INSERT INTO post_bodies(post_id, body_md, body_html) SELECT id, body_md, body_html FROM posts;\n"
	"ALTER TABLE posts DROP COLUMN body_md;\n"
	"ALTER TABLE posts DROP COLUMN body_html;\n"
	"ALTER TABLE posts ADD COLUMN summary TEXT NOT NULL DEFAULT '';\n"
	"CREATE INDEX posts_type_date ON posts(type, published_at);\n",

	/* 4: the full-text index of public articles (rowid = post id), kept in
	 * step by every write in the same transaction (sqlite_search.c); filled
	 * for existing posts by after_migration. */
	"CREATE VIRTUAL TABLE posts_fts USING fts5(title, excerpt, body, tags, category, author, "
	"tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3 4');\n",

	/* 5: each public article's related articles (sqlite_related.c),
	 * computed for existing sites when they are upgraded. */
	"CREATE TABLE related(\n"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  rank INTEGER NOT NULL,\n"
	"  related_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  score REAL NOT NULL,\n"
	"  PRIMARY KEY(post_id, rank)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX related_by ON related(related_id);\n",

	/* 6: what moderation and spam defence keep about each comment, the
	 * indexes their checks read, and the spam model: per-token ham/spam
	 * document counts, the totals under the token '' (sqlite_comments.c). */
	"ALTER TABLE comments ADD COLUMN author_net TEXT NOT NULL DEFAULT '';\n"
	"ALTER TABLE comments ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';\n"
	"ALTER TABLE comments ADD COLUMN note TEXT NOT NULL DEFAULT '';\n"
	"ALTER TABLE comments ADD COLUMN spam_score INTEGER NOT NULL DEFAULT -1;\n"
	"ALTER TABLE comments ADD COLUMN learned TEXT NOT NULL DEFAULT '' "
	"CHECK (learned IN ('', 'ham', 'spam'));\n"
	"ALTER TABLE comments ADD COLUMN prev_status TEXT NOT NULL DEFAULT 'pending';\n"
	"ALTER TABLE comments ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;\n"
	"UPDATE comments SET updated_at = created_at;\n"
	"CREATE INDEX comments_email ON comments(author_email COLLATE NOCASE, status);\n"
	"CREATE INDEX comments_ip ON comments(author_ip, created_at);\n"
	"CREATE INDEX comments_net ON comments(author_net, created_at);\n"
	"CREATE INDEX comments_status ON comments(status, id);\n"
	"CREATE INDEX comments_parent ON comments(parent_id);\n"
	"CREATE TABLE spam_tokens(\n"
	"  token TEXT PRIMARY KEY,\n"
	"  ham INTEGER NOT NULL DEFAULT 0,\n"
	"  spam INTEGER NOT NULL DEFAULT 0\n"
	") WITHOUT ROWID;\n",

	/* 7: back-office sign-in: sessions (the cookie's token is stored only
	 * as a hash) and failed sign-ins for throttling (sqlite_session.c). */
	"CREATE TABLE sessions(\n"
	"  token_hash TEXT PRIMARY KEY,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  csrf TEXT NOT NULL,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  seen_at INTEGER NOT NULL,\n"
	"  ip TEXT NOT NULL DEFAULT ''\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX sessions_user ON sessions(user_id);\n"
	"CREATE TABLE signin_failures(\n"
	"  key TEXT NOT NULL,\n"
	"  at INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX signin_failures_key ON signin_failures(key, at);\n",

	/* 8: every save of a post keeps a revision (the back office shows the
	 * differences and restores one). */
	"CREATE TABLE post_revisions(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  user_id INTEGER NOT NULL DEFAULT 0,\n"
	"  saved_at INTEGER NOT NULL,\n"
	"  title TEXT NOT NULL,\n"
	"  excerpt TEXT NOT NULL DEFAULT '',\n"
	"  body_md TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE INDEX post_revisions_post ON post_revisions(post_id, id);\n",

	/* 9: the words of public articles as written (no stemming), for "did
	 * you mean": an index over the search index's own text (external
	 * content, no positions) and its vocabulary (sqlite_search.c). */
	"CREATE VIRTUAL TABLE spell_fts USING fts5(title, excerpt, body, tags, category, author, "
	"content = 'posts_fts', tokenize = 'unicode61 remove_diacritics 2', detail = none);\n"
	"CREATE VIRTUAL TABLE spell_vocab USING fts5vocab('spell_fts', 'row');\n"
	"INSERT INTO spell_fts(rowid, title, excerpt, body, tags, category, author) "
	"SELECT rowid, title, excerpt, body, tags, category, author FROM posts_fts;\n",

	/* 10: the media library (uploaded images under SITE/media/, paths
	 * relative to it) with their resized variants, and a post's featured
	 * image (0 = none). */
	"CREATE TABLE media(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  path TEXT NOT NULL UNIQUE,\n"
	"  orig_name TEXT NOT NULL DEFAULT '',\n"
	"  mime TEXT NOT NULL,\n"
	"  width INTEGER NOT NULL,\n"
	"  height INTEGER NOT NULL,\n"
	"  bytes INTEGER NOT NULL,\n"
	"  alt TEXT NOT NULL DEFAULT '',\n"
	"  uploaded_at INTEGER NOT NULL,\n"
	"  user_id INTEGER NOT NULL DEFAULT 0\n"
	");\n"
	"CREATE TABLE media_variants(\n"
	"  media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,\n"
	"  width INTEGER NOT NULL,\n"
	"  height INTEGER NOT NULL,\n"
	"  bytes INTEGER NOT NULL,\n"
	"  path TEXT NOT NULL UNIQUE,\n"
	"  mime TEXT NOT NULL,\n"
	"  PRIMARY KEY(media_id, width)\n"
	") WITHOUT ROWID;\n"
	"ALTER TABLE posts ADD COLUMN featured_media_id INTEGER NOT NULL DEFAULT 0;\n"
	"CREATE INDEX posts_featured ON posts(featured_media_id) WHERE featured_media_id != 0;\n",

	/* 11: what a WordPress import brought in (src/import/): for each source
	 * site (its base URL), each kind of object ("user", "category", "tag",
	 * "post", "comment") and its WordPress id, the local row, so that a
	 * re-run updates instead of duplicating and old ?p=ID URLs resolve. */
	"CREATE TABLE import_map(\n"
	"  source TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  wp_id TEXT NOT NULL,\n"
	"  local_id INTEGER NOT NULL,\n"
	"  PRIMARY KEY(source, kind, wp_id)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX import_map_wp ON import_map(kind, wp_id);\n",

	/* 12: what "You may also like" is computed from (sqlite_related.c,
	 * search/relvec.h), filled for existing sites when they are upgraded:
	 * per public article its distinct terms (hashes; to keep the document
	 * frequencies exact when its text changes) and its TF-IDF vector; the
	 * vectors' postings by term, heaviest first; and how many public
	 * articles have each term (term 0 counts the articles). No foreign
	 * keys: the rows are taken out by the code that knows their terms. */
	"CREATE TABLE related_docs(\n"
	"  post_id INTEGER PRIMARY KEY,\n"
	"  terms BLOB NOT NULL,\n"
	"  vector BLOB NOT NULL\n"
	");\n"
	"CREATE TABLE related_postings(\n"
	"  term INTEGER NOT NULL,\n"
	"  weight REAL NOT NULL,\n"
	"  post_id INTEGER NOT NULL,\n"
	"  PRIMARY KEY(term, weight, post_id)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE related_df(\n"
	"  term INTEGER PRIMARY KEY,\n"
	"  df INTEGER NOT NULL\n"
	");\n",

	/* 13: the site's navigation menu (sqlite_menu.c): ordered items, each
	 * a URL, or a post or category by id, nested by parent_id; no rows
	 * = the default menu (top categories and pages). */
	"CREATE TABLE menu_items(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  parent_id INTEGER NOT NULL DEFAULT 0,\n"
	"  position INTEGER NOT NULL DEFAULT 0,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('url','post','category')),\n"
	"  label TEXT NOT NULL DEFAULT '',\n"
	"  url TEXT NOT NULL DEFAULT '',\n"
	"  target_id INTEGER NOT NULL DEFAULT 0\n"
	");\n",

	/* 14: listings at 10,000 articles (sqlite_list.c): the sticky posts
	 * on their own (the home page lists them first; without it each
	 * listing read every post's row to find the few sticky ones: 60 ms),
	 * and an author's or a category's public posts counted from an
	 * index alone (the count read every post's row: 20-30 ms) */
	"CREATE INDEX posts_sticky ON posts(type, status, published_at) WHERE sticky = 1;\n"
	"CREATE INDEX posts_author_status ON posts(author_id, type, status, published_at);\n"
	"CREATE INDEX posts_category_status ON posts(category_id, type, status, published_at);\n",
};

const size_t sqlite_nmigrations = sizeof sqlite_migrations / sizeof sqlite_migrations[0];
