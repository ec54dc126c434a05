"""make security: sqlmap (Debian) against every public and back-office
parameter of a real `gazette serve` on loopback, signed in and with valid
CSRF tokens for the back office.

First a control run: each target, requested once as sqlmap will request it,
must reach its handler (a 2xx or 3xx answer from the page itself, not a
403/404/405 from a gate in front of it), so that a clean sqlmap result means
"not injectable" rather than "never got in". Then sqlmap, one run per
target, and a table of results. Exits non-zero when sqlmap reports an
injection or a control request fails.

Usage: GAZETTE=./gazette /usr/bin/python3 tests/security/run.py [--out FILE]
(SECURITY_ONLY="name,name" runs only those targets.)
Not part of `make test` (minutes, not seconds)."""
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'e2e'))
from harness import Site  # noqa: E402
from test_admin import Browser, field  # noqa: E402

PASSWORD = 'security test password'


def sqlmap(target, outdir):
    """Run sqlmap on one target; returns (verdict, seconds, summary line)."""
    cmd = ['sqlmap', '--batch', '--level=2', '--risk=1', '--technique=BEUS',
           '--timeout=15', '--retries=1', '--flush-session', '--disable-coloring',
           '--output-dir', outdir, '-u', target['url']]
    if not target.get('csrf'):
        cmd.append('--threads=2')  # sqlmap refuses threads with --csrf-url
    if target.get('data'):
        cmd += ['--data', target['data']]
    if target.get('cookie'):
        cmd += ['--cookie', target['cookie']]
    if target.get('skip'):
        cmd += ['--skip', ','.join(target['skip'])]
    if target.get('csrf'):
        cmd += ['--csrf-token', 'csrf', '--csrf-url', target['csrf']]
    if target.get('params'):
        cmd += ['-p', ','.join(target['params'])]
    t0 = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    out = r.stdout + r.stderr
    took = time.time() - t0
    if re.search(r'identified the following injection point|is vulnerable', out):
        return 'INJECTABLE', took, out
    if re.search(r'do not appear to be injectable|does not seem to be injectable', out):
        return 'not injectable', took, out
    return 'unclear', took, out


def main():
    out_file = None
    if '--out' in sys.argv:
        out_file = sys.argv[sys.argv.index('--out') + 1]
    work = tempfile.mkdtemp(prefix='gazette-security-')
    results, failures = [], 0
    with Site(demo=True) as s:
        def cli(*args, **kw):
            r = s.cli(*args, **kw)
            if r.returncode != 0:
                sys.exit('security: %s failed: %s' % (args, r.stderr))
        cli('user', 'passwd', 'admin', input=PASSWORD + '\n')
        for k, v in [('comments_min_seconds', '0'), ('comments_rate_ip', '100000'),
                     ('comments_rate_net', '1000000'), ('admin_signin_max', '1000'),
                     ('admin_signin_ip_max', '100000')]:
            cli('settings', 'set', k, v)
        # a tag of its own for the tag-editing target (renaming "budget" there
        # would make the tag archive target a 404)
        cli('post', 'add', '--title', 'Probe', '--status', 'published', '--tags',
            'sqlmap-probe', input='Probe.')
        probe_tag = [l.split('\t')[0] for l in s.cli('tag', 'list').stdout.splitlines()
                     if l.split('\t')[1] == 'sqlmap-probe'][0]
        b = Browser(s)
        st, _, _ = b.signin('admin', PASSWORD)
        if st != 303:
            sys.exit('security: cannot sign in (%s)' % st)
        cookie = 'gz_session=' + b.cookie
        base = s.url
        home = s.text('/')[1]
        article = re.search(r'href="(/20\d\d/\d\d/[^"]+/)"', home).group(1)
        comment_token = field(s.text(article)[1], 'token')
        signin_token = field(Browser(s).get('/admin/signin/')[2], 'token')
        csrf = field(b.get('/admin/')[2], 'csrf')
        post_id = re.search(r'/admin/posts/(\d+)/', b.get('/admin/posts/')[2]).group(1)
        rev_page = b.get('/admin/posts/%s/revisions/' % post_id)[2]
        revs = re.findall(r'name="from" value="(\d+)"', rev_page) or ['1']
        q = urllib.parse.quote
        targets = [
            {'name': 'search page', 'url': base + '/search?q=harbour&page=1&category=news'
             '&tag=ferry&author=mara&from=2026-01-01&to=2026-12-31', 'control': (200,)},
            {'name': 'search JSON', 'url': base + '/search.json?q=harbour&page=1&per_page=10',
             'control': (200,)},
            {'name': 'tag archive (path)', 'url': base + '/tag/budget*/', 'control': (200,)},
            {'name': 'category archive (path)', 'url': base + '/category/news*/',
             'control': (200,)},
            {'name': 'author archive (path)', 'url': base + '/author/mara*/', 'control': (200,)},
            {'name': 'article (path)', 'url': base + article.rstrip('/') + '*/',
             'control': (200,)},
            {'name': 'comment form', 'url': base + article,
             'data': 'name=Reader&email=r%40example.org&url=&comment=Hello+there&parent=&token='
                     + q(comment_token), 'skip': ['token'], 'control': (303,)},
            {'name': 'sign-in form', 'url': base + '/admin/signin/',
             'data': 'login=admin&password=wrong&next=%2Fadmin%2F&token=' + q(signin_token),
             'skip': ['token'], 'control': (403,)},
            {'name': 'admin post list', 'url': base + '/admin/posts/?type=post&status=published'
             '&author=mara&category=news&q=council&page=1', 'cookie': cookie, 'control': (200,)},
            {'name': 'admin comments', 'url': base + '/admin/comments/?status=pending&post=1'
             '&page=1', 'cookie': cookie, 'control': (200,)},
            {'name': 'admin revisions', 'url': base + '/admin/posts/%s/revisions/?from=%s&to=%s'
             % (post_id, revs[-1], revs[0]), 'cookie': cookie, 'control': (200,)},
            {'name': 'admin editor (new post)', 'url': base + '/admin/posts/new/',
             'data': 'csrf=%s&do=save&title=Probe&slug=&body=Text&excerpt=&category=news'
                     '&tags=a&date=2026-05-01T10:00' % csrf, 'cookie': cookie,
             'skip': ['csrf', 'do'], 'csrf': base + '/admin/posts/new/', 'control': (303,)},
            {'name': 'admin comment moderation', 'url': base + '/admin/comments/',
             'data': 'csrf=%s&action=approve&ids=1&back=%%2Fadmin%%2Fcomments%%2F' % csrf,
             'cookie': cookie, 'skip': ['csrf'], 'csrf': base + '/admin/comments/',
             'control': (303,)},
            {'name': 'admin categories', 'url': base + '/admin/categories/',
             'data': 'csrf=%s&do=add&name=Probe&slug=&parent=&description=d' % csrf,
             'cookie': cookie, 'skip': ['csrf', 'do'], 'csrf': base + '/admin/categories/',
             'control': (303,)},
            {'name': 'admin tags', 'url': base + '/admin/tags/',
             'data': 'csrf=%s&do=save&id=%s&name=Probe+tag&slug=' % (csrf, probe_tag),
             'cookie': cookie, 'skip': ['csrf', 'do'], 'csrf': base + '/admin/tags/',
             'control': (303,)},
            {'name': 'admin users', 'url': base + '/admin/users/',
             'data': 'csrf=%s&do=add&login=probe&email=p%%40example.org&name=P&role=author'
                     '&password=longenough1' % csrf, 'cookie': cookie, 'skip': ['csrf', 'do'],
             'csrf': base + '/admin/users/', 'control': (303,)},
            {'name': 'admin settings', 'url': base + '/admin/settings/',
             'data': 'csrf=%s&title=Probe+title&tagline=t' % csrf, 'cookie': cookie,
             'skip': ['csrf'], 'csrf': base + '/admin/settings/', 'control': (303,)},
        ]
        only = [x for x in os.environ.get('SECURITY_ONLY', '').split(',') if x]
        if only:  # e.g. SECURITY_ONLY="tag archive (path),admin categories"
            targets = [t for t in targets if t['name'] in only]
        # Control run: each request reaches its handler.
        for t in targets:
            url = t['url'].replace('*', '')
            path = url[len(base):]
            headers = {'Cookie': t['cookie']} if t.get('cookie') else {}
            if t.get('data'):
                headers['Content-Type'] = 'application/x-www-form-urlencoded'
                st, _, _ = s.request('POST', path, body=t['data'].encode(), headers=headers)
            else:
                st, _, _ = s.request('GET', path, headers=headers)
            ok = st in t['control']
            t['control_status'] = st
            if not ok:
                failures += 1
                print('security: control %s -> %s, expected %s' % (t['name'], st, t['control']))
        for t in targets:
            verdict, took, out = sqlmap(t, work)
            if verdict != 'not injectable':
                failures += 1
            tested = re.findall(r"testing '([^']+)'", out)
            results.append((t['name'], t['control_status'], verdict, took, len(tested)))
            print('security: %-26s control %s, sqlmap: %s (%d tests, %.0f s)' %
                  (t['name'], t['control_status'], verdict, len(tested), took), flush=True)
            if verdict != 'not injectable':
                print(out[-3000:])
        alive = s.alive()
        problems = s.server_problems()
    version = subprocess.run(['sqlmap', '--version'], capture_output=True,
                             text=True).stdout.split()[0]
    lines = ['| target | control | sqlmap | tests | seconds |', '| --- | --- | --- | ---: | ---: |']
    lines += ['| %s | %s | %s | %d | %.0f |' % (n, c, v, k, t) for n, c, v, t, k in
              [(r[0], r[1], r[2], r[3], r[4]) for r in results]]
    report = ('sqlmap %s, `--level=2 --risk=1 --technique=BEUS`, %s; server alive after: %s; '
              'sanitizer/crash reports: %s\n\n' % (version, time.strftime('%Y-%m-%d'), alive,
                                                   'none' if not problems else problems)
              + '\n'.join(lines) + '\n')
    print(report)
    if out_file:
        with open(out_file, 'w') as f:
            f.write(report)
    if failures or not alive or problems:
        sys.exit(1)


if __name__ == '__main__':
    main()
