"""test_headers.py - the security headers of every response.

Every HTML response - fresh or from the page cache, in every encoding, 200,
304, redirect or error - carries Content-Security-Policy (script-src 'self',
no inline scripts allowed, frame-ancestors 'none'), X-Content-Type-Options:
nosniff, Referrer-Policy: strict-origin-when-cross-origin and
X-Frame-Options: DENY. Every other response carries nosniff. The pages
themselves have no script the CSP would block: only JSON-LD data blocks.
Checked with the cache on (misses, hits, cached 304s) and off.
"""
from harness import Checks, Site

c = Checks('test_headers')

WANT = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
}


def csp_directives(value):
    out = {}
    for part in (value or '').split(';'):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def html_headers(h, what):
    for k, v in WANT.items():
        c.eq(h.get(k), v, '%s: %s' % (what, k))
    d = csp_directives(h.get('content-security-policy'))
    c.ok(d, '%s: no Content-Security-Policy' % what)
    c.eq(d.get('script-src'), ["'self'"], "%s: CSP script-src" % what)
    c.eq(d.get('frame-ancestors'), ["'none'"], "%s: CSP frame-ancestors" % what)
    c.eq(d.get('object-src'), ["'none'"], "%s: CSP object-src" % what)
    c.ok("'unsafe-inline'" not in h.get('content-security-policy', '') and
         "'unsafe-eval'" not in h.get('content-security-policy', ''),
         '%s: CSP allows unsafe-inline/eval' % what)


def other_headers(h, what):
    c.eq(h.get('x-content-type-options'), 'nosniff', '%s: x-content-type-options' % what)


def raw(s, method, path, extra=b''):
    return s.raw_request(b'%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s\r\n'
                         % (method.encode(), path.encode(), extra), head=method == 'HEAD')


def check_site(s, cached):
    tag = 'cache on' if cached else 'cache off'
    st, h, home = s.page('/')
    c.status(st, 200, 'GET / (%s)' % tag)
    arts = home.articles()
    c.ok(arts, 'the home page links articles')
    art = arts[0] if arts else '/'
    cat = (home.hrefs('/category/') or ['/category/none/'])[0]

    with c.section('HTML pages, %s' % tag):
        for path in ('/', art, cat, '/search?q=harbour', '/about/'):
            for enc in ('identity', 'gzip', 'br'):
                for n in (1, 2):  # a miss, then a hit when the cache is on
                    st, h, b = s.get(path, headers={'Accept-Encoding': enc})
                    what = 'GET %s (%s, %s, #%d, X-Cache %s)' % (path, enc, tag, n,
                                                                   h.get('x-cache'))
                    c.status(st, 200, what)
                    html_headers(h, what)
            if cached and path != '/search?q=harbour':
                c.eq(s.get(path)[1].get('x-cache'), 'HIT', 'GET %s is cached' % path)
        st, h, p = s.page(art)
        c.eq(p.script_problems(), [], 'scripts the CSP would block on %s' % art)
        c.ok(p.jsonld(), '%s has its JSON-LD data block' % art)

    with c.section('304s, %s' % tag):
        for path in ('/', art):
            st, h, b = s.get(path)
            etag = h.get('etag')
            c.ok(etag, 'GET %s has an ETag' % path)
            for n in (1, 2):
                st, h3, b3 = s.get(path, headers={'If-None-Match': etag or '"x"'})
                what = 'conditional GET %s #%d (%s, X-Cache %s)' % (path, n, tag,
                                                                    h3.get('x-cache'))
                c.status(st, 304, what)
                html_headers(h3, what)

    with c.section('errors and redirects, %s' % tag):
        for method, path, want in (('GET', '/no-such-page/', 404),
                                   ('GET', '/page/9999/', 404),
                                   ('GET', '/tag/web', 301),
                                   ('GET', '/page/1/', 301),
                                   ('DELETE', '/', 405),
                                   ('GET', '/a/%2e%2e/b/', 400),
                                   ('GET', '/%zz/', 400),
                                   ('HEAD', '/', 200)):
            st, h, b = raw(s, method, path)
            what = '%s %s (%s)' % (method, path, tag)
            c.status(st, want, what)
            html_headers(h, what)

    with c.section('other types, %s' % tag):
        css = [l.get('href') for l in home.links if 'stylesheet' in l.get('rel', '')]
        c.ok(css, 'the home page links a stylesheet')
        for path in css[:1] + ['/healthz', '/search.json?q=harbour']:
            for n in (1, 2):
                st, h, b = s.get(path)
                c.status(st, 200, 'GET %s #%d' % (path, n))
                other_headers(h, 'GET %s #%d (%s)' % (path, n, tag))
        if css:
            st, h, b = s.get(css[0])
            st, h, b = s.get(css[0], headers={'If-None-Match': h.get('etag') or '"x"'})
            c.status(st, 304, 'conditional GET of the stylesheet')
            other_headers(h, 'conditional GET of the stylesheet (%s)' % tag)


with Site(demo=True) as s:
    check_site(s, True)
    with Site(demo=True, conf_extra='\ncache_mb = 0\n') as s2:
        check_site(s2, False)
        c.finish(s, s2)
