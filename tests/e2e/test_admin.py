"""The back office over real HTTP: signing in (login or email), cookies,
sign-in throttling per account and per address, CSRF, roles, idle and
absolute session expiry (test clock), signing out, and the comment
moderation queue with bulk actions seen on the public page."""
import re
import urllib.parse

from harness import Checks, Site, cli_ok, id_url, poll

FORM = 'application/x-www-form-urlencoded'
PASSWORDS = {'boss': 'boss password 1', 'ed': 'editor password 2', 'au': 'author password 3',
             'co': 'contrib password 4'}


def field(body, name):
    m = re.search(r'name="%s" value="([^"]*)"' % name, body)
    return m.group(1) if m else None


class Browser:
    """A cookie jar of one: the gz_session cookie."""

    def __init__(self, s, source=None):
        self.s, self.source, self.cookie, self.last_set_cookie = s, source, None, None

    def req(self, method, path, fields=None):
        headers = {}
        if self.cookie:
            headers['Cookie'] = 'gz_session=' + self.cookie
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            headers['Content-Type'] = FORM
        st, h, b = self.s.request(method, path, body=body, headers=headers, source=self.source)
        sc = h.get('set-cookie')
        if sc:
            self.last_set_cookie = sc
            m = re.match(r'gz_session=([^;]*)', sc)
            self.cookie = m.group(1) if m and m.group(1) else None
        return st, h, b.decode('utf-8', 'replace')

    def get(self, path):
        return self.req('GET', path)

    def post(self, path, fields):
        return self.req('POST', path, fields)

    def signin(self, login, password, next_=None):
        st, h, b = self.get('/admin/signin/')
        f = {'login': login, 'password': password, 'token': field(b, 'token') or ''}
        if next_ is not None:
            f['next'] = next_
        return self.post('/admin/signin/', f)

    def csrf(self, path='/admin/'):
        return field(self.get(path)[2], 'csrf')


def comment(s, url, text, email):
    st, h, b = s.get(url)
    tok = field(b.decode(), 'token')
    body = urllib.parse.urlencode({'name': 'Reader', 'email': email, 'comment': text,
                                   'token': tok}).encode()
    st, h, _ = s.request('POST', url, body=body, headers={'Content-Type': FORM})
    return int(re.search(r'#comment-(\d+)$', h['location']).group(1))


def main():
    c = Checks('test_admin')
    with Site() as s:
        for login, role in [('boss', 'admin'), ('ed', 'editor'), ('au', 'author'),
                            ('co', 'contributor'), ('nopw', 'editor')]:
            args = ['user', 'add', login, '--email', '%s@example.org' % login, '--role', role]
            if login in PASSWORDS:
                args.append('--password-stdin')
            cli_ok(c, s.cli(*args, input=PASSWORDS.get(login, None) and
                            PASSWORDS[login] + '\n'), 'user add ' + login)
        r = s.cli('post', 'add', '--title', 'Moderated article', '--status', 'published',
                  '--author', 'au', '--date', '2026-01-10T09:00:00Z', input='Body.')
        pid, url = id_url(cli_ok(c, r, 'post add'))
        cli_ok(c, s.cli('settings', 'set', 'comments_min_seconds', '0'), 'min seconds')

        with c.section('signed out'):
            b = Browser(s)
            st, h, _ = b.get('/admin/')
            c.status(st, 303, 'dashboard without a session')
            c.eq(h.get('location'), '/admin/signin/?next=%2Fadmin%2F', 'to the sign-in page')
            st, h, _ = b.get('/admin/comments/?status=spam')
            c.ok('next=%2Fadmin%2Fcomments%2F%3Fstatus%3Dspam' in h.get('location', ''),
                 'next keeps the page asked for: %r' % h.get('location'))
            st, _, _ = b.post('/admin/comments/', {'action': 'approve', 'ids': '1'})
            c.status(st, 403, 'POST without a session')
            st, h, body = b.get('/admin/signin/')
            c.status(st, 200, 'sign-in page')
            c.eq(h.get('cache-control'), 'no-store', 'sign-in page not stored')
            c.ok('Username or email' in body, 'sign-in form')
            st, h, _ = b.get('/admin')
            c.status(st, 301, '/admin -> /admin/')

        with c.section('signing in'):
            b = Browser(s)
            st, h, body = b.signin('ed', 'wrong password')
            c.status(st, 403, 'wrong password')
            c.ok('Wrong username or password.' in body, 'message')
            c.ok('value="ed"' in body, 'login kept')
            c.ok(b.cookie is None, 'no cookie')
            st, _, body = b.signin('nobody', 'whatever it is')
            c.ok(st == 403 and 'Wrong username or password.' in body, 'unknown user: same answer')
            st, _, body = b.signin('nopw', 'anything at all')
            c.status(st, 403, 'an account without a password cannot sign in')
            st, _, body = b.post('/admin/signin/', {'login': 'ed', 'password': PASSWORDS['ed'],
                                                    'token': '1.forged'})
            c.status(st, 403, 'forged sign-in form token')
            st, h, _ = b.signin('ed@EXAMPLE.org', PASSWORDS['ed'], '/admin/comments/')
            c.status(st, 303, 'sign in with the email')
            c.eq(h.get('location'), '/admin/comments/', 'back to next')
            sc = b.last_set_cookie or ''
            for part in ('HttpOnly', 'SameSite=Lax', 'Path=/admin/'):
                c.ok(part in sc, 'cookie has %s: %r' % (part, sc))
            c.ok('Secure' not in sc, 'no Secure over plain http without an https base_url')
            c.ok(re.match(r'gz_session=[0-9a-f]{64};', sc), 'a 256-bit token')
            st, h, body = b.get('/admin/')
            c.status(st, 200, 'dashboard signed in')
            c.eq(h.get('cache-control'), 'no-store', 'admin pages are not stored')
            c.ok('Dashboard' in body and 'Sign out' in body, 'dashboard content')
            rows = [r[0] for r in s.sql('SELECT token_hash FROM sessions')]
            c.ok(rows and b.cookie not in rows, 'the token is stored only hashed')
            b2 = Browser(s)
            st, h, _ = b2.signin('ed', PASSWORDS['ed'], '//evil.example/')
            c.eq(h.get('location'), '/admin/', 'next to another site is ignored')
            cli_ok(c, s.cli('settings', 'set', 'base_url', 'https://news.example.org'), 'https')
            b3 = Browser(s)
            st, h, _ = b3.signin('ed', PASSWORDS['ed'])
            c.ok('; Secure' in (b3.last_set_cookie or ''), 'Secure with an https base_url')
            cli_ok(c, s.cli('settings', 'set', 'base_url', ''), 'base_url off')

        with c.section('CSRF'):
            b = Browser(s)
            b.signin('ed', PASSWORDS['ed'])
            cid = comment(s, url, 'Please approve me.', 'r1@example.org')
            st, _, body = b.post('/admin/comments/', {'action': 'approve', 'ids': str(cid)})
            c.status(st, 403, 'no CSRF token')
            c.ok('CSRF' in body, 'says why')
            st, _, _ = b.post('/admin/comments/', {'action': 'approve', 'ids': str(cid),
                                                   'csrf': '0' * 64})
            c.status(st, 403, 'wrong CSRF token')
            other = Browser(s)
            other.signin('boss', PASSWORDS['boss'])
            st, _, _ = b.post('/admin/comments/', {'action': 'approve', 'ids': str(cid),
                                                   'csrf': other.csrf()})
            c.status(st, 403, "another session's CSRF token")
            c.eq(s.cli('comment', 'list').stdout.split('\t')[1], 'pending', 'nothing changed')

        with c.section('moderation queue'):
            b = Browser(s)
            b.signin('ed', PASSWORDS['ed'])
            ids = [comment(s, url, 'Queue %d' % i, 'q%d@example.org' % i) for i in range(3)]
            st, _, body = b.get('/admin/comments/')
            c.status(st, 200, 'queue')
            for i in ids:
                c.ok('value="%d"' % i in body, 'pending %d listed' % i)
            c.ok(re.search(r'pending <span class="count">\(\d+\)', body), 'tab counts')
            token = b.csrf('/admin/comments/')
            st, h, _ = b.post('/admin/comments/', {'action': 'approve', 'ids': [str(i) for i in ids[:2]],
                                                   'csrf': token,
                                                   'back': '/admin/comments/?status=pending'})
            c.status(st, 303, 'bulk approve')
            st, _, body = b.get(h['location'])
            c.ok('approve: 2 comments.' in body, 'notice')
            public = lambda: s.text(url)[1]
            c.ok(poll(lambda: all('id="comment-%d"' % i in public() for i in ids[:2])),
                 'approved comments on the article')
            st, h, _ = b.post('/admin/comments/', {'one': 'spam:%d' % ids[2], 'csrf': token})
            c.status(st, 303, 'one row: spam')
            rows = {int(l.split('\t')[0]): l.split('\t')[1]
                    for l in s.cli('comment', 'list').stdout.splitlines()}
            c.eq([rows[i] for i in ids], ['approved', 'approved', 'spam'], 'statuses')
            st, _, body = b.get('/admin/comments/?status=spam')
            c.ok('value="spam:%d"' % ids[2] not in body and 'restore:%d' % ids[2] in body,
                 'spam tab offers restore')
            st, _, _ = b.post('/admin/comments/', {'action': 'frobnicate', 'ids': '1',
                                                   'csrf': token})
            c.status(st, 400, 'unknown action')
            st, _, _ = b.post('/admin/comments/', {'action': 'approve', 'csrf': token})
            c.status(st, 400, 'nothing ticked')
            st, _, _ = b.get('/admin/comments/?status=bogus')
            c.status(st, 400, 'unknown status')
            st, _, body = b.get('/admin/')
            c.ok('Recent comments' in body, 'dashboard shows recent comments')

        with c.section('roles'):
            au, co, boss = Browser(s), Browser(s), Browser(s)
            au.signin('au', PASSWORDS['au'])
            co.signin('co', PASSWORDS['co'])
            boss.signin('boss', PASSWORDS['boss'])
            for who, b, want in [('author', au, 403), ('contributor', co, 403),
                                 ('admin', boss, 200)]:
                st, _, _ = b.get('/admin/comments/')
                c.status(st, want, '%s: comments queue' % who)
                st, _, _ = b.get('/admin/')
                c.status(st, 200, '%s: dashboard' % who)
            st, _, _ = au.post('/admin/comments/', {'action': 'approve', 'ids': '1',
                                                    'csrf': au.csrf()})
            c.status(st, 403, 'author cannot moderate even with a valid CSRF token')
            st, _, body = au.get('/admin/')
            c.ok('Comments awaiting moderation' not in body, 'no moderation card for authors')

        with c.section('sign out'):
            b = Browser(s)
            b.signin('ed', PASSWORDS['ed'])
            old = b.cookie
            st, h, _ = b.post('/admin/signout/', {'csrf': b.csrf()})
            c.status(st, 303, 'sign out')
            c.ok('Max-Age=0' in (b.last_set_cookie or ''), 'cookie cleared')
            b.cookie = old
            st, _, _ = b.get('/admin/')
            c.status(st, 303, 'the old cookie no longer works')

        with c.section('throttling per account and per address'):
            cli_ok(c, s.cli('settings', 'set', 'admin_signin_max', '3'), 'max 3')
            cli_ok(c, s.cli('settings', 'set', 'admin_signin_ip_max', '6'), 'ip max 6')
            b = Browser(s, source='127.0.3.1')
            got = [b.signin('boss', 'bad %d' % i)[0] for i in range(3)]
            c.eq(got, [403, 403, 403], 'three failures')
            st, h, body = b.signin('boss', PASSWORDS['boss'])
            c.status(st, 429, 'the right password is refused while throttled')
            c.ok('retry-after' in h and 'Too many failed sign-ins' in body, 'Retry-After, message')
            st, _, _ = Browser(s, source='127.0.3.2').signin('boss', PASSWORDS['boss'])
            c.status(st, 429, 'the account is throttled from every address')
            st, _, _ = Browser(s, source='127.0.3.1').signin('ed', PASSWORDS['ed'])
            c.status(st, 303, 'other accounts still sign in from that address')
            x = Browser(s, source='127.0.4.1')
            got = [x.signin('user%d' % i, 'bad')[0] for i in range(6)]
            c.eq(got, [403] * 6, 'six failures from one address')
            st, _, _ = x.signin('ed', PASSWORDS['ed'])
            c.status(st, 429, 'the address is throttled')
            s.restart(env=dict(s.env, GAZETTE_CLOCK_OFFSET='1000'))
            st, _, _ = Browser(s, source='127.0.3.1').signin('boss', PASSWORDS['boss'])
            c.status(st, 303, 'the account signs in after the window')

        with c.section('idle and absolute expiry (test clock)'):
            cli_ok(c, s.cli('settings', 'set', 'admin_session_idle', '600'), 'idle 10 min')
            cli_ok(c, s.cli('settings', 'set', 'admin_session_max', '3600'), 'max 1 h')
            s.restart()
            b = Browser(s)
            b.signin('ed', PASSWORDS['ed'])
            s.restart(env=dict(s.env, GAZETTE_CLOCK_OFFSET='300'))
            st, _, _ = b.get('/admin/')
            c.status(st, 200, 'active within the idle time')
            s.restart(env=dict(s.env, GAZETTE_CLOCK_OFFSET='1000'))
            st, _, _ = b.get('/admin/')
            c.status(st, 303, 'idle too long: signed out')
            s.restart()
            b = Browser(s)
            b.signin('ed', PASSWORDS['ed'])
            for off in (500, 1000, 1500, 2000, 2500, 3000, 3500):
                s.restart(env=dict(s.env, GAZETTE_CLOCK_OFFSET=str(off)))
                st, _, _ = b.get('/admin/')
                c.status(st, 200, 'in use at +%ds' % off)
            s.restart(env=dict(s.env, GAZETTE_CLOCK_OFFSET='3700'))
            st, _, _ = b.get('/admin/')
            c.status(st, 303, 'past the absolute limit even while in use')
        s.print_log = bool(c.failed)
    c.finish()


if __name__ == '__main__':
    main()
