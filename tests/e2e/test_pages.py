"""test_pages.py - every public page type of the demo site over real HTTP.

Home (sticky first, 10 a page, rel=prev/next in <head> and <a>), /page/N/,
article pages (title, author, date, category, tags, body, the breadcrumb
`Home » Ancestor » Category » Title` and its BreadcrumbList JSON-LD),
category (with sub-categories), tag, author, year and month archives, static
pages, trailing-slash redirects, empty archives, pages past the end, and no
inline scripts but ld+json. The expected listings come from the CLI (`post
list --status published`) and from the article pages themselves.
"""
import html
import re
from datetime import datetime, timezone

from harness import ARTICLE_RE, Checks, Site, cli_ok, id_url

c = Checks('test_pages')
PER_PAGE = 10

PROBE_MD = '''Opening paragraph with **bold words** and a [plain link](https://example.org/).

## A subheading

- first item
- second item

<script>alert("probe")</script>

| left | right |
| ---- | ----- |
| 1    | 2     |
'''
PROBE_TITLE = 'E2E Probe: Tides & <Tests>'


def norm(t):
    return ' '.join(html.unescape(t).split())


def parse_dt(v):
    v = v.strip()
    if v.endswith('Z'):
        v = v[:-1] + '+00:00'
    d = datetime.fromisoformat(v)
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d


def published(s):
    """{url: title} of published articles, from `post list --status published`."""
    out = s.cli('post', 'list', '--status', 'published').stdout
    res = {}
    for line in out.splitlines():
        f = line.split('\t')
        urls = [x for x in f if ARTICLE_RE.match(x)]
        if urls:
            res[urls[0]] = f[-1]
    return res


def crawl(s, base, pages_seen):
    """Follow <link rel=next> from base; returns [(url, status, Page)]."""
    out, url, seen = [], base, set()
    while url and url not in seen and len(out) < 60:
        seen.add(url)
        st, h, p = s.page(url)
        out.append((url, st, p))
        pages_seen.append((url, p))
        if st != 200:
            break
        url = p.head_link('next')
    return out


def check_listing(s, base, want, what, pages_seen, date_of=None, sticky=()):
    """Crawl a paginated listing; check pagination and that it lists exactly
    `want` (a set of URLs), newest first. Returns the number of pages."""
    pages = crawl(s, base, pages_seen)
    got = []
    for i, (url, st, p) in enumerate(pages):
        if not c.status(st, 200, 'GET %s (%s page %d)' % (url, what, i + 1)):
            return len(pages)
        arts = p.articles()
        got.extend(arts)
        last = i == len(pages) - 1
        if not last:
            c.eq(len(arts), PER_PAGE, '%s: articles on %s' % (what, url))
        c.ok(1 <= len(arts) <= PER_PAGE or (not want and not arts),
             '%s: %d articles on %s' % (what, len(arts), url))
        nxt_head, nxt_body = p.head_link('next'), p.body_link('next')
        c.eq(nxt_body, nxt_head, '%s %s: <a rel=next> vs <link rel=next>' % (what, url))
        if not last:
            c.eq(nxt_head, '%spage/%d/' % (base, i + 2), '%s %s: rel=next URL' % (what, url))
        if i > 0:
            prev_head, prev_body = p.head_link('prev'), p.body_link('prev')
            c.ok(prev_head and prev_head == prev_body,
                 '%s %s: rel=prev <link> %r / <a> %r' % (what, url, prev_head, prev_body))
            c.ok(prev_head in (pages[i - 1][0], '%spage/%d/' % (base, i)),
                 '%s %s: rel=prev points to %r' % (what, url, prev_head))
        else:
            c.ok(p.head_link('prev') is None and p.body_link('prev') is None,
                 '%s %s: page 1 has a rel=prev' % (what, url))
    dups = sorted(set(u for u in got if got.count(u) > 1))
    c.ok(not dups, '%s: listed twice: %s' % (what, dups))
    missing, extra = sorted(want - set(got)), sorted(set(got) - want)
    c.ok(not missing and not extra, '%s: missing %s, unexpected %s' % (what, missing, extra))
    if date_of:
        seq = [u for u in got if u in date_of and u not in sticky]
        bad = [(a, b) for a, b in zip(seq, seq[1:]) if date_of[a] < date_of[b]]
        c.ok(not bad, '%s: not newest first: %s' % (what, bad[:3]))
    n = len(pages)
    if pages and pages[-1][1] == 200:
        st, _, _ = s.get('%spage/%d/' % (base, max(n, 1) + 1))
        c.status(st, 404, 'GET %spage/%d/ (past the end of %s)' % (base, n + 1, what))
    return n


with Site(demo=True, serve=False) as s:
    pages_seen = []   # every HTML page fetched, for the inline-script check
    meta = {}         # article url -> what its page says
    with c.section('setup'):
        cli_ok(c, s.cli('user', 'add', 'ewriter', '--email', 'ewriter@example.org', '--role',
                        'author', '--password-stdin', input='writer password 123\n'),
               'user add ewriter')
        cats, cat_name = [], {}
        for line in s.cli('category', 'list').stdout.splitlines():
            f = line.split('\t')
            for i, x in enumerate(f):
                if re.match(r'^[a-z0-9-]+(/[a-z0-9-]+)*$', x) and not x.isdigit():
                    cats.append(x)
                    cat_name[x] = f[i + 1] if i + 1 < len(f) else ''
                    break
        subs = [p for p in cats if '/' in p]
        c.ok(subs, 'demo: no sub-category in `category list`: %r' % cats)
        sub = 'news/city-hall' if 'news/city-hall' in subs else (subs[0] if subs else '')
        r = s.cli('post', 'add', '--title', PROBE_TITLE, '--slug', 'e2e-probe', '--category', sub,
                  '--tags', 'E2E Probe, Another Probe', '--author', 'ewriter', '--status',
                  'published', '--date', '2026-03-14T09:30:00Z', input=PROBE_MD)
        probe_url = id_url(cli_ok(c, r, 'post add probe'))[1]
        c.eq(probe_url, '/2026/03/e2e-probe/', 'probe URL')
        r = s.cli('post', 'add', '--title', 'E2E Sticky Notice', '--slug', 'e2e-sticky',
                  '--sticky', '--status', 'published', '--date', '2020-01-15T12:00:00Z',
                  input='An old but sticky notice.\n')
        sticky_url = id_url(cli_ok(c, r, 'post add --sticky'))[1]
        r = s.cli('post', 'add', '--title', 'Hostile </script><script>alert(1)</script> title',
                  '--category', sub, '--tags', 'E2E Probe', '--status', 'published',
                  input='Body with </script> in it.\n')
        cli_ok(c, r, 'post add with </script> in the title')
        cli_ok(c, s.cli('category', 'add', 'Empty Corner', '--slug', 'empty-corner'),
               'category add Empty Corner')
        pub = published(s)
        # sticky posts: the demo may have its own; `post show` says which
        stickies = set()
        for line in s.cli('post', 'list', '--status', 'published').stdout.splitlines():
            f = line.split('\t')
            urls = [x for x in f if ARTICLE_RE.match(x)]
            if urls and f[0].isdigit():
                show = s.cli('post', 'show', f[0]).stdout
                if re.search(r'(?mi)^sticky:\s*(yes|true|1)\s*$', show):
                    stickies.add(urls[0])
        c.ok(sticky_url in stickies, '`post show` does not say the --sticky post is sticky')
        stickies.add(sticky_url)
        pages_list = s.cli('page', 'list').stdout
        s.start()

    with c.section('demo content'):
        n_demo = len(pub) - 3
        c.ok(35 <= n_demo <= 60, 'demo has %d published articles, expected about 40' % n_demo)
        c.ok(len(set(p.split('/')[0] for p in cats)) >= 3, 'demo: few top-level categories')

    # --- articles --------------------------------------------------------------
    with c.section('articles'):
        problems = {}

        def bad(kind, url):
            problems.setdefault(kind, []).append(url)
        for url, title in sorted(pub.items()):
            st, h, p = s.page(url)
            pages_seen.append((url, p))
            if st != 200:
                bad('status %s' % st, url)
                continue
            if not h.get('content-type', '').startswith('text/html'):
                bad('content-type %r' % h.get('content-type'), url)
            m = {'title': norm(title)}
            if norm(title) not in p.h1:
                bad('no <h1> with the title', url)
            authors = sorted(set(a for a in p.hrefs('/author/')))
            if len(authors) != 1 or not re.match(r'^/author/[a-z0-9_.-]+/$', authors[0]):
                bad('author links %r' % authors, url)
            m['author'] = authors[0] if authors else None
            try:
                m['date'] = parse_dt(p.times[0])
            except Exception:
                bad('no parseable <time datetime>', url)
                m['date'] = None
            m['tags'] = sorted(set(p.hrefs('/tag/')))
            if '<p>' not in p.html:
                bad('no body paragraphs', url)
            # breadcrumb
            cr = p.crumbs
            texts = p.crumb_texts()
            if len(cr) < 2:
                bad('breadcrumb missing (%r)' % texts, url)
                meta[url] = m
                continue
            if texts[0] != 'Home' or cr[0]['href'] != '/':
                bad('first crumb is not Home -> / (%r %r)' % (texts[0], cr[0]['href']), url)
            if not (cr[-1]['current'] and cr[-1]['href'] is None and texts[-1] == norm(title)):
                bad('last crumb is not the title with aria-current=page and no link', url)
            if any(x['href'] is None or x['current'] for x in cr[:-1]):
                bad('a crumb before the last is not a plain link', url)
            if p.crumb_line() != ' » '.join(texts):
                bad('crumbs not separated by a literal » (%r)' % p.crumb_line(), url)
            if '»' not in p.crumb_html:
                bad('no literal » in the breadcrumb HTML', url)
            chain = cr[1:-1]
            prev = '/category/'
            for x in chain:
                if not (x['href'] or '').startswith(prev) or \
                        not re.match(r'^/category/[a-z0-9/-]+/$', x['href'] or ''):
                    bad('category crumbs are not a path chain: %r' % [y['href'] for y in chain],
                        url)
                    break
                prev = x['href']
            m['cat'] = chain[-1]['href'] if chain else None
            m['chain'] = [(norm(x['text']), x['href']) for x in chain]
            if m['cat'] and m['cat'] not in p.hrefs('/category/'):
                bad('no category link', url)
            # JSON-LD
            lds = p.jsonld()
            if any(isinstance(d, Exception) for d in lds):
                bad('ld+json that does not parse', url)
            bl = p.ld_of_type('BreadcrumbList')
            if not bl:
                bad('no BreadcrumbList JSON-LD', url)
            else:
                items = sorted(bl[0].get('itemListElement', []),
                               key=lambda e: e.get('position', 0))
                names = [norm(str(e.get('name', (e.get('item') or {}).get('name', '')
                                         if isinstance(e.get('item'), dict) else '')))
                         for e in items]
                if names != texts:
                    bad('BreadcrumbList names %r != crumbs %r' % (names, texts), url)
                if [e.get('position') for e in items] != list(range(1, len(items) + 1)):
                    bad('BreadcrumbList positions', url)
                for e, x in zip(items, cr[:-1]):
                    it = e.get('item')
                    it = it.get('@id') if isinstance(it, dict) else it
                    if not isinstance(it, str) or not it.endswith(x['href']):
                        bad('BreadcrumbList item %r for crumb %r' % (it, x['href']), url)
            sp = p.script_problems()
            if sp:
                bad('scripts other than ld+json: %s' % sp[:2], url)
            meta[url] = m
        for kind, urls in sorted(problems.items()):
            c.ok(False, 'article pages with %s: %d, e.g. %s' % (kind, len(urls), urls[:3]))
        c.ok(len(meta) == len(pub), 'fetched %d of %d articles' % (len(meta), len(pub)))

    with c.section('probe article'):
        st, h, p = s.page(probe_url)
        c.status(st, 200, 'GET %s' % probe_url)
        c.ok(norm(PROBE_TITLE) in p.h1, 'probe: <h1> %r' % p.h1)
        c.ok('E2E Probe: Tides &amp; &lt;Tests&gt;' in p.html, 'probe: title not HTML-escaped')
        c.ok(re.search(r'<strong>bold words</strong>', p.html), 'probe: no <strong> from Markdown')
        c.ok(re.search(r'<h2[^>]*>A subheading</h2>', p.html), 'probe: no <h2> from Markdown')
        c.ok(re.search(r'<li>first item</li>', p.html), 'probe: no list items from Markdown')
        c.ok(re.search(r'<a href="https://example.org/"[^>]*>plain link</a>', p.html),
             'probe: no link from Markdown')
        c.ok('<table' in p.html, 'probe: GFM table not rendered')
        c.ok('<script>alert' not in p.html, 'probe: <script> from the Markdown body reached the page')
        want = ['Home', cat_name.get(sub.split('/')[0]), cat_name.get(sub), norm(PROBE_TITLE)]
        c.eq(len(p.crumbs), 4, 'probe (in %s): breadcrumb length %r' % (sub, p.crumb_texts()))
        c.eq(p.crumb_texts(), want, 'probe: breadcrumb')
        c.eq([x['href'] for x in p.crumbs[:-1]],
             ['/', '/category/%s/' % sub.split('/')[0], '/category/%s/' % sub],
             'probe: breadcrumb links')
        c.eq(p.crumb_line(), ' » '.join(want), 'probe: breadcrumb text')
        c.eq(sorted(set(p.hrefs('/tag/'))), ['/tag/another-probe/', '/tag/e2e-probe/'],
             'probe: tag links')
        c.eq(sorted(set(p.hrefs('/author/'))), ['/author/ewriter/'], 'probe: author link')
        c.ok(p.times and p.times[0].startswith('2026-03-14T09:30'),
             'probe: <time datetime> %r' % p.times[:1])

    # --- home ----------------------------------------------------------------
    date_of = {u: m['date'] for u, m in meta.items() if m.get('date')}
    with c.section('home'):
        st, h, p = s.page('/')
        c.status(st, 200, 'GET /')
        arts = p.articles()
        want_first = sorted(stickies, key=lambda u: date_of.get(u, datetime.min.replace(
            tzinfo=timezone.utc)), reverse=True)
        c.eq(arts[:len(want_first)], want_first, 'home: sticky posts first, newest first')
        c.ok(p.head_link('next') == '/page/2/', 'home: <link rel=next> %r' % p.head_link('next'))
        c.ok(p.body_link('next') == '/page/2/', 'home: <a rel=next> %r' % p.body_link('next'))
        c.ok(len(p.hrefs('/author/')) >= PER_PAGE and len(p.times) >= PER_PAGE,
             'home: summaries lack author links or dates')
        c.ok(len(p.hrefs('/category/')) >= PER_PAGE, 'home: summaries lack category links')
        tops = sorted(set(x.split('/')[0] for x in cats if x != 'empty-corner'))
        navcats = set(p.hrefs('/category/'))
        c.ok(all('/category/%s/' % t in navcats for t in tops),
             'home: menu lacks top-level categories %s' % [t for t in tops
                                                          if '/category/%s/' % t not in navcats])
        c.ok('/about/' in p.hrefs('/about/'), 'home: menu lacks /about/')
        n = check_listing(s, '/', set(pub), 'home', pages_seen, date_of, sticky=stickies)
        c.ok(n >= 4, 'home: %d pages for %d articles' % (n, len(pub)))
        st, _, p2 = s.page('/page/2/')
        c.status(st, 200, 'GET /page/2/')
        c.eq(p2.head_link('prev'), p2.body_link('prev'), '/page/2/: rel=prev head vs body')
        c.ok(not stickies & set(p2.articles()), 'sticky post repeated on /page/2/')

    # --- archives --------------------------------------------------------------
    with c.section('category archives'):
        paths = set(cats)
        for m in meta.values():
            for _, href in m.get('chain', []):
                paths.add(href[len('/category/'):-1])
        biggest = 0
        for path in sorted(paths):
            base = '/category/%s/' % path
            want = set(u for u, m in meta.items()
                       if m.get('cat') and (m['cat'] == base or m['cat'].startswith(base)))
            n = check_listing(s, base, want, 'category %s' % path, pages_seen, date_of,
                              sticky=stickies)
            if '/' not in path:
                biggest = max(biggest, len(want))
        c.ok(biggest > PER_PAGE, 'demo: no category holds more than a page (max %d)' % biggest)
        if sub:
            top = sub.split('/')[0]
            st, _, p = s.page('/category/%s/' % top)
            kids = set(p.hrefs('/category/%s/' % top))
            c.ok('/category/%s/' % sub in kids, 'category %s does not link its sub-category %s'
                 % (top, sub))
        st, _, p = s.page('/category/empty-corner/')
        c.status(st, 200, 'GET /category/empty-corner/ (empty, page 1)')
        c.eq(p.articles(), [], 'empty category lists articles')
        st, _, _ = s.get('/category/empty-corner/page/2/')
        c.status(st, 404, 'GET /category/empty-corner/page/2/')
        for path in ('/category/no-such-category/', '/category/news/no-such-child/',
                     '/category/empty-corner/no-such-child/'):
            st, _, _ = s.get(path)
            c.status(st, 404, 'GET %s' % path)

    with c.section('tag archives'):
        tags = sorted(set(t for m in meta.values() for t in m.get('tags', [])))
        c.ok(len(tags) >= 10, 'demo: only %d tags' % len(tags))
        for t in tags:
            want = set(u for u, m in meta.items() if t in m.get('tags', []))
            check_listing(s, t, want, 'tag %s' % t, pages_seen, date_of, sticky=stickies)
        st, _, _ = s.get('/tag/no-such-tag/')
        c.status(st, 404, 'GET /tag/no-such-tag/')

    with c.section('author archives'):
        authors = sorted(set(m['author'] for m in meta.values() if m.get('author')))
        c.ok(len(authors) >= 4, 'demo: only %d authors with articles' % len(authors))
        for a in authors:
            want = set(u for u, m in meta.items() if m.get('author') == a)
            check_listing(s, a, want, 'author %s' % a, pages_seen, date_of, sticky=stickies)
        st, _, _ = s.get('/author/nobody-here/')
        c.status(st, 404, 'GET /author/nobody-here/')

    with c.section('date archives'):
        years = sorted(set(u[:6] for u in pub))
        months = sorted(set(u[:9] for u in pub))
        for y in years:
            check_listing(s, y, set(u for u in pub if u.startswith(y)), 'year %s' % y,
                          pages_seen, date_of)
        for mo in months:
            check_listing(s, mo, set(u for u in pub if u.startswith(mo)), 'month %s' % mo,
                          pages_seen, date_of)
        for path in ('/2026/13/', '/2026/00/', '/2026/1/'):
            st, _, _ = s.get(path)
            c.status(st, range(400, 500), 'GET %s' % path)

    # --- static pages, redirects ---------------------------------------------------
    with c.section('static pages'):
        for line in pages_list.splitlines():
            f = line.split('\t')
            urls = [x for x in f if re.match(r'^/[a-z0-9-]+/$', x)]
            if not urls:
                continue
            st, h, p = s.page(urls[0])
            pages_seen.append((urls[0], p))
            c.status(st, 200, 'GET %s' % urls[0])
            c.ok(norm(f[-1]) in p.h1, '%s: <h1> %r, expected %r' % (urls[0], p.h1, f[-1]))
        st, _, p = s.page('/about/')
        c.status(st, 200, 'GET /about/')
        c.ok(p.html.count('<p>') >= 2, '/about/: no body')
        st, _, _ = s.get('/no-such-page/')
        c.status(st, 404, 'GET /no-such-page/')

    with c.section('trailing slash'):
        some_tag = tags[0] if tags else '/tag/x/'
        for path in ('/about/', probe_url, '/category/news/', '/category/%s/' % sub, some_tag,
                     '/author/ewriter/', '/2026/', '/2026/03/', '/page/2/',
                     '/category/news/page/2/'):
            st, h, _ = s.get(path[:-1])
            loc = h.get('location', '')
            c.ok(st == 301 and re.match(r'^(https?://[^/]+)?%s$' % re.escape(path), loc),
                 'GET %s -> expected 301 to %s, got %s %r' % (path[:-1], path, st, loc))

    with c.section('no inline scripts'):
        badp = [(u, p.script_problems()[:2]) for u, p in pages_seen if p.script_problems()]
        c.ok(not badp, 'pages with scripts other than ld+json: %d, e.g. %s'
             % (len(badp), badp[:3]))
        c.ok(len(pages_seen) > 60, 'only %d pages checked' % len(pages_seen))

    c.finish(s)
