"""test_cli.py - the `gazette` command line: init, help, bad arguments, users,
categories, posts, pages, tags, settings, and backup while serving.

Contract (../shared/DESIGN.md, issue 2): `init` creates DIR or uses an empty
one and refuses an existing site; bad arguments give a one-line error naming
what is wrong, a usage hint, a non-zero exit, and write nothing; `post add`
prints `ID<TAB>URL` (root-relative when base_url is unset).
"""
import hashlib
import os
import re
import sqlite3
import subprocess
import time

from harness import PG, Checks, Site, cli_ok, id_url

c = Checks('test_cli')
COMMANDS = ['init', 'serve', 'settings', 'backup', 'post', 'page', 'category', 'tag', 'user']


def snapshot(d):
    """Names and contents of the files in a site folder."""
    out = {}
    if os.path.isdir(d):
        for n in sorted(os.listdir(d)):
            p = os.path.join(d, n)
            if os.path.isfile(p):
                with open(p, 'rb') as f:
                    out[n] = hashlib.sha256(f.read()).hexdigest()
    return out


def db_dump(path):
    return s.dump()  # the Site below: its SQLite file or its PostgreSQL database


def ym_now():
    t = time.gmtime()
    return '%04d/%02d' % (t.tm_year, t.tm_mon)


def lines(out):
    return [l for l in out.splitlines() if l.strip()]


def has_line(out, *words):
    return any(all(w in l for w in words) for l in out.splitlines())


def check_backup(out):
    """A SQLite backup file: whole, and the live database's posts."""
    c.ok(os.path.isfile(out), 'backup wrote no file')
    with open(out, 'rb') as f:
        c.eq(f.read(16), b'SQLite format 3\x00', 'backup file header')
    con = sqlite3.connect('file:%s?mode=ro' % out, uri=True)
    c.eq(con.execute('PRAGMA integrity_check').fetchone()[0], 'ok', 'backup integrity_check')
    live = sqlite3.connect(db)

    def post_rows(cn):
        for (name,) in cn.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            cols = [r[1] for r in cn.execute('PRAGMA table_info("%s")' % name)]
            if 'title' in cols and 'slug' in cols:
                return sorted(cn.execute('SELECT * FROM "%s"' % name).fetchall(),
                              key=repr)
        return None

    got, want = post_rows(con), post_rows(live)
    c.ok(want is not None and len(want) >= 5, 'no posts table found in the live database')
    c.ok(got == want, 'backup posts differ from the live database (%s vs %s rows)'
         % (len(got or []), len(want or [])))
    c.ok(any('Added While Serving' in repr(r) for r in got or []),
         'backup lacks the post added just before it')
    c.eq(con.execute('PRAGMA user_version').fetchone()[0],
         live.execute('PRAGMA user_version').fetchone()[0], 'backup user_version')
    con.close()
    live.close()
    before = snapshot(s.tmp).get('backup.db')
    r = s.cli('backup', out)
    c.ok(r.returncode != 0, 'backup over an existing file exited 0')
    c.eq(snapshot(s.tmp).get('backup.db'), before, 'refused backup changed the existing file')


with Site(init=False, serve=False) as s:
    db = os.path.join(s.dir, 'gazette.db')

    # --- init ----------------------------------------------------------------
    with c.section('init'):
        r = s.cli('init')
        cli_ok(c, r, 'init in a missing folder')
        if PG:
            with open(os.path.join(s.dir, 'gazette.conf')) as f:
                c.ok('database = %s\n' % s.db_url in f.read(),
                     'init --database did not write the URL to gazette.conf')
        else:
            c.ok(os.path.isfile(db), 'init wrote no gazette.db')
        c.ok(os.path.isfile(os.path.join(s.dir, 'gazette.conf')), 'init wrote no gazette.conf')
        before = snapshot(s.dir)
        for args in (['init'], ['init', '--demo']):
            r = s.cli(*args)
            c.ok(r.returncode != 0, '`%s` on an existing site exited 0' % ' '.join(args))
            c.ok(r.stderr.strip() != '', '`%s` refused without a message' % ' '.join(args))
            c.eq(snapshot(s.dir), before, '`%s` on an existing site changed files' % ' '.join(args))

        empty = os.path.join(s.tmp, 'empty')
        os.mkdir(empty)
        r = s.cli('--site', empty, 'init', site=False)
        cli_ok(c, r, 'init in an existing empty folder')
        c.ok(os.path.isfile(os.path.join(empty, 'gazette.db')), 'init in empty dir: no gazette.db')

        only_conf = os.path.join(s.tmp, 'only-conf')
        os.mkdir(only_conf)
        with open(os.path.join(only_conf, 'gazette.conf'), 'w') as f:
            f.write('# mine\n')
        before = snapshot(only_conf)
        r = s.cli('--site', only_conf, 'init', site=False)
        c.ok(r.returncode != 0, 'init where only gazette.conf exists exited 0')
        c.eq(snapshot(only_conf), before, 'init where gazette.conf exists changed the folder')

        only_db = os.path.join(s.tmp, 'only-db')
        os.mkdir(only_db)
        with open(os.path.join(only_db, 'gazette.db'), 'wb') as f:
            f.write(b'')
        before = snapshot(only_db)
        r = s.cli('--site', only_db, 'init', site=False)
        c.ok(r.returncode != 0, 'init where only gazette.db exists exited 0')
        c.eq(snapshot(only_db), before, 'init where gazette.db exists changed the folder')

        r = s.cli('--site', os.path.join(s.tmp, 'nosite'), 'post', 'list', site=False)
        c.ok(r.returncode != 0 and r.stderr.strip(), 'post list without a site: exit %s, %r'
             % (r.returncode, r.stderr))
        c.ok(not os.path.exists(os.path.join(s.tmp, 'nosite', 'gazette.db')),
             'post list without a site created a database')

    # --- help ----------------------------------------------------------------
    with c.section('help'):
        r = s.cli('--help', site=False)
        out = cli_ok(c, r, 'gazette --help')
        c.ok('usage' in out.lower(), 'gazette --help: no usage on stdout: %r' % out[:200])
        for cmd in COMMANDS:
            c.ok(re.search(r'\b%s\b' % cmd, out), 'gazette --help does not list %s' % cmd)
        for cmd in COMMANDS:
            r = s.cli(cmd, '--help')
            out = cli_ok(c, r, 'gazette %s --help' % cmd)
            c.ok(cmd in out and 'usage' in out.lower(),
                 'gazette %s --help: no usage for it on stdout: %r' % (cmd, out[:200]))
        r = s.cli('post', 'add', '--help')
        out = cli_ok(c, r, 'gazette post add --help')
        c.ok('--title' in out, 'post add --help does not mention --title: %r' % out[:200])
        r = s.cli(site=False)
        c.ok(r.returncode != 0 and 'usage' in (r.stdout + r.stderr).lower(),
             'gazette without a command: exit %s, %r' % (r.returncode, r.stderr[:200]))

    # --- users ---------------------------------------------------------------
    with c.section('user'):
        r = s.cli('user', 'add', 'alice', '--email', 'alice@example.org', '--role', 'admin',
                  '--password-stdin', input='correct horse battery\n')
        cli_ok(c, r, 'user add alice --password-stdin')
        r = s.cli('user', 'add', 'bob', '--email', 'bob@example.org', '--role', 'author',
                  '--password-stdin', input='another secret phrase\n')
        cli_ok(c, r, 'user add bob')
        out = cli_ok(c, s.cli('user', 'list'), 'user list')
        c.ok(has_line(out, 'alice', 'admin'), 'user list has no alice/admin line: %r' % out)
        c.ok(has_line(out, 'bob', 'author'), 'user list has no bob/author line: %r' % out)
        dump = s.dump()
        c.ok('correct horse battery' not in dump, 'the password is stored in clear text')
        c.ok('$argon2id$' in dump, 'no argon2id password hash in the database')
        before = db_dump(db)
        r = s.cli('user', 'add', 'alice', '--email', 'a2@example.org', '--role', 'editor',
                  '--password-stdin', input='yet another long password\n')
        c.ok(r.returncode != 0, 'user add of an existing login exited 0')
        c.ok('alice' in r.stderr, 'duplicate user error does not name the login: %r' % r.stderr)
        c.eq(db_dump(db), before, 'refused user add changed the database')
        r = s.cli('user', 'role', 'bob', 'editor')
        cli_ok(c, r, 'user role bob editor')
        out = s.cli('user', 'list').stdout
        c.ok(has_line(out, 'bob', 'editor'), 'user role did not change bob: %r' % out)

    # --- categories ------------------------------------------------------------
    with c.section('category'):
        cli_ok(c, s.cli('category', 'add', 'News'), 'category add News')
        cli_ok(c, s.cli('category', 'add', 'City Hall', '--parent', 'news'),
               'category add City Hall --parent news')
        cli_ok(c, s.cli('category', 'add', 'Sports'), 'category add Sports')
        out = cli_ok(c, s.cli('category', 'list'), 'category list')
        c.ok(has_line(out, 'news/city-hall', 'City Hall'),
             'category list lacks news/city-hall: %r' % out)
        c.ok(has_line(out, 'Sports'), 'category list lacks Sports: %r' % out)
        before = db_dump(db)
        r = s.cli('category', 'add', 'News')
        c.ok(r.returncode != 0, 'category add of an existing slug exited 0')
        r = s.cli('category', 'add', 'Orphan', '--parent', 'no-such-parent')
        c.ok(r.returncode != 0 and 'no-such-parent' in r.stderr,
             'category add with a missing parent: exit %s, %r' % (r.returncode, r.stderr))
        r = s.cli('category', 'move', 'news', '--parent', 'city-hall')
        c.ok(r.returncode != 0, 'moving a category under its own child exited 0')
        c.eq(db_dump(db), before, 'refused category commands changed the database')

        cli_ok(c, s.cli('category', 'move', 'city-hall', '--parent', 'sports'),
               'category move city-hall --parent sports')
        out = s.cli('category', 'list').stdout
        c.ok(has_line(out, 'sports/city-hall'), 'move: no sports/city-hall: %r' % out)
        c.ok(not has_line(out, 'news/city-hall'), 'move: news/city-hall still listed: %r' % out)
        cli_ok(c, s.cli('category', 'rename', 'city-hall', '--name', 'Town Hall',
                        '--slug', 'town-hall'), 'category rename')
        out = s.cli('category', 'list').stdout
        c.ok(has_line(out, 'sports/town-hall', 'Town Hall'), 'rename: %r' % out)
        cli_ok(c, s.cli('category', 'move', 'town-hall', '--parent', 'news'),
               'category move back under news')
        cli_ok(c, s.cli('category', 'add', 'Doomed'), 'category add Doomed')
        cli_ok(c, s.cli('category', 'delete', 'doomed'), 'category delete doomed')
        out = s.cli('category', 'list').stdout
        c.ok('doomed' not in out.lower(), 'deleted category still listed: %r' % out)
        r = s.cli('category', 'delete', 'doomed')
        c.ok(r.returncode != 0 and 'doomed' in r.stderr,
             'deleting a missing category: exit %s, %r' % (r.returncode, r.stderr))

    # --- posts ---------------------------------------------------------------
    posts = {}
    with c.section('post add'):
        ym = ym_now()
        r = s.cli('post', 'add', '--title', 'Hello World', '--category', 'news',
                  '--tags', 'Alpha Tag,Beta Tag', '--status', 'published',
                  input='Some **bold** text.\n\nA second paragraph.\n')
        out = cli_ok(c, r, 'post add from stdin')
        pid, url = id_url(out)
        c.ok(pid is not None, 'post add output is not ID<TAB>URL: %r' % out)
        ym2 = ym_now()
        c.ok(url in ('/%s/hello-world/' % ym, '/%s/hello-world/' % ym2),
             'post add URL: expected /%s/hello-world/, got %r' % (ym, url))
        posts['hello'] = (pid, url)

        body_file = os.path.join(s.tmp, 'body.md')
        with open(body_file, 'w') as f:
            f.write('# From a file\n\nFile body with *emphasis*.\n')
        r = s.cli('post', 'add', '--title', 'From a File', '--file', body_file,
                  '--category', 'news/town-hall', '--slug', 'custom-slug',
                  '--date', '2025-03-04T10:00:00Z', '--status', 'published', '--author', 'bob')
        out = cli_ok(c, r, 'post add --file')
        pid, url = id_url(out)
        c.eq(url, '/2025/03/custom-slug/', 'post add --date --slug URL')
        posts['file'] = (pid, url)

        r = s.cli('post', 'add', '--title', 'Just a Draft', '--status', 'draft',
                  input='draft body\n')
        out = cli_ok(c, r, 'post add --status draft')
        posts['draft'] = id_url(out)
        c.ok(posts['draft'][0] is not None, 'post add draft output: %r' % out)

        r = s.cli('post', 'add', '--title', 'Hello World', '--status', 'published',
                  input='same title\n')
        out = cli_ok(c, r, 'post add with a duplicate title')
        dup = id_url(out)
        c.ok(dup[1] and dup[1] != posts['hello'][1] and 'hello-world' in dup[1],
             'duplicate title did not get its own slug: %r' % out)
        posts['dup'] = dup

        before = db_dump(db)
        r = s.cli('post', 'add', '--title', 'Clash', '--slug', 'custom-slug', input='x\n')
        c.ok(r.returncode != 0 and 'slug' in r.stderr,
             'explicit duplicate slug: exit %s, %r' % (r.returncode, r.stderr))
        c.eq(db_dump(db), before, 'refused duplicate slug changed the database')

    with c.section('post list/show/edit'):
        out = cli_ok(c, s.cli('post', 'list'), 'post list')
        for key in ('hello', 'file', 'draft', 'dup'):
            pid = posts[key][0]
            c.ok(any(l.split('\t')[0] == pid for l in lines(out)),
                 'post list lacks post %s (%s): %r' % (pid, key, out))
        out = cli_ok(c, s.cli('post', 'list', '--status', 'draft'), 'post list --status draft')
        ids = [l.split('\t')[0] for l in lines(out)]
        c.eq(ids, [posts['draft'][0]], 'post list --status draft ids')

        pid = posts['hello'][0]
        out = cli_ok(c, s.cli('post', 'show', pid), 'post show')
        for want in ('Hello World', 'Some **bold** text.', 'Alpha Tag', 'Beta Tag', 'news',
                     'published', posts['hello'][1]):
            c.ok(want in out, 'post show %s lacks %r: %r' % (pid, want, out[:500]))
        r = s.cli('post', 'show', '999999')
        c.ok(r.returncode != 0 and r.stderr.strip(), 'post show of a missing id: exit %s'
             % r.returncode)

        r = s.cli('post', 'edit', pid, '--title', 'Hello Edited World')
        cli_ok(c, r, 'post edit --title')
        out = s.cli('post', 'show', pid).stdout
        c.ok('Hello Edited World' in out, 'post edit did not change the title: %r' % out[:300])
        c.ok('Some **bold** text.' in out, 'post edit --title lost the body: %r' % out[:300])
        r = s.cli('post', 'edit', pid, '--body-stdin', input='Replaced body.\n')
        cli_ok(c, r, 'post edit --body-stdin')
        out = s.cli('post', 'show', pid).stdout
        c.ok('Replaced body.' in out, 'post edit did not replace the body: %r' % out[:300])

    with c.section('post publish/unpublish/delete'):
        pid = posts['draft'][0]
        cli_ok(c, s.cli('post', 'publish', pid), 'post publish')
        out = s.cli('post', 'show', pid).stdout
        c.ok(re.search(r'^status:\s*published', out, re.M) or 'published' in out,
             'post publish: status not published: %r' % out[:300])
        cli_ok(c, s.cli('post', 'unpublish', pid), 'post unpublish')
        out = s.cli('post', 'list', '--status', 'draft').stdout
        c.ok(any(l.split('\t')[0] == pid for l in lines(out)),
             'post unpublish: not a draft again: %r' % out)
        before = db_dump(db)
        r = s.cli('post', 'delete', pid, '999999')
        c.ok(r.returncode != 0, 'post delete with one missing id exited 0')
        c.eq(db_dump(db), before, 'post delete with a missing id changed the database')
        cli_ok(c, s.cli('post', 'delete', pid), 'post delete')
        out = s.cli('post', 'list').stdout
        c.ok(not any(l.split('\t')[0] == pid for l in lines(out)),
             'deleted post still in post list: %r' % out)

    # --- pages ---------------------------------------------------------------
    with c.section('page'):
        r = s.cli('page', 'add', '--title', 'About Us', '--slug', 'about', '--status', 'published',
                  input='We are a **small** newsroom.\n')
        out = cli_ok(c, r, 'page add')
        page_id, page_url = id_url(out)
        c.ok(page_id is not None, 'page add output is not ID<TAB>URL: %r' % out)
        c.eq(page_url, '/about/', 'page add URL')
        out = cli_ok(c, s.cli('page', 'list'), 'page list')
        c.ok(has_line(out, page_id or '?', 'About Us'), 'page list lacks About Us: %r' % out)
        before = db_dump(db)
        r = s.cli('page', 'add', '--title', 'Cats', '--slug', 'category', input='x\n')
        c.ok(r.returncode != 0, 'page with the reserved slug "category" was accepted')
        r = s.cli('page', 'add', '--title', 'Again', '--slug', 'about', input='x\n')
        c.ok(r.returncode != 0, 'page with a duplicate slug was accepted')
        c.eq(db_dump(db), before, 'refused page add changed the database')
        r = s.cli('page', 'add', '--title', 'Temporary', input='tmp\n')
        tmp_id, _ = id_url(cli_ok(c, r, 'page add Temporary'))
        cli_ok(c, s.cli('page', 'delete', tmp_id or '0'), 'page delete')
        out = s.cli('page', 'list').stdout
        c.ok('Temporary' not in out, 'deleted page still listed: %r' % out)
        c.ok('About Us' in out, 'page delete removed the wrong page: %r' % out)
        out = s.cli('post', 'list').stdout
        c.ok('About Us' not in out, 'pages are listed by post list: %r' % out)

    # --- tags ----------------------------------------------------------------
    with c.section('tag'):
        out = cli_ok(c, s.cli('tag', 'list'), 'tag list')
        c.ok(has_line(out, 'alpha-tag', 'Alpha Tag'), 'tag list lacks alpha-tag: %r' % out)
        c.ok(has_line(out, 'beta-tag', 'Beta Tag'), 'tag list lacks beta-tag: %r' % out)
        cli_ok(c, s.cli('tag', 'rename', 'beta-tag', '--name', 'Gamma Tag', '--slug', 'gamma-tag'),
               'tag rename')
        out = s.cli('tag', 'list').stdout
        c.ok(has_line(out, 'gamma-tag', 'Gamma Tag') and 'beta-tag' not in out,
             'tag rename: %r' % out)
        show = s.cli('post', 'show', posts['hello'][0]).stdout
        c.ok('Gamma Tag' in show and 'Beta Tag' not in show,
             'renamed tag not shown on its post: %r' % show[:400])
        cli_ok(c, s.cli('tag', 'delete', 'alpha-tag'), 'tag delete')
        out = s.cli('tag', 'list').stdout
        c.ok('alpha-tag' not in out, 'deleted tag still listed: %r' % out)
        show = s.cli('post', 'show', posts['hello'][0]).stdout
        c.ok('Alpha Tag' not in show, 'deleted tag still on its post: %r' % show[:400])
        r = s.cli('tag', 'delete', 'no-such-tag')
        c.ok(r.returncode != 0 and 'no-such-tag' in r.stderr,
             'deleting a missing tag: exit %s, %r' % (r.returncode, r.stderr))

    # --- settings ------------------------------------------------------------
    with c.section('settings'):
        out = cli_ok(c, s.cli('settings', 'get', 'posts_per_page'), 'settings get posts_per_page')
        c.eq(out.strip(), '10', 'default posts_per_page')
        out = cli_ok(c, s.cli('settings', 'get', 'timezone'), 'settings get timezone')
        c.eq(out.strip(), 'UTC', 'default timezone')
        cli_ok(c, s.cli('settings', 'set', 'title', 'The E2E Times'), 'settings set title')
        c.eq(s.cli('settings', 'get', 'title').stdout.strip(), 'The E2E Times', 'title after set')
        cli_ok(c, s.cli('settings', 'set', 'posts_per_page', '5'), 'settings set posts_per_page 5')
        c.eq(s.cli('settings', 'get', 'posts_per_page').stdout.strip(), '5', 'posts_per_page')
        for key, val in (('posts_per_page', '0'), ('posts_per_page', 'abc'),
                         ('posts_per_page', '-3'), ('base_url', 'not a url'),
                         ('timezone', 'Mars/Olympus_Mons'), ('title', ''),
                         ('no_such_key', 'x')):
            before = db_dump(db)
            r = s.cli('settings', 'set', key, val)
            c.ok(r.returncode != 0, 'settings set %s %r exited 0' % (key, val))
            c.ok(key in r.stderr, 'settings set %s %r: error does not name the field: %r'
                 % (key, val, r.stderr))
            c.eq(db_dump(db), before, 'refused settings set %s %r changed the database'
                 % (key, val))
        r = s.cli('settings', 'get', 'no_such_key')
        c.ok(r.returncode != 0 and 'no_such_key' in r.stderr,
             'settings get of an unknown key: exit %s, %r' % (r.returncode, r.stderr))
        c.eq(s.cli('settings', 'get', 'posts_per_page').stdout.strip(), '5',
             'posts_per_page after refused sets')
        cli_ok(c, s.cli('settings', 'set', 'posts_per_page', '10'), 'settings set back to 10')

        cli_ok(c, s.cli('settings', 'set', 'base_url', 'https://news.example.org'),
               'settings set base_url')
        r = s.cli('post', 'add', '--title', 'Absolute Link', '--status', 'published', input='x\n')
        pid, url = id_url(cli_ok(c, r, 'post add with base_url set'))
        c.ok(url is not None and re.match(r'^https://news\.example\.org/\d{4}/\d{2}/absolute-link/$',
                                          url),
             'post add with base_url: expected an absolute URL, got %r' % url)
        cli_ok(c, s.cli('settings', 'set', 'base_url', ''), 'settings set base_url ""')
        out = s.cli('post', 'show', pid or '0').stdout
        c.ok(re.search(r'(?m)^url: /\d{4}/\d{2}/absolute-link/$', out) or
             ('/absolute-link/' in out and 'news.example.org' not in out),
             'after clearing base_url, post show has no root-relative URL: %r' % out[:300])

    # --- bad arguments: one-line error naming the problem, usage, nothing written
    with c.section('bad arguments'):
        cases = [
            # (argv, word the first stderr line must contain, usage hint expected, stdin)
            (['frobnicate'], 'frobnicate', True, None),
            (['--bogus-global', 'post', 'list'], '--bogus-global', True, None),
            (['post'], '', True, None),
            (['post', 'frob'], 'frob', True, None),
            (['post', 'add'], 'title', True, 'body\n'),
            (['post', 'add', '--title', 'X', '--bogus'], '--bogus', True, 'body\n'),
            (['post', 'add', '--title', 'X', '--status', 'bogus'], 'status', False, 'body\n'),
            (['post', 'add', '--title', 'X', '--date', 'not-a-date'], 'date', False, 'body\n'),
            (['post', 'add', '--title', 'X', '--category', 'no-such-cat'], 'no-such-cat', False,
             'body\n'),
            (['post', 'add', '--title', 'X', '--author', 'nobody'], 'nobody', False, 'body\n'),
            (['post', 'add', '--title', 'X', '--file', '/nonexistent/body.md'],
             '/nonexistent/body.md', False, None),
            (['post', 'add', '--title', 'X', 'stray'], 'stray', True, 'body\n'),
            (['post', 'show', 'abc'], 'abc', True, None),
            (['post', 'publish'], 'ID', True, None),
            (['post', 'edit', '-5', '--title', 'Y'], '-5', True, None),
            (['category', 'add'], 'NAME', True, None),
            (['category', 'move', 'news'], 'parent', True, None),
            (['user', 'add', 'carol', '--email', 'c@example.org', '--role', 'king'], 'role', True,
             None),
            (['user', 'add', 'carol', '--role', 'author'], 'email', True, None),
            (['settings', 'set', 'title'], 'VALUE', True, None),
            (['backup'], 'FILE', True, None),
            (['init', '--bogus'], '--bogus', True, None),
            (['serve', '--listen', 'nonsense'], 'listen', False, None),
            (['serve', '--threads', 'lots'], 'threads', False, None),
        ]
        for argv, word, want_usage, stdin in cases:
            before = db_dump(db)
            files = snapshot(s.dir)
            what = 'gazette %s' % ' '.join(argv)
            try:
                r = s.cli(*argv, input=stdin, timeout=15)
            except subprocess.TimeoutExpired:
                c.ok(False, '%s: still running after 15 s (killed)' % what)
                continue
            c.ok(r.returncode != 0, '%s: exit 0' % what)
            first = r.stderr.strip().split('\n')[0] if r.stderr.strip() else ''
            c.ok(first != '', '%s: no error message on stderr' % what)
            if word:
                c.ok(word.lower() in first.lower(),
                     '%s: first error line does not name %r: %r' % (what, word, first))
            if want_usage:
                c.ok('usage' in r.stderr.lower(), '%s: no usage hint: %r' % (what, r.stderr))
            c.eq(r.stdout, '', '%s: stdout' % what)
            c.eq(db_dump(db), before, '%s: database changed' % what)
            now = snapshot(s.dir)
            c.eq(sorted(n for n in now if not n.startswith('gazette.db')),
                 sorted(n for n in files if not n.startswith('gazette.db')),
                 '%s: files in the site folder changed' % what)
            c.eq(now.get('gazette.conf'), files.get('gazette.conf'),
                 '%s: gazette.conf changed' % what)

    # --- backup while serving --------------------------------------------------
    with c.section('backup while serving'):
        s.start()
        st, _, body = s.get(posts['file'][1])
        c.status(st, 200, 'GET %s while serving' % posts['file'][1])
        r = s.cli('post', 'add', '--title', 'Added While Serving', '--status', 'published',
                  input='fresh\n')
        cli_ok(c, r, 'post add while serving')
        out = os.path.join(s.tmp, 'backup.db')
        r = s.cli('backup', out)
        if PG:  # by design: a PostgreSQL site is backed up with pg_dump
            c.ok(r.returncode != 0 and 'pg_dump' in r.stderr,
                 'backup of a PostgreSQL site: exit %s, %r' % (r.returncode, r.stderr))
            c.ok(not os.path.exists(out), 'refused backup wrote a file')
        else:
            cli_ok(c, r, 'backup FILE while serving')
            check_backup(out)
        st, _, _ = s.get('/')
        c.status(st, 200, 'GET / after backup')
        st, _, b = s.get('/category/news/town-hall/')
        c.status(st, 200, 'GET /category/news/town-hall/ (the category after move/rename)')
        c.ok(posts['file'][1].encode() in b, '/category/news/town-hall/ does not list %s'
             % posts['file'][1])
        st, _, b = s.get('/category/news/')
        c.ok(st == 200 and posts['file'][1].encode() in b,
             '/category/news/ does not list the post of its sub-category')
        for gone in ('/category/sports/town-hall/', '/category/news/city-hall/',
                     '/category/doomed/', '/tag/alpha-tag/', '/tag/beta-tag/'):
            st, _, _ = s.get(gone)
            c.status(st, 404, 'GET %s (moved, renamed or deleted)' % gone)
        st, _, b = s.get('/tag/gamma-tag/')
        c.status(st, 200, 'GET /tag/gamma-tag/ (renamed tag)')
        st, _, b = s.get('/about/')
        c.ok(st == 200 and b'small' in b, 'GET /about/ (page added by the CLI) -> %s' % st)
        c.ok(s.alive(), 'serve died during backup')
        rc = s.stop()
        c.eq(rc, 0, 'serve exit status after SIGTERM')

    c.finish(s)
