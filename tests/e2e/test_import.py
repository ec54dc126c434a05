"""test_import.py - `gazette import wordpress` end to end.

Imports the official Theme Unit Test export (../shared/testdata/wxr, or
$GAZETTE_TESTDATA/wxr) into a fresh site and checks: exact counts (in the
summary and in the database, against the file read independently with
ElementTree), spot-checked content over HTTP, GMT dates, sticky posts,
excerpts, page parents, comment threading and statuses, nothing unsafe left
in any body, a re-run that changes nothing (not one change-log row), a dry
run that writes nothing, every old permalink of a public item answering 301
to a page that answers 200 (never to itself), old ?p= / ?page_id= / feed
addresses; then small crafted exports (WXR 1.0 over http, hostile HTML,
comment fields) and bad files (malformed, truncated, wrong namespace, not
RSS, empty, duplicate ids) refused with the line at fault and the site
unchanged.
"""
import calendar
import re
import os
import subprocess
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET

from harness import GAZETTE, PG, Checks, Site, cli_ok, testdata
from wxrgen import generate

HERE = os.path.dirname(os.path.abspath(__file__))
c = Checks('test_import')


WXR_NAME = 'themeunittestdata.wordpress.xml'


def wxr_file():
    return os.path.join(testdata('test_import', 'wxr', WXR_NAME), WXR_NAME)


WXR = wxr_file()
TMP = tempfile.mkdtemp(prefix='gazette-import-')
NS = {'wp': 'https://wordpress.org/export/1.2/',
      'content': 'http://purl.org/rss/1.0/modules/content/',
      'excerpt': 'https://wordpress.org/export/1.2/excerpt/',
      'dc': 'http://purl.org/dc/elements/1.1/'}


def wp(el, name):
    v = el.find('wp:' + name, NS)
    return (v.text or '') if v is not None else ''


# --- the file, read independently ------------------------------------------
root = ET.parse(WXR).getroot()
channel = root.find('channel')
ITEMS = channel.findall('item')
BY_TYPE = {}
for it in ITEMS:
    BY_TYPE.setdefault(wp(it, 'post_type'), []).append(it)
DECLARED_TAGS = {wp(t, 'tag_slug') for t in channel.findall('wp:tag', NS)}
USED_TAGS = {cat.get('nicename') for it in BY_TYPE['post'] for cat in it.findall('category')
             if cat.get('domain') == 'post_tag'}
COMMENTS = [cm for t in ('post', 'page') for it in BY_TYPE[t] for cm in it.findall('wp:comment', NS)]


def summary(out):
    """The `KIND<TAB>created N<TAB>updated N...` lines as {kind: {word: n}}."""
    res = {}
    for line in out.splitlines():
        parts = line.split('\t')
        d = {}
        for p in parts[1:]:
            w = p.rsplit(' ', 1)
            if len(w) == 2 and w[1].isdigit():
                d[w[0]] = int(w[1])
        res[parts[0]] = d
    return res


def db(s):
    return s.db()


def snapshot(s):
    con = db(s)
    try:
        q = lambda sql: con.execute(sql).fetchall()
        return (q('SELECT count(*) FROM posts'), q('SELECT count(*) FROM comments'),
                q('SELECT count(*) FROM categories'), q('SELECT count(*) FROM tags'),
                q('SELECT count(*) FROM users'), q('SELECT count(*) FROM redirects'),
                q('SELECT count(*), coalesce(max(id), 0) FROM changes'),
                q('SELECT count(*) FROM import_map'))
    finally:
        con.close()


def site_contents(s):
    """Everything an export must carry, keyed by what survives new ids."""
    con = db(s)
    try:
        q = lambda sql: con.execute(sql).fetchall()
        posts = {r[0]: r[1:] for r in q(
            "SELECT p.type || '/' || p.slug, p.title, p.status, p.excerpt, b.body_html, "
            "b.body_md, p.summary, p.published_at, p.sticky, p.comments_open, "
            "(SELECT path FROM categories WHERE id = p.category_id), "
            "(SELECT slug FROM posts q WHERE q.id = p.parent_id), "
            "(SELECT %s FROM (SELECT t.slug FROM post_tags pt JOIN tags t "
            "ON t.id = pt.tag_id WHERE pt.post_id = p.id ORDER BY t.slug) x), "
            "(SELECT login FROM users WHERE id = p.author_id), "
            "(SELECT orig_name FROM media WHERE id = p.featured_media_id) "
            "FROM posts p JOIN post_bodies b ON b.post_id = p.id"
            % ("string_agg(slug, ',')" if PG else 'group_concat(slug)'))}
        # media file names carry 8 random hex digits: the same file differs there
        posts = {k: (v[0], v[1], v[2], media_names(v[3])) + v[4:] for k, v in posts.items()}
        comments = {}
        for r in q("SELECT (SELECT type || '/' || slug FROM posts WHERE id = c.post_id), "
                   "c.created_at, c.author_email, c.status, c.author_name, c.author_url, "
                   "c.author_ip, c.body_html, (SELECT author_email || ' ' || created_at "
                   "FROM comments d WHERE d.id = c.parent_id) FROM comments c"):
            comments[r[:3]] = r[3:]
        return {
            'posts': posts,
            'comments': comments,
            'categories': {r[0]: r[1:] for r in q('SELECT path, name, description FROM categories')},
            'tags': {r[0]: r[1:] for r in q('SELECT slug, name FROM tags')},
            'redirects': {r[0]: r[1:] for r in q('SELECT from_path, to_path, status FROM redirects')},
            'users': {r[0]: r[1:] for r in q('SELECT login, email, display_name FROM users')},
            'media': {r[0]: r[1:] for r in q(
                'SELECT orig_name, mime, width, height, alt, uploaded_at, '
                '(SELECT count(*) FROM media_variants v WHERE v.media_id = m.id) FROM media m')},
            'menu': {i: r for i, r in enumerate(q(
                "SELECT m.position, m.kind, m.label, m.url, "
                "(SELECT type || '/' || slug FROM posts WHERE id = m.target_id AND m.kind = 'post'), "
                "(SELECT path FROM categories WHERE id = m.target_id AND m.kind = 'category'), "
                "(SELECT label || ' ' || position FROM menu_items p WHERE p.id = m.parent_id) "
                "FROM menu_items m ORDER BY m.position, m.id"))},
        }
    finally:
        con.close()


def media_names(html):
    return re.sub(r'(/media/\d{4}/\d\d/[a-z0-9-]*?)-[0-9a-f]{8}((?:-\d+w)?\.[a-z]+)', r'\1-X\2',
                  html or '')


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def follow(s, path):
    """(first status, Location path, final status) of one redirect hop."""
    st, h, _ = s.get(path)
    loc = h.get('location', '')
    if st != 301:
        return st, loc, None
    p = urllib.parse.urlsplit(loc)
    target = p.path + ('?' + p.query if p.query else '')
    st2, _, _ = s.get(target)
    return st, target, st2


with Site() as s:
    before = snapshot(s)

    with c.section('dry run writes nothing'):
        r = s.cli('import', 'wordpress', WXR, '--dry-run')
        c.eq(r.returncode, 0, 'dry run exit (stderr %r)' % r.stderr[-300:])
        sm = summary(r.stdout)
        c.ok('dry run' in r.stdout, 'the summary says it is a dry run')
        c.eq(sm.get('posts', {}).get('created'), 58, 'dry run: posts that would be created')
        c.eq(sm.get('pages', {}).get('created'), 21, 'dry run: pages that would be created')
        c.eq(snapshot(s), before, 'the database after a dry run')

    with c.section('import the Theme Unit Test export'):
        t0 = time.monotonic()
        r = s.cli('import', 'wordpress', WXR)
        c.eq(r.returncode, 0, 'import exit (stderr %r)' % r.stderr[-500:])
        sm = summary(r.stdout)
        print('test_import: imported %d items in %.2f s' % (len(ITEMS), time.monotonic() - t0))
        # the counts the issue states, and the same from the file itself
        c.eq(len(BY_TYPE['post']), 58, 'posts in the file')
        c.eq(len(BY_TYPE['page']), 21, 'pages in the file')
        c.eq(len(COMMENTS), 33, 'comments in the file')
        c.eq(sm['users'].get('created'), 2, 'users created')
        c.eq(sm['categories'].get('created'), 68, 'categories created')
        # 110 declared tags, plus 4 that only posts use (columns, content,
        # sample, test-tag): WordPress's importer creates those too
        c.eq(len(DECLARED_TAGS), 110, 'tags declared in the file')
        c.eq(sorted(USED_TAGS - DECLARED_TAGS), ['columns', 'content', 'sample', 'test-tag'],
             'tags used by posts but not declared')
        c.eq(sm['tags'].get('created'), 114, 'tags created')
        c.eq(sm['posts'].get('created'), 58, 'posts created')
        c.eq(sm['pages'].get('created'), 21, 'pages created')
        c.eq(sm['comments'].get('created'), 33, 'comments created')
        c.eq(sm['attachments'].get('in the file'), 37, 'attachments counted')
        c.eq(sm['media'].get('skipped'), 37, 'no --media-dir: every attachment reported, none copied')
        c.ok('media dir\tnone' in r.stdout, 'the summary says no --media-dir was given')
        c.eq(sm['menu'].get('menu items in the file'), 70, 'menu items counted')
        c.ok('menu\ttesting-menu\t' in r.stdout, 'the largest menu is imported: %r' %
             [l for l in r.stdout.splitlines() if l.startswith('menu')])
        c.eq(sm['menu items'].get('created'), 23, 'its 23 items')
        c.ok(sm['redirects'].get('created', 0) > 79, 'redirects created: %s' % sm['redirects'])
        c.ok('[gallery]' in r.stdout, 'the summary lists the unconverted [gallery]')

    con = db(s)
    q = lambda sql, *a: con.execute(sql, a).fetchall()
    with c.section('what the database holds'):
        c.eq(q("SELECT type, count(*) FROM posts GROUP BY type ORDER BY type"),
             [('page', 21), ('post', 58)], 'posts by type')
        c.eq(q('SELECT count(*) FROM categories')[0][0], 68, 'categories')
        c.eq(q('SELECT count(*) FROM categories WHERE parent_id != 0')[0][0], 10,
             'categories with a parent')
        c.eq(q('SELECT count(*) FROM tags')[0][0], 114, 'tags')
        c.eq(q('SELECT count(*) FROM comments')[0][0], 33, 'comments')
        c.eq(q("SELECT status, count(*) FROM comments GROUP BY status ORDER BY status"),
             [('approved', 30), ('pending', 3)], 'comment statuses')
        c.eq(q('SELECT count(*) FROM comments WHERE parent_id != 0')[0][0], 10, 'threaded replies')
        c.eq(q("SELECT login, pwhash FROM users ORDER BY login"),
             [('themedemos', ''), ('themereviewteam', '')], 'users, without passwords')
        # statuses: the file's draft, future (2030s) and password-protected post
        st = dict(q("SELECT status, count(*) FROM posts WHERE type = 'post' GROUP BY status"))
        c.eq(st, {'published': 55, 'draft': 1, 'scheduled': 1, 'private': 1}, 'post statuses')
        # GMT dates, sticky, excerpt, page parents, all against the file
        ids = dict(q("SELECT wp_id, local_id FROM import_map WHERE kind = 'post'"))
        bad_dates = []
        for it in BY_TYPE['post'] + BY_TYPE['page']:
            g = wp(it, 'post_date_gmt')
            if g.startswith('0000'):
                continue
            want = calendar.timegm(time.strptime(g, '%Y-%m-%d %H:%M:%S'))
            got = q('SELECT published_at FROM posts WHERE id = ?', ids[wp(it, 'post_id')])
            if got != [(want,)]:
                bad_dates.append((wp(it, 'post_id'), g, got))
        c.eq(bad_dates, [], 'published_at = wp:post_date_gmt')
        sticky = [wp(it, 'post_id') for it in BY_TYPE['post'] if wp(it, 'is_sticky') == '1']
        c.eq(sorted(r[0] for r in q('SELECT id FROM posts WHERE sticky')),
             sorted(ids[x] for x in sticky), 'sticky posts')
        c.ok(len(sticky) >= 1, 'the file has a sticky post')
        ex = q("SELECT excerpt FROM posts WHERE id = ?", ids['993'])
        c.ok(ex and 'This is a user-defined post excerpt' in ex[0][0] if ex else False,
             'Template: Excerpt (Defined) keeps its excerpt: %r' % ex)
        parents = {wp(it, 'post_id'): wp(it, 'post_parent') for it in BY_TYPE['page']
                   if wp(it, 'post_parent') not in ('', '0')}
        wrong = [(k, v) for k, v in parents.items()
                 if q('SELECT parent_id FROM posts WHERE id = ?', ids[k]) != [(ids[v],)]]
        c.ok(len(parents) > 5, 'the file has page parents (%d)' % len(parents))
        c.eq(wrong, [], 'page parents')
        # nothing unsafe in any stored HTML
        for pat in ('<script', '<iframe', 'onerror', 'onclick', 'javascript:', 'style=',
                    '<!-- wp:', '<form', '<object'):
            n = q("SELECT count(*) FROM post_bodies WHERE lower(body_html) LIKE ?",
                  '%' + pat + '%')[0][0]
            n += q("SELECT count(*) FROM comments WHERE lower(body_html) LIKE ?",
                   '%' + pat + '%')[0][0]
            c.eq(n, 0, 'bodies containing %r' % pat)
        c.eq(q('SELECT count(*) FROM redirects WHERE from_path = to_path')[0][0], 0,
             'redirects to themselves')

    with c.section('content over HTTP'):
        st, loc, st2 = follow(s, '/?p=1163')  # Post Format: Image (Caption)
        c.eq((st, st2), (301, 200), '?p=1163 -> %s' % loc)
        _, body = s.text(loc)
        c.ok('<figure>' in body and '<figcaption>Bell on wharf in San Francisco</figcaption>'
             in body, '[caption] became a <figure> with its caption')
        st, loc, st2 = follow(s, '/?p=555')  # Post Format: Gallery
        _, body = s.text(loc)
        c.ok('[gallery' in body, 'the unknown [gallery] shortcode stays visible')
        st, loc, st2 = follow(s, '/?page_id=2')
        c.eq((st, loc, st2), (301, '/about/', 200), '?page_id=2')
        _, body = s.text('/about/')
        c.ok('About The Tests' in body, 'the About page shows its title')
        st, loc, st2 = follow(s, '/?p=1148')  # Template: Comments
        _, body = s.text(loc)
        c.ok(body.count('id="comment-') >= 10, 'Template: Comments shows its comments')
        c.ok('depth-2' in body, 'and replies are threaded')
        st, loc, st2 = follow(s, '/?p=1241')
        c.eq((st, st2), (301, 200), 'Template: Sticky')
        _, body = s.text('/')
        c.ok('Template: Sticky' in body, 'the sticky post is on the home page')
        # autop: the Markup post's paragraphs
        st, loc, st2 = follow(s, '/2013/01/11/markup-html-tags-and-formatting/')
        c.eq((st, loc, st2), (301, '/2013/01/markup-html-tags-and-formatting/', 200),
             'an old dated permalink')
        _, body = s.text(loc)
        c.ok('<p>' in body and '<blockquote>' in body, 'paragraphs and quotes are kept')
        c.eq(s.get('/?p=999999')[0], 404, 'an unknown ?p=')
        c.eq(s.get('/?p=1164')[0], 404, '?p= of a draft')
        for old, new in (('/feed/rss2/', '/feed/'), ('/?feed=rss2', '/feed/'),
                         ('/comments/feed/rss2/', '/comments/feed/')):
            c.eq(follow(s, old), (301, new, 200), old)
        for same in ('/feed/', '/comments/feed/', '/category/parent/child-1/',
                     '/category/parent/child-1/feed/', '/tag/8bit/', '/tag/8bit/feed/'):
            c.eq(s.get(same)[0], 200, 'the WordPress URL %s is ours too' % same)

    with c.section('every old permalink of a public item'):
        checked = bad = 0
        for it in BY_TYPE['post'] + BY_TYPE['page']:
            if wp(it, 'status') != 'publish' or wp(it, 'post_password'):
                continue
            path = urllib.parse.unquote(urllib.parse.urlsplit(it.find('link').text).path)
            path = re.sub('/+', '/', path)  # the file has one "//greek/..." link
            if not path.endswith('/'):
                path += '/'
            st, loc, st2 = follow(s, urllib.parse.quote(path))
            checked += 1
            good = (st == 301 and st2 == 200 and loc != path) or st == 200
            if not good:
                bad += 1
                c.ok(False, '%s -> %s %s %s' % (path, st, loc, st2))
        c.ok(checked >= 70, 'checked %d old permalinks' % checked)
        c.eq(bad, 0, 'old permalinks not answering 301 -> 200')

    with c.section('a re-run changes nothing'):
        mid = snapshot(s)
        r = s.cli('import', 'wordpress', WXR)
        c.eq(r.returncode, 0, 're-run exit')
        sm = summary(r.stdout)
        for k in ('users', 'categories', 'tags', 'posts', 'pages', 'comments', 'redirects',
                  'menu items'):
            c.eq((sm[k].get('created'), sm[k].get('updated')), (0, 0), 're-run %s' % k)
        c.eq(sm['posts'].get('unchanged'), 58, 're-run posts unchanged')
        c.eq(sm['comments'].get('unchanged'), 33, 're-run comments unchanged')
        c.eq(snapshot(s), mid, 'the database (and its change log) after the re-run')

    with c.section('an edit of an imported post keeps its HTML'):
        pid = q("SELECT local_id FROM import_map WHERE kind='post' AND wp_id='1163'")[0][0]
        html_before = q('SELECT body_html FROM post_bodies WHERE post_id = ?', pid)[0][0]
        r = s.cli('post', 'edit', str(pid), '--title', 'Image with a caption')
        c.eq(r.returncode, 0, 'post edit --title (stderr %r)' % r.stderr)
        con.close()
        con = db(s)
        q = lambda sql, *a: con.execute(sql, a).fetchall()
        c.eq(q('SELECT body_html FROM post_bodies WHERE post_id = ?', pid)[0][0], html_before,
             'body_html after editing the title')
        # and a re-run puts the WordPress title back (the export is the source)
        r = s.cli('import', 'wordpress', WXR)
        c.eq(summary(r.stdout)['posts'].get('updated'), 1, 're-run after an edit updates it')

    with c.section('export, then import into an empty site: the same site'):
        r = s.cli('export', 'wordpress')
        c.eq(r.returncode, 0, 'export exit (stderr %r)' % r.stderr[-300:])
        exported = write('export.xml', r.stdout)
        x = ET.parse(exported).getroot()
        c.eq(x.tag, 'rss', 'the export is RSS')
        xch = x.find('channel')
        c.eq(xch.find('{http://wordpress.org/export/1.2/}wxr_version').text, '1.2', 'WXR version')
        xitems = xch.findall('item')
        xtypes = {}
        for i in xitems:
            t = i.find('{http://wordpress.org/export/1.2/}post_type').text
            xtypes[t] = xtypes.get(t, 0) + 1
        c.eq(xtypes, {'post': 58, 'page': 21, 'nav_menu_item': 23},
             'items exported (58 posts, 21 pages and the 23 items of the menu)')
        c.eq(len(xch.findall('{http://wordpress.org/export/1.2/}category')), 68, 'categories exported')
        c.eq(len(xch.findall('{http://wordpress.org/export/1.2/}tag')), 114, 'tags exported')
        c.eq(sum(len(i.findall('{http://wordpress.org/export/1.2/}comment')) for i in xitems), 33,
             'comments exported')
        with Site(serve=False) as s2:
            r = s2.cli('import', 'wordpress', exported)
            c.eq(r.returncode, 0, 'importing the export (stderr %r)' % r.stderr[-300:])
            a, b = site_contents(s), site_contents(s2)
            for name in a:
                c.eq(len(b[name]), len(a[name]), 'round trip: number of %s' % name)
                diff = [k for k in a[name] if a[name][k] != b[name].get(k)]
                c.eq(diff[:5], [], 'round trip: %s that differ' % name)

    with c.section('bad files are refused with the line, the site unchanged'):
        good = open(WXR, encoding='utf-8').read()
        lines = good.split('\n')
        # a mismatched end tag in the middle of an item
        k = next(i for i, l in enumerate(lines) if i > 3000 and l.strip() == '</item>')
        broken = lines[:k] + ['</itme>'] + lines[k + 1:]
        trunc = good[:len(good) // 2]
        trunc_line = trunc.count('\n') + 1
        rss_line = next(i for i, l in enumerate(lines) if l.startswith('<rss')) + 1
        dup_item = ('<item><title>x</title><wp:post_id>1241</wp:post_id>'
                    '<wp:post_type>post</wp:post_type></item>')
        k2 = next(i for i, l in enumerate(lines) if i > 4000 and l.strip() == '<item>')
        dup = lines[:k2] + [dup_item] + lines[k2:]
        cases = [
            ('malformed.xml', '\n'.join(broken), k + 1, 'malformed XML'),
            ('truncated.xml', trunc, trunc_line, 'malformed XML'),
            ('wrongns.xml', good.replace('https://wordpress.org/export/1.2/"',
                                         'https://wordpress.org/export/2.0/"'), rss_line,
             'not a WordPress export'),
            ('notrss.xml', '<?xml version="1.0"?>\n<feed>\n</feed>\n', 2, 'not a WordPress export'),
            ('empty.xml', '', 1, 'malformed XML'),
            ('dup.xml', '\n'.join(dup), None, 'duplicate post id 1241 (first at line %d)' % (k2 + 1)),
            ('noid.xml', good.replace('<wp:post_id>1241</wp:post_id>', ''), None,
             'no numeric <wp:post_id>'),
        ]
        base = snapshot(s)
        for name, text, line, words in cases:
            r = s.cli('import', 'wordpress', write(name, text))
            c.ok(r.returncode != 0, '%s: exit %s' % (name, r.returncode))
            c.ok(words in r.stderr, '%s: %r in %r' % (name, words, r.stderr[:300]))
            if line is not None:
                c.ok('%s:%d:' % (name, line) in r.stderr,
                     '%s: line %d named in %r' % (name, line, r.stderr[:300]))
            else:
                c.ok(':' in r.stderr.split(name, 1)[-1][:8], '%s: a line named' % name)
            c.ok('nothing was imported' in r.stderr, '%s: says nothing was imported' % name)
            c.eq(snapshot(s), base, '%s: the database' % name)
    con.close()

# small crafted exports into a fresh site
SMALL = '''<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.0/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.0/">
<channel>
<title>Old Blog</title><link>http://old.example.org</link>
<wp:wxr_version>1.0</wp:wxr_version>
<wp:base_blog_url>http://old.example.org</wp:base_blog_url>
<wp:category><wp:category_nicename>world</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[World]]></wp:cat_name></wp:category>
<wp:category><wp:category_nicename>europe</wp:category_nicename><wp:category_parent>world</wp:category_parent><wp:cat_name><![CDATA[Europe]]></wp:cat_name></wp:category>
<item>
<title>Hostile &amp; friends</title>
<link>http://old.example.org/archives/7</link>
<dc:creator>editor</dc:creator>
<content:encoded><![CDATA[First line
second line

<script>alert(1)</script><img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">click</a>
<iframe src="https://evil.example/"></iframe>[unknownthing a=1]]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>7</wp:post_id>
<wp:post_date>2009-03-04 05:06:07</wp:post_date>
<wp:post_date_gmt>2009-03-04 10:06:07</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:post_name>hostile-friends</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="europe"><![CDATA[Europe]]></category>
<wp:comment><wp:comment_id>11</wp:comment_id><wp:comment_author>Ann</wp:comment_author>
<wp:comment_author_email>ann@example.org</wp:comment_author_email>
<wp:comment_author_url>http://ann.example.org/</wp:comment_author_url>
<wp:comment_author_IP>192.0.2.7</wp:comment_author_IP>
<wp:comment_date_gmt>2009-03-05 00:00:01</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Nice <b>post</b><script>x()</script>]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>12</wp:comment_id><wp:comment_author>Bob</wp:comment_author>
<wp:comment_author_email>bob@example.org</wp:comment_author_email>
<wp:comment_author_IP>2001:db8::1</wp:comment_author_IP>
<wp:comment_date_gmt>2009-03-06 00:00:02</wp:comment_date_gmt>
<wp:comment_content>Reply</wp:comment_content>
<wp:comment_approved>spam</wp:comment_approved><wp:comment_parent>11</wp:comment_parent></wp:comment>
</item>
</channel>
</rss>
'''

with Site() as s:
    with c.section('WXR 1.0 over http, hostile HTML, comment fields'):
        path = write('small.xml', SMALL)
        r = s.cli('import', 'wordpress', path)
        c.eq(r.returncode, 0, 'small import exit (stderr %r)' % r.stderr)
        c.ok('WXR 1.0' in r.stdout, 'the summary names the version')
        c.ok('line 11:' in r.stderr and 'unsafe' in r.stderr,
             'the hostile item is reported with its line: %r' % r.stderr)
        c.ok('[unknownthing]' in r.stdout, 'the unknown shortcode is listed: %r' % r.stdout)
        con = db(s)
        q = lambda sql, *a: con.execute(sql, a).fetchall()
        (html,) = q('SELECT body_html FROM post_bodies')[0]
        for bad in ('<script', 'onerror', 'javascript:', '<iframe'):
            c.ok(bad not in html, '%r removed from %r' % (bad, html))
        c.ok('<p>First line<br />' in html.replace('<br>', '<br />'),
             'autop made a paragraph with a line break: %r' % html)
        c.ok('[unknownthing a=1]' in html, 'the unknown shortcode is visible')
        c.eq(q('SELECT c.path FROM posts p JOIN categories c ON c.id = p.category_id'),
             [('world/europe',)], 'the post in the sub-category')
        c.eq(q('SELECT published_at FROM posts'), [(calendar.timegm((2009, 3, 4, 10, 6, 7)),)],
             'the GMT date')
        rows = q('SELECT author_name, author_email, author_url, author_ip, status, '
                 'created_at, parent_id != 0, body_html FROM comments ORDER BY id')
        c.eq(rows[0][:7], ('Ann', 'ann@example.org', 'http://ann.example.org/', '192.0.2.7',
                          'approved', calendar.timegm((2009, 3, 5, 0, 0, 1)), 0),
             'the first comment')
        c.ok('<script' not in rows[0][7] and '<b>post</b>' in rows[0][7],
             'comment HTML sanitized: %r' % rows[0][7])
        c.eq(rows[1][:7], ('Bob', 'bob@example.org', '', '2001:db8::1', 'spam',
                          calendar.timegm((2009, 3, 6, 0, 0, 2)), 1),
             'the reply, kept as spam')
        c.eq(q("SELECT login, pwhash FROM users"), [('editor', '')],
             'the author named only by dc:creator')
        con.close()
        st, loc, st2 = follow(s, '/archives/7/')
        c.eq((st, loc, st2), (301, '/2009/03/hostile-friends/', 200), 'the old /archives/7 URL')
        c.eq(follow(s, '/?p=7'), (301, '/2009/03/hostile-friends/', 200), '?p=7')


# --- attachments, menus and old archive URLs --------------------------------
def png(path, w, h):
    """A w x h RGB PNG, written without any imaging library."""
    import struct
    import zlib
    row = bytes([0]) + bytes((x * 7 + y) % 256 for x in range(w) for y in (0, 1, 2))
    raw = row * h

    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    data = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def jpeg(path, w, h):
    """A w x h JPEG made by the vips CLI (`make deps` installs it), else a PNG
    under the .jpg name (the type comes from the bytes, never the name)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + '.src.png'
    png(tmp, w, h)
    try:
        r = subprocess.run(['vips', 'copy', tmp, path + '[Q=80]'], capture_output=True)
        ok = r.returncode == 0
    except OSError:
        ok = False
    if not ok:
        os.replace(tmp, path)
    elif os.path.exists(tmp):
        os.remove(tmp)


OLD = 'http://old.example.org'
UP = OLD + '/wp-content/uploads/'


def att(pid, file, alt='', meta_file=True, date='2019-04-02 09:00:00'):
    metas = ('<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>%s'
             '</wp:meta_value></wp:postmeta>' % file if meta_file else '')
    if alt:
        metas += ('<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>'
                  '<wp:meta_value>%s</wp:meta_value></wp:postmeta>' % alt)
    return ('<item><title>%s</title><link>%s/?attachment_id=%d</link><dc:creator>ed</dc:creator>'
            '<wp:post_id>%d</wp:post_id><wp:post_date_gmt>%s</wp:post_date_gmt>'
            '<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>'
            '<wp:attachment_url>%s%s</wp:attachment_url>%s</item>\n'
            % (os.path.basename(file), OLD, pid, pid, date, UP, file, metas))


def menu_item(pid, title, order, typ, obj, obj_id, url='', parent=0, menu='main'):
    m = lambda k, v: ('<wp:postmeta><wp:meta_key>%s</wp:meta_key><wp:meta_value><![CDATA[%s]]>'
                      '</wp:meta_value></wp:postmeta>' % (k, v))
    return ('<item><title><![CDATA[%s]]></title><wp:post_id>%d</wp:post_id>'
            '<wp:menu_order>%d</wp:menu_order><wp:post_type>nav_menu_item</wp:post_type>'
            '<wp:status>publish</wp:status>'
            '<category domain="nav_menu" nicename="%s"><![CDATA[%s]]></category>%s%s%s%s%s</item>\n'
            % (title, pid, order, menu, menu, m('_menu_item_type', typ),
               m('_menu_item_object', obj), m('_menu_item_object_id', obj_id),
               m('_menu_item_url', url), m('_menu_item_menu_item_parent', parent)))


MEDIA_WXR = ('''<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Old Harbour News</title><link>%(old)s</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>%(old)s</wp:base_blog_url>
<wp:author><wp:author_login>ed</wp:author_login><wp:author_email>ed@old.example.org</wp:author_email></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>News</wp:cat_name></wp:category>
<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>local</wp:category_nicename><wp:category_parent>news</wp:category_parent><wp:cat_name>Local</wp:cat_name></wp:category>
<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename>cafe</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Cafe</wp:cat_name></wp:category>
<wp:category><wp:term_id>6</wp:term_id><wp:category_nicename>caf%%c3%%a9</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Caf\u00e9</wp:cat_name></wp:category>
<wp:tag><wp:term_id>7</wp:term_id><wp:tag_slug>boats</wp:tag_slug><wp:tag_name>Boats</wp:tag_name></wp:tag>
<wp:tag><wp:term_id>8</wp:term_id><wp:tag_slug>b%%c3%%b6ats</wp:tag_slug><wp:tag_name>B\u00f6ats</wp:tag_name></wp:tag>
<wp:term><wp:term_id>9</wp:term_id><wp:term_taxonomy>nav_menu</wp:term_taxonomy><wp:term_slug>main</wp:term_slug><wp:term_name>Main</wp:term_name></wp:term>
''' % {'old': OLD}) + att(20, '2019/04/harbour.jpg', alt='The harbour at dawn') + \
    att(21, '2019/04/chart.png', meta_file=False) + att(22, '2019/05/missing.jpg') + \
    att(23, '2019/05/minutes.pdf') + att(24, '2019/06/crane-scaled.jpg') + \
    att(25, '../../etc/passwd') + '''<item>
<title>The harbour reopens</title><link>%(old)s/2019/04/harbour-reopens/</link>
<dc:creator>ed</dc:creator>
<content:encoded><![CDATA[<img src="%(up)s2019/04/harbour-300x200.jpg" width="300" height="200" alt="harbour"> <a href="%(up)s2019/04/harbour-768x512.jpg">larger</a> <img src='/wp-content/uploads/2019/04/harbour.jpg'>

A chart: <a href="%(up)s2019/04/chart.png"><img src="//old.example.org/wp-content/uploads/2019/04/chart-150x75.png"></a>

Lost: <img src="%(up)s2019/05/missing.jpg"> and <a href="%(up)s2019/05/minutes.pdf">the minutes</a>, the crane <img src="%(up)s2019/06/crane-1024x683.jpg">]]></content:encoded>
<wp:post_id>10</wp:post_id><wp:post_date_gmt>2019-04-03 10:00:00</wp:post_date_gmt>
<wp:post_name>harbour-reopens</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="local">Local</category>
<category domain="post_tag" nicename="b%%c3%%b6ats">B\u00f6ats</category>
<category domain="post_tag" nicename="boats">Boats</category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>20</wp:meta_value></wp:postmeta>
</item>
<item>
<title>Caf\u00e9 opens</title><link>%(old)s/2019/04/cafe-opens/</link><dc:creator>ed</dc:creator>
<content:encoded>Coffee.</content:encoded>
<wp:post_id>11</wp:post_id><wp:post_date_gmt>2019-04-04 10:00:00</wp:post_date_gmt>
<wp:post_name>cafe-opens</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="caf%%c3%%a9">Caf\u00e9</category>
<category domain="category" nicename="cafe">Cafe</category>
</item>
<item>
<title>About us</title><link>%(old)s/about-us/</link><dc:creator>ed</dc:creator>
<content:encoded>We are the news.</content:encoded>
<wp:post_id>12</wp:post_id><wp:post_date_gmt>2019-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>about</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type>
</item>
''' % {'old': OLD, 'up': UP} + \
    menu_item(30, '', 1, 'post_type', 'page', 12) + \
    menu_item(31, 'Q&A <b>', 2, 'taxonomy', 'category', 3) + \
    menu_item(32, 'More', 3, 'custom', 'custom', 32, url='#') + \
    menu_item(33, 'Boats', 1, 'taxonomy', 'post_tag', 7, parent=32) + \
    menu_item(34, 'Old about', 2, 'custom', 'custom', 34, url=OLD + '/about-us/', parent=32) + \
    menu_item(35, 'Elsewhere', 4, 'custom', 'custom', 35, url='https://example.net/x?a=1&b=2') + \
    menu_item(36, 'Evil', 5, 'custom', 'custom', 36, url='javascript:alert(1)') + \
    menu_item(37, 'Gone', 6, 'post_type', 'post', 999) + \
    menu_item(40, 'Footer link', 1, 'custom', 'custom', 40, url='/', menu='footer') + \
    '</channel>\n</rss>\n'

UPLOADS = os.path.join(TMP, 'uploads')
jpeg(os.path.join(UPLOADS, '2019/04/harbour.jpg'), 900, 600)
png(os.path.join(UPLOADS, '2019/04/chart.png'), 200, 100)
jpeg(os.path.join(UPLOADS, '2019/06/crane-scaled.jpg'), 1500, 1000)
os.makedirs(os.path.join(UPLOADS, '2019/05'), exist_ok=True)
with open(os.path.join(UPLOADS, '2019/05/minutes.pdf'), 'wb') as f:
    f.write(b'%PDF-1.4\n% not an image\n')


def location_path(h):
    return urllib.parse.urlsplit(h.get('location', '')).path


with Site() as s:
    mwxr = write('media.xml', MEDIA_WXR)
    # the site had a top-level "local" already: the file's news/local merges into it
    cli_ok(c, s.cli('category', 'add', 'Local', '--slug', 'local'), 'category add local')
    with c.section('a dry run with --media-dir checks the files, writes nothing'):
        before = snapshot(s)
        r = s.cli('import', 'wordpress', mwxr, '--media-dir', UPLOADS, '--dry-run')
        c.eq(r.returncode, 0, 'dry run exit (stderr %r)' % r.stderr[-400:])
        c.eq(summary(r.stdout)['media'].get('created'), 3, 'media that would be created')
        c.eq(snapshot(s), before, 'the database after the dry run')
        c.ok(not os.path.exists(os.path.join(s.dir, 'media', '2019')), 'no media files written')

    with c.section('attachments with --media-dir'):
        r = s.cli('import', 'wordpress', mwxr, '--media-dir', UPLOADS)
        c.eq(r.returncode, 0, 'import exit (stderr %r)' % r.stderr[-600:])
        sm = summary(r.stdout)
        c.eq(sm['media'].get('created'), 3, 'media created: %r' % sm.get('media'))
        c.eq(sm['media'].get('skipped'), 3, 'media skipped (missing, not an image, outside)')
        c.eq(sm['attachments'].get('in the file'), 6, 'attachments in the file')
        lines = MEDIA_WXR.split('\n')
        for name, why in (('2019/05/missing.jpg', 'no such file'),
                          ('2019/05/minutes.pdf', 'not a JPEG, PNG, GIF or WebP'),
                          ('../../etc/passwd', 'not a path under the uploads folder')):
            ln = next(i for i, l in enumerate(lines) if name + '<' in l or name + '</' in l) + 1
            hit = [l for l in r.stderr.splitlines() if 'line %d:' % ln in l]
            c.ok(hit and why in hit[0], 'warning for %s at line %d saying %r: %r'
                 % (name, ln, why, r.stderr[-800:]))
        c.ok("menu item 36 'Evil'" in r.stderr and "menu item 37 'Gone'" in r.stderr,
             'menu items skipped with a warning each: %r' % r.stderr[-600:])
        con = db(s)
        q = lambda sql, *a: con.execute(sql, a).fetchall()
        rows = q('SELECT id, path, orig_name, mime, width, height, alt, uploaded_at FROM media '
                 'ORDER BY id')
        c.eq([(r_[2], r_[4], r_[5]) for r_ in rows],
             [('harbour.jpg', 900, 600), ('chart.png', 200, 100), ('crane-scaled.jpg', 1500, 1000)],
             'media rows (name, size)')
        c.ok(rows[0][1].startswith('2019/04/harbour-'), 'filed under the attachment\'s month: %s'
             % rows[0][1])
        c.eq(rows[0][6], 'The harbour at dawn', 'alt text from _wp_attachment_image_alt')
        c.eq(rows[0][7], calendar.timegm((2019, 4, 2, 9, 0, 0)), 'uploaded_at = the attachment date')
        c.eq(q('SELECT count(*) FROM media_variants WHERE media_id = ?', rows[0][0])[0][0], 2,
             'harbour: the 320 and 768 variants')
        for r_ in rows:
            c.ok(os.path.isfile(os.path.join(s.dir, 'media', r_[1])), 'file %s stored' % r_[1])
        harbour = '/media/' + rows[0][1]
        hv = dict(q('SELECT width, path FROM media_variants WHERE media_id = ?', rows[0][0]))
        crane = dict(q('SELECT width, path FROM media_variants WHERE media_id = ?', rows[2][0]))
        pid, feat = q("SELECT id, featured_media_id FROM posts WHERE slug = 'harbour-reopens'")[0]
        c.eq(feat, rows[0][0], 'featured image from _thumbnail_id')
        (html,) = q('SELECT body_html FROM post_bodies WHERE post_id = ?', pid)[0]
        c.ok('src="/media/%s"' % hv[320] in html, '-300x200 became the 320 variant: %r' % html)
        c.ok('href="/media/%s"' % hv[768] in html, '-768x512 became the 768 variant')
        c.ok('src="%s"' % harbour in html, 'the root-relative original became the original')
        c.ok('href="/media/%s"' % rows[1][1] in html and 'src="/media/%s"' % rows[1][1] in html,
             'the chart (smaller than any variant) and its -150x75 copy: the original')
        c.ok('src="/media/%s"' % crane[1280] in html, 'crane-1024x683 (of a -scaled file): 1280')
        c.ok(UP + '2019/05/missing.jpg' in html and UP + '2019/05/minutes.pdf' in html,
             'URLs of files not imported stay as they were')
        c.eq(sm['attachments'].get('URLs in bodies pointed at the media library'),
             6, 'URLs rewritten, counted')
        con.close()

    with c.section('imported files over HTTP'):
        st, h, _ = s.get('/wp-content/uploads/2019/04/harbour.jpg')
        c.eq((st, location_path(h)), (301, harbour), '/wp-content/uploads/ original')
        st, h, body = s.get(harbour)
        c.eq((st, h.get('content-type')), (200, 'image/jpeg' if open(
            os.path.join(UPLOADS, '2019/04/harbour.jpg'), 'rb').read(2) == b'\xff\xd8' else 'image/png'),
            'the media URL serves the image')
        st, h, _ = s.get('/wp-content/uploads/2019/04/harbour-150x150.jpg')
        c.eq((st, location_path(h)), (301, '/media/' + hv[320]), 'a size copy: the closest variant')
        st, h, _ = s.get('/wp-content/uploads/2019/06/crane-scaled.jpg')
        c.eq(st, 301, 'a -scaled file')
        for gone in ('/wp-content/uploads/2019/05/missing.jpg', '/wp-content/uploads/2019/05/minutes.pdf',
                     '/wp-content/uploads/nothing.jpg', '/wp-content/uploads/2019/04/harbour.jpg/x'):
            c.eq(s.get(gone)[0], 404, '%s is 404' % gone)
        c.ok(s.get('/wp-content/uploads/%2e%2e/gazette.db')[0] in (400, 404), 'no way out')
        _, page = s.text('/2019/04/harbour-reopens/')
        c.ok(harbour in page and 'alt="The harbour at dawn"' in page,
             'the article shows its featured image with the alt text')

    with c.section('old category and tag URLs, slug collisions'):
        con = db(s)
        q = lambda sql, *a: con.execute(sql, a).fetchall()
        cats = dict(q('SELECT slug, path FROM categories'))
        c.eq(cats.get('local'), 'local', 'news/local merged into the site\'s top-level local')
        c.eq(sorted(k for k in cats if k.startswith('cafe')), ['cafe', 'cafe-2'],
             'caf\u00e9 and cafe: the second to come gets a suffix')
        tags = sorted(r_[0] for r_ in q('SELECT slug FROM tags'))
        c.eq(tags, ['boats', 'boats-2'], 'b\u00f6ats and boats: a suffix')
        cafe_acc = q("SELECT c.slug FROM import_map m JOIN categories c ON c.id = m.local_id "
                     "WHERE m.kind = 'category' AND m.wp_id = 'caf%c3%a9'")[0][0]
        boats_acc = q("SELECT t.slug FROM import_map m JOIN tags t ON t.id = m.local_id "
                      "WHERE m.kind = 'tag' AND m.wp_id = 'b%c3%b6ats'")[0][0]
        con.close()
        for old, new in (('/category/news/local/', '/category/local/'),
                         ('/category/news/local/feed/', '/category/local/feed/'),
                         ('/category/news/local/feed/atom/', '/category/local/feed/atom/'),
                         ('/category/caf%C3%A9/', '/category/%s/' % cafe_acc),
                         ('/category/caf%C3%A9/feed/', '/category/%s/feed/' % cafe_acc),
                         ('/tag/b%C3%B6ats/', '/tag/%s/' % boats_acc),
                         ('/tag/b%C3%B6ats/feed/', '/tag/%s/feed/' % boats_acc)):
            c.eq(follow(s, old), (301, new, 200), old)
        for same in ('/category/news/', '/category/local/', '/tag/boats/'):
            c.eq(s.get(same)[0], 200, '%s is the same URL here' % same)
        c.eq(s.get('/category/nothing/here/')[0], 404, 'an unknown category is still 404')
        c.eq(s.get('/tag/nothing/')[0], 404, 'an unknown tag is still 404')

    with c.section('the menu'):
        r = s.cli('menu', 'list')
        rows = [l.split('\t') for l in r.stdout.splitlines()]
        c.eq([(x[2], x[4]) for x in rows],
             [('post', ''), ('category', 'Q&A <b>'), ('url', 'More'), ('url', 'Boats'),
              ('url', 'Old about'), ('url', 'Elsewhere')], 'menu list (kind, label), in tree order')
        st, page = s.text('/')
        nav = page[page.index('<nav class="site-nav"'):page.index('</nav>')]
        for want in ('<a href="/about/">About us</a>',
                     '<a href="/category/news/">Q&amp;A &lt;b&gt;</a>',
                     '<summary>More</summary>', '<a href="/tag/boats/">Boats</a>',
                     '<a href="/about/">Old about</a>',
                     '<a href="https://example.net/x?a=1&amp;b=2">Elsewhere</a>'):
            c.ok(want in nav, 'the menu has %r: %r' % (want, nav))
        c.ok(nav.index('About us') < nav.index('Q&amp;A') < nav.index('More') <
             nav.index('Elsewhere'), 'in the file\'s order')
        c.ok('javascript' not in nav and 'Evil' not in nav and 'Gone' not in nav,
             'no javascript: link, nothing for a target not imported')
        c.ok('<script' not in nav and '<b>' not in nav, 'labels escaped')
        _, about = s.text('/about/')
        c.ok('aria-current="page">About us' in about, 'the current page is marked in the menu')

    with c.section('a re-run with the media changes nothing'):
        mid = snapshot(s)
        r = s.cli('import', 'wordpress', mwxr, '--media-dir', UPLOADS)
        sm = summary(r.stdout)
        c.eq(r.returncode, 0, 're-run exit')
        c.eq((sm['media'].get('created'), sm['media'].get('unchanged')), (0, 3), 're-run media')
        c.eq((sm['menu items'].get('created'), sm['menu items'].get('updated'),
              sm['menu items'].get('unchanged')), (0, 0, 6), 're-run menu')
        c.eq(snapshot(s), mid, 'the database (and its change log) after the re-run')
        c.eq(len(os.listdir(os.path.join(s.dir, 'media', '2019', '04'))), 8,
             'no file copied twice (harbour and 2 variants, chart, crane and 3 variants)')

    with c.section('--menu picks another menu; no --media-dir reports the attachments'):
        with Site(serve=False) as s3:
            r = s3.cli('import', 'wordpress', mwxr, '--menu', 'footer')
            c.eq(r.returncode, 0, 'exit')
            c.ok('menu\tfooter\t' in r.stdout and 'main (8)' in r.stdout,
                 'the footer menu, the other named: %r' % r.stdout)
            c.eq(summary(r.stdout)['media'].get('skipped'), 6, 'attachments reported as skipped')
            c.ok('media dir\tnone' in r.stdout, 'and why')
            c.eq(s3.cli('menu', 'list').stdout, '1\t0\turl\t/\tFooter link\n', 'the footer menu')
            r = s3.cli('import', 'wordpress', mwxr, '--menu', 'nosuch')
            c.eq(r.returncode, 0, '--menu nosuch: exit 0')
            c.ok("warning: no menu 'nosuch' in the file" in r.stderr, 'a warning: %r' % r.stderr)
            c.eq(s3.cli('menu', 'list').stdout, '1\t0\turl\t/\tFooter link\n', 'menu unchanged')
            cli_ok(c, s3.cli('menu', 'clear'), 'menu clear')
            c.eq(s3.cli('menu', 'list').stdout, '', 'no menu set: the default shows')

    with c.section('export with media and menu, import into an empty site'):
        r = s.cli('export', 'wordpress')
        c.eq(r.returncode, 0, 'export exit (stderr %r)' % r.stderr[-300:])
        exported = write('media-export.xml', r.stdout)
        x = ET.parse(exported).getroot().find('channel')
        W = '{http://wordpress.org/export/1.2/}'
        types = [i.find(W + 'post_type').text for i in x.findall('item')]
        c.eq((types.count('attachment'), types.count('nav_menu_item')), (3, 6),
             'attachments and menu items exported')
        with Site() as s2:
            r = s2.cli('import', 'wordpress', exported, '--media-dir', os.path.join(s.dir, 'media'))
            c.eq(r.returncode, 0, 'importing the export (stderr %r)' % r.stderr[-400:])
            a, b = site_contents(s), site_contents(s2)
            for name in a:
                c.eq(len(b[name]), len(a[name]), 'round trip: number of %s' % name)
                diff = [(k, a[name][k], b[name].get(k)) for k in a[name] if a[name][k] != b[name].get(k)]
                c.eq(diff[:3], [], 'round trip: %s that differ' % name)
            _, page = s2.text('/2019/04/harbour-reopens/')
            imgs = re.findall(r'src="(/media/[^"]+)"', page)
            c.ok(imgs and all(s2.get(u)[0] == 200 for u in imgs),
                 'the re-imported article\'s images are served: %r' % imgs)



def measured_import(s, path):
    """Run the import: (exit status, peak RSS in KiB, seconds). The peak is
    the process's VmHWM, sampled every 10 ms (it only grows, so the last
    sample is at most 10 ms short); ru_maxrss would also count the Python
    process the child was forked from."""
    t0 = time.monotonic()
    p = subprocess.Popen([GAZETTE, '--site', s.dir, 'import', 'wordpress', path],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while p.poll() is None:
        try:
            with open('/proc/%d/status' % p.pid) as f:
                for line in f:
                    if line.startswith('VmHWM:'):
                        peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.01)
    return p.returncode, peak, time.monotonic() - t0


with c.section('memory stays bounded whatever the file size'):
    # The same 60 posts, then a file 10 times as large: the reader keeps one
    # item at a time, so peak RSS must not follow the file. The extra bulk
    # is attachment items (read through, counted, skipped by this version),
    # so that the test stays quick: writing posts costs the same in both.
    small, large = write('gen-small.xml', ''), write('gen-large.xml', '')
    generate(small, 60, paras=30)
    generate(large, 60, paras=30, attachments=600)
    sizes = os.path.getsize(small), os.path.getsize(large)
    with Site(serve=False) as s1, Site(serve=False) as s2:
        rc1, rss1, t1 = measured_import(s1, small)
        rc2, rss2, t2 = measured_import(s2, large)
    print('test_import: %.1f MB file: peak RSS %d KiB, %.1f s; %.1f MB file: peak RSS %d KiB, '
          '%.1f s (%.1f MB/s)' % (sizes[0] / 1e6, rss1, t1, sizes[1] / 1e6, rss2, t2,
                                  sizes[1] / 1e6 / t2 if t2 else 0), flush=True)
    c.eq((rc1, rc2), (0, 0), 'both imports exit 0')
    with open(GAZETTE, 'rb') as f:
        sanitizer_build = b'__asan_init' in f.read()
    if sanitizer_build:  # ASan's shadow memory and quarantine say nothing about ours
        print('test_import: ASan build, peak RSS not asserted', flush=True)
    else:
        c.ok(rss2 < 64 * 1024, 'peak RSS %d KiB under 64 MiB' % rss2)
        c.ok(rss2 - rss1 < (sizes[1] - sizes[0]) / 1024 / 8,
             'peak RSS grew %d KiB for %d KiB more file (must be far less)' % (
                 rss2 - rss1, (sizes[1] - sizes[0]) / 1024))

c.finish()
