"""test_export_wp.py - `gazette export wordpress` checked against what
WordPress's importer plugin reads and requires (wxr_accept.py mirrors it).

Imports the Theme Unit Test export into a fresh site, adds what it lacks (a
threaded reply, a pending and a spam comment, a scheduled post, a sticky
post, non-ASCII titles, a page under a page, a menu item under another via
`gazette menu add`), exports, and asserts wxr_accept finds no error and no
warning beyond the expected ones, and that what it reads (posts by type and
status, titles, sticky, page parents, categories with parents, tags,
comments with parents and statuses, menu items with parents, authors) is
what the site's database holds. Then broken copies of the export (no
wxr_version, version 9.9, an undeclared category, a missing comment parent,
and a few more) prove the checker reports what it should.
"""
import collections
import os
import re
import tempfile
import urllib.parse

from harness import Checks, Site, cli_ok, id_url, testdata
from test_comments import post as post_comment, token_for
import wxr_accept

HERE = os.path.dirname(os.path.abspath(__file__))
c = Checks('test_export_wp')
MENU_ID = 2000000000   # EXPORT_MENU_ID in src/import/export.h
STATUS = {'published': 'publish', 'scheduled': 'future', 'draft': 'draft',
          'pending': 'pending', 'private': 'private', 'trash': 'trash'}
APPROVED = {'approved': '1', 'pending': '0', 'spam': 'spam', 'trash': 'trash'}
# what any export of a site with media says; nothing else may be warned about
EXPECTED_WARNINGS = ('attachment:',)


WXR_NAME = 'themeunittestdata.wordpress.xml'


def wxr_file():
    return os.path.join(testdata('test_export_wp', 'wxr', WXR_NAME), WXR_NAME)


TMP = tempfile.mkdtemp(prefix='gazette-export-wp-')


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def site_state(s):
    con = s.db()  # SQLite or PostgreSQL, whichever the site uses
    q = lambda sql: con.execute(sql).fetchall()
    try:
        return {
            'posts': collections.Counter({(t, STATUS[st]): n for t, st, n in q(
                'SELECT type, status, count(*) FROM posts GROUP BY 1, 2')}),
            'titles': dict(q('SELECT id, title FROM posts')),
            'sticky': {r[0] for r in q('SELECT id FROM posts WHERE type = \'post\' AND '
                                        '(CASE WHEN sticky THEN 1 ELSE 0 END) = 1')},
            'page_parents': dict(q('SELECT id, parent_id FROM posts WHERE parent_id > 0')),
            'categories': dict(q('SELECT c.slug, coalesce(p.slug, \'\') FROM categories c '
                                 'LEFT JOIN categories p ON p.id = c.parent_id')),
            'tags': {r[0] for r in q('SELECT slug FROM tags')},
            'comments': q('SELECT count(*) FROM comments')[0][0],
            'comment_status': collections.Counter({APPROVED[st]: n for st, n in q(
                'SELECT status, count(*) FROM comments GROUP BY 1')}),
            'comment_parents': {(p, i): par for i, p, par in q(
                'SELECT id, post_id, parent_id FROM comments WHERE parent_id > 0')},
            'menu': {MENU_ID + i: (MENU_ID + p if p else 0) for i, p in q(
                'SELECT id, parent_id FROM menu_items')},
            'authors': {r[0] for r in q('SELECT login FROM users')},
        }
    finally:
        con.close()


def has(msgs, code):
    return any(m.startswith(code + ':') for m in msgs)


with Site() as s:
    with c.section('a site from the Theme Unit Test, plus what it lacks'):
        r = s.cli('import', 'wordpress', wxr_file())
        c.eq(r.returncode, 0, 'import exit (stderr %r)' % r.stderr[-300:])
        for k, v in [('comments_min_seconds', '0'), ('comments_spam_min', '0'),
                     ('comments_rate_ip', '1000'), ('comments_rate_net', '1000')]:
            cli_ok(c, s.cli('settings', 'set', k, v), 'settings set ' + k)
        r = s.cli('post', 'add', '--title', 'Ça marche: 東京の朝 — ünïcödé', '--status', 'published',
                  '--sticky', '--date', '2026-01-10T09:00:00Z', input='Sticky and non-ASCII.')
        pid, url = id_url(cli_ok(c, r, 'sticky non-ASCII post'))
        pid = int(pid)
        r = s.cli('post', 'add', '--title', 'Αύριο: scheduled', '--status', 'scheduled',
                  '--date', '2099-06-01T08:00:00Z', input='Later.')
        cli_ok(c, r, 'scheduled post')
        r = s.cli('page', 'add', '--title', 'Über uns', '--slug', 'ueber-uns', '--status',
                  'published', input='About.')
        top_page = int(cli_ok(c, r, 'page').split('\t')[0])
        r = s.cli('page', 'add', '--title', 'Équipe', '--slug', 'equipe', '--parent',
                  'ueber-uns', '--status', 'published', input='Team.')
        child_page = int(cli_ok(c, r, 'child page').split('\t')[0])
        ids = []
        for i, (text, parent) in enumerate([('First comment.', None), ('A reply.', 0),
                                            ('Hold me.', None), ('Buy pills.', None)]):
            st, _, _ = post_comment(s, url, token_for(s, url), comment=text,
                                    name='Reader %d' % i, email='r%d@example.org' % i,
                                    parent=str(ids[parent]) if parent is not None else '')
            c.ok(st in (200, 303), 'comment %r posted (%s)' % (text, st))
            rows = s.cli('comment', 'list', '--post', str(pid), '--limit', '0').stdout
            ids.append(max(int(l.split('\t')[0]) for l in rows.splitlines()))
            cli_ok(c, s.cli('comment', 'approve', str(ids[-1])), 'approve')
        cli_ok(c, s.cli('comment', 'unapprove', str(ids[2])), 'unapprove')
        cli_ok(c, s.cli('comment', 'spam', str(ids[3])), 'spam')
        r = s.cli('menu', 'add', 'Über uns', '--post', str(top_page))
        top_item = cli_ok(c, r, 'menu add').strip().split('\t')[0]
        r = s.cli('menu', 'add', 'Équipe', '--post', str(child_page), '--parent', top_item)
        cli_ok(c, r, 'menu add child')

    with c.section('the export, read the way the WordPress importer reads it'):
        r = s.cli('export', 'wordpress')
        c.eq(r.returncode, 0, 'export exit (stderr %r)' % r.stderr[-300:])
        text = r.stdout
        path = write('export.xml', text)
        errors, warnings, got = wxr_accept.check(path)
        c.eq(errors, [], 'no errors')
        c.eq([w for w in warnings if not w.startswith(EXPECTED_WARNINGS)], [],
             'no warnings beyond %s' % (EXPECTED_WARNINGS,))
        want = site_state(s)
        c.eq(got.get('version'), '1.2', 'WXR 1.2')
        c.eq(got.get('posts'), want['posts'], 'posts and pages by type and status')
        c.eq(got.get('titles'), want['titles'], 'titles (non-ASCII included)')
        c.eq(got.get('sticky'), want['sticky'], 'sticky posts')
        c.ok(pid in got.get('sticky', ()), 'the added sticky post is sticky')
        c.eq(got.get('page_parents'), want['page_parents'], 'page parents')
        c.eq(got.get('page_parents', {}).get(child_page), top_page, 'the added child page')
        c.eq(got.get('declared_categories'), want['categories'], 'categories with parents')
        c.eq(got.get('categories'), want['categories'], 'no category made on the fly')
        c.ok(sum(1 for v in want['categories'].values() if v) > 0, 'some categories are nested')
        c.eq(got.get('tags'), want['tags'], 'tags')
        c.eq(got.get('comments'), want['comments'], 'comments')
        c.eq(got.get('comment_status'), want['comment_status'], 'comments by status')
        c.ok(want['comment_status'].get('0') and want['comment_status'].get('spam'),
             'pending and spam comments are in the site')
        c.eq(got.get('comment_parents'), want['comment_parents'], 'comment threading')
        c.eq(got.get('comment_parents', {}).get((pid, ids[1])), ids[0], 'the added reply')
        menu = {k: v['parent'] for k, v in got.get('menu_items', {}).items()}
        c.eq(menu, want['menu'], 'menu items with parents')
        c.ok(any(v for v in menu.values()), 'the menu has nested items')
        c.eq(got.get('authors'), want['authors'], 'authors')
        posts = [p for p in got.get('titles', {})]
        c.ok(len(posts) > 80, 'the whole site is there (%d items)' % len(posts))

    with c.section('the checker reports broken exports'):
        WP = 'http://wordpress.org/export/1.2/'

        def broken(name, new, code, kind='error'):
            c.ok(new != text, '%s: the copy differs' % name)
            e, w, _ = wxr_accept.check(write(name + '.xml', new))
            c.ok(has(e if kind == 'error' else w, code),
                 '%s: %s %r reported (errors %r, warnings %r)' % (name, kind, code, e[:3], w[:3]))

        broken('no-version', re.sub(r'\s*<wp:wxr_version>1\.2</wp:wxr_version>', '', text),
               'wxr_version')
        broken('bad-version', text.replace('<wp:wxr_version>1.2<', '<wp:wxr_version>1.2b<'),
               'wxr_version')
        broken('version-9.9', text.replace('<wp:wxr_version>1.2<', '<wp:wxr_version>9.9<'),
               'wxr_version', 'warning')
        broken('no-wp-prefix', text.replace('xmlns:wp=', 'xmlns:wq=').replace('<wp:', '<wq:')
               .replace('</wp:', '</wq:'), 'namespace')
        broken('not-xml', text.replace('</channel>', '</chanel>'), 'xml')
        broken('doctype', text.replace('<rss', '<!DOCTYPE rss>\n<rss', 1), 'doctype')
        m = re.search(r'<category domain="category" nicename="([^"]+)"', text)
        broken('undeclared-category', text[:m.start(1)] + 'no-such-category' + text[m.end(1):],
               'category_undeclared')
        m = re.search(r'<wp:comment_parent>([1-9]\d*)</wp:comment_parent>', text)
        broken('missing-comment-parent', text[:m.start(1)] + '999999' + text[m.end(1):],
               'comment_parent')
        m = re.search(r'<wp:post_parent>([1-9]\d*)</wp:post_parent>', text)
        broken('missing-post-parent', text[:m.start(1)] + '999999' + text[m.end(1):],
               'post_parent')
        m = re.search(r'<dc:creator>([^<]+)</dc:creator>', text)
        broken('undeclared-author', text[:m.start(1)] + 'nobody' + text[m.end(1):], 'author')
        # the first category that has a parent, moved before every other category
        cats = re.findall(r'<wp:category>.*?</wp:category>\n', text, re.S)
        child = next(x for x in cats if re.search(r'<wp:category_parent>[^<]', x))
        first = text.index('<wp:category>')
        moved = text.replace(child, '', 1)
        broken('child-before-parent', moved[:first] + child + moved[first:], 'category_parent')
        m = re.search(r'<wp:meta_key>_menu_item_menu_item_parent</wp:meta_key>\s*'
                      r'<wp:meta_value>([1-9]\d*)</wp:meta_value>', text)
        broken('missing-menu-parent', text[:m.start(1)] + '7' + text[m.end(1):], 'menu_parent')
        broken('no-menu-term', re.sub(r'<wp:term>.*?</wp:term>\n', '', text, flags=re.S),
               'menu_term')
        m = re.search(r'<wp:post_id>(\d+)</wp:post_id>', text)
        n = re.search(r'<wp:post_id>(\d+)</wp:post_id>', text[m.end():])
        at = m.end() + n.start(1)
        broken('duplicate-post-id', text[:at] + m.group(1) + text[at + len(n.group(1)):],
               'duplicate_post_id')
        # tags numbered like the categories again: a menu item's category resolves to a tag
        tag_ids = re.findall(r'<wp:tag>\s*<wp:term_id>(\d+)</wp:term_id>', text)
        cat_ids = re.findall(r'<wp:category>\s*<wp:term_id>(\d+)</wp:term_id>', text)
        shared = text
        for t, k in zip(tag_ids, cat_ids):
            shared = shared.replace('<wp:term_id>%s</wp:term_id>' % t,
                                    '<wp:term_id>%s</wp:term_id>' % k, 1)
        broken('shared-term-ids', shared, 'term_id')
        broken('bad-approved', text.replace('<wp:comment_approved>1<',
                                            '<wp:comment_approved>approve<', 1),
               'comment_approved')

c.finish()
