-- A database as made by schema version 1 (the first Gazette schema), for
-- the migration test. Generated once from migration 1; do not edit.
BEGIN;
CREATE TABLE settings(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  display_name TEXT NOT NULL,
  bio TEXT NOT NULL DEFAULT '',
  pwhash TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('admin','editor','author','contributor')),
  created_at INTEGER NOT NULL
);
CREATE TABLE categories(
  id INTEGER PRIMARY KEY,
  parent_id INTEGER NOT NULL DEFAULT 0,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  path TEXT NOT NULL UNIQUE
);
CREATE INDEX categories_parent ON categories(parent_id);
CREATE TABLE tags(
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE posts(
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('post','page')),
  status TEXT NOT NULL CHECK (status IN ('draft','pending','scheduled','published','private','trash')),
  slug TEXT NOT NULL,
  title TEXT NOT NULL,
  excerpt TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL DEFAULT '',
  body_html TEXT NOT NULL DEFAULT '',
  author_id INTEGER NOT NULL REFERENCES users(id),
  category_id INTEGER NOT NULL DEFAULT 0,
  parent_id INTEGER NOT NULL DEFAULT 0,
  sticky INTEGER NOT NULL DEFAULT 0,
  comments_open INTEGER NOT NULL DEFAULT 1,
  published_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE(type, slug)
);
CREATE INDEX posts_listing ON posts(type, status, published_at);
CREATE INDEX posts_category ON posts(category_id, published_at);
CREATE INDEX posts_author ON posts(author_id, published_at);
CREATE TABLE post_tags(
  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  PRIMARY KEY(post_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX post_tags_tag ON post_tags(tag_id, post_id);
CREATE TABLE comments(
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  parent_id INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('pending','approved','spam','trash')),
  author_name TEXT NOT NULL,
  author_email TEXT NOT NULL,
  author_url TEXT NOT NULL DEFAULT '',
  author_ip TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL,
  body_html TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX comments_post ON comments(post_id, status, created_at);
INSERT INTO settings(key, value) VALUES ('title', 'Old Site'), ('tagline', 'Made by schema v1'),
  ('permalink', '/%year%/%month%/%slug%/'), ('posts_per_page', '10'), ('timezone', 'UTC');
INSERT INTO users(id, login, email, display_name, role, created_at)
  VALUES (1, 'olduser', 'old@example.org', 'Old User', 'admin', 1700000000);
INSERT INTO categories(id, parent_id, slug, name, description, path)
  VALUES (1, 0, 'archive', 'Archive', 'Old things', 'archive');
INSERT INTO tags(id, slug, name) VALUES (1, 'legacy', 'legacy');
INSERT INTO posts(id, type, status, slug, title, excerpt, body_md, body_html, author_id,
  category_id, published_at, created_at, updated_at)
  VALUES (1, 'post', 'published', 'from-the-first-schema', 'From the first schema',
  'Written before the upgrade.', 'Written *before* the upgrade.',
  '<p>Written <em>before</em> the upgrade.</p>', 1, 1, 1700000000, 1700000000, 1700000000);
INSERT INTO post_tags(post_id, tag_id) VALUES (1, 1);
INSERT INTO comments(post_id, status, author_name, author_email, body_md, body_html, created_at)
  VALUES (1, 'approved', 'Reader', 'r@example.org', 'Nice.', '<p>Nice.</p>', 1700000100);
PRAGMA user_version = 1;
COMMIT;
