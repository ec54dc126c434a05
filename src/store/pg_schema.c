/* pg_schema.c - the PostgreSQL backend's versioned migrations.
 *
 * Its own numbering (recorded in gazette_schema.version), not SQLite's:
 * migration 1 is the SQLite schema as of its migration 11 (the media
 * library and the import map) in PostgreSQL terms, without the search
 * index (migration 2), related articles (3) and the menu (4). pg.c applies the
 * missing ones at open, each in its own transaction with the version bump,
 * under an advisory lock so that nodes starting together apply each once.
 *
 * Mapping: ids are BIGSERIAL (foreign ids BIGINT, 0 = none, as in SQLite);
 * times are BIGINT Unix seconds, the values the SQLite schema stores, so the
 * domain layer sees the same numbers; flags are BOOLEAN. Text that is
 * sorted or compared as a key uses COLLATE "C" (byte order, SQLite's
 * BINARY), so that listings come out in the same order whatever the
 * server's locale. */
#include <stddef.h>

#include "store/pg_int.h"

/* 1: everything up to SQLite's 11, search and related articles aside (in
 * parts: C compilers need only take strings of 4,095 bytes) */
static const char *const m1[] = {
	/* site, people, taxonomy */
	"CREATE TABLE settings(\n"
	"  key text COLLATE \"C\" PRIMARY KEY,\n"
	"  value text NOT NULL\n"
	");\n"
	"CREATE TABLE users(\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  login text COLLATE \"C\" NOT NULL UNIQUE,\n"
	"  email text NOT NULL,\n"
	"  display_name text NOT NULL,\n"
	"  bio text NOT NULL DEFAULT '',\n"
	"  pwhash text NOT NULL DEFAULT '',\n"
	"  role text NOT NULL CHECK (role IN ('admin','editor','author','contributor')),\n"
	"  created_at BIGINT NOT NULL\n"
	");\n"
	"CREATE INDEX users_email ON users(lower(email));\n"
	"CREATE TABLE categories(\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  parent_id BIGINT NOT NULL DEFAULT 0,\n"
	"  slug text COLLATE \"C\" NOT NULL UNIQUE,\n"
	"  name text COLLATE \"C\" NOT NULL,\n"
	"  description text NOT NULL DEFAULT '',\n"
	/* checked at the end of each statement: a whole subtree's paths are
	 * rewritten by one UPDATE */
	"  path text COLLATE \"C\" NOT NULL UNIQUE DEFERRABLE INITIALLY IMMEDIATE\n"
	");\n"
	"CREATE INDEX categories_parent ON categories(parent_id);\n"
	"CREATE TABLE tags(\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  slug text COLLATE \"C\" NOT NULL UNIQUE,\n"
	"  name text COLLATE \"C\" NOT NULL\n"
	");\n",
	/* posts and comments */
	"CREATE TABLE posts(\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  type text NOT NULL CHECK (type IN ('post','page')),\n"
	"  status text NOT NULL CHECK (status IN "
	"('draft','pending','scheduled','published','private','trash')),\n"
	"  slug text COLLATE \"C\" NOT NULL,\n"
	"  title text NOT NULL,\n"
	"  excerpt text NOT NULL DEFAULT '',\n"
	"  summary text NOT NULL DEFAULT '',\n"
	"  author_id BIGINT NOT NULL REFERENCES users(id),\n"
	"  category_id BIGINT NOT NULL DEFAULT 0,\n"
	"  parent_id BIGINT NOT NULL DEFAULT 0,\n"
	"  sticky BOOLEAN NOT NULL DEFAULT false,\n"
	"  comments_open BOOLEAN NOT NULL DEFAULT true,\n"
	"  published_at BIGINT NOT NULL,\n"
	"  created_at BIGINT NOT NULL,\n"
	"  updated_at BIGINT NOT NULL,\n"
	"  featured_media_id BIGINT NOT NULL DEFAULT 0,\n"
	"  UNIQUE(type, slug)\n"
	");\n"
	"CREATE INDEX posts_listing ON posts(type, status, published_at);\n"
	"CREATE INDEX posts_category ON posts(category_id, published_at);\n"
	"CREATE INDEX posts_author ON posts(author_id, published_at);\n"
	"CREATE INDEX posts_type_date ON posts(type, published_at);\n"
	"CREATE INDEX posts_featured ON posts(featured_media_id) WHERE featured_media_id != 0;\n"
	"CREATE TABLE post_bodies(\n"
	"  post_id BIGINT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  body_md text NOT NULL DEFAULT '',\n"
	"  body_html text NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE TABLE post_tags(\n"
	"  post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  tag_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,\n"
	"  PRIMARY KEY(post_id, tag_id)\n"
	");\n"
	"CREATE INDEX post_tags_tag ON post_tags(tag_id, post_id);\n"
	"CREATE TABLE comments(\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  parent_id BIGINT NOT NULL DEFAULT 0,\n"
	"  status text NOT NULL CHECK (status IN ('pending','approved','spam','trash')),\n"
	"  prev_status text NOT NULL DEFAULT 'pending',\n"
	"  author_name text NOT NULL,\n"
	"  author_email text NOT NULL,\n"
	"  author_url text NOT NULL DEFAULT '',\n"
	"  author_ip text NOT NULL DEFAULT '',\n"
	"  author_net text NOT NULL DEFAULT '',\n"
	"  user_agent text NOT NULL DEFAULT '',\n"
	"  body_md text NOT NULL,\n"
	"  body_html text NOT NULL,\n"
	"  note text NOT NULL DEFAULT '',\n"
	"  spam_score INTEGER NOT NULL DEFAULT -1,\n"
	"  learned text NOT NULL DEFAULT '' CHECK (learned IN ('', 'ham', 'spam')),\n"
	"  created_at BIGINT NOT NULL,\n"
	"  updated_at BIGINT NOT NULL DEFAULT 0\n"
	");\n"
	"CREATE INDEX comments_post ON comments(post_id, status, created_at);\n"
	"CREATE INDEX comments_email ON comments(lower(author_email), status);\n"
	"CREATE INDEX comments_ip ON comments(author_ip, created_at);\n"
	"CREATE INDEX comments_net ON comments(author_net, created_at);\n"
	"CREATE INDEX comments_status ON comments(status, id);\n"
	"CREATE INDEX comments_parent ON comments(parent_id);\n"
	"CREATE TABLE spam_tokens(\n"
	"  token text COLLATE \"C\" PRIMARY KEY,\n"
	"  ham BIGINT NOT NULL DEFAULT 0,\n"
	"  spam BIGINT NOT NULL DEFAULT 0\n"
	");\n",
	/* the rest */
	"CREATE TABLE redirects(\n"
	"  from_path text COLLATE \"C\" PRIMARY KEY,\n"
	"  to_path text NOT NULL,\n"
	"  status INTEGER NOT NULL DEFAULT 301 CHECK (status IN (301, 302))\n"
	");\n"
	"CREATE INDEX redirects_to ON redirects(to_path);\n"
	"CREATE TABLE changes(\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  at BIGINT NOT NULL,\n"
	"  kind text NOT NULL,\n"
	"  object_id BIGINT NOT NULL DEFAULT 0,\n"
	"  detail text NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE TABLE sessions(\n"
	"  token_hash text COLLATE \"C\" PRIMARY KEY,\n"
	"  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  csrf text NOT NULL,\n"
	"  created_at BIGINT NOT NULL,\n"
	"  seen_at BIGINT NOT NULL,\n"
	"  ip text NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE INDEX sessions_user ON sessions(user_id);\n"
	"CREATE INDEX sessions_created ON sessions(created_at);\n"
	"CREATE TABLE signin_failures(\n"
	"  key text COLLATE \"C\" NOT NULL,\n"
	"  at BIGINT NOT NULL\n"
	");\n"
	"CREATE INDEX signin_failures_key ON signin_failures(key, at);\n"
	"CREATE TABLE post_revisions(\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  user_id BIGINT NOT NULL DEFAULT 0,\n"
	"  saved_at BIGINT NOT NULL,\n"
	"  title text NOT NULL,\n"
	"  excerpt text NOT NULL DEFAULT '',\n"
	"  body_md text NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE INDEX post_revisions_post ON post_revisions(post_id, id);\n"
	"CREATE TABLE media(\n"
	"  id BIGSERIAL PRIMARY KEY,\n"
	"  path text COLLATE \"C\" NOT NULL UNIQUE,\n"
	"  orig_name text NOT NULL DEFAULT '',\n"
	"  mime text NOT NULL,\n"
	"  width BIGINT NOT NULL,\n"
	"  height BIGINT NOT NULL,\n"
	"  bytes BIGINT NOT NULL,\n"
	"  alt text NOT NULL DEFAULT '',\n"
	"  uploaded_at BIGINT NOT NULL,\n"
	"  user_id BIGINT NOT NULL DEFAULT 0\n"
	");\n"
	"CREATE TABLE media_variants(\n"
	"  media_id BIGINT NOT NULL REFERENCES media(id) ON DELETE CASCADE,\n"
	"  width BIGINT NOT NULL,\n"
	"  height BIGINT NOT NULL,\n"
	"  bytes BIGINT NOT NULL,\n"
	"  path text COLLATE \"C\" NOT NULL UNIQUE,\n"
	"  mime text NOT NULL,\n"
	"  PRIMARY KEY(media_id, width)\n"
	");\n"
	"CREATE TABLE import_map(\n"
	"  source text COLLATE \"C\" NOT NULL,\n"
	"  kind text COLLATE \"C\" NOT NULL,\n"
	"  wp_id text COLLATE \"C\" NOT NULL,\n"
	"  local_id BIGINT NOT NULL,\n"
	"  PRIMARY KEY(source, kind, wp_id)\n"
	");\n"
	"CREATE INDEX import_map_wp ON import_map(kind, wp_id);\n",
	NULL,
};

/* 2: the search index of public articles (pg_search.c): per article its
 * text (for headlines) and a weighted tsvector in the site language's text
 * search configuration (search_config), kept in step by every write in the
 * same transaction; its words as written ('simple', unstemmed) feed the
 * spelling vocabulary ("did you mean"); gz_or ORs tsqueries together. The
 * index of an existing site is built by pg.c after this migration. */
static const char *const m2[] = {
	"CREATE TABLE search_config(\n"
	"  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
	"  cfg regconfig NOT NULL\n"
	");\n"
	"INSERT INTO search_config(id, cfg) VALUES (1, 'english');\n"
	/* no foreign key: a deleted post's row is taken out by the write that
	 * deletes it, after the spelling vocabulary has forgotten its words */
	"CREATE TABLE posts_search(\n"
	"  post_id BIGINT PRIMARY KEY,\n"
	"  title text NOT NULL,\n"
	"  excerpt text NOT NULL,\n"
	"  body text NOT NULL,\n"
	"  tags text NOT NULL,\n"
	"  category text NOT NULL,\n"
	"  author text NOT NULL,\n"
	"  doc tsvector NOT NULL,\n"
	"  words tsvector NOT NULL\n"
	");\n"
	"CREATE INDEX posts_search_doc ON posts_search USING gin(doc);\n"
	"CREATE TABLE spell_words(\n"
	"  word text COLLATE \"C\" PRIMARY KEY,\n"
	"  docs BIGINT NOT NULL\n"
	");\n"
	"CREATE AGGREGATE gz_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);\n",
	NULL,
};

/* 3: related articles (pg_related.c, store/related.c; SQLite's 5 and 12):
 * each public article's list; per public article its distinct terms (to
 * keep the document frequencies exact when its text changes) and its
 * TF-IDF vector, as the same little-endian blobs SQLite keeps; the
 * vectors' postings by term, heaviest first; how many public articles have
 * each term (term 0 counts the articles). Terms are unsigned 32-bit
 * hashes, hence BIGINT. Filled for an existing site by pg.c. */
static const char *const m3[] = {
	"CREATE TABLE related(\n"
	"  post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  rank BIGINT NOT NULL,\n"
	"  related_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,\n"
	"  score double precision NOT NULL,\n"
	"  PRIMARY KEY(post_id, rank)\n"
	");\n"
	"CREATE INDEX related_by ON related(related_id);\n"
	/* no foreign keys: the rows are taken out by the code that knows
	 * their terms */
	"CREATE TABLE related_docs(\n"
	"  post_id BIGINT PRIMARY KEY,\n"
	"  terms bytea NOT NULL,\n"
	"  vector bytea NOT NULL\n"
	");\n"
	"CREATE TABLE related_postings(\n"
	"  term BIGINT NOT NULL,\n"
	"  weight double precision NOT NULL,\n"
	"  post_id BIGINT NOT NULL,\n"
	"  PRIMARY KEY(term, weight, post_id)\n"
	");\n"
	"CREATE TABLE related_df(\n"
	"  term BIGINT PRIMARY KEY,\n"
	"  df BIGINT NOT NULL\n"
	");\n",
	NULL,
};

/* 4: the site's navigation menu (pg_menu.c; SQLite's 13): ordered items,
 * each a URL, or a post or category by id, nested by parent_id; no rows =
 * the default menu (top categories and pages). */
static const char *const m4[] = {
	"CREATE TABLE menu_items(\n"
	"  id BIGINT PRIMARY KEY,\n"
	"  parent_id BIGINT NOT NULL DEFAULT 0,\n"
	"  position BIGINT NOT NULL DEFAULT 0,\n"
	"  kind text NOT NULL CHECK (kind IN ('url','post','category')),\n"
	"  label text NOT NULL DEFAULT '',\n"
	"  url text NOT NULL DEFAULT '',\n"
	"  target_id BIGINT NOT NULL DEFAULT 0\n"
	");\n",
	NULL,
};

/* 5: listings at 10,000 articles (SQLite's 14): the sticky posts on their
 * own, for the home page's sticky-first listing, and an author's or a
 * category's public posts counted from an index. */
static const char *const m5[] = {
	"CREATE INDEX posts_sticky ON posts(type, status, published_at) WHERE sticky;\n"
	"CREATE INDEX posts_author_status ON posts(author_id, type, status, published_at);\n"
	"CREATE INDEX posts_category_status ON posts(category_id, type, status, published_at);\n",
	NULL,
};

const char *const *const pg_migrations[] = {m1, m2, m3, m4, m5};

const size_t pg_nmigrations = sizeof pg_migrations / sizeof pg_migrations[0];
