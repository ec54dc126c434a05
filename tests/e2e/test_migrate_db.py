"""test_migrate_db.py - `gazette migrate-db --to URL|FILE` moves a whole site
between SQLite and PostgreSQL and back (issue 10), ids and all.

A site with real content (articles in nested categories with tags and
related lists, a page, a threaded comment and a pending one, users, a
session, an uploaded image, a redirect left by a changed slug, a menu,
settings) is served and its pages recorded. It is then migrated to the
other backend, gazette.conf switched to the printed `database =` line, and
served again: every page must be the same HTML (search results: the same
articles - the two backends write their own snippets), every table the same
rows, the back-office session still valid. Then back to the first kind of
backend, where even the search pages must be byte-identical.

Plain run: the harness's site is on SQLite: SQLite -> PostgreSQL (a server
started for this file, tests/pg/pgtmp.py) -> SQLite. With GAZETTE_E2E_PG=1
the site starts on PostgreSQL: PostgreSQL -> SQLite -> PostgreSQL.

Refusals, each leaving the target as it was: a target database that holds
the site already, or a table of ours with rows; an existing file; an
unknown scheme; an unreachable server; a source newer than the binary."""
import glob
import hashlib
import json
import os
import re
import sqlite3
import sys
import urllib.parse

from harness import PG, Checks, Site, cli_ok, id_url, pg_drop_database, pg_new_database, poll, psql
from test_admin import PASSWORDS, Browser, field
from test_media import png, upload

FORM = 'application/x-www-form-urlencoded'
BASE = 'https://news.example.org'  # feeds and canonical links do not name the test's port

# Every table migrate-db copies, with its key (src/store/copy_tables.c).
TABLES = [('settings', 'key'), ('users', 'id'), ('sessions', 'token_hash'),
          ('categories', 'id'), ('tags', 'id'), ('media', 'id'),
          ('media_variants', 'media_id, width'), ('posts', 'id'), ('post_bodies', 'post_id'),
          ('post_tags', 'post_id, tag_id'), ('post_revisions', 'id'), ('comments', 'id'),
          ('spam_tokens', 'token'), ('redirects', 'from_path'), ('menu_items', 'id'),
          ('import_map', 'source, kind, wp_id'), ('changes', 'id'),
          ('related', 'post_id, rank'), ('related_docs', 'post_id'),
          ('related_postings', 'term, weight, post_id'), ('related_df', 'term')]


# --- a database, whichever backend ------------------------------------------
def is_pg(db):
    return db.startswith('postgresql://')


def table_rows(db, table, order):
    """Every row of table as a list of dicts, values normalised across
    backends (booleans as 0/1, blobs as hex)."""
    if is_pg(db):
        out = []
        for (j,) in psql(db, 'SELECT row_to_json(t) FROM (SELECT * FROM %s ORDER BY %s) t'
                         % (table, order)):
            row = json.loads(j)
            for k, v in row.items():
                if isinstance(v, bool):
                    row[k] = int(v)
                elif isinstance(v, str) and table == 'related_docs' and k != 'post_id':
                    row[k] = v[2:].lower()  # bytea as \x...
            out.append(row)
        return out
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        out = []
        for r in con.execute('SELECT * FROM %s ORDER BY %s' % (table, order)):
            row = dict(r)
            for k, v in row.items():
                if isinstance(v, bytes):
                    row[k] = v.hex()
            out.append(row)
        return out
    finally:
        con.close()


def digest(db):
    """One hash over every copied table's rows."""
    h = hashlib.sha256()
    for t, order in TABLES:
        h.update(json.dumps(table_rows(db, t, order), sort_keys=True).encode())
    return h.hexdigest()


def one(db, query):
    if is_pg(db):
        return int(psql(db, query)[0][0])
    con = sqlite3.connect(db)
    try:
        return int(con.execute(query).fetchone()[0])
    finally:
        con.close()


# --- the site ----------------------------------------------------------------
def comment(s, url, text, email, parent=''):
    st, _, b = s.get(url + '?fresh=%s' % email)
    tok = field(b.decode(), 'token')
    body = urllib.parse.urlencode({'name': 'Reader ' + email.split('@')[0], 'email': email,
                                   'comment': text, 'parent': parent, 'token': tok or '',
                                   'url': '', 'homepage': ''}).encode()
    st, h, _ = s.request('POST', url, body=body, headers={'Content-Type': FORM})
    m = re.search(r'#comment-(\d+)$', h.get('location', ''))
    return int(m.group(1)) if m else None


def build(c, s):
    """Fill the site; returns (article urls, a page url, the renamed post's
    old url, the signed-in editor)."""
    for k, v in (('title', 'Harbour Gazette'), ('tagline', 'News from the estuary'),
                 ('base_url', BASE), ('comments_min_seconds', '0'),
                 ('posts_per_page', '3')):
        cli_ok(c, s.cli('settings', 'set', k, v), 'settings set ' + k)
    cli_ok(c, s.cli('user', 'add', 'ed', '--email', 'ed@example.org', '--role', 'editor',
                    '--name', 'Ed Itor', '--password-stdin', input=PASSWORDS['ed'] + '\n'),
           'user add ed')
    cli_ok(c, s.cli('category', 'add', 'News', '--slug', 'news'), 'category news')
    cli_ok(c, s.cli('category', 'add', 'City Hall', '--slug', 'city', '--parent', 'news'),
           'category city')
    cli_ok(c, s.cli('category', 'add', 'Culture', '--slug', 'culture'), 'category culture')
    posts = [
        ('Tram depot plans approved', 'city', 'trams,depot', '2026-01-10T09:00:00Z',
         'The council approved the **tram depot** plans: new trams, tram lines and depot '
         'works along the harbour.'),
        ('New trams arrive at the depot', 'news', 'trams', '2026-01-12T09:00:00Z',
         'The first new trams reached the tram depot. Tram lines open in spring.'),
        ('Harbour festival returns', 'culture', 'festival,harbour', '2026-01-14T09:00:00Z',
         'Music, boats and food: the harbour festival returns to the estuary.'),
        ('Ferry fares to rise', 'news', 'ferry,harbour', '2026-01-16T09:00:00Z',
         'Ferry fares across the harbour rise in March, the operator said.'),
        ('Budget vote delayed', 'city', 'budget', '2026-01-18T09:00:00Z',
         'The budget vote at city hall was delayed by a week. Ünïcode: café, naïve, 東京.'),
    ]
    urls, ids = [], []
    for title, cat, tags, date, body in posts:
        pid, url = id_url(cli_ok(c, s.cli('post', 'add', '--title', title, '--category', cat,
                                          '--tags', tags, '--status', 'published',
                                          '--author', 'ed', '--date', date, input=body),
                                 'post add ' + title))
        urls.append((url or '').replace(BASE, ''))
        ids.append(pid)
    cli_ok(c, s.cli('post', 'add', '--title', 'A draft', '--status', 'draft', input='Later.'),
           'draft')
    cli_ok(c, s.cli('page', 'add', '--title', 'About us', '--slug', 'about',
                    '--status', 'published', input='We report on the *harbour*.'), 'page')
    # a changed slug leaves a redirect from the old URL
    old_url = urls[3]
    cli_ok(c, s.cli('post', 'edit', ids[3], '--slug', 'ferry-fares-rise-in-march'),
           'post edit --slug')
    st, h, _ = s.get(old_url)
    c.status(st, 301, 'GET the renamed article\'s old URL')
    urls[3] = h.get('location', old_url).replace(BASE, '')
    cli_ok(c, s.cli('menu', 'add', 'News', '--category', 'news'), 'menu add category')
    cli_ok(c, s.cli('menu', 'add', 'About', '--post', str(one_id(s, 'about'))), 'menu add page')
    cli_ok(c, s.cli('menu', 'add', 'Trams', '--url', '/tag/trams/'), 'menu add url')

    # comments: a thread on the first article, and one held back
    first = comment(s, urls[0], 'Finally, the depot!', 'ann@example.org')
    c.ok(first, 'the first comment was accepted')
    for cid in listing_ids(s):
        cli_ok(c, s.cli('comment', 'approve', str(cid)), 'approve %s' % cid)
    reply = comment(s, urls[0], 'Agreed, about time.', 'bob@example.org', parent=str(first))
    c.ok(reply, 'the reply was accepted')
    held = comment(s, urls[1], 'Is the depot open on Sundays?', 'cy@example.org')
    c.ok(held, 'the third comment was accepted')
    if reply:
        cli_ok(c, s.cli('comment', 'approve', str(reply)), 'approve the reply')
    if held:
        cli_ok(c, s.cli('comment', 'unapprove', str(held)), 'hold the third comment')

    # a signed-in editor (the session lives in the database) uploads an image
    ed = Browser(s)
    c.status(ed.signin('ed', PASSWORDS['ed'])[0], 303, 'sign in')
    st, h, body = upload(ed, 'harbour.png', png(640, 360), 'image/png', alt='The harbour')
    c.status(st, (200, 303), 'upload')
    paths = [p for (p,) in s.sql('SELECT path FROM media ORDER BY id')]
    c.ok(paths, 'the upload is in the media table')
    if paths:
        md = '![The harbour](/media/%s)\n\nMusic, boats and food: the harbour festival ' \
             'returns to the estuary.' % paths[0]
        cli_ok(c, s.cli('post', 'edit', ids[2], '--body-stdin', input=md), 'image in a post')
    return urls, old_url, ed


def one_id(s, slug):
    rows = s.sql("SELECT id FROM posts WHERE slug = ?", (slug,))
    return rows[0][0] if rows else 0


def listing_ids(s):
    r = s.cli('comment', 'list', '--limit', '0')
    return [int(l.split('\t')[0]) for l in r.stdout.splitlines() if l]


# --- pages ---------------------------------------------------------------------
def normal(body):
    """The page without what is made per request: the comment form's
    signed token (it holds the time the page was made)."""
    return re.sub(r'name="token" value="[^"]*"', 'name="token" value=""', body)


def hits(body):
    return re.findall(r'<a href="(/\d{4}/\d{2}/[^"]+/)"', body)


def record(s, paths):
    out = {}
    for p in paths:
        st, h, b = s.get(p)
        out[p] = (st, h.get('location'), normal(b.decode('utf-8', 'replace')))
    return out


def compare(c, before, after, exact_search):
    for p, (st, loc, body) in before.items():
        st2, loc2, body2 = after[p]
        c.eq((st2, loc2), (st, loc), 'GET %s: status and location' % p)
        if p.startswith('/search') and not exact_search:
            c.eq(hits(body2), hits(body), 'GET %s: the same articles found' % p)
            if body2 != body:
                print('  (%s: the snippets differ between the backends)' % p)
            continue
        if not c.ok(body2 == body, 'GET %s: the same HTML' % p):
            a, b = body.splitlines(), body2.splitlines()
            diff = [(x, y) for x, y in zip(a, b) if x != y][:3]
            print('  first differences: %r' % (diff or (len(a), len(b))))


def switch(s, db):
    """gazette.conf's database line, as migrate-db printed it."""
    conf = os.path.join(s.dir, 'gazette.conf')
    with open(conf) as f:
        lines = [l for l in f.read().splitlines() if not l.startswith('database')]
    lines.append('database = ' + db)
    with open(conf, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def migrate(c, s, to, what, db=None):
    """Run migrate-db (from db, default the site's); returns the database line."""
    args = (['--database', db] if db else []) + ['migrate-db', '--to', to]
    r = s.cli(*args, timeout=300)
    out = cli_ok(c, r, 'migrate-db ' + what)
    c.ok('migrate-db: posts:' in r.stderr, '%s: progress per table on stderr: %r'
         % (what, r.stderr[:300]))
    m = re.search(r'^database = (.+)$', out, re.M)
    c.ok(m, '%s: prints the database line: %r' % (what, out[-300:]))
    counts = re.findall(r'^(\w+) +(\d+) +(\d+)$', out, re.M)
    c.eq(len(counts), len(TABLES), '%s: a row of counts per table' % what)
    c.ok(all(a == b for _, a, b in counts), '%s: counts match: %r' % (what, counts))
    return m.group(1) if m else to


def main():
    c = Checks('test_migrate_db')
    if not (PG or os.environ.get('GAZETTE_E2E_PG_URL') or os.environ.get('GAZETTE_TEST_PG')
            or glob.glob('/usr/lib/postgresql/*/bin/initdb')):
        print('test_migrate_db: no PostgreSQL server to migrate to (make deps installs it), '
              'skipped')
        sys.exit(0)
    made = []  # PostgreSQL databases made here
    with Site() as s:
        try:
            run(c, s, made)
        finally:
            for name in made:
                pg_drop_database(name)
    c.finish()


def run(c, s, made):
    source = s.db_url or os.path.join(s.dir, 'gazette.db')
    with c.section('build the site'):
        urls, old_url, ed = build(c, s)
    paths = (['/', '/page/2/', '/category/news/', '/category/news/city/', '/tag/trams/',
              '/tag/harbour/', '/author/ed/', '/about/', '/2026/', '/2026/01/', '/feed/',
              '/feed/atom/', '/comments/feed/', '/tag/trams/feed/', '/sitemap.xml',
              '/search?q=tram', '/search?q=harbour+festival', '/search?q=depot&page=2',
              '/search?q=trms', old_url, '/no-such-page/'] + urls)
    with c.section('the site before'):
        st, _, body = s.get(urls[0])
        page = body.decode()
        c.ok('You may also like' in page, 'the article lists related articles')
        c.ok('Agreed, about time.' in page and 'Finally, the depot!' in page,
             'the thread shows')
        c.ok('Is the depot open on Sundays?' not in s.get(urls[1])[2].decode(),
             'the held comment does not show')
        before = record(s, paths)
        c.ok(hits(before['/search?q=tram'][2]), 'the search finds articles')
        rows_before = digest(source)

    def new_pg():
        url, name = pg_new_database()
        made.append(name)
        return url

    def new_file(name):
        return os.path.join(s.tmp, name)

    # SQLite -> PostgreSQL -> SQLite, or PostgreSQL -> SQLite -> PostgreSQL
    chain = ([('SQLite', new_file('moved.db')), ('PostgreSQL', None)] if PG else
             [('PostgreSQL', None), ('SQLite', new_file('back.db'))])
    current, dbs = source, [source]
    for i, (kind, target) in enumerate(chain):
        with c.section('to %s' % kind):
            target = target or new_pg()
            dbs.append(target)
            s.stop()
            line = migrate(c, s, target, 'to ' + kind)
            c.eq(line, target, 'the database line names the target')
            c.eq(digest(target), rows_before, 'every table holds the same rows')
            if not is_pg(target):
                c.ok(not [f for f in os.listdir(s.tmp) if '.tmp-' in f],
                     'no temporary file left')
            switch(s, line)
            s.start()
            after = record(s, paths)
            compare(c, before, after, exact_search=(i == len(chain) - 1))
            st, _, body = ed.get('/admin/comments/?status=pending')
            c.status(st, 200, 'the editor\'s session still works')
            c.ok('Is the depot open on Sundays?' in body,
                 'the held comment waits in the moderation queue')
            current = target

    with c.section('refusals'):
        refusals(c, s, dbs, made)

    with c.section('new rows continue after the copied ids'):
        max_post = one(current, 'SELECT max(id) FROM posts')
        max_change = one(current, 'SELECT max(id) FROM changes')
        pid, _ = id_url(cli_ok(c, s.cli('post', 'add', '--title', 'After the move',
                                        '--status', 'published', input='New here.'),
                               'post add after the move'))
        c.eq(int(pid or 0), max_post + 1, 'the new post\'s id')
        c.ok(one(current, 'SELECT max(id) FROM changes') > max_change,
             'the change log continues after the copied ids')
        c.ok(poll(lambda: 'After the move' in s.get('/')[2].decode()),
             'the new post shows on the home page')


def refusals(c, s, dbs, made):
    """Each refused without writing to the target. dbs: the databases
    holding the site (the last one is the site's now)."""
    def refused(r, what, code=None, says=None):
        c.ok(r.returncode != 0 if code is None else r.returncode == code,
             '%s: exit %s, expected %s' % (what, r.returncode, code or 'non-zero'))
        if says:
            c.ok(says in r.stderr, '%s: says %r: %r' % (what, says, r.stderr.strip()[:300]))

    # a database holding a site already (the site's own, reached by another
    # spelling: the source named by --database, the target its current one)
    pg = [db for db in dbs if is_pg(db)][0]
    other = [db for db in dbs if db != pg][-1]
    before = digest(pg)
    r = s.cli('--database', other, 'migrate-db', '--to', pg)
    refused(r, 'into a database holding a site', says='not empty')
    c.eq(digest(pg), before, 'the site in the target is untouched')
    r = s.cli('--database', pg, 'migrate-db', '--to', pg)
    refused(r, 'into its own database', says='own database')
    # a database with a table of ours holding rows (someone else's)
    url = pg_new_database()
    made.append(url[1])
    psql(url[0], 'CREATE TABLE tags(x int); INSERT INTO tags VALUES (7)')
    r = s.cli('migrate-db', '--to', url[0])
    refused(r, 'into a database with a table of ours', says='cannot open the target')
    c.eq(psql(url[0], 'SELECT x FROM tags'), [['7']], 'its table is untouched')
    c.eq(psql(url[0], "SELECT count(*) FROM pg_tables WHERE tablename = 'gazette_schema'"),
         [['0']], 'and no schema of ours was left there')
    # an existing file
    existing = os.path.join(s.tmp, 'existing.db')
    with open(existing, 'wb') as f:
        f.write(b'not a database')
    r = s.cli('migrate-db', '--to', existing)
    refused(r, 'onto an existing file', says='already exists')
    with open(existing, 'rb') as f:
        c.eq(f.read(), b'not a database', 'the file is untouched')
    # unknown schemes, no target, a server that is not there
    refused(s.cli('migrate-db', '--to', 'mysql://localhost/site'), 'mysql://', 2,
            'not a database gazette knows')
    refused(s.cli('migrate-db', '--to', 'sqlite:x.db'), 'sqlite:', 2, 'plain path')
    refused(s.cli('migrate-db'), 'no --to', 2, 'needs --to')
    refused(s.cli('migrate-db', '--to', 'postgresql://gazette@127.0.0.1:1/none'),
            'an unreachable server', 1, 'cannot open the target')
    refused(s.cli('migrate-db', '--to', os.path.join(s.tmp, 'no', 'such', 'dir.db')),
            'into a missing folder', 1)
    # a source newer than this gazette
    newer = os.path.join(s.tmp, 'newer.db')
    src = sqlite3.connect([db for db in dbs if not is_pg(db)][0])
    dst = sqlite3.connect(newer)
    src.backup(dst)
    dst.execute('PRAGMA user_version = 999')
    dst.commit()
    dst.close()
    src.close()
    out = os.path.join(s.tmp, 'from-newer.db')
    r = s.cli('--database', newer, 'migrate-db', '--to', out)
    refused(r, 'from a newer schema', 1, 'newer than this gazette')
    c.ok(not os.path.exists(out), 'no file was made')
    left = [f for f in os.listdir(s.tmp) if '.tmp-' in f]
    c.eq(left, [], 'no temporary files left')


if __name__ == '__main__':
    main()
