"""Writing in the back office over real HTTP: the post list and its
filters, the editor for each role (contributor drafts and submits, author
publishes their own, editor everything), validation that keeps input,
server-rendered preview, scheduling, trash and restore, 301s from a moved
article's old URL, revisions with differences and restore, and pages."""
import re

from harness import Checks, Site, cli_ok, id_url, poll
from test_admin import PASSWORDS, Browser, field

FUTURE = '2099-01-01T09:00'


def fields(b, path):
    st, h, body = b.get(path)
    return st, body, field(body, 'csrf')


def save(b, path, csrf, do, **kw):
    f = {'csrf': csrf, 'do': do, 'title': kw.get('title', ''), 'slug': kw.get('slug', ''),
         'body': kw.get('body', ''), 'excerpt': kw.get('excerpt', ''),
         'category': kw.get('category', ''), 'tags': kw.get('tags', ''),
         'date': kw.get('date', '')}
    if kw.get('comments_open', True):
        f['comments_open'] = 'on'
    return b.post(path, f)


def new_id(h):
    m = re.match(r'^/admin/posts/(\d+)/\?saved=1$', h.get('location', ''))
    return int(m.group(1)) if m else None


def status_of(s, pid):
    r = s.cli('post', 'show', str(pid))
    m = re.search(r'^status:\s*(\S+)', r.stdout, re.M)
    return m.group(1) if m else None


def url_of(s, pid):
    r = s.cli('post', 'show', str(pid))
    m = re.search(r'^url:\s*(\S+)', r.stdout, re.M)
    return m.group(1) if m else None


def main():
    c = Checks('test_admin_posts')
    with Site() as s:
        for login, role in [('boss', 'admin'), ('ed', 'editor'), ('au', 'author'),
                            ('co', 'contributor')]:
            cli_ok(c, s.cli('user', 'add', login, '--email', '%s@example.org' % login, '--role',
                            role, '--password-stdin', input=PASSWORDS[login] + '\n'), login)
        cli_ok(c, s.cli('category', 'add', 'Harbour'), 'category')
        ed, au, co = Browser(s), Browser(s), Browser(s)
        for b, login in [(ed, 'ed'), (au, 'au'), (co, 'co')]:
            st, _, _ = b.signin(login, PASSWORDS[login])
            c.status(st, 303, 'sign in ' + login)

        with c.section('contributor: drafts and review only'):
            st, body, csrf = fields(co, '/admin/posts/new/')
            c.status(st, 200, 'new post form')
            c.ok('Submit for review' in body and 'value="publish"' not in body,
                 'no Publish button for a contributor')
            st, h, _ = save(co, '/admin/posts/new/', csrf, 'save', title='Contributed piece',
                            body='First *draft*.', category='harbour', tags='docks, ferry')
            c.status(st, 303, 'save draft')
            cpid = new_id(h)
            c.eq(status_of(s, cpid), 'draft', 'saved as a draft')
            st, _, body = save(co, '/admin/posts/%d/' % cpid, csrf, 'publish',
                               title='Contributed piece', body='First *draft*.')
            c.status(st, 403, 'contributor cannot publish')
            c.ok('submit the post for review' in body, 'says what to do instead')
            st, h, _ = save(co, '/admin/posts/%d/' % cpid, csrf, 'review',
                            title='Contributed piece', body='Ready now.', category='harbour')
            c.status(st, 303, 'submit for review')
            c.eq(status_of(s, cpid), 'pending', 'pending review')
            st, _, body = co.get('/admin/posts/')
            c.ok('Contributed piece' in body, 'own post listed')
            st, _, _ = co.get('/admin/posts/new/?type=page')
            c.status(st, 403, 'contributor cannot write pages')

        with c.section('author: own posts, may publish'):
            st, body, csrf = fields(au, '/admin/posts/new/')
            st, h, _ = save(au, '/admin/posts/new/', csrf, 'publish', title='Ferry strike ends',
                            body='The ferry runs again.', category='harbour', tags='ferry',
                            date='2026-03-01T08:30')
            apid = new_id(h)
            c.eq(status_of(s, apid), 'published', 'published')
            aurl = url_of(s, apid)
            c.eq(aurl, '/2026/03/ferry-strike-ends/', 'its URL')
            st, _, _ = s.get(aurl)
            c.status(st, 200, 'on the public site')
            st, _, _ = au.get('/admin/posts/%d/' % cpid)
            c.status(st, 403, "author cannot open a contributor's post")
            st, _, _ = save(au, '/admin/posts/%d/' % cpid, csrf, 'save', title='Hijack')
            c.status(st, 403, "nor save it")
            st, _, body = au.get('/admin/posts/')
            c.ok('Ferry strike ends' in body and 'Contributed piece' not in body,
                 'the list shows only their own')
            st, _, _ = co.get('/admin/posts/%d/' % apid)
            c.status(st, 403, 'contributor cannot open the published post')

        with c.section('validation keeps what was typed'):
            st, body, csrf = fields(ed, '/admin/posts/new/')
            st, _, body = save(ed, '/admin/posts/new/', csrf, 'save', title='',
                               body='Typed <b>text</b> kept')
            c.status(st, 400, 'missing title')
            c.ok('title' in body.lower() and 'Typed &lt;b&gt;text&lt;/b&gt; kept</textarea>' in body,
                 'message and the text kept')
            st, _, body = save(ed, '/admin/posts/new/', csrf, 'save', title='Another',
                               slug='ferry-strike-ends', body='x')
            c.status(st, 400, 'slug taken')
            c.ok('already used' in body, 'says the slug is taken')
            st, _, body = save(ed, '/admin/posts/new/', csrf, 'save', title='Bad date', body='x',
                               date='2026-13-45T99:99')
            c.status(st, 400, 'bad date')
            st, _, _ = save(ed, '/admin/posts/new/', '0' * 64, 'save', title='No CSRF', body='x')
            c.status(st, 403, 'CSRF checked')

        with c.section('preview'):
            st, body, csrf = fields(ed, '/admin/posts/new/')
            st, h, html = ed.post('/admin/preview/', {'csrf': csrf,
                                                      'body': '**bold** <script>x</script>'})
            c.status(st, 200, 'live preview')
            c.ok('<strong>bold</strong>' in html and '<script>' not in html, 'rendered safely')
            c.eq(h.get('cache-control'), 'no-store', 'not stored')
            st, _, _ = ed.post('/admin/preview/', {'body': 'x'})
            c.status(st, 403, 'preview needs the CSRF token')
            st, _, body = save(ed, '/admin/posts/new/', csrf, 'preview', title='P',
                               body='# Heading\n\n*em*')
            c.ok(st == 200 and '<em>em</em>' in body and '*em*</textarea>' in body,
                 'preview without JavaScript keeps the form')
            c.ok('admin.' in body and '.js' in body, 'the live preview script is linked')

        with c.section('editor edits, moves URLs, schedules, trashes'):
            st, body, csrf = fields(ed, '/admin/posts/%d/' % apid)
            c.status(st, 200, "editor opens the author's post")
            c.ok('value="Ferry strike ends"' in body and 'The ferry runs again.</textarea>' in body,
                 'form filled from the post')
            c.ok('value="2026-03-01T08:30"' in body, 'date in the site timezone')
            st, h, _ = save(ed, '/admin/posts/%d/' % apid, csrf, 'save',
                            title='Ferry strike ends', slug='ferry-strike-over',
                            body='The ferry runs again, hourly.', category='harbour',
                            tags='ferry', date='2026-03-01T08:30')
            c.status(st, 303, 'save with a new slug')
            new = url_of(s, apid)
            c.eq(new, '/2026/03/ferry-strike-over/', 'new URL')
            st, h, _ = s.get(aurl)
            c.ok(st == 301 and h.get('location', '').endswith(new), 'old URL 301s to the new one')
            st, h, _ = save(ed, '/admin/posts/%d/' % apid, csrf, 'save',
                            title='Ferry strike ends', slug='ferry-strike-over',
                            body='The ferry runs again, hourly.', category='harbour',
                            tags='ferry', date='2026-04-02T08:30')
            newer = url_of(s, apid)
            c.eq(newer, '/2026/04/ferry-strike-over/', 'new date, new URL')
            for old in (aurl, new):
                st, h, _ = s.get(old)
                c.ok(st == 301 and h.get('location', '').endswith(newer),
                     '%s 301s straight to the newest URL (%s %s)' % (old, st, h.get('location')))
            st, _, _ = s.get(newer)
            c.status(st, 200, 'newest URL')

            st, h, _ = save(ed, '/admin/posts/new/', csrf, 'publish', title='Future plans',
                            body='Soon.', date=FUTURE, category='harbour')
            fpid = new_id(h)
            c.eq(status_of(s, fpid), 'scheduled', 'a future date schedules it')
            st, _, _ = s.get(url_of(s, fpid))
            c.status(st, 404, 'not public before its time')
            st, h, _ = save(ed, '/admin/posts/%d/' % fpid, csrf, 'trash', title='Future plans',
                            body='Soon.', date=FUTURE, category='harbour')
            c.eq(status_of(s, fpid), 'trash', 'moved to trash')
            st, body, _ = fields(ed, '/admin/posts/%d/' % fpid)
            c.ok('value="restore"' in body, 'restore offered')
            save(ed, '/admin/posts/%d/' % fpid, csrf, 'restore', title='Future plans',
                 body='Soon.', date=FUTURE, category='harbour')
            c.eq(status_of(s, fpid), 'draft', 'restored as a draft')
            save(ed, '/admin/posts/%d/' % apid, csrf, 'unpublish', title='Ferry strike ends',
                 slug='ferry-strike-over', body='The ferry runs again, hourly.',
                 category='harbour', date='2026-04-02T08:30')
            c.eq(status_of(s, apid), 'draft', 'unpublished')
            c.ok(poll(lambda: s.get(newer)[0] == 404), 'gone from the public site')
            save(ed, '/admin/posts/%d/' % apid, csrf, 'publish', title='Ferry strike ends',
                 slug='ferry-strike-over', body='The ferry runs again, hourly.',
                 category='harbour', date='2026-04-02T08:30')
            c.ok(poll(lambda: s.get(newer)[0] == 200), 'published again')

        with c.section('list filters'):
            st, _, body = ed.get('/admin/posts/?status=pending')
            c.ok('Contributed piece' in body and 'Ferry strike ends' not in body, 'by status')
            st, _, body = ed.get('/admin/posts/?author=au')
            c.ok('Ferry strike ends' in body and 'Contributed piece' not in body, 'by author')
            st, _, body = ed.get('/admin/posts/?q=FERRY')
            c.ok('Ferry strike ends' in body and 'Future plans' not in body, 'by title words')
            st, _, body = ed.get('/admin/posts/?q=100%25_')
            c.ok('0 found' in body, 'LIKE characters are literal')
            st, _, body = ed.get('/admin/posts/?category=harbour&status=draft')
            c.ok('Future plans' in body and 'Ferry strike ends' not in body, 'by category')
            st, _, _ = ed.get('/admin/posts/?status=bogus')
            c.status(st, 400, 'unknown status')
            st, _, _ = ed.get('/admin/posts/?page=99')
            c.status(st, 404, 'page past the end')

        with c.section('revisions'):
            st, body, _ = fields(ed, '/admin/posts/%d/revisions/' % apid)
            c.status(st, 200, 'revisions page')
            revs = [int(x) for x in re.findall(r'name="from" value="(\d+)"', body)]
            c.ok(len(revs) >= 4, 'a revision per save: %r' % revs)
            # by default the newest two saves: only the date changed between them
            c.ok('<h3>Body <small>(unchanged)</small></h3>' in body and 'class="del"' not in body,
                 'newest against the one before: the text unchanged')
            st, body, csrf = fields(ed, '/admin/posts/%d/revisions/?from=%d&to=%d' %
                                    (apid, revs[-1], revs[0]))
            c.ok('<span class="del">- The ferry runs again.</span>' in body and
                 '<span class="add">+ The ferry runs again, hourly.</span>' in body,
                 'first to newest: the changed line')
            st, h, _ = ed.post('/admin/posts/%d/revisions/' % apid,
                               {'csrf': csrf, 'revision': str(revs[-1])})
            c.status(st, 303, 'restore the first revision')
            st, body, _ = fields(ed, '/admin/posts/%d/' % apid)
            c.ok('The ferry runs again.</textarea>' in body, 'its text is back')
            c.ok(poll(lambda: 'The ferry runs again.' in s.text(newer)[1] and
                      'hourly' not in s.text(newer)[1]), 'and on the public page')
            st, _, _ = ed.post('/admin/posts/%d/revisions/' % apid,
                               {'csrf': csrf, 'revision': '999999'})
            c.status(st, 400, 'unknown revision')
            st, _, _ = au.get('/admin/posts/%d/revisions/' % cpid)
            c.status(st, 403, "author cannot see another's revisions")

        with c.section('dashboard activity'):
            st, _, body = ed.get('/admin/')
            c.ok('Recent activity' in body and 'Ferry strike ends</a> saved by' in body,
                 'recent saves on the dashboard')
            st, _, body = au.get('/admin/')
            c.ok('Contributed piece' not in body, "an author sees only their own posts' activity")

        with c.section('pages'):
            st, body, csrf = fields(ed, '/admin/posts/new/?type=page')
            c.status(st, 200, 'new page form')
            c.ok('name="category"' not in body, 'pages have no category')
            st, h, _ = save(ed, '/admin/posts/new/?type=page', csrf, 'publish', title='Contact us',
                            body='Write to the newsroom.')
            c.status(st, 303, 'publish a page')
            st, _, body = s.get('/contact-us/')
            c.status(st, 200, 'page on the site')
            st, _, body = ed.get('/admin/posts/?type=page')
            c.ok('Contact us' in body, 'pages list')
            st, _, _ = au.get('/admin/posts/new/?type=page')
            c.status(st, 403, 'authors cannot write pages')
        s.print_log = bool(c.failed)
    c.finish()


if __name__ == '__main__':
    main()
