"""The navigation menu over HTTP: `gazette menu` items (a URL, a post, a
category, a child) in the header of every page, labels escaped, items that
link nowhere left out, and the cached pages following every change that
alters the menu: the menu itself, a linked post's title, URL or visibility,
a linked category's name."""
import re
import sys

from harness import Site, check, poll


def nav(s, url='/'):
    """The header's menu: (label, href) pairs in page order."""
    st, body = s.text(url)
    check(st == 200, 'GET %s -> %s' % (url, st))
    m = re.search(r'<nav[^>]*>(.*?)</nav>', body, re.S)
    check(m is not None, 'a <nav> on %s' % url)
    return re.findall(r'<a[^>]*href="([^"]*)"[^>]*>(.*?)</a>', m.group(1), re.S)


def labels(s, url='/'):
    return [re.sub(r'<[^>]+>', '', t).strip() for _, t in nav(s, url)]


def main():
    with Site(demo=True) as s:
        r = s.cli('post', 'add', '--title', 'Harbour guide', '--slug', 'harbour-guide',
                  '--status', 'published', '--date', '2026-01-10T09:00:00Z',
                  input='Where to moor.')
        check(r.returncode == 0, r.stderr)
        post_id, post_url = r.stdout.strip().split('\t')
        default = labels(s)
        check(default, 'the default menu (top categories, pages): %r' % default)

        for args in (['Guide', '--post', post_id],
                     ['<b>Tips & tricks</b>', '--url', 'https://example.org/tips?a=1&b=2'],
                     ['Sections', '--url', '/search?q=news']):
            r = s.cli('menu', 'add', *args)
            check(r.returncode == 0, 'menu add %r: %s' % (args, r.stderr))
        sections = [l.split('\t')[0] for l in s.cli('menu', 'list').stdout.splitlines()
                    if l.endswith('\tSections')][0]
        cats = s.cli('category', 'list').stdout.splitlines()
        cat_slug = cats[0].split('\t')[1] if cats else ''
        r = s.cli('menu', 'add', 'Latest', '--category', cat_slug, '--parent', sections)
        check(r.returncode == 0, 'a child item: %s' % r.stderr)
        for bad in (['X', '--url', 'javascript:alert(1)'], ['', '--url', '/x/'],
                    ['Y', '--post', post_id, '--url', '/x/'], ['Z', '--parent', '999999',
                                                            '--url', '/z/']):
            r = s.cli('menu', 'add', *bad)
            check(r.returncode != 0 and r.stderr.strip(), 'menu add %r refused: %r' %
                  (bad, r.stderr))

        # every page shows it, escaped; the stored menu replaces the default
        for url in ('/', post_url, '/search?q=harbour'):
            got = nav(s, url)
            check(('%s' % post_url, 'Guide') in got, 'post item on %s: %r' % (url, got))
            check(('https://example.org/tips?a=1&amp;b=2',
                   '&lt;b&gt;Tips &amp; tricks&lt;/b&gt;') in got,
                  'URL item escaped on %s: %r' % (url, got))
        st, body = s.text('/')
        check('<b>Tips' not in body and 'javascript:' not in body, 'nothing unescaped')
        check('Latest' in labels(s), 'the child item: %r' % labels(s))

        # a change to what an item links to reaches cached pages, also
        # those that do not show the post (a static page)
        page = [l.split('\t')[3] for l in s.cli('page', 'list').stdout.splitlines()][0]
        nav(s, page)
        r = s.cli('post', 'edit', post_id, '--slug', 'moorings-guide')
        check(r.returncode == 0, r.stderr)
        check(poll(lambda: any('/moorings-guide/' in h for h, _ in nav(s, page)), timeout=5),
              'the menu follows the post to its new URL: %r' % nav(s, page))
        r = s.cli('post', 'unpublish', post_id)
        check(r.returncode == 0, r.stderr)
        check(poll(lambda: 'Guide' not in labels(s, page), timeout=5),
              'an unpublished post leaves the menu: %r' % labels(s, page))
        r = s.cli('post', 'publish', post_id)
        check(r.returncode == 0, r.stderr)
        check(poll(lambda: 'Guide' in labels(s, page), timeout=5),
              'and comes back when published')

        # clearing brings the default menu back
        check(s.cli('menu', 'clear').returncode == 0, 'menu clear')
        check(poll(lambda: labels(s) == default, timeout=5),
              'default menu again: %r vs %r' % (labels(s), default))
    print('test_menu: ok')


if __name__ == '__main__':
    try:
        main()
    except AssertionError as e:
        print('FAIL test_menu: %s' % e)
        sys.exit(1)
