"""Two `gazette serve` nodes on one PostgreSQL database, and the database
server goes away and comes back under them (issue 10).

During the outage both nodes answer every request cleanly: pages in their
cache are still served (HIT), anything else gets the 503 error page -
never a crash, a hang or a dropped connection. After the server is back,
neither node restarted: both serve uncached pages again, a session made
before the outage still works, a post published in A's back office shows
on B, and a comment posted on B and approved from the command line shows
on A. The nodes poll the change log only every 30 s, so within the
deadline only NOTIFY can have told them: each must have re-opened its
LISTEN connection. Everything is polled with a deadline, never slept.

PostgreSQL only (GAZETTE_E2E_PG=1): the test runs a server of its own
(tests/pg/pgtmp.py) so it can stop it without disturbing other tests;
on SQLite there is no server to restart and it says so."""
import os
import sys
import time
import urllib.parse

from harness import PG, Checks, Site, cli_ok, id_url, poll
from nodes import As, Node, stop_checked
from test_admin import PASSWORDS, Browser, field

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'pg'))

FORM = 'application/x-www-form-urlencoded'
DEADLINE = 15.0   # seconds to follow a change: under the 30 s poll, so NOTIFY only
RECOVER = 60.0    # seconds for a node to find the server again (generous)
RECONNECTED = 'change watcher: reconnected to PostgreSQL'


def serve_log(s):
    with open(os.path.join(s.tmp, 'serve.log'), errors='replace') as f:
        return f.read()


def main():
    c = Checks('test_nodes_restart')
    if not PG:
        print('test_nodes_restart: skipped (needs PostgreSQL: GAZETTE_E2E_PG=1)')
        c.finish()
    from pgtmp import PgTmp
    with PgTmp() as pg:
        # every Site of this file lives on this server, not on the run's shared one
        os.environ['GAZETTE_E2E_PG_URL'] = pg.url
        run(c, pg)


def run(c, pg):
    # (one worker thread per node: the one that served the pages below has
    # the site's snapshot that the outage's error pages are named from)
    with Site(conf_extra='change_poll_ms = 30000\nthreads = 1\n') as s:
        cli_ok(c, s.cli('user', 'add', 'ed', '--email', 'ed@example.org', '--role', 'editor',
                        '--password-stdin', input=PASSWORDS['ed'] + '\n'), 'user')
        cli_ok(c, s.cli('category', 'add', 'Transport', '--slug', 'transport'), 'category')
        cli_ok(c, s.cli('category', 'add', 'Weather', '--slug', 'weather'), 'category')
        _, old_url = id_url(cli_ok(c, s.cli(
            'post', 'add', '--title', 'Tram depot plans', '--category', 'transport',
            '--status', 'published', '--date', '2026-01-10T09:00:00Z',
            input='The tram depot and the new trams, tram lines and depot works.'), 'old post'))
        cli_ok(c, s.cli('settings', 'set', 'comments_min_seconds', '0'), 'comments_min_seconds')
        title = cli_ok(c, s.cli('settings', 'get', 'title'), 'title').strip()
        c.ok(title, 'the site has a title')
        b = Node(s)
        nodes = (('A', None), ('B', b))

        def get(node, path, **kw):
            return (node or s).get(path, **kw)

        try:
            ed = Browser(s)
            c.status(ed.signin('ed', PASSWORDS['ed'])[0], 303, 'sign in on A (before the outage)')
            cached = ('/', old_url)
            for name, n in nodes:
                # (each has acted on the CLI's writes: no late purge between
                # the miss and the hit)
                c.ok((n or s).settle(), '%s follows the change log' % name)
                for path in cached:
                    for _ in range(2):
                        st, h, _ = get(n, path)
                    c.status(st, 200, '%s: GET %s' % (name, path))
                    c.eq(h.get('x-cache'), 'HIT', '%s: %s cached' % (name, path))

            with c.section('PostgreSQL down: clean answers'):
                pg.down()
                t0 = time.monotonic()
                for name, n in nodes:
                    for path in cached:
                        st, h, body = get(n, path)
                        c.status(st, 200, '%s: cached %s during the outage' % (name, path))
                        c.eq(h.get('x-cache'), 'HIT', '%s: %s from the cache' % (name, path))
                    # pages no cache holds: the error page, at once
                    for path in ('/category/weather/', '/search?q=tram', '/2026/01/'):
                        st, h, body = get(n, path)
                        c.status(st, 503, '%s: uncached %s during the outage' % (name, path))
                        # the site's own error page, named from the node's
                        # last snapshot of the settings (the database cannot
                        # be read): not a bare line of text
                        c.ok(b'<html' in body.lower() and b'Temporarily unavailable' in body
                             and title.encode() in body,
                             '%s: %s: the themed 503 page: %r' % (name, path, body[:120]))
                        c.ok('no-store' in h.get('cache-control', ''),
                             '%s: %s: the 503 is not cached' % (name, path))
                    # writes: a comment (the form from the cached page), a sign-in
                    st, _, body = get(n, old_url)
                    data = urllib.parse.urlencode({
                        'name': 'Reader', 'email': 'r@example.org', 'comment': 'During it.',
                        'token': field(body.decode(), 'token') or ''}).encode()
                    st, h, body = (n or s).request('POST', old_url, body=data,
                                                   headers={'Content-Type': FORM})
                    c.status(st, 503, '%s: a comment posted during the outage' % name)
                    with As(s, n):
                        st = Browser(s).signin('ed', PASSWORDS['ed'])[0]
                    c.status(st, 503, '%s: signing in during the outage' % name)
                    st, h, body = get(n, '/healthz')
                    c.ok(st in (200, 503), '%s: /healthz answers (%s)' % (name, st))
                    # the back office with a session: the error, not the sign-in form
                    with As(s, n):
                        st, h, body = ed.get('/admin/')
                    c.status(st, 503, '%s: the back office during the outage' % name)
                    c.ok(b.alive(), 'B still running')
                    c.ok(s.alive(), 'A still running')
                c.ok(time.monotonic() - t0 < 30,
                     'the outage answers came promptly (%.1f s)' % (time.monotonic() - t0))

            with c.section('PostgreSQL back: both nodes recover'):
                pg.up()
                for name, n in nodes:
                    c.ok(poll(lambda: get(n, '/category/weather/')[0] == 200, timeout=RECOVER),
                         '%s: an uncached page is served again' % name)
                    c.status(get(n, '/search?q=tram')[0], 200, '%s: search again' % name)
                # each node's change watcher listens again (logged once it has)
                c.ok(poll(lambda: RECONNECTED in serve_log(s), timeout=RECOVER),
                     'A: the change watcher reconnected')
                c.ok(poll(lambda: RECONNECTED in b.log_text(), timeout=RECOVER),
                     'B: the change watcher reconnected')
                for name, n in nodes:
                    with As(s, n):
                        st, _, body = ed.get('/admin/')
                    c.status(st, 200, '%s: the session made before the outage' % name)
                    c.ok('Dashboard' in body, '%s: still signed in' % name)

            with c.section('publish on A after the restart, B purges'):
                csrf = field(ed.get('/admin/')[2], 'csrf')
                st, h, _ = ed.post('/admin/posts/new/', {
                    'csrf': csrf, 'do': 'publish', 'title': 'Trams back after the outage',
                    'body': 'The tram depot sends trams out again: tram lines, depot.',
                    'category': 'transport', 'comments_open': 'on'})
                c.status(st, 303, 'publish on A')

                def listed(n, path):
                    st, _, body = get(n, path)
                    return st == 200 and b'Trams back after the outage' in body

                c.ok(poll(lambda: listed(None, '/'), timeout=DEADLINE),
                     'A: its home page lists the new article')
                c.ok(poll(lambda: listed(b, '/'), timeout=DEADLINE),
                     'B: its cached home page lists the new article (NOTIFY)')
                c.ok(poll(lambda: listed(b, old_url), timeout=DEADLINE),
                     'B: the cached older article lists it under "You may also like"')

            with c.section('a comment on B after the restart, approved by the CLI, on A'):
                st, _, body = b.get(old_url)
                token = field(body.decode(), 'token')
                data = urllib.parse.urlencode({'name': 'Reader B', 'email': 'b@example.org',
                                               'comment': 'Back after the outage.',
                                               'token': token}).encode()
                st, h, _ = b.request('POST', old_url, body=data, headers={'Content-Type': FORM})
                c.ok(st == 303, 'B: comment posted (%s)' % st)
                cid = h.get('location', '').rsplit('#comment-', 1)[-1]
                cli_ok(c, s.cli('comment', 'approve', cid), 'approve comment %s' % cid)
                c.ok(poll(lambda: b'Back after the outage.' in s.get(old_url)[2],
                          timeout=DEADLINE), 'A: the approved comment shows (NOTIFY)')
                c.ok(poll(lambda: b'Back after the outage.' in b.get(old_url)[2],
                          timeout=DEADLINE), 'B: the approved comment shows (NOTIFY)')
        finally:
            stop_checked(c, b)
        print('test_nodes_restart: PostgreSQL')
        c.finish(s)


if __name__ == '__main__':
    main()
