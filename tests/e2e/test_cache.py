"""The page cache: hits are served from memory (X-Cache: HIT), compressed
once, and every kind of change purges exactly the pages that show it -
changed pages show the change on the next requests (within the change-log
poll interval), unrelated pages stay cached."""
import gzip
import os
import re
import sys

from harness import Site, check, poll

FAILS = []


def ok(cond, msg):
    if not cond:
        FAILS.append(msg)
        print('FAIL test_cache: %s' % msg)


def xcache(s, path, headers=None):
    st, h, b = s.get(path, headers=headers)
    return st, h.get('x-cache'), b


def cache_bytes(s):
    """The bytes the page cache holds, from /healthz (itself never cached)."""
    m = re.search(rb'^cache entries \d+ bytes (\d+) ', s.get('/healthz')[2], re.M)
    return int(m.group(1)) if m else -1


def settle(s):
    ok(s.settle(), 'server follows the change log')


def warm(s, paths):
    settle(s)
    for p in paths:
        s.get(p)
        st, xc, _ = xcache(s, p)
        ok(st == 200 and xc == 'HIT', 'warm %s: %s %s' % (p, st, xc))


def shows(s, path, text):
    def f():
        st, h, b = s.get(path)
        return st == 200 and text.encode() in b
    return poll(f, timeout=5)


def gone(s, path, text):
    def f():
        st, h, b = s.get(path)
        return text.encode() not in b
    return poll(f, timeout=5)


def stays_hit(s, paths, why):
    for p in paths:
        st, xc, _ = xcache(s, p)
        ok(xc == 'HIT', '%s: %s should still be cached, got %s %s' % (why, p, st, xc))


def post_url(s, pid):
    r = s.cli('post', 'show', str(pid))
    for line in r.stdout.splitlines():
        if line.startswith('url: '):
            return line[5:]
    raise AssertionError('no url for post %s: %r' % (pid, r.stdout))


def add(s, *args, body='Body text.\n'):
    r = s.cli('post', 'add', *args, input=body)
    check(r.returncode == 0, 'post add %r: %s' % (args, r.stderr))
    pid, url = r.stdout.strip().split('\t')
    return pid, url


def main():
    with Site(demo=True) as s:
        # Two articles of our own, in unrelated corners of the site.
        # (their words share nothing, so neither is among the other's
        # related articles: B's page does not show A)
        a_id, a_url = add(s, '--title', 'Alpha harbour dredging', '--category', 'city-hall',
                          '--tags', 'alphatag', '--author', 'mara', '--status', 'published',
                          '--date', '2026-03-10T10:00:00Z', body='Silt surveyed.\n')
        b_id, b_url = add(s, '--title', 'Beta quizzical xylophones', '--category', 'sports',
                          '--tags', 'betatag', '--author', 'jon', '--status', 'published',
                          '--date', '2025-02-10T10:00:00Z', body='Zany jamboree.\n')
        ok(poll(lambda: s.get(a_url)[0] == 200 and s.get(b_url)[0] == 200, timeout=5),
           'new posts served')
        settle(s)  # the adds' purges are done: nothing purges the hits below

        # --- hits, compression, validators -----------------------------
        st, h, b = s.get('/')
        st, h, b = s.get('/')
        ok(h.get('x-cache') == 'HIT', 'second GET / is a hit: %s' % h.get('x-cache'))
        ok('accept-encoding' in h.get('vary', '').lower(), 'Vary: Accept-Encoding on a hit')
        st, hz, bz = s.get('/', headers={'Accept-Encoding': 'gzip'})
        ok(hz.get('content-encoding') == 'gzip' and gzip.decompress(bz) == b,
           'gzip variant decodes to the same page')
        st, hb, bb = s.get('/', headers={'Accept-Encoding': 'br;q=1, gzip;q=0.5'})
        ok(hb.get('content-encoding') == 'br' and len(bb) < len(b), 'brotli variant preferred')
        # a compressed body is made the first time a client takes it, and
        # once: the miss stores the page alone (cache.h)
        p = '/category/culture/arts/'
        s.get(p)
        n0 = cache_bytes(s)
        st, hi, bi = s.get(p)
        ok(hi.get('x-cache') == 'HIT' and cache_bytes(s) == n0,
           'an identity hit adds nothing: %s, %d -> %d' % (hi.get('x-cache'), n0, cache_bytes(s)))
        st, hg, bg = s.get(p, headers={'Accept-Encoding': 'gzip'})
        n1 = cache_bytes(s)
        ok(hg.get('x-cache') == 'HIT' and hg.get('content-encoding') == 'gzip' and
           gzip.decompress(bg) == bi, 'gzip made on a hit: %s %s' % (hg.get('x-cache'),
                                                                     hg.get('content-encoding')))
        ok(n1 >= n0 + len(bg), 'the gzip body joins the entry: %d -> %d' % (n0, n1))
        for k in ('content-type', 'etag', 'last-modified', 'vary', 'cache-control',
                  'content-security-policy', 'x-content-type-options'):
            ok(hg.get(k) == hi.get(k), 'gzip %s as identity: %r %r' % (k, hg.get(k), hi.get(k)))
        st, hg2, bg2 = s.get(p, headers={'Accept-Encoding': 'gzip'})
        ok(bg2 == bg and cache_bytes(s) == n1, 'gzip made once: %d -> %d' % (n1, cache_bytes(s)))
        st, hb, bb = s.get(p, headers={'Accept-Encoding': 'br'})
        ok(hb.get('content-encoding') == 'br' and len(bb) < len(bi) and
           cache_bytes(s) >= n1 + len(bb), 'brotli made on its first request')
        # a miss from a client that takes gzip is answered compressed, and
        # that body is the entry's: its first gzip hit makes nothing
        p = '/category/culture/'
        st, hm, bm = s.get(p, headers={'Accept-Encoding': 'gzip'})
        n2 = cache_bytes(s)
        ok(hm.get('x-cache') == 'MISS' and hm.get('content-encoding') == 'gzip' and
           'accept-encoding' in hm.get('vary', '').lower(),
           'a gzip miss is answered in gzip: %s %s' % (hm.get('x-cache'),
                                                      hm.get('content-encoding')))
        st, hh2, bh2 = s.get(p, headers={'Accept-Encoding': 'gzip'})
        ok(hh2.get('x-cache') == 'HIT' and bh2 == bm and cache_bytes(s) == n2,
           'its gzip body is the cached one: %s, %d -> %d' % (hh2.get('x-cache'), n2,
                                                             cache_bytes(s)))
        st, hid, bid = s.get(p)
        unzipped = gzip.decompress(bm) if hm.get('content-encoding') == 'gzip' else bm
        ok(hid.get('x-cache') == 'HIT' and unzipped == bid and
           hid.get('content-encoding') is None, 'the same page, identity, from the cache')
        ok(hm.get('etag') == hid.get('etag'), 'one ETag for the miss and the hits')
        st, h304, _ = s.get('/', headers={'If-None-Match': h['etag']})
        ok(st == 304, 'If-None-Match on a cached page -> 304 (%s)' % st)
        st, hq, _ = s.get('/?utm=x')
        st, hq, _ = s.get('/?utm=x')
        ok(hq.get('x-cache') is None, 'unknown query parameters bypass the cache')
        s.get('/search.json?page=1&q=ferry')
        st, hq, _ = s.get('/search.json?q=ferry&page=1')
        ok(hq.get('x-cache') == 'HIT', 'known parameters are keyed in a fixed order')
        # the first value of a repeated parameter is the one handlers read
        s.get('/search.json?q=ferry&q=council')
        st, hq, bq = s.get('/search.json?q=council&q=ferry')
        ok(b'"query":"council"' in bq, 'a repeated parameter cannot fetch another page: %r'
           % bq[:80])
        # one Host must never get a page built for another
        st, hh, bh = s.get('/about/', headers={'Host': 'attacker.example'})
        ok(b'attacker.example' in bh, 'absolute URLs follow Host when base_url is unset')
        st, hh, bh = s.get('/about/')
        ok(b'attacker.example' not in bh, 'a forged Host cannot poison the cache')
        st, hc, _ = s.get('/', headers={'Cookie': 'gazette_session=abc'})
        ok(hc.get('x-cache') is None, 'a session cookie bypasses the cache')
        st, hn, _ = s.get('/no-such-page/')
        st, hn, _ = s.get('/no-such-page/')
        ok(st == 404 and hn.get('x-cache') is None, '404s are not cached')

        # where A is listed on a first page (A is dated back in March)
        a_pages = [a_url, '/tag/alphatag/', '/author/mara/', '/2026/03/']
        b_pages = [b_url, '/category/sports/', '/tag/betatag/', '/author/jon/', '/2025/',
                   '/2025/02/']
        other = ['/about/', '/category/culture/arts/']

        # --- editing A's title: A's pages change, B's stay cached ----------
        warm(s, a_pages + b_pages + other)
        r = s.cli('post', 'edit', a_id, '--title', 'Alpha harbour dredging renamed')
        ok(r.returncode == 0, 'post edit: %s' % r.stderr)
        for p in a_pages:
            ok(shows(s, p, 'Alpha harbour dredging renamed'), 'edit shows on %s' % p)
        stays_hit(s, b_pages + other, 'after editing A')

        # --- a new post in sports: sports lists change, A's stay cached -------
        warm(s, a_pages + b_pages + ['/category/news/city-hall/'])
        c_id, c_url = add(s, '--title', 'Gamma regatta result', '--category', 'sports',
                          '--author', 'jon', '--status', 'published')
        ok(shows(s, '/', 'Gamma regatta result'), 'new post on the home page')
        ok(shows(s, '/category/sports/', 'Gamma regatta result'), 'new post in its category')
        ok(shows(s, '/author/jon/', 'Gamma regatta result'), 'new post on its author page')
        stays_hit(s, [a_url, b_url, '/category/news/city-hall/', '/tag/alphatag/',
                      '/author/mara/', '/2025/02/'] + other, 'after adding to sports')

        # --- renaming a tag: its archive and B's page change ---------------
        warm(s, [b_url, a_url, '/tag/betatag/'] + other)
        r = s.cli('tag', 'rename', 'betatag', '--name', 'Betatag Renamed')
        ok(r.returncode == 0, 'tag rename: %s' % r.stderr)
        ok(shows(s, b_url, 'Betatag Renamed'), 'renamed tag on the article')
        ok(shows(s, '/tag/betatag/', 'Betatag Renamed'), 'renamed tag on its archive')
        stays_hit(s, [a_url] + other, 'after renaming a tag')

        # --- unpublishing A: gone from its lists, 404 at its URL -----------
        warm(s, a_pages[1:] + ['/category/news/city-hall/', b_url, '/category/sports/'])
        r = s.cli('post', 'unpublish', a_id)
        ok(r.returncode == 0, 'unpublish: %s' % r.stderr)
        ok(poll(lambda: s.get(a_url)[0] == 404, timeout=5), 'unpublished article -> 404')
        for p in ['/tag/alphatag/', '/author/mara/', '/2026/03/']:
            ok(gone(s, p, 'Alpha harbour dredging'), 'unpublished post gone from %s' % p)
        stays_hit(s, [b_url, '/category/sports/'], 'after unpublishing A')

        # --- a scheduled post going live by itself -------------------------
        warm(s, ['/', '/category/sports/', b_url])
        import datetime
        when = (datetime.datetime.now(datetime.timezone.utc) +
                datetime.timedelta(seconds=3)).strftime('%Y-%m-%dT%H:%M:%SZ')
        d_id, d_url = add(s, '--title', 'Delta scheduled piece', '--category', 'sports',
                          '--status', 'published', '--date', when)
        st, _, b0 = s.get('/')
        ok(b'Delta scheduled piece' not in b0, 'scheduled post not shown early')
        ok(poll(lambda: b'Delta scheduled piece' in s.get('/')[2], timeout=15),
           'scheduled post appears on the cached home page at its time')
        stays_hit(s, [b_url], 'after a scheduled go-live')

        # --- site-wide changes purge everything ---------------------------
        warm(s, [b_url, '/about/', '/category/sports/'])
        r = s.cli('settings', 'set', 'title', 'The Cached Courier')
        ok(r.returncode == 0, 'settings set: %s' % r.stderr)
        for p in [b_url, '/about/', '/category/sports/']:
            ok(shows(s, p, 'The Cached Courier'), 'new site title on %s' % p)

        warm(s, [b_url, '/about/'])
        r = s.cli('category', 'rename', 'sports', '--name', 'Sport and Games')
        ok(r.returncode == 0, 'category rename: %s' % r.stderr)
        ok(shows(s, '/about/', 'Sport and Games'), 'renamed category in every menu')
        ok(shows(s, b_url, 'Sport and Games'), 'renamed category on its articles')

        # a page's title is in the menu of every page
        warm(s, [b_url])
        r = s.cli('page', 'list')
        about_id = [l.split('\t')[0] for l in r.stdout.splitlines() if '/about/' in l][0]
        r = s.cli('page', 'edit', about_id, '--title', 'About Us Now')
        ok(r.returncode == 0, 'page edit: %s' % r.stderr)
        ok(shows(s, b_url, 'About Us Now'), 'renamed page in the menu of other pages')

        # a page body edit changes only that page
        warm(s, [b_url, '/about/'])
        r = s.cli('page', 'edit', about_id, '--body-stdin', input='A brand new about text.\n')
        ok(r.returncode == 0, 'page body edit: %s' % r.stderr)
        ok(shows(s, '/about/', 'A brand new about text.'), 'page body edit shows')
        stays_hit(s, [b_url], 'after a page body edit')

        # assets are cached too
        st, h, body = s.get('/')
        import re
        css = re.search(rb'href="(/assets/style\.[0-9a-f]+\.css)"', body).group(1).decode()
        s.get(css)
        st, h, _ = s.get(css, headers={'Accept-Encoding': 'gzip'})
        ok(h.get('x-cache') == 'HIT' and h.get('content-encoding') == 'gzip',
           'stylesheet cached and compressed: %s %s' % (h.get('x-cache'),
                                                        h.get('content-encoding')))
    print('test_cache: %d failed' % len(FAILS))
    return 1 if FAILS else 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except AssertionError as e:
        print('FAIL test_cache: %s' % e)
        sys.exit(1)
