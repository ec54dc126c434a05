"""test_visibility.py - what the public may see, and when.

Drafts, pending, private and future-dated posts (and draft pages) are never
visible anywhere public; a change made by the CLI while `serve` runs shows on
the next requests; a scheduled post goes live at its time without a request
triggering it (checked with the server's own clock, and with the test clock
GAZETTE_CLOCK_OFFSET on a restarted server).
"""
import re
import time

from harness import Checks, Site, cli_ok, id_url, poll

c = Checks('test_visibility')
DEADLINE = 5.0  # seconds for a CLI change to reach the running server


def iso(t):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))


def ym(t):
    return time.strftime('/%Y/', time.gmtime(t)), time.strftime('/%Y/%m/', time.gmtime(t))


def body_of(s, path):
    st, h, b = s.get(path)
    return st, b.decode('utf-8', errors='replace')


def status_of(s, pid):
    out = s.cli('post', 'show', pid).stdout
    m = re.search(r'(?mi)^status:\s*(\S+)', out)
    return m.group(1).lower() if m else out


with Site(serve=False) as s:
    env_cli = dict(s.env)
    env_cli.pop('GAZETTE_CLOCK_OFFSET', None)
    s.env = env_cli
    posts = {}  # key -> (id, url, secret word)

    def add(key, word, *args, body=None):
        r = s.cli('post', 'add', '--title', 'Story %s %s' % (key, word), '--category', 'local',
                  '--tags', 'Visibility', '--author', 'vwriter', *args,
                  input=body or 'The word %s appears in this body.\n' % word)
        pid, url = id_url(cli_ok(c, r, 'post add %s' % key))
        c.ok(pid is not None, 'post add %s printed %r' % (key, r.stdout))
        posts[key] = (pid, url, word)
        return pid, url

    with c.section('setup'):
        cli_ok(c, s.cli('user', 'add', 'vwriter', '--email', 'v@example.org', '--role', 'author',
                        '--password-stdin', input='visibility password\n'), 'user add')
        cli_ok(c, s.cli('category', 'add', 'Local'), 'category add Local')
        now = time.time()
        add('visible', 'Aardvarkvisible', '--status', 'published')
        add('draft', 'Zebradraft', '--status', 'draft')
        add('pending', 'Zebrapending', '--status', 'pending')
        add('private', 'Zebraprivate', '--status', 'private')
        add('future', 'Zebrafuture', '--status', 'published', '--date', iso(now + 30 * 86400))
        add('sched1h', 'Zebrascheduled', '--status', 'scheduled', '--date', iso(now + 3600))
        add('olddraft', 'Zebraolddraft', '--status', 'draft', '--date', '2024-05-01T10:00:00Z')
        r = s.cli('page', 'add', '--title', 'Hidden Page Zebrapage', '--slug', 'hidden-page',
                  '--status', 'draft', input='Zebrapage body\n')
        cli_ok(c, r, 'page add --status draft')
        out = s.cli('post', 'show', posts['future'][0]).stdout
        c.ok(re.search(r'(?mi)^status:\s*scheduled', out),
             'a published post with a future date is not "scheduled": %r' % out[:200])
        s.start()

    def public_paths(extra_times=()):
        paths = ['/', '/page/2/', '/category/local/', '/tag/visibility/', '/author/vwriter/',
                 '/feed/', '/feed.xml', '/rss.xml', '/sitemap.xml', '/sitemap_index.xml']
        for t in (time.time(),) + tuple(extra_times):
            paths.extend(ym(t))
        for _, url, _ in posts.values():
            if url and re.match(r'^/\d{4}/\d{2}/', url):
                paths.extend([url[:6], url[:9]])
        return list(dict.fromkeys(paths))

    def check_hidden(keys, when):
        """Each post in keys: its URL is 404 and its word appears on no public page."""
        for k in keys:
            pid, url, word = posts[k]
            st, _ = body_of(s, url)
            c.status(st, 404, '%s: GET %s (%s post)' % (when, url, k))
        leaks = []
        for path in public_paths():
            st, text = body_of(s, path)
            if st != 200:
                continue
            for k in keys:
                pid, url, word = posts[k]
                if word.lower() in text.lower() or url in text:
                    leaks.append('%s on %s' % (k, path))
        for k in keys:  # search echoes the query, so look for the title and URL only
            pid, url, word = posts[k]
            st, text = body_of(s, '/search?q=%s' % word)
            if st == 200 and (url in text or 'Story %s %s' % (k, word) in text):
                leaks.append('%s in /search?q=%s' % (k, word))
        c.ok(not leaks, '%s: hidden posts visible: %s' % (when, leaks))

    def listed(path, key):
        st, text = body_of(s, path)
        return st == 200 and posts[key][1] in text

    with c.section('hidden from the public'):
        for path in ('/', '/category/local/', '/tag/visibility/', '/author/vwriter/',
                     posts['visible'][1][:6], posts['visible'][1][:9]):
            c.ok(listed(path, 'visible'), 'the published post is not listed on %s' % path)
        st, _ = body_of(s, posts['visible'][1])
        c.status(st, 200, 'GET the published post')
        check_hidden(['draft', 'pending', 'private', 'future', 'sched1h', 'olddraft'], 'initially')
        st, text = body_of(s, '/hidden-page/')
        c.status(st, 404, 'GET /hidden-page/ (draft page)')
        st, text = body_of(s, '/')
        c.ok('Zebrapage' not in text, 'the draft page is in the menu')

    with c.section('CLI changes reach the running server'):
        body_of(s, '/')  # make sure the home page has been rendered (and maybe cached)
        body_of(s, '/category/local/')
        r = s.cli('post', 'add', '--title', 'Live Kiwi Report', '--category', 'local',
                  '--status', 'published', input='Kiwi body.\n')
        live_id, live_url = id_url(cli_ok(c, r, 'post add while serving'))
        posts['live'] = (live_id, live_url, 'Kiwi')
        c.ok(poll(lambda: listed('/', 'live'), DEADLINE),
             'a post added by the CLI is not on the home page within %ss' % DEADLINE)
        c.ok(poll(lambda: listed('/category/local/', 'live'), DEADLINE),
             'a post added by the CLI is not in its category within %ss' % DEADLINE)
        c.status(s.get(live_url)[0], 200, 'GET the post added while serving')

        cli_ok(c, s.cli('post', 'publish', posts['draft'][0]), 'post publish (the draft)')
        c.ok(poll(lambda: s.get(posts['draft'][1])[0] == 200, DEADLINE),
             'a draft published by the CLI is not served within %ss' % DEADLINE)
        c.ok(poll(lambda: listed('/', 'draft'), DEADLINE),
             'a draft published by the CLI is not on the home page within %ss' % DEADLINE)

        cli_ok(c, s.cli('post', 'unpublish', posts['visible'][0]), 'post unpublish')
        c.ok(poll(lambda: s.get(posts['visible'][1])[0] == 404, DEADLINE),
             'an unpublished post is still served after %ss' % DEADLINE)
        c.ok(poll(lambda: not listed('/', 'visible') and not listed('/tag/visibility/',
                                                                    'visible'), DEADLINE),
             'an unpublished post is still listed after %ss' % DEADLINE)

        cli_ok(c, s.cli('post', 'edit', live_id, '--title', 'Live Kiwi Renamed'), 'post edit')
        c.ok(poll(lambda: 'Live Kiwi Renamed' in body_of(s, '/')[1], DEADLINE),
             'an edited title is not on the home page within %ss' % DEADLINE)
        c.ok(poll(lambda: 'Live Kiwi Renamed' in body_of(s, live_url)[1], DEADLINE),
             'an edited title is not on the article page within %ss' % DEADLINE)

        cli_ok(c, s.cli('settings', 'set', 'title', 'The Zanzibar Ledger'), 'settings set title')
        c.ok(poll(lambda: 'The Zanzibar Ledger' in body_of(s, '/')[1], DEADLINE),
             'a new site title is not on the home page within %ss' % DEADLINE)

        cli_ok(c, s.cli('category', 'rename', 'local', '--name', 'Hometown'), 'category rename')
        c.ok(poll(lambda: 'Hometown' in body_of(s, live_url)[1], DEADLINE),
             'a renamed category is not on its article within %ss' % DEADLINE)

        cli_ok(c, s.cli('post', 'delete', live_id), 'post delete')
        c.ok(poll(lambda: s.get(live_url)[0] == 404, DEADLINE),
             'a deleted post is still served after %ss' % DEADLINE)
        c.ok(poll(lambda: not listed('/', 'live'), DEADLINE),
             'a deleted post is still listed after %ss' % DEADLINE)
        check_hidden(['pending', 'private', 'future', 'sched1h', 'olddraft'], 'after changes')

    with c.section('scheduled post goes live on its own'):
        at = int(time.time()) + 3
        r = s.cli('post', 'add', '--title', 'Soon Quokka Story', '--category', 'local',
                  '--tags', 'Visibility', '--author', 'vwriter', '--status', 'scheduled',
                  '--date', iso(at), input='Quokka body.\n')
        soon_id, soon_url = id_url(cli_ok(c, r, 'post add --status scheduled (+3 s)'))
        posts['soon'] = (soon_id, soon_url, 'Quokka')
        early = time.time() < at
        if early:
            c.ok(not listed('/', 'soon'), 'the scheduled post is listed before its time')
            c.status(s.get(soon_url)[0], 404, 'GET the scheduled post before its time')
        # No HTTP requests now: the server alone must publish it.
        st = poll(lambda: status_of(s, soon_id) == 'published' and time.time() >= at, 15.0,
                  interval=0.2)
        c.ok(st, 'the scheduled post is still %r in the database 12 s after its time, with no '
             'request made' % status_of(s, soon_id))
        c.ok(poll(lambda: listed('/', 'soon'), DEADLINE),
             'the scheduled post is not on the home page after its time')
        for path in ('/category/local/', '/tag/visibility/', '/author/vwriter/', soon_url[:6],
                     soon_url[:9]):
            c.ok(poll(lambda: listed(path, 'soon'), DEADLINE),
                 'the scheduled post is not listed on %s after its time' % path)
        c.status(s.get(soon_url)[0], 200, 'GET the scheduled post after its time')

    with c.section('test clock: scheduled +1 h, served with GAZETTE_CLOCK_OFFSET=7200'):
        env = dict(env_cli)
        env['GAZETTE_CLOCK_OFFSET'] = '7200'
        rc = s.restart(env=env)
        c.eq(rc, 0, 'serve exit status on SIGTERM')
        url = posts['sched1h'][1]
        c.ok(poll(lambda: listed('/', 'sched1h'), DEADLINE),
             'with the clock 2 h ahead, the post scheduled 1 h ahead is not on the home page')
        for path in ('/category/local/', '/tag/visibility/', '/author/vwriter/', url[:6],
                     url[:9]):
            c.ok(listed(path, 'sched1h'), 'with the clock 2 h ahead, the post scheduled 1 h '
                 'ahead is not listed on %s' % path)
        c.status(s.get(url)[0], 200, 'with the clock 2 h ahead, GET %s' % url)
        check_hidden(['pending', 'private', 'future', 'olddraft'], 'with the clock 2 h ahead')

    c.finish(s)
