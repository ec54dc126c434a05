"""Scheduled posts on two `gazette serve` nodes go live exactly once (issue 10).

Both nodes run their scheduler every change_poll_ms (250 ms), so when the
posts' time comes both find them due at about the same moment; the write
lock (PostgreSQL: an advisory lock; SQLite: the single writer) lets one
publish each post and the other find nothing left. The test schedules a
few posts for the same second a few seconds ahead; once it has passed,
both nodes serve them (polled, generous deadline), and the database shows
each went live once: one change-log row per post since it was scheduled,
and the nodes' logs add up to exactly as many "published N scheduled
posts" as there were posts.

On SQLite the two nodes share the site folder's file; with
GAZETTE_E2E_PG=1 a PostgreSQL database."""
import datetime
import math
import re
import time

from harness import PG, Checks, Site, cli_ok, id_url, poll
from nodes import Node, stop_checked

POSTS = 4
AHEAD = 6         # seconds between scheduling and going live
DEADLINE = 30.0   # seconds after that for both nodes to show them


def serve_log(s):
    import os
    with open(os.path.join(s.tmp, 'serve.log'), errors='replace') as f:
        return f.read()


def published_in(log):
    return sum(int(n) for n in re.findall(r'published (\d+) scheduled post', log))


def main():
    c = Checks('test_nodes_schedule')
    with Site() as s:
        cli_ok(c, s.cli('user', 'add', 'ed', '--email', 'ed@example.org', '--role', 'editor'),
               'user')
        cli_ok(c, s.cli('category', 'add', 'Transport', '--slug', 'transport'), 'category')
        cli_ok(c, s.cli('post', 'add', '--title', 'Tram depot plans', '--category', 'transport',
                        '--status', 'published', '--date', '2026-01-10T09:00:00Z',
                        input='The tram depot and the new trams.'), 'old post')
        b = Node(s)
        try:
            # both caches hold the home page before the posts are due (once
            # each node has purged for the CLI's writes above: A follows the
            # change log every 250 ms, and its purge of the old post's change
            # must not land between the miss and the hit)
            for n in (s, b):
                c.ok(n.settle(), 'the node follows the change log')
                for _ in range(2):
                    st, h, _ = n.get('/')
                c.eq(h.get('x-cache'), 'HIT', 'home page cached')

            due = math.ceil(time.time()) + AHEAD
            when = datetime.datetime.fromtimestamp(due, datetime.timezone.utc)
            (start,), = s.sql('SELECT coalesce(max(id), 0) FROM changes')
            posts = []
            for i in range(POSTS):
                pid, url = id_url(cli_ok(c, s.cli(
                    'post', 'add', '--title', 'Night tram %d timetable' % i, '--category',
                    'transport', '--status', 'scheduled', '--date',
                    when.strftime('%Y-%m-%dT%H:%M:%SZ'),
                    input='Night tram %d runs every hour from the depot.' % i), 'schedule %d' % i))
                posts.append((int(pid or 0), url))
            (scheduled,), = s.sql('SELECT max(id) FROM changes')
            late = time.time() >= due
            c.ok(not late, 'the CLI scheduled the posts before their time (machine too slow?)')
            rows = s.sql("SELECT count(*) FROM posts WHERE status = 'scheduled' "
                         "AND title LIKE 'Night tram %'")
            if not late:
                c.eq(rows[0][0], POSTS, 'scheduled in the database')
                for name, n in (('A', s), ('B', b)):
                    st, _, body = n.get('/')
                    if time.time() < due - 0.5:
                        c.ok(b'Night tram' not in body, '%s: not listed before its time' % name)

            with c.section('both nodes serve them once due'):
                for name, n in (('A', s), ('B', b)):
                    c.ok(poll(lambda: n.get('/')[2].count(b'Night tram ') >= POSTS,
                              timeout=AHEAD + DEADLINE),
                         '%s: the cached home page lists all %d' % (name, POSTS))
                    for pid, url in posts:
                        c.status(n.get(url)[0], 200, '%s: GET %s' % (name, url))

            with c.section('each went live exactly once'):
                rows = s.sql("SELECT id, status, published_at FROM posts "
                             "WHERE title LIKE 'Night tram %' ORDER BY id")
                c.eq([(r[1], r[2]) for r in rows], [('published', due)] * POSTS,
                     'published, at the scheduled time')
                for pid, url in posts:
                    rows = s.sql("SELECT count(*) FROM changes WHERE kind = 'post' "
                                 "AND object_id = ? AND id > ?", (pid, scheduled))
                    c.eq(rows[0][0], 1, 'post %d: one change-log row for going live' % pid)
                rows = s.sql('SELECT count(*) FROM changes WHERE id > ?', (scheduled,))
                # (PostgreSQL also logs "related" rows at go-live: it re-relates
                # the article there, SQLite does not; neither is a publish)
                rows = s.sql("SELECT count(*) FROM changes WHERE id > ? "
                             "AND kind NOT IN ('related')", (scheduled,))
                c.eq(rows[0][0], POSTS, 'no other change since they were scheduled')
                # the nodes' logs: who published how many (a log line is
                # written after the commit; poll for it)
                total = poll(lambda: (published_in(serve_log(s)) +
                                      published_in(b.log_text())) >= POSTS, timeout=10)
                a_n, b_n = published_in(serve_log(s)), published_in(b.log_text())
                c.ok(total, 'the nodes published %d + %d' % (a_n, b_n))
                c.eq(a_n + b_n, POSTS, 'published by A and B together (A %d, B %d)' % (a_n, b_n))
                c.ok(start < scheduled, 'the change log moved')
        finally:
            stop_checked(c, b)
        print('test_nodes_schedule: %s; published by A %d, by B %d' % (
            'PostgreSQL' if PG else 'SQLite', published_in(serve_log(s)),
            published_in(b.log_text())))
        c.finish(s)


if __name__ == '__main__':
    main()
