"""Crash safety: SIGKILL the server at random moments while readers comment
and editors save and publish in the back office, 20 times. After each kill
the database passes PRAGMA integrity_check, and every write the server
acknowledged (a 303 after the POST) is there: the comment, the edit (the
post's text is the last acknowledged one or one sent after it) with its
revision, the published post."""
import random
import re
import signal
import threading
import time
import urllib.parse

from harness import PG, Checks, Site, cli_ok, id_url
from test_admin import PASSWORDS, Browser, field

ROUNDS = 20
FORM = 'application/x-www-form-urlencoded'


def main():
    c = Checks('test_crash')
    rnd = random.Random(20261126)
    with Site() as s:
        cli_ok(c, s.cli('user', 'add', 'ed', '--email', 'ed@example.org', '--role', 'editor',
                        '--password-stdin', input=PASSWORDS['ed'] + '\n'), 'user')
        r = s.cli('post', 'add', '--title', 'Open thread', '--status', 'published',
                  '--date', '2026-01-10T09:00:00Z', input='Talk here.')
        thread_id, thread_url = id_url(cli_ok(c, r, 'thread'))
        r = s.cli('post', 'add', '--title', 'Edited all day', '--status', 'published',
                  '--date', '2026-01-11T09:00:00Z', input='edit 0')
        edit_id, _ = id_url(cli_ok(c, r, 'edited post'))
        for k, v in [('comments_min_seconds', '0'), ('comments_rate_ip', '100000'),
                     ('comments_rate_net', '1000000')]:
            cli_ok(c, s.cli('settings', 'set', k, v), k)
        b = Browser(s)
        c.status(b.signin('ed', PASSWORDS['ed'])[0], 303, 'sign in')
        cookie = b.cookie
        acked_comments, acked_posts = [], []
        edit = {'acked': 0, 'sent': 0}
        n_kills = 0
        for rnd_no in range(ROUNDS):
            st, _, body = s.get(thread_url)
            token = field(body.decode(), 'token')
            csrf = field(b.get('/admin/')[2], 'csrf')
            stop = threading.Event()
            lock = threading.Lock()

            def commenter(w):
                n = 0
                while not stop.is_set():
                    n += 1
                    data = urllib.parse.urlencode({
                        'name': 'R', 'email': 'w%d@example.org' % w,
                        'comment': 'round %d writer %d no %d' % (rnd_no, w, n),
                        'token': token}).encode()
                    try:
                        st, h, _ = s.request('POST', thread_url, body=data,
                                             headers={'Content-Type': FORM})
                    except OSError:
                        return
                    if st == 303:
                        m = re.search(r'#comment-(\d+)$', h.get('location', ''))
                        with lock:
                            acked_comments.append(int(m.group(1)))

            def editor():
                me = Browser(s)
                me.cookie = cookie
                while not stop.is_set():
                    with lock:
                        edit['sent'] += 1
                        n = edit['sent']
                    try:
                        st, h, _ = me.post('/admin/posts/%s/' % edit_id, {
                            'csrf': csrf, 'do': 'save', 'title': 'Edited all day',
                            'body': 'edit %d' % n, 'date': '2026-01-11T09:00',
                            'comments_open': 'on'})
                    except OSError:
                        return
                    if st == 303:
                        with lock:
                            edit['acked'] = max(edit['acked'], n)

            def publisher():
                me = Browser(s)
                me.cookie = cookie
                n = 0
                while not stop.is_set():
                    n += 1
                    try:
                        st, h, _ = me.post('/admin/posts/new/', {
                            'csrf': csrf, 'do': 'publish',
                            'title': 'Flash %d-%d' % (rnd_no, n), 'body': 'News.',
                            'comments_open': 'on'})
                    except OSError:
                        return
                    if st == 303:
                        m = re.match(r'^/admin/posts/(\d+)/', h.get('location', ''))
                        with lock:
                            acked_posts.append(int(m.group(1)))

            threads = [threading.Thread(target=commenter, args=(w,)) for w in range(3)]
            threads += [threading.Thread(target=editor), threading.Thread(target=publisher)]
            for t in threads:
                t.start()
            time.sleep(rnd.uniform(0.2, 0.9))
            s.proc.send_signal(signal.SIGKILL)
            s.proc.wait()
            s.proc = None
            n_kills += 1
            stop.set()
            for t in threads:
                t.join(30)
            # (PostgreSQL: the server keeps its own files whole; only
            # SQLite's file is checked)
            if not PG:
                c.eq(s.sql('PRAGMA integrity_check')[0][0], 'ok',
                     'round %d: integrity' % rnd_no)
            have = {r[0] for r in s.sql('SELECT id FROM comments')}
            missing = [i for i in acked_comments if i not in have]
            c.eq(missing, [], 'round %d: acknowledged comments present' % rnd_no)
            body = s.sql('SELECT body_md FROM post_bodies WHERE post_id = %d'
                         % int(edit_id))[0][0]
            n = int(body.split()[1])
            c.ok(edit['acked'] <= n <= edit['sent'],
                 'round %d: the text is edit %d, acknowledged %d, sent %d' %
                 (rnd_no, n, edit['acked'], edit['sent']))
            if edit['acked']:
                rev = s.sql("SELECT count(*) FROM post_revisions WHERE post_id = %d AND "
                            "body_md = 'edit %d'" % (int(edit_id), edit['acked']))[0][0]
                c.ok(rev >= 1, 'round %d: the acknowledged edit has its revision' % rnd_no)
            pub = {r[0]: r[1] for r in s.sql(
                "SELECT id, status FROM posts WHERE title LIKE 'Flash %'")}
            bad = [i for i in acked_posts if pub.get(i) != 'published']
            c.eq(bad, [], 'round %d: acknowledged publishes present' % rnd_no)
            s.start()
        c.ok(n_kills >= 20, 'killed %d times' % n_kills)
        c.ok(len(acked_comments) > 50 and edit['acked'] > 10 and len(acked_posts) > 10,
             'enough acknowledged writes: %d comments, %d edits, %d publishes' %
             (len(acked_comments), edit['acked'], len(acked_posts)))
        print('test_crash: %d kills; acknowledged %d comments, %d edits, %d publishes' %
              (n_kills, len(acked_comments), edit['acked'], len(acked_posts)))
        s.print_log = bool(c.failed)
    c.finish()


if __name__ == '__main__':
    main()
