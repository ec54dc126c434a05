"""Edge rules: one address per listing page, no future date archives, no
archive for a tag or author with nothing public, CLI refuses a missing
database, a failed init leaves nothing behind, redirects stay ASCII."""
import os
import shutil
import subprocess
import sys

from harness import GAZETTE, PG, Site, check, poll


def main():
    with Site(demo=True) as s:
        st, h, _ = s.get('/page/1/')
        check(st == 301 and h['location'].endswith('/'), '/page/1/ -> 301 /: %s' % st)
        st, h, _ = s.get('/category/news/page/1/')
        check(st == 301 and h['location'].endswith('/category/news/'),
              'category page/1 -> 301: %s %s' % (st, h.get('location')))
        check(s.get('/9999/')[0] == 404, 'future year archive is 404')
        check(s.get('/2026/')[0] == 200, 'this year archive is 200')

        # a tag used only by a draft is not public
        r = s.cli('post', 'add', '--title', 'Secret plans', '--tags', 'hush-hush',
                  input='draft\n')
        check(r.returncode == 0, 'draft add: %s' % r.stderr)
        check(s.get('/tag/hush-hush/')[0] == 404, 'tag of a draft only is 404')
        check(s.get('/author/admin/')[0] == 404, 'author without public posts is 404')
        pid = r.stdout.split('\t')[0]
        check(s.cli('post', 'publish', pid).returncode == 0, 'publish')
        check(poll(lambda: s.get('/tag/hush-hush/')[0] == 200, timeout=5),
              'tag archive appears once a post is public')

        # a raw UTF-8 path redirects to an ASCII Location
        resp = s.raw(b'GET /caf\xc3\xa9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        head = resp.split(b'\r\n\r\n', 1)[0]
        loc = [l for l in head.split(b'\r\n') if l.lower().startswith(b'location:')]
        check(loc and all(b < 0x80 for b in loc[0]), 'Location is ASCII: %r' % loc)
        check(b'caf%C3%A9/' in loc[0], 'Location keeps the path: %r' % loc)

        # no silent empty database (a SQLite file; a PostgreSQL URL that
        # names no database is refused by the server)
        if PG:
            print('test_edges: PostgreSQL: missing-file and failed-init checks are SQLite\'s')
            return
        os.rename(os.path.join(s.dir, 'gazette.db'), os.path.join(s.dir, 'moved.db'))
        r = s.cli('post', 'list')
        check(r.returncode != 0 and 'no database' in r.stderr, 'missing db refused: %r' % r.stderr)
        check(not os.path.exists(os.path.join(s.dir, 'gazette.db')), 'nothing created')
        os.rename(os.path.join(s.dir, 'moved.db'), os.path.join(s.dir, 'gazette.db'))

    # a failed init removes what it made
    with Site(init=False, serve=False) as s:
        os.makedirs(os.path.join(s.dir, 'gazette.db-wal'))
        r = s.cli('init')
        check(r.returncode != 0, 'init over a broken folder fails')
        check(sorted(os.listdir(s.dir)) == ['gazette.db-wal'],
              'failed init left: %r' % os.listdir(s.dir))
        os.rmdir(os.path.join(s.dir, 'gazette.db-wal'))
        r = s.cli('init')
        check(r.returncode == 0, 'init works on retry: %s' % r.stderr)
    print('test_edges: ok')


if __name__ == '__main__':
    try:
        main()
    except AssertionError as e:
        print('FAIL test_edges: %s' % e)
        sys.exit(1)
