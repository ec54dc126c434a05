"""test_migration.py - a database made by schema version 1 is upgraded in place.

The fixture tests/data/schema-v1.sql is a complete version-1 database dump
(`PRAGMA user_version=1`, a user, a category and a published post). We load
it with python's sqlite3 into a new site folder next to the gazette.conf of a
fresh `init`, serve it, and check the post is served and `PRAGMA
user_version` is now the latest (> 1), and that the data survived.
"""
import os
import shutil
import sqlite3
import sys

from harness import ARTICLE_RE, PG, Checks, Site, cli_ok, poll

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.environ.get('GAZETTE_V1_FIXTURE',
                         os.path.join(HERE, '..', 'data', 'schema-v1.sql'))

c = Checks('test_migration')
if PG:
    # SQLite files made by old versions; PostgreSQL's upgrades are checked
    # by the store contract suite (test_pg_migrations, make unit-pg)
    print('test_migration: SQLite only, skipped on PostgreSQL')
    sys.exit(0)
if not os.path.isfile(FIXTURE):
    print('FAIL test_migration: the version-1 fixture %s does not exist (it must be a complete '
          'schema-version-1 database dump with PRAGMA user_version=1, a user, a category and a '
          'published post)' % os.path.normpath(FIXTURE), flush=True)
    sys.exit(1)


def find_table(con, *cols):
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        have = [r[1] for r in con.execute('PRAGMA table_info("%s")' % name)]
        if all(x in have for x in cols):
            return name, have
    return None, []


def user_version(path):
    con = sqlite3.connect(path)
    try:
        return con.execute('PRAGMA user_version').fetchone()[0]
    finally:
        con.close()


with Site(serve=False) as s:
    with c.section('latest version'):
        latest = user_version(os.path.join(s.dir, 'gazette.db'))
        c.ok(latest > 1, 'a fresh init has user_version %s, expected > 1' % latest)

    with c.section('build the version-1 site'):
        old = os.path.join(s.tmp, 'v1site')
        os.mkdir(old)
        shutil.copy(os.path.join(s.dir, 'gazette.conf'), os.path.join(old, 'gazette.conf'))
        db = os.path.join(old, 'gazette.db')
        with open(FIXTURE, encoding='utf-8') as f:
            sql = f.read()
        con = sqlite3.connect(db)
        con.executescript(sql)
        con.commit()
        c.eq(con.execute('PRAGMA user_version').fetchone()[0], 1, 'fixture user_version')
        posts, cols = find_table(con, 'title', 'slug', 'status')
        c.ok(posts, 'the fixture has no posts table (title, slug, status)')
        rows = con.execute('SELECT title, slug, status FROM "%s"' % posts).fetchall() \
            if posts else []
        pub = [r for r in rows if r[2] == 'published']
        c.ok(pub, 'the fixture has no published post: %r' % rows)
        cats, _ = find_table(con, 'slug', 'path', 'parent_id')
        cat_slugs = [r[0] for r in con.execute('SELECT path FROM "%s"' % cats)] if cats else []
        c.ok(cat_slugs, 'the fixture has no category')
        users, _ = find_table(con, 'login', 'email')
        logins = [r[0] for r in con.execute('SELECT login FROM "%s"' % users)] if users else []
        c.ok(logins, 'the fixture has no user')
        counts = {}
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND "
                                   "name NOT LIKE 'sqlite_%'").fetchall():
            counts[name] = con.execute('SELECT count(*) FROM "%s"' % name).fetchone()[0]
        con.close()
        s.dir = old

    with c.section('serve migrates in place'):
        s.start()
        v = user_version(db)
        c.eq(v, latest, 'user_version right after `Listening on`')
        st, h, p = s.page('/')
        c.status(st, 200, 'GET / of the migrated site')
        arts = p.articles()
        c.eq(len(arts), len(pub), 'articles on the home page of the migrated site')
        for title, slug, _ in pub:
            c.ok(title in p.html or title.replace('&', '&amp;') in p.html,
                 'home page lacks the fixture post %r' % title)
            urls = [u for u in arts if u.rstrip('/').endswith('/' + slug)]
            c.ok(urls, 'no link to the fixture post %r on the home page: %r' % (slug, arts))
            for u in urls:
                st, h, ap = s.page(u)
                c.status(st, 200, 'GET %s (the fixture post)' % u)
                c.ok(any(title in x for x in ap.h1) or title in ap.html,
                     '%s: no title %r' % (u, title))
        for path in cat_slugs:
            st, h, cp = s.page('/category/%s/' % path)
            c.status(st, 200, 'GET /category/%s/' % path)
        for login in logins:
            st, _, _ = s.get('/author/%s/' % login)
            c.status(st, (200,), 'GET /author/%s/' % login)

        con = sqlite3.connect(db)
        for name, n in counts.items():
            try:
                got = con.execute('SELECT count(*) FROM "%s"' % name).fetchone()[0]
            except sqlite3.Error as e:
                got = repr(e)
            exact = name in ('posts', 'users', 'categories', 'tags', 'post_tags', 'comments')
            c.ok(got == n if exact else isinstance(got, int) and got >= n,
                 'table %s had %s rows before the migration, %s after' % (name, n, got))
        c.eq(con.execute('PRAGMA integrity_check').fetchone()[0], 'ok', 'integrity_check')
        con.close()

    with c.section('CLI on the migrated site'):
        out = cli_ok(c, s.cli('post', 'list'), 'post list on the migrated site')
        for title, _, _ in pub:
            c.ok(title in out, 'post list lacks %r: %r' % (title, out))
        r = s.cli('post', 'add', '--title', 'After the Upgrade', '--category', cat_slugs[0]
                  if cat_slugs else '', '--status', 'published', input='New body.\n')
        cli_ok(c, r, 'post add on the migrated site')
        # A running server picks changes up from the change log within a
        # poll interval (DESIGN: at least every 250 ms), not synchronously.
        def on_home():
            st, h, p = s.page('/')
            return any(ARTICLE_RE.match(u) and 'after-the-upgrade' in u for u in p.articles())
        c.ok(poll(on_home, timeout=5), 'the post added after the upgrade is not on the home page')

    with c.section('restart is a no-op'):
        c.eq(s.restart(), 0, 'serve exit status on SIGTERM')
        c.eq(user_version(db), latest, 'user_version after a second start')
        st, _, _ = s.get('/')
        c.status(st, 200, 'GET / after a second start')

    c.finish(s)
