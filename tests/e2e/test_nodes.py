"""Two `gazette serve` nodes on one site's database (DESIGN.md: changes reach
every server). An editor publishes in node A's back office; node B, whose
page cache holds the home page, the category archive and the article that
gains a related one, serves the new article and the purged pages - polled
with a generous deadline, never a fixed sleep. A session made on A works
on B (sessions live in the database), and a comment posted on B, approved
from the command line, shows on both. The rate limits live in the database
too: failed sign-ins on A count on B, and comments sent to A count against
the same address's limit on B.

On SQLite both nodes share the site folder's file (one machine); with
GAZETTE_E2E_PG=1 they share a PostgreSQL database, where B also wakes on
NOTIFY instead of waiting for its next poll of the change log (the test
sets that poll to 30 s there, over the deadline)."""
import urllib.parse

from harness import PG, Checks, Site, cli_ok, id_url, poll
from nodes import As, Node, stop_checked
from test_admin import PASSWORDS, Browser, field

FORM = 'application/x-www-form-urlencoded'
DEADLINE = 15.0  # seconds; B normally follows within a poll (250 ms) or at once (NOTIFY)


def main():
    c = Checks('test_nodes')
    # On PostgreSQL the nodes poll the change log only every 30 s: within
    # the deadline, only NOTIFY can have woken them.
    with Site(conf_extra='change_poll_ms = 30000\n' if PG else '') as s:
        for login, role in (('ed', 'editor'), ('au', 'author')):
            cli_ok(c, s.cli('user', 'add', login, '--email', '%s@example.org' % login, '--role',
                            role, '--password-stdin', input=PASSWORDS[login] + '\n'),
                   'user ' + login)
        cli_ok(c, s.cli('category', 'add', 'Transport', '--slug', 'transport'), 'category')
        old_id, old_url = id_url(cli_ok(c, s.cli(
            'post', 'add', '--title', 'Tram depot plans', '--category', 'transport',
            '--status', 'published', '--date', '2026-01-10T09:00:00Z',
            input='The tram depot and the new trams, tram lines and depot works.'), 'old post'))
        cli_ok(c, s.cli('settings', 'set', 'comments_min_seconds', '0'), 'comments_min_seconds')
        b = Node(s)
        try:
            # B's cache holds these pages before the change (once it has
            # acted on every change so far: no late purge between miss and hit)
            c.ok(b.settle(), 'B follows the change log')
            for path in ('/', '/category/transport/', old_url):
                for _ in range(2):
                    st, h, _ = b.get(path)
                c.status(st, 200, 'B: GET %s' % path)
                c.eq(h.get('x-cache'), 'HIT', 'B: %s cached' % path)

            with c.section('publish on A, served by B'):
                ed = Browser(s)
                c.status(ed.signin('ed', PASSWORDS['ed'])[0], 303, 'sign in on A')
                csrf = field(ed.get('/admin/')[2], 'csrf')
                st, h, _ = ed.post('/admin/posts/new/', {
                    'csrf': csrf, 'do': 'publish', 'title': 'New trams arrive at the depot',
                    'body': 'New trams reach the tram depot: tram lines, depot, trams.',
                    'category': 'transport', 'comments_open': 'on'})
                c.status(st, 303, 'publish on A')
                new = [u for u, in s.sql("SELECT slug FROM posts WHERE title = "
                                         "'New trams arrive at the depot'")]
                c.eq(len(new), 1, 'the post is in the database')
                slug = new[0] if new else 'missing'

                def listed(path):
                    st, _, body = b.get(path)
                    return st == 200 and b'New trams arrive at the depot' in body

                c.ok(poll(lambda: listed('/'), timeout=DEADLINE),
                     'B: the home page (cached) lists the new article')
                c.ok(poll(lambda: listed('/category/transport/'), timeout=DEADLINE),
                     'B: the category archive (cached) lists it')
                c.ok(poll(lambda: listed(old_url), timeout=DEADLINE),
                     'B: the older article (cached) lists it under "You may also like"')
                st, _, body = b.get('/')
                m = [l for l in body.decode().split('"') if l.endswith('/%s/' % slug)]
                c.ok(m, 'B: a link to /.../%s/' % slug)
                if m:
                    c.status(b.get(m[0])[0], 200, 'B: GET the new article')

            with c.section('a session made on A works on B'):
                st, h, body = b.request('GET', '/admin/',
                                        headers={'Cookie': 'gz_session=' + ed.cookie})
                c.status(st, 200, 'B: the back office with A\'s session')
                c.ok('Dashboard' in body.decode(), 'B: signed in')

            with c.section('a comment on B shows on A'):
                st, _, body = b.get(old_url)
                token = field(body.decode(), 'token')
                data = urllib.parse.urlencode({'name': 'Reader B', 'email': 'b@example.org',
                                               'comment': 'Seen from node B.',
                                               'token': token}).encode()
                st, h, _ = b.request('POST', old_url, body=data,
                                     headers={'Content-Type': FORM})
                c.ok(st == 303, 'B: comment posted (%s)' % st)
                cid = h.get('location', '').rsplit('#comment-', 1)[-1]
                # a first comment waits for moderation: approved by the CLI
                # (a third process), it shows on both nodes
                cli_ok(c, s.cli('comment', 'approve', cid), 'approve comment %s' % cid)
                for name, node in (('A', s), ('B', b)):
                    c.ok(poll(lambda: b'Seen from node B.' in node.get(old_url)[2],
                              timeout=DEADLINE), '%s: the approved comment shows' % name)

            with c.section('failed sign-ins on A count on B'):
                # another address, so the per-address count starts at zero
                cli_ok(c, s.cli('settings', 'set', 'admin_signin_max', '3'), 'signin max')
                au = Browser(s, source='127.0.0.3')
                for i in range(2):
                    c.status(au.signin('au', 'wrong password %d' % i)[0], 403,
                             'A: wrong password %d' % i)
                with As(s, b):
                    c.status(au.signin('au', 'wrong password 2')[0], 403, 'B: wrong password')
                    # the account's third failure, counted on B: the right
                    # password is refused there too, before it is checked
                    st, h, body = au.signin('au', PASSWORDS['au'])
                    c.status(st, 429, 'B: the right password after 3 failures (2 on A)')
                    c.ok('Too many failed sign-ins' in body, 'B: says why')
                    c.ok(h.get('retry-after'), 'B: Retry-After')
                c.status(au.signin('au', PASSWORDS['au'])[0], 429, 'A: paused as well')

            with c.section('comments sent to A count against the limit on B'):
                cli_ok(c, s.cli('settings', 'set', 'comments_rate_ip', '2'), 'rate ip')

                def send(node, text):
                    st, _, body = node.get(old_url, source='127.0.0.4')
                    data = urllib.parse.urlencode({
                        'name': 'Busy reader', 'email': 'busy@example.org', 'comment': text,
                        'token': field(body.decode(), 'token')}).encode()
                    return node.request('POST', old_url, body=data, source='127.0.0.4',
                                        headers={'Content-Type': FORM})[0]

                c.status(send(s, 'First from this address.'), 303, 'A: first comment')
                c.status(send(s, 'Second from this address.'), 303, 'A: second comment')
                c.status(send(b, 'Third, on the other node.'), 429,
                         'B: the third comment from the address (2 on A)')
        finally:
            stop_checked(c, b)
        print('test_nodes: %s' % ('PostgreSQL' if PG else 'SQLite'))
        c.finish(s)


if __name__ == '__main__':
    main()
