"""Reader comments over real HTTP: the form, threading, moderation as seen on
the page and in counts, the spam defences (honeypot, signed token and its
expiry, minimum time, rate limits, duplicates, links), bad input, concurrent
posting, and durability of acknowledged comments across kill -9."""
import concurrent.futures
import re
import signal
import urllib.parse

from harness import PG, Checks, Site, cli_ok, id_url, poll

FORM = 'application/x-www-form-urlencoded'


def form_of(body):
    """token and parent of the page's comment form (None when no form)."""
    m = re.search(r'name="token" value="([^"]*)"', body)
    p = re.search(r'name="parent" value="([^"]*)"', body)
    return (m.group(1) if m else None), (p.group(1) if p else None)


def token_for(s, url, source=None):
    st, _, b = s.get(url, source=source)
    return form_of(b.decode())[0]


def post(s, url, token, name='Ann Reader', email='ann@example.org', comment='Hello there.',
         website='', parent='', homepage='', source=None, raw=None):
    fields = {'name': name, 'email': email, 'url': website, 'comment': comment,
              'parent': parent, 'token': token or '', 'homepage': homepage}
    body = raw if raw is not None else urllib.parse.urlencode(fields).encode()
    return s.request('POST', url, body=body, headers={'Content-Type': FORM}, source=source)


def comment_ids(body):
    return [int(x) for x in re.findall(r'<li class="comment depth-\d+" id="comment-(\d+)"', body)]


def listing(s, *args):
    r = s.cli('comment', 'list', '--limit', '0', *args)
    rows = [l.split('\t') for l in r.stdout.splitlines()]
    return {int(x[0]): x for x in rows}


def show(s, cid):
    r = s.cli('comment', 'show', str(cid))
    return dict(l.split(': ', 1) for l in r.stdout.split('\n\n', 1)[0].splitlines() if ': ' in l)


def fresh(s, url):
    """The article page rendered now (a parameter the cache does not key on)."""
    st, _, b = s.get(url + '?fresh=1')
    return b.decode()


def main():
    c = Checks('test_comments')
    with Site() as s:
        cli_ok(c, s.cli('user', 'add', 'ed', '--email', 'ed@example.org', '--role', 'editor'),
               'user add')
        r = s.cli('post', 'add', '--title', 'Harbour wall repairs begin', '--status', 'published',
                  '--date', '2026-01-10T09:00:00Z', input='The harbour wall will be repaired.')
        pid, url = id_url(cli_ok(c, r, 'post add'))
        r = s.cli('post', 'add', '--title', 'Ferry timetable changes', '--status', 'published',
                  '--date', '2026-01-11T09:00:00Z', input='The ferry runs hourly.')
        pid2, url2 = id_url(cli_ok(c, r, 'post add 2'))
        for k, v in [('comments_min_seconds', '0'), ('comments_spam_min', '0'),
                     ('comments_rate_ip', '1000'), ('comments_rate_net', '1000')]:
            cli_ok(c, s.cli('settings', 'set', k, v), 'settings set ' + k)

        with c.section('the form'):
            # the settings' purge (the server follows the log within a poll)
            # must not fall between the two requests below
            c.ok(s.settle(), 'server follows the change log')
            st, h, b = s.get(url)
            body = b.decode()
            c.status(st, 200, 'GET article')
            c.ok('<h2 id="leave-comment-heading">Leave a Comment</h2>' in body, 'form heading')
            c.ok('No comments' in body, 'count shows no comments')
            tok, parent = form_of(body)
            c.ok(tok and tok.startswith(pid + '.'), 'token names the post: %r' % tok)
            c.eq(parent, '', 'no parent by default')
            c.ok('name="homepage"' in body, 'honeypot field present')
            st, h, b = s.get(url)
            c.eq(h.get('x-cache'), 'HIT', 'the page with its form is cached')

        with c.section('first comment is held, then approved'):
            tok = token_for(s, url)
            st, h, _ = post(s, url, tok, comment='First! The **wall** needs it.')
            c.status(st, 303, 'POST comment')
            loc = h.get('location', '')
            c.ok(re.search(r'\?held=\d+-[0-9a-f]+#comment-(\d+)$', loc), 'held location %r' % loc)
            first = int(re.search(r'#comment-(\d+)$', loc).group(1))
            st, _, b = s.get(loc.split('#')[0].replace(s.url, ''))
            c.ok('Your comment is awaiting moderation' in b.decode(), 'held notice for its author')
            c.ok(first not in comment_ids(fresh(s, url)), 'held comment not public')
            c.eq(show(s, first).get('note'), 'first comment', 'why it was held')
            c.eq(listing(s)[first][1:3], ['pending', pid], 'list: status and post')
            st, _, b = s.get(url.rstrip('/') + '/?held=%d-0000000000000000' % first)
            c.ok('awaiting moderation' not in b.decode(), 'forged held reference shows nothing')
            cli_ok(c, s.cli('comment', 'approve', str(first)), 'approve')
            c.ok(poll(lambda: first in comment_ids(s.text(url)[1])), 'approved shows on the page')
            c.ok(poll(lambda: '1 comment' in s.text('/')[1]), 'count on the home page')
            c.ok('1 comment' in s.text(url)[1], 'count on the article')

        with c.section('known commenter goes live, rendered safely'):
            tok = token_for(s, url)
            xss = ('<script>alert(1)</script>\n\nA <img src=x onerror=alert(2)> '
                   '[click](javascript:alert(3)) [ok](https://example.org/a?b=1&c=2)\n\n'
                   '# Heading\n\n' + 'x' * 300)
            st, h, _ = post(s, url, tok, comment=xss, name='<b>Ann</b>',
                            website='https://ann.example.org/"onmouseover="x')
            c.status(st, 400, 'website with a quote is refused')
            st, h, _ = post(s, url, tok, comment=xss, name='<b>Ann</b> "x"',
                            website='ann.example.org')
            c.status(st, 303, 'second comment from a known email')
            loc = h.get('location', '')
            c.ok('?c=' in loc, 'live comment location %r' % loc)
            second = int(re.search(r'#comment-(\d+)$', loc).group(1))
            body = s.text(loc.split('#')[0].replace(s.url, ''))[1]
            c.ok(second in comment_ids(body), 'shows at once')
            part = body.split('id="comment-%d"' % second, 1)[1].split('</li>', 1)[0]
            c.ok('<script>' not in part and '&lt;script&gt;' in part, 'script shown as text')
            c.ok('<img' not in part, 'no img element')
            c.ok('javascript:' not in part.replace('[click](javascript', ''), 'no javascript link')
            c.ok('href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc"' in part,
                 'http link kept with rel nofollow ugc: %r' % part[:600])
            c.ok('<h1' not in part, 'no headings in comments')
            c.ok('&lt;b&gt;Ann&lt;/b&gt; &quot;x&quot;' in part, 'name escaped')
            c.ok('href="https://ann.example.org" rel="nofollow ugc external"' in part,
                 'website link gets https and rel nofollow ugc')
            c.ok('ann@example.org' not in body, 'email never shown')

        with c.section('threading and Reply without JavaScript'):
            body = s.text(url)[1]
            m = re.search(r'href="([^"]*\?replytocom=%d#leave-comment)"' % first, body)
            c.ok(m, 'reply link on the first comment')
            st, _, b = s.get(m.group(1).replace('&amp;', '&').split('#')[0])
            rb = b.decode()
            tok, parent = form_of(rb)
            c.eq(parent, str(first), 'reply link sets the parent')
            c.ok('Replying to <b>Ann Reader</b>' in rb, 'replying-to note')
            cli_ok(c, s.cli('settings', 'set', 'comments_depth', '2'), 'depth 2')
            st, h, _ = post(s, url, tok, comment='A reply.', parent=str(first))
            reply = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            st, h, _ = post(s, url, tok, comment='A reply to the reply.', parent=str(reply))
            deep = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            body = fresh(s, url)
            c.ok(re.search(r'id="comment-%d".*?<ol class="comment-children">\s*'
                           r'<li class="comment depth-2" id="comment-%d"' % (first, reply),
                           body, re.S), 'reply nested under its parent')
            c.ok('class="comment depth-2" id="comment-%d"' % deep in body,
                 'reply past the depth shown at the deepest level')
            c.ok(re.search(r'id="comment-%d".*</li>\s*<li class="comment depth-2" id="comment-%d"'
                           % (reply, deep), body, re.S), 'as a sibling of its parent')
            c.eq(show(s, deep).get('parent'), str(reply), 'the real parent is kept')
            cli_ok(c, s.cli('settings', 'set', 'comments_depth', '5'), 'depth 5')
            body = fresh(s, url)
            c.ok('class="comment depth-3" id="comment-%d"' % deep in body,
                 'raising the depth nests it again')

        with c.section('bad replies'):
            tok2 = token_for(s, url2)
            st, _, b = post(s, url2, tok2, comment='Wrong post.', parent=str(first))
            c.status(st, 400, 'reply to a comment of another post')
            c.ok('not available' in b.decode(), 'clear message')
            st, _, _ = post(s, url, token_for(s, url), comment='To nothing.', parent='999999')
            c.status(st, 400, 'reply to a missing comment')
            st, _, _ = post(s, url, token_for(s, url), comment='Bad parent.', parent='1x')
            c.status(st, 400, 'malformed parent')
            cli_ok(c, s.cli('comment', 'spam', str(reply)), 'mark reply spam')
            st, _, _ = post(s, url, token_for(s, url), comment='To spam.', parent=str(reply))
            c.status(st, 400, 'reply to a spam comment')
            cli_ok(c, s.cli('comment', 'restore', str(reply)), 'restore')
            c.eq(listing(s)[reply][1], 'approved', 'restore goes back to approved')

        with c.section('validation keeps what was typed'):
            tok = token_for(s, url)
            st, _, b = post(s, url, tok, name='', email='not-an-email',
                            comment='My typed <text> stays')
            body = b.decode()
            c.status(st, 400, 'missing name, bad email')
            c.ok('Please give your name.' in body, 'name error')
            c.ok('Please give a valid email address' in body, 'email error')
            c.ok('My typed &lt;text&gt; stays</textarea>' in body, 'comment kept, escaped')
            c.ok('value="not-an-email"' in body, 'email kept')
            c.ok('aria-invalid="true"' in body, 'fields marked invalid')
            st, _, b = post(s, url, tok, comment='   ')
            c.status(st, 400, 'empty comment')
            st, _, b = post(s, url, tok, comment='x' * 10001)
            c.status(st, 413, 'comment over comments_max_chars')
            c.ok('too long' in b.decode(), '413 says why')
            before = listing(s)
            raw = b'name=Bad&email=b%40example.org&comment=%FF%FEbroken&token=' + tok.encode()
            st, _, _ = post(s, url, tok, raw=raw)
            c.status(st, 400, 'invalid UTF-8')
            st, _, _ = post(s, url, tok, comment='ctl \x01 char')
            c.status(st, 400, 'control characters')
            path = url.encode()
            st, _, _ = s.raw_request(b'POST ' + path + b' HTTP/1.1\r\nHost: x\r\n'
                                     b'Content-Type: ' + FORM.encode() + b'\r\n'
                                     b'Content-Length: 2097152\r\n\r\n' + b'x' * 1000)
            c.status(st, 413, 'request body over max_body')
            c.eq(listing(s), before, 'nothing stored by refused posts')

        with c.section('honeypot, token, closed'):
            tok = token_for(s, url)
            st, _, b = post(s, url, tok, homepage='http://spam.test', comment='bot')
            c.status(st, 400, 'honeypot filled')
            c.ok('Leave this empty' in b.decode(), 'says why')
            st, _, b = post(s, url, tok[:-2] + ('00' if not tok.endswith('00') else '11'))
            c.status(st, 403, 'forged token')
            st, _, _ = post(s, url, '')
            c.status(st, 403, 'missing token')
            st, _, _ = post(s, url, token_for(s, url2))
            c.status(st, 403, 'token of another post')
            st, _, _ = post(s, url + 'nope/', tok)
            c.status(st, (404, 405), 'POST to an unknown URL')
            st, _, _ = s.request('POST', '/', body=b'a=b', headers={'Content-Type': FORM})
            c.status(st, 405, 'POST to the home page')
            cli_ok(c, s.cli('post', 'edit', pid2, '--comments', 'closed'), 'close post 2')
            st, _, b = post(s, url2, token_for(s, url2) or tok, comment='Closed?')
            c.status(st, 403, 'comments closed on the post')
            c.ok('Comments are closed' in fresh(s, url2), 'closed notice, no form')
            c.ok('Leave a Comment' not in fresh(s, url2), 'no form when closed')
            cli_ok(c, s.cli('post', 'edit', pid2, '--comments', 'open'), 'reopen')
            cli_ok(c, s.cli('settings', 'set', 'comments_close_days', '30'), 'close after 30d')
            c.ok('Comments are closed' in fresh(s, url), 'closed by age (posted in January)')
            st, _, _ = post(s, url, tok, comment='Too late')
            c.status(st, 403, 'closed by age')
            cli_ok(c, s.cli('settings', 'set', 'comments_close_days', '0'), 'never close')

        with c.section('duplicates, links, speed, moderate-all'):
            tok = token_for(s, url)
            st, _, _ = post(s, url, tok, comment='Same words twice.')
            c.status(st, 303, 'first copy')
            st, _, b = post(s, url, tok, comment='Same words twice.')
            c.status(st, 409, 'duplicate')
            c.ok('already said that' in b.decode(), 'duplicate message')
            st, h, _ = post(s, url, tok, comment='See http://a.example http://b.example '
                                                  'and http://c.example')
            cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            c.eq((listing(s)[cid][1], show(s, cid)['note']), ('pending', 'links'),
                 'more than 2 links: held')
            cli_ok(c, s.cli('settings', 'set', 'comments_min_seconds', '3600'), 'min 1h')
            st, h, _ = post(s, url, token_for(s, url), comment='Quick one.')
            cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            c.eq(show(s, cid)['note'], 'too fast', 'sent too fast: held, not refused')
            cli_ok(c, s.cli('settings', 'set', 'comments_min_seconds', '0'), 'min 0')
            cli_ok(c, s.cli('settings', 'set', 'comments_moderate_all', '1'), 'moderate all')
            st, h, _ = post(s, url, token_for(s, url), comment='Held by policy.')
            cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            c.eq(show(s, cid)['note'], 'moderate all', 'moderate all')
            cli_ok(c, s.cli('settings', 'set', 'comments_moderate_all', '0'), 'off')
            cli_ok(c, s.cli('settings', 'set', 'comments_spam_min', '5'), 'spam min 5')
            st, h, _ = post(s, url, token_for(s, url), comment='Classifier has no history.')
            cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            c.eq(show(s, cid)['note'], 'classifier unsure', 'too little history: held')
            cli_ok(c, s.cli('settings', 'set', 'comments_spam_min', '0'), 'spam min 0')

        with c.section('moderation transitions on the page and in counts'):
            tok = token_for(s, url)
            st, h, _ = post(s, url, tok, comment='Watch me come and go.')
            cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            s.get(url)  # cache the page and the home page
            s.get('/')

            def visible():
                return cid in comment_ids(s.text(url)[1])

            def home_count():
                m = re.search(r'Harbour wall repairs begin.*?(\d+|No) comments?',
                              s.text('/')[1], re.S)
                return m.group(1) if m else None
            n0 = home_count()
            for verb, shown in [('unapprove', False), ('approve', True), ('spam', False),
                                ('restore', True), ('trash', False), ('restore', True),
                                ('delete', False)]:
                cli_ok(c, s.cli('comment', verb, str(cid)), verb)
                c.ok(poll(lambda: visible() == shown), 'after %s: shown=%s' % (verb, shown))
            c.ok(poll(lambda: home_count() == str(int(n0) - 1)),
                 'home count follows: %s -> %s' % (n0, home_count()))
            r = s.cli('comment', 'approve', '999999')
            c.ok(r.returncode != 0 and 'no comment 999999' in r.stderr, 'unknown id: error')
            r = s.cli('comment', 'frobnicate', '1')
            c.eq(r.returncode, 2, 'unknown action: usage error')
            rows = s.cli('comment', 'list', '--status', 'approved').stdout.splitlines()
            c.ok(rows and all(len(x.split('\t')) == 5 for x in rows), 'list: five columns')
            ids = [int(x.split('\t')[0]) for x in rows]
            c.eq(ids, sorted(ids, reverse=True), 'list: newest first')

        with c.section('comment feeds: valid, approved only, purged on moderation'):
            import shutil
            import test_feeds as tf
            try:
                def want(*args):
                    rows = s.cli('comment', 'list', '--status', 'approved', '--limit', '10',
                                 *args).stdout.splitlines()
                    return ['%s#comment-%s' % (url if r.split('\t')[2] == pid else url2,
                                               r.split('\t')[0]) for r in rows]
                tf.check_feeds(s, [('/comments/', want()), (url, want('--post', pid))])
                c.ok(not tf.c.failed, 'comment feeds valid and as expected: %s' % tf.c.failed)
                tok = token_for(s, url)
                st, h, _ = post(s, url, tok, comment='Feed me later.', email='new@example.org')
                cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
                c.ok('#comment-%d' % cid not in s.text(url + 'feed/')[1], 'held: not in feed')
                cli_ok(c, s.cli('comment', 'approve', str(cid)), 'approve')
                c.ok(poll(lambda: '#comment-%d' % cid in s.text(url + 'feed/atom/')[1]),
                     'approved: in the article feed')
                c.ok(poll(lambda: '#comment-%d' % cid in s.text('/comments/feed/')[1]),
                     'approved: in the site comment feed')
                body = s.text(url)[1]
                c.ok('href="%sfeed/"' % url in body, 'autodiscovery of the article comment feed')
                st, h, _ = s.get('/2026/01/harbour-wall-repairs-begin/feed/'.replace(
                    'harbour-wall-repairs-begin', 'no-such-article'))
                c.status(st, 404, 'comment feed of a missing article')
            finally:
                shutil.rmtree(tf.TMP, ignore_errors=True)

        with c.section('rate limits per address and subnet, X-Forwarded-For'):
            cli_ok(c, s.cli('settings', 'set', 'comments_rate_ip', '2'), 'rate ip 2')
            cli_ok(c, s.cli('settings', 'set', 'comments_rate_net', '3'), 'rate net 3')
            tok = token_for(s, url, source='127.0.5.1')
            got = [post(s, url, tok, comment='Rate %d' % i, email='r@example.org',
                        source='127.0.5.1')[0] for i in range(3)]
            c.eq(got, [303, 303, 429], 'third from one address')
            st, h, b = post(s, url, tok, comment='Other address', source='127.0.5.2')
            c.status(st, 303, 'another address in the /24')
            st, h, b = post(s, url, tok, comment='Third address', source='127.0.5.3')
            c.status(st, 429, 'subnet limit')
            c.ok('retry-after' in h and 'Too many comments' in b.decode(), 'Retry-After, message')
            st, _, _ = post(s, url, tok, comment='Elsewhere', source='127.0.6.1')
            c.status(st, 303, 'a different subnet')
            # X-Forwarded-For is ignored from an untrusted peer
            st, _, _ = s.request('POST', url, body=urllib.parse.urlencode(
                {'name': 'P', 'email': 'p@example.org', 'comment': 'via proxy?',
                 'token': tok}).encode(), headers={'Content-Type': FORM,
                                                   'X-Forwarded-For': '10.9.9.9'},
                source='127.0.5.4')
            c.status(st, 429, 'untrusted X-Forwarded-For does not escape the limit')
            cli_ok(c, s.cli('settings', 'set', 'comments_rate_ip', '1000'), 'rate ip')
            cli_ok(c, s.cli('settings', 'set', 'comments_rate_net', '1000'), 'rate net')

        with c.section('token expiry (test clock)'):
            tok = token_for(s, url)
            s.restart(env=dict(s.env, GAZETTE_CLOCK_OFFSET=str(3 * 86400)))
            st, _, b = post(s, url, tok, comment='Late reply kept.')
            body = b.decode()
            c.status(st, 403, 'expired token')
            c.ok('expired' in body and 'Late reply kept.</textarea>' in body,
                 'expired: message and the text kept')
            newtok = form_of(body)[0]
            c.ok(newtok and newtok != tok, 'a fresh token in the form again')
            st, _, _ = post(s, url, newtok, comment='Late reply kept.')
            c.status(st, 303, 'sent again with the fresh token')
            s.restart()

        with c.section('the spam filter learns from moderation'):
            spam = ['Cheap v1agra pills no prescription http://pills.test/buy-%d' % i
                    for i in range(6)]
            ham = ['I walked along the harbour wall this morning, repairs look good (%d).' % i
                   for i in range(6)]
            for i, text in enumerate(spam + ham):
                is_spam = i < len(spam)
                st, h, _ = post(s, url2, token_for(s, url2), comment=text,
                                name='Pharma Deals' if is_spam else 'Maria %d' % i,
                                email=('deals%d@pills.test' % i) if is_spam
                                else 'maria%d@example.org' % i, source='127.0.8.%d' % (i + 1))
                cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
                cli_ok(c, s.cli('comment', 'spam' if is_spam else 'approve', str(cid)), 'decide')
            cli_ok(c, s.cli('settings', 'set', 'comments_spam_min', '5'), 'spam min 5')
            st, h, _ = post(s, url2, token_for(s, url2), name='Pharma Deals',
                            email='deals99@pills.test', source='127.0.9.1',
                            comment='Cheap v1agra pills, no prescription: http://pills.test/x')
            c.status(st, 303, 'spam is answered like a held comment')
            cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            c.eq(listing(s)[cid][1], 'spam', 'probable spam goes to spam')
            c.ok(int(show(s, cid)['spam_score']) >= 90, 'with its score')
            st, h, _ = post(s, url2, token_for(s, url2), name='Maria 6', email='maria6@example.org',
                            comment='The harbour wall repairs look good from my walk today.',
                            source='127.0.9.2')
            cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            c.eq((listing(s)[cid][1], show(s, cid)['note'], show(s, cid)['spam_score']),
                 ('approved', '', '0'), 'a known reader with a learned filter: live')
            r = s.cli('comment', 'train')
            out = cli_ok(c, r, 'train')
            m = re.match(r'learned (\d+) ham and (\d+) spam comments', out)
            c.ok(m and int(m.group(2)) >= 6, 'train output %r' % out)
            cli_ok(c, s.cli('settings', 'set', 'comments_spam_min', '0'), 'spam min 0')

        with c.section('concurrent posting'):
            tok = token_for(s, url2)
            texts = ['Concurrent comment number %d' % i for i in range(60)]

            def send(t):
                i = int(t.rsplit(' ', 1)[1])
                return post(s, url2, tok, comment=t, email='c%d@example.org' % i,
                            source='127.0.7.%d' % (1 + i % 200))[0]
            with concurrent.futures.ThreadPoolExecutor(12) as ex:
                sts = list(ex.map(send, texts))
            c.eq(sts.count(303), len(texts), 'all acknowledged')
            rows = listing(s, '--post', pid2)
            stored = [r[4] for r in rows.values() if r[4].startswith('Concurrent')]
            c.eq(sorted(stored), sorted(texts), 'each stored exactly once')
        s.print_log = bool(c.failed)

    kill9(c)
    c.finish()


def kill9(c):
    """Acknowledged comments survive kill -9 of the server under load."""
    with Site(conf_extra='trusted_proxies = 127.0.0.1\n') as s:
        cli_ok(c, s.cli('user', 'add', 'ed', '--email', 'ed@example.org', '--role', 'editor'),
               'user add')
        r = s.cli('post', 'add', '--title', 'Durable', '--status', 'published',
                  '--date', '2026-01-10T09:00:00Z', input='Body.')
        pid, url = id_url(cli_ok(c, r, 'post add'))
        for k, v in [('comments_min_seconds', '0'), ('comments_rate_ip', '100000'),
                     ('comments_rate_net', '100000')]:
            cli_ok(c, s.cli('settings', 'set', k, v), k)
        with c.section('behind a trusted proxy the address is X-Forwarded-For'):
            body = urllib.parse.urlencode({'name': 'P', 'email': 'p@example.org',
                                           'comment': 'Via the proxy.',
                                           'token': token_for(s, url)}).encode()
            st, h, _ = s.request('POST', url, body=body, headers={
                'Content-Type': FORM, 'X-Forwarded-For': '198.51.100.7, 203.0.113.9'})
            c.status(st, 303, 'POST through the proxy')
            cid = int(re.search(r'#comment-(\d+)$', h['location']).group(1))
            c.eq(show(s, cid).get('ip'), '203.0.113.9', 'the client address the proxy saw')
        acked = []
        with c.section('kill -9 under comment load'):
            for round_ in range(3):
                tok = token_for(s, url)
                stop = []

                def writer(w):
                    n = 0
                    while not stop:
                        n += 1
                        try:
                            st, h, _ = post(s, url, tok, comment='r%d w%d n%d' % (round_, w, n),
                                            email='w%d@example.org' % w)
                        except OSError:
                            return
                        if st == 303:
                            acked.append(int(re.search(r'#comment-(\d+)$',
                                                       h['location']).group(1)))
                with concurrent.futures.ThreadPoolExecutor(6) as ex:
                    fs = [ex.submit(writer, w) for w in range(6)]
                    poll(lambda: len(acked) >= 40 * (round_ + 1), timeout=30)
                    s.proc.send_signal(signal.SIGKILL)
                    s.proc.wait()
                    stop.append(1)
                    for f in fs:
                        f.result()
                s.proc = None
                if not PG:  # the server keeps its own files whole
                    c.eq(s.sql('PRAGMA integrity_check')[0][0], 'ok',
                         'integrity after kill %d' % round_)
                have = {r[0] for r in s.sql('SELECT id FROM comments')}
                missing = [i for i in acked if i not in have]
                c.eq(missing, [], 'acknowledged comments present after kill %d' % round_)
                s.start()
            c.ok(len(acked) >= 120, 'enough acknowledged comments: %d' % len(acked))
        s.print_log = bool(c.failed)


if __name__ == '__main__':
    main()
