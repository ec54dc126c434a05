"""Managing the site in the back office over real HTTP: categories (add,
rename, move, merge and delete with their posts relinked), tags (rename,
merge, delete), users (add, role, password, disable; no self-lockout) and
settings (saved whole or not at all), each refused to roles without the
right."""
import re

from harness import Checks, Site, cli_ok, id_url, poll
from test_admin import PASSWORDS, Browser, field


def cats(s):
    return {l.split('\t')[1]: l.split('\t') for l in s.cli('category', 'list').stdout.splitlines()}


def tags(s):
    return {l.split('\t')[1]: l.split('\t') for l in s.cli('tag', 'list').stdout.splitlines()}


def post_field(s, pid, name):
    m = re.search(r'^%s:[ \t]*(.*)$' % name, s.cli('post', 'show', str(pid)).stdout, re.M)
    return m.group(1).strip() if m else None


def main():
    c = Checks('test_admin_manage')
    with Site() as s:
        for login, role in [('boss', 'admin'), ('ed', 'editor'), ('au', 'author')]:
            cli_ok(c, s.cli('user', 'add', login, '--email', '%s@example.org' % login, '--role',
                            role, '--password-stdin', input=PASSWORDS[login] + '\n'), login)
        cli_ok(c, s.cli('category', 'add', 'News'), 'cat')
        cli_ok(c, s.cli('category', 'add', 'Sport'), 'cat')
        cli_ok(c, s.cli('category', 'add', 'Football', '--parent', 'sport'), 'cat')
        r = s.cli('post', 'add', '--title', 'Derby day', '--category', 'football', '--tags',
                  'derby, Local Teams', '--status', 'published', '--date', '2026-01-05T10:00:00Z',
                  input='A derby.')
        pid, url = id_url(cli_ok(c, r, 'post'))
        r = s.cli('post', 'add', '--title', 'Town hall', '--category', 'news', '--tags',
                  'local-teams, council', '--status', 'published',
                  '--date', '2026-01-06T10:00:00Z', input='Council.')
        pid2, url2 = id_url(cli_ok(c, r, 'post'))
        boss, ed, au = Browser(s), Browser(s), Browser(s)
        for b, login in [(boss, 'boss'), (ed, 'ed'), (au, 'au')]:
            c.status(b.signin(login, PASSWORDS[login])[0], 303, 'sign in ' + login)

        with c.section('who may manage what'):
            for path in ('/admin/categories/', '/admin/tags/'):
                c.status(au.get(path)[0], 403, 'author: ' + path)
                c.status(ed.get(path)[0], 200, 'editor: ' + path)
            for path in ('/admin/users/', '/admin/settings/'):
                c.status(ed.get(path)[0], 403, 'editor: ' + path)
                c.status(boss.get(path)[0], 200, 'admin: ' + path)
            st, _, _ = ed.post('/admin/settings/', {'csrf': ed.csrf(), 'title': 'Hacked'})
            c.status(st, 403, 'editor cannot post settings')

        with c.section('categories'):
            csrf = ed.csrf('/admin/categories/')
            st, h, _ = ed.post('/admin/categories/', {'csrf': csrf, 'do': 'add', 'name': 'Crime & Courts',
                                                      'slug': '', 'parent': '', 'description': 'Cases'})
            c.status(st, 303, 'add')
            c.ok('crime-courts' in cats(s), 'added with a slug from the name: %r' % list(cats(s)))
            st, _, body = ed.post('/admin/categories/', {'csrf': csrf, 'do': 'add', 'name': 'Again',
                                                         'slug': 'news', 'parent': ''})
            c.ok(st == 400 and 'already used' in body, 'slug taken')
            st, _, body = ed.post('/admin/categories/', {'csrf': csrf, 'do': 'add', 'name': '',
                                                         'parent': ''})
            c.status(st, 400, 'empty name')
            st, _, body = ed.get('/admin/categories/')
            c.ok('name="into"' not in body, 'the list has no per-category forms')
            sport = cats(s)['sport'][0]
            st, _, body = ed.get('/admin/categories/?edit=%s' % sport)
            c.eq(body.count('name="into"'), 1, 'one merge form for the category being edited')
            c.ok('>sport/football</option>' not in body.split('name="parent"')[-1].split('</select>')[0],
                 'its own sub-category is not offered as its parent')
            football = cats(s)['sport/football'][0]
            st, _, body = ed.post('/admin/categories/', {'csrf': csrf, 'do': 'save', 'id': sport,
                                                         'name': 'Sport', 'slug': 'sport',
                                                         'parent': football})
            c.status(st, 400, 'a category cannot go inside its own sub-category')
            c.ok('sport/football' in cats(s), 'tree unchanged')
            st, _, _ = ed.post('/admin/categories/', {'csrf': csrf, 'do': 'save', 'id': football,
                                                      'name': 'Soccer', 'slug': 'soccer',
                                                      'parent': '', 'description': ''})
            c.status(st, 303, 'rename and move to the top')
            c.ok('soccer' in cats(s), 'moved and renamed: %r' % list(cats(s)))
            c.ok(poll(lambda: 'Soccer' in s.text(url)[1]), 'the article shows the new name')
            news = cats(s)['news'][0]
            soccer = cats(s)['soccer'][0]
            st, _, _ = ed.post('/admin/categories/', {'csrf': csrf, 'do': 'merge', 'id': soccer,
                                                      'into': news})
            c.status(st, 303, 'merge')
            c.ok('soccer' not in cats(s), 'merged category gone')
            c.eq(post_field(s, pid, 'category'), 'news', 'its post relinked')
            st, _, _ = ed.post('/admin/categories/', {'csrf': csrf, 'do': 'merge', 'id': news,
                                                      'into': news})
            c.status(st, 400, 'not into itself')
            st, _, _ = ed.post('/admin/categories/', {'csrf': csrf, 'do': 'delete', 'id': news})
            c.status(st, 303, 'delete')
            c.eq(post_field(s, pid, 'category'), '', 'posts of a deleted top category have none')
            st, _, _ = s.get(url)
            c.status(st, 200, 'and stay public')

        with c.section('tags'):
            csrf = ed.csrf('/admin/tags/')
            st, _, _ = ed.post('/admin/tags/', {'csrf': csrf, 'do': 'add', 'name': 'Harbour Works',
                                                'slug': ''})
            c.status(st, 303, 'add a tag')
            c.ok('harbour-works' in tags(s), 'added with a slug from the name')
            st, _, body = ed.post('/admin/tags/', {'csrf': csrf, 'do': 'add', 'name': 'Again',
                                                   'slug': 'harbour-works'})
            c.ok(st == 400 and 'already exists' in body, 'tag slug taken')
            t = tags(s)
            c.ok('local-teams' in t and 'derby' in t, 'tags: %r' % list(t))
            st, _, _ = ed.post('/admin/tags/', {'csrf': csrf, 'do': 'save', 'id': t['derby'][0],
                                                'name': 'Derbies', 'slug': ''})
            c.status(st, 303, 'rename')
            c.ok('derbies' in tags(s), 'renamed with a new slug')
            st, _, body = ed.post('/admin/tags/', {'csrf': csrf, 'do': 'save',
                                                   'id': t['council'][0], 'name': 'Council',
                                                   'slug': 'local-teams'})
            c.ok(st == 400 and 'merge them' in body, 'slug of another tag: merge instead')
            st, _, body = ed.get('/admin/tags/')
            c.ok('name="into_slug"' not in body, 'the list has no per-tag forms')
            st, _, body = ed.get('/admin/tags/?edit=%s' % t['council'][0])
            c.eq(body.count('name="into_slug"'), 1, 'one edit form for the tag being edited')
            st, _, body = ed.post('/admin/tags/', {'csrf': csrf, 'do': 'merge',
                                                   'id': t['council'][0], 'into_slug': 'nope'})
            c.ok(st == 400 and 'no tag with that slug' in body, 'merge into an unknown slug')
            st, _, _ = ed.post('/admin/tags/', {'csrf': csrf, 'do': 'merge',
                                                'id': t['council'][0],
                                                'into_slug': 'local-teams'})
            c.status(st, 303, 'merge')
            t2 = tags(s)
            c.ok('council' not in t2 and t2['local-teams'][3] == '2',
                 'merged; the other tag has both posts: %r' % t2.get('local-teams'))
            c.ok(poll(lambda: s.get('/tag/council/')[0] == 404), 'old tag archive gone')
            c.ok(poll(lambda: 'Town hall' in s.text('/tag/local-teams/')[1]), 'posts relinked')
            st, _, _ = ed.post('/admin/tags/', {'csrf': csrf, 'do': 'delete',
                                                'id': t2['local-teams'][0]})
            c.status(st, 303, 'delete')
            c.ok('local-teams' not in tags(s), 'deleted')

        with c.section('users'):
            csrf = boss.csrf('/admin/users/')
            st, _, _ = boss.post('/admin/users/', {'csrf': csrf, 'do': 'add', 'login': 'newbie',
                                                   'email': 'n@example.org', 'name': 'New Bie',
                                                   'role': 'author', 'password': 'newbie pass 1'})
            c.status(st, 303, 'add a user')
            nb = Browser(s)
            c.status(nb.signin('newbie', 'newbie pass 1')[0], 303, 'the new user signs in')
            st, _, body = boss.post('/admin/users/', {'csrf': csrf, 'do': 'add', 'login': 'Bad Login',
                                                      'email': 'x@example.org', 'role': 'author',
                                                      'password': 'long enough'})
            c.ok(st == 400 and 'value="Bad Login"' in body, 'bad login refused, input kept')
            st, _, _ = boss.post('/admin/users/', {'csrf': csrf, 'do': 'add', 'login': 'short',
                                                   'email': 's@example.org', 'role': 'author',
                                                   'password': 'short'})
            c.status(st, 400, 'short password')
            users = {l.split('\t')[1]: l.split('\t')[0]
                     for l in s.cli('user', 'list').stdout.splitlines()}
            st, _, _ = boss.post('/admin/users/', {'csrf': csrf, 'do': 'role',
                                                   'id': users['newbie'], 'role': 'editor'})
            c.status(st, 303, 'change role')
            c.status(nb.get('/admin/comments/')[0], 200, 'the new role applies at once')
            st, _, _ = boss.post('/admin/users/', {'csrf': csrf, 'do': 'disable',
                                                   'id': users['newbie']})
            c.status(st, 303, 'disable')
            c.status(nb.get('/admin/')[0], 303, 'their session ended')
            c.status(Browser(s).signin('newbie', 'newbie pass 1')[0], 403, 'cannot sign in')
            st, _, _ = boss.post('/admin/users/', {'csrf': csrf, 'do': 'password',
                                                   'id': users['newbie'],
                                                   'password': 'another pass 2'})
            c.status(st, 303, 'set a new password')
            c.status(Browser(s).signin('newbie', 'another pass 2')[0], 303, 'enabled again')
            st, _, body = boss.post('/admin/users/', {'csrf': csrf, 'do': 'disable',
                                                      'id': users['boss']})
            c.ok(st == 400 and 'yourself' in body, 'no disabling yourself')
            st, _, body = boss.post('/admin/users/', {'csrf': csrf, 'do': 'role',
                                                      'id': users['boss'], 'role': 'editor'})
            c.ok(st == 400 and 'admin role from yourself' in body, 'no demoting yourself')
            c.status(boss.get('/admin/users/')[0], 200, 'still an admin')

        with c.section('settings'):
            csrf = boss.csrf('/admin/settings/')
            st, _, body = boss.get('/admin/settings/')
            c.ok('name="comments_max_links"' in body and 'name="permalink"' in body,
                 'every setting is on the form')
            st, _, body = boss.post('/admin/settings/', {'csrf': csrf, 'title': 'The Harbour Times',
                                                         'posts_per_page': '0'})
            c.status(st, 400, 'a bad value')
            c.ok('value="The Harbour Times"' in body and 'has-error' in body,
                 'typed values kept, the bad field marked')
            c.ok('The Harbour Times' not in s.cli('settings', 'get', 'title').stdout,
                 'nothing saved from a refused form')
            st, h, _ = boss.post('/admin/settings/', {'csrf': csrf, 'title': 'The Harbour Times',
                                                      'posts_per_page': '5'})
            c.status(st, 303, 'saved')
            st, _, body = boss.get(h['location'])
            c.ok('Saved: 2 settings changed.' in body, 'notice')
            c.ok(poll(lambda: 'The Harbour Times' in s.text('/')[1]), 'the site shows it')
        s.print_log = bool(c.failed)
    c.finish()


if __name__ == '__main__':
    main()
