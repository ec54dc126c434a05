"""Every back-office action against every role, over real HTTP: what each
role may do succeeds and what it may not is refused with a 403, whatever
the request carries (a valid session and CSRF token included). The table
below is the contract of auth/roles.h as users see it:

  admin        everything
  editor       all posts and pages, categories, tags, comments, media
  author       own posts (and publishing them), own media
  contributor  own drafts, submitted for review; uploads"""
import re

from harness import Checks, Site, cli_ok, id_url
from test_admin import Browser, field

ROLES = ['admin', 'editor', 'author', 'contributor']
PW = 'role test password'


def main():
    c = Checks('test_admin_roles')
    with Site() as s:
        for role in ROLES:
            cli_ok(c, s.cli('user', 'add', role, '--email', '%s@example.org' % role, '--role',
                            role, '--password-stdin', input=PW + '\n'), role)
        cli_ok(c, s.cli('user', 'add', 'other', '--email', 'o@example.org', '--role', 'author',
                        '--password-stdin', input=PW + '\n'), 'other')
        cli_ok(c, s.cli('category', 'add', 'News'), 'category')
        cli_ok(c, s.cli('settings', 'set', 'comments_min_seconds', '0'), 'min seconds')

        def article(author, status='published'):
            r = s.cli('post', 'add', '--title', 'By %s %s' % (author, status), '--author',
                      author, '--status', status, '--tags', 'roles', '--category', 'news',
                      '--date', '2026-01-10T09:00:00Z', input='Text by %s.' % author)
            return id_url(cli_ok(c, r, 'post by ' + author))

        others, others_url = article('other')
        page_id, _ = id_url(cli_ok(c, s.cli('page', 'add', '--title', 'Roles page', '--status',
                                            'published', input='A page.'), 'page'))
        st, _, body = s.get(others_url)
        token = field(body.decode(), 'token')
        st, h, _ = s.request('POST', others_url, body=('name=R&email=r%40example.org&comment=Hi'
                                                        '&token=' + token).encode(),
                             headers={'Content-Type': 'application/x-www-form-urlencoded'})
        comment_id = re.search(r'#comment-(\d+)$', h['location']).group(1)
        tag_id = s.cli('tag', 'list').stdout.split('\t')[0]
        cat_id = s.cli('category', 'list').stdout.split('\t')[0]
        users = {l.split('\t')[1]: l.split('\t')[0] for l in s.cli('user', 'list').stdout.splitlines()}

        for role in ROLES:
            b = Browser(s)
            c.status(b.signin(role, PW)[0], 303, 'sign in ' + role)
            csrf = b.csrf()
            own, _ = article(role, 'draft')
            yes = lambda *ok_roles: role in ok_roles or role == 'admin'
            # (what, method, path, form, allowed?, success statuses)
            actions = [
                ('dashboard', 'GET', '/admin/', None, True, (200,)),
                ('post list', 'GET', '/admin/posts/', None, True, (200,)),
                ('new post form', 'GET', '/admin/posts/new/', None, True, (200,)),
                ('save own draft', 'POST', '/admin/posts/%s/' % own,
                 {'do': 'save', 'title': 'Own', 'body': 'x', 'category': 'news'}, True, (303,)),
                ('publish own post', 'POST', '/admin/posts/%s/' % own,
                 {'do': 'publish', 'title': 'Own', 'body': 'x', 'category': 'news'},
                 yes('editor', 'author'), (303,)),
                ("open another's post", 'GET', '/admin/posts/%s/' % others, None,
                 yes('editor'), (200,)),
                ("save another's post", 'POST', '/admin/posts/%s/' % others,
                 {'do': 'save', 'title': 'By other published', 'body': 'Text by other.',
                  'category': 'news'}, yes('editor'), (303,)),
                ("another's revisions", 'GET', '/admin/posts/%s/revisions/' % others, None,
                 yes('editor'), (200,)),
                ('new page form', 'GET', '/admin/posts/new/?type=page', None, yes('editor'),
                 (200,)),
                ('edit a page', 'GET', '/admin/posts/%s/' % page_id, None, yes('editor'),
                 (200,)),
                ('comment queue', 'GET', '/admin/comments/', None, yes('editor'), (200,)),
                ('approve a comment', 'POST', '/admin/comments/',
                 {'action': 'approve', 'ids': comment_id}, yes('editor'), (303,)),
                ('categories', 'GET', '/admin/categories/', None, yes('editor'), (200,)),
                ('add a category', 'POST', '/admin/categories/',
                 {'do': 'add', 'name': 'Cat %s' % role, 'slug': '', 'parent': ''},
                 yes('editor'), (303,)),
                ('rename a category', 'POST', '/admin/categories/',
                 {'do': 'save', 'id': cat_id, 'name': 'News', 'slug': 'news', 'parent': ''},
                 yes('editor'), (303,)),
                ('tags', 'GET', '/admin/tags/', None, yes('editor'), (200,)),
                ('rename a tag', 'POST', '/admin/tags/',
                 {'do': 'save', 'id': tag_id, 'name': 'roles', 'slug': 'roles'},
                 yes('editor'), (303,)),
                ('media library', 'GET', '/admin/media/', None, True, (200,)),
                ('users', 'GET', '/admin/users/', None, yes(), (200,)),
                ('set a password', 'POST', '/admin/users/',
                 {'do': 'password', 'id': users['other'], 'password': PW}, yes(), (303,)),
                ('change a role', 'POST', '/admin/users/',
                 {'do': 'role', 'id': users['other'], 'role': 'author'}, yes(), (303,)),
                ('settings', 'GET', '/admin/settings/', None, yes(), (200,)),
                ('save settings', 'POST', '/admin/settings/', {'tagline': 'By %s' % role},
                 yes(), (303,)),
                ('preview', 'POST', '/admin/preview/', {'body': '*x*'}, True, (200,)),
            ]
            for what, method, path, form, allowed, ok in actions:
                if method == 'GET':
                    st, _, _ = b.get(path)
                else:
                    form = dict(form, csrf=csrf)
                    st, _, _ = b.post(path, form)
                want = ok if allowed else (403,)
                c.status(st, want, '%s: %s (%s %s)' % (role, what, method, path))
            c.status(b.post('/admin/signout/', {'csrf': csrf})[0], 303, role + ' signs out')
        s.print_log = bool(c.failed)
    c.finish()


if __name__ == '__main__':
    main()
