"""The per-thread site snapshot (src/view/snap.c) with the page cache off:
the settings, categories and menu every page shows are read once per change
of the log, not once per request, and must never be stale. Every change
made from the command line - another process, as another node would be -
shows on the very next request, with no wait for serve's change follower:
the site title, a category's name and path (menu, breadcrumb and its
JSON-LD, made once per snapshot when base_url is set), a new
top-level category, a new author's name, a menu item, a page's title, a
post linked from the menu going private, posts_per_page. Several worker threads each keep a
snapshot, so each check is made on many connections."""
import re
import sys

from harness import Checks, Site, cli_ok, id_url

CONNS = 6  # requests on fresh connections: more than one worker thread


def pages(s, url):
    """The body of url fetched on CONNS connections (more than one thread)."""
    out = []
    for _ in range(CONNS):
        st, body = s.text(url)
        out.append((st, body))
    return out


def all_show(c, s, url, needle, what, present=True):
    got = pages(s, url)
    ok = all(st == 200 and ((needle in b) == present) for st, b in got)
    c.ok(ok, '%s: %r %s on every request to %s' %
            (what, needle, 'shown' if present else 'absent', url))


def main():
    c = Checks('test_snapshot')
    with Site(demo=True, conf_extra='cache_mb = 0\nchange_poll_ms = 60000\n') as s:
        cli_ok(c, s.cli('category', 'add', 'Harbour', '--slug', 'harbour'), 'category')
        out = cli_ok(c, s.cli('post', 'add', '--title', 'Ferry timetable', '--category',
                              'harbour', '--status', 'published',
                              '--date', '2026-01-10T09:00:00Z', input='Ferries and boats.'),
                     'post')
        pid, url = id_url(out)
        path = re.sub(r'^https?://[^/]+', '', url)
        all_show(c, s, path, 'Harbour</a>', 'the category in the breadcrumb')
        # the menu's current section: the article's category on its page,
        # nothing on the home page (which shares the snapshot's menu), and
        # again on the article after it
        all_show(c, s, path, 'href="/category/harbour/" aria-current="page"',
                 'the article\'s category marked current in the menu')
        all_show(c, s, '/', 'aria-current', 'a current menu entry on the home page',
                 present=False)
        all_show(c, s, path, 'href="/category/harbour/" aria-current="page"',
                 'the category marked current again')

        # With a base_url, the JSON-LD every page shares (the publisher, the
        # Home and category crumbs) is made once per snapshot: the same
        # bytes as made for each page without one.
        def ld_scripts(p):
            st, body = s.text(p)
            return st, re.findall(r'<script type="application/ld\+json">(.*?)</script>', body)
        st1, before = ld_scripts(path)
        cli_ok(c, s.cli('settings', 'set', 'base_url', s.url), 'base_url')
        for _ in range(CONNS):
            st2, after = ld_scripts(path)
            if after != before:
                break
        c.ok(st1 == st2 == 200 and len(before) == 2 and after == before,
             'the same JSON-LD with base_url set to the origin: %r / %r' % (before, after))
        esc = s.url.replace('/', '\\/')

        cli_ok(c, s.cli('settings', 'set', 'title', 'Snapshot Courier'), 'title')
        all_show(c, s, '/', '<title>Snapshot Courier', 'the new site title')
        all_show(c, s, path, 'Snapshot Courier', 'the new site title on the article')

        cli_ok(c, s.cli('category', 'rename', 'harbour', '--name', 'Port', '--slug', 'port'),
               'category rename')
        all_show(c, s, path, '/category/port/', 'the renamed category path')
        all_show(c, s, path, '/category/harbour/', 'the old category path', present=False)
        all_show(c, s, path, '"name":"Port","item":"%s\\/category\\/port\\/"' % esc,
                 'the renamed category in the BreadcrumbList')
        all_show(c, s, path, '"publisher":{"@type":"Organization","name":"Snapshot Courier"',
                 'the new site title as the publisher')

        cli_ok(c, s.cli('category', 'add', 'Lighthouses', '--slug', 'lighthouses'),
               'new category')
        all_show(c, s, '/', 'href="/category/lighthouses/"', 'a new category in the menu')

        # the author's name and login come from the snapshot too
        cli_ok(c, s.cli('user', 'add', 'quill', '--email', 'quill@example.org', '--role',
                        'author', '--name', 'Mara Quill'), 'user')
        out2 = cli_ok(c, s.cli('post', 'add', '--title', 'Quay notes', '--author', 'quill',
                               '--status', 'published', '--date', '2026-01-11T09:00:00Z',
                               input='Notes from the quay.'), 'post by the new author')
        path2 = re.sub(r'^https?://[^/]+', '', id_url(out2)[1])
        all_show(c, s, path2, 'href="/author/quill/" rel="author">Mara Quill</a>',
                 'the new author\'s name and archive link on the article')
        all_show(c, s, path2, '"author":[{"@type":"Person","name":"Mara Quill"',
                 'the new author in the JSON-LD')

        cli_ok(c, s.cli('menu', 'add', 'Ferries', '--post', pid), 'menu item')
        all_show(c, s, '/', '>Ferries<', 'the stored menu item')
        all_show(c, s, '/', 'href="/category/lighthouses/"',
                 'the default menu once a menu is stored', present=False)
        cli_ok(c, s.cli('post', 'edit', pid, '--status', 'draft'), 'post to draft')
        all_show(c, s, '/', '>Ferries<', 'the menu item of a draft', present=False)

        cli_ok(c, s.cli('settings', 'set', 'posts_per_page', '1'), 'posts_per_page')
        got = pages(s, '/')
        c.ok(all(len(re.findall(r'<article', b)) == 1 for _, b in got),
                'posts_per_page 1 on every request: %r' %
                [len(re.findall(r'<article', b)) for _, b in got])
        c.ok(s.alive(), 'serve alive')
    c.finish()


if __name__ == '__main__':
    main()
