"""test_http.py - HTTP behaviour and hostile requests.

Conditional requests (ETag/If-None-Match, Last-Modified/If-Modified-Since ->
304), HEAD, themed 404, 405 with Allow, 400 for malformed requests (broken
percent-encoding, invalid UTF-8 in path and query), 414/431/413 for oversized
URLs, headers and bodies, unknown methods, SQL metacharacters in slugs, huge
and negative page numbers, path traversal, keep-alive, /healthz, and
fingerprinted static assets. After every hostile request the server must
still answer GET / with 200.
"""
import os
import re
import select
import time

from harness import Checks, Site, cli_ok, id_url, poll, read_response

c = Checks('test_http')


def req(method, path, headers=(), body=b'', version='HTTP/1.1', close=True):
    h = ['%s %s %s' % (method, path, version), 'Host: 127.0.0.1']
    h += list(headers)
    if close:
        h.append('Connection: close')
    if body:
        h.append('Content-Length: %d' % len(body))
    return ('\r\n'.join(h) + '\r\n\r\n').encode('latin-1') + body


def still_serving(s, after):
    try:
        st, _, _ = s.get('/')
    except Exception as e:
        st = repr(e)
    c.ok(st == 200 and s.alive(), 'after %s: GET / -> %s (server alive: %s)'
         % (after, st, s.alive()))


def send_big_body(s, head, body_len, chunked=False):
    """Send a request head then up to body_len body bytes, stopping as soon as
    the server answers. Returns the parsed response."""
    sock = s.connect(timeout=15)
    try:
        sock.sendall(head)
        sent, block = 0, b'x' * 65536
        deadline = time.monotonic() + 30
        while sent < body_len and time.monotonic() < deadline:
            r, _, _ = select.select([sock], [], [], 0)
            if r:
                break
            n = min(len(block), body_len - sent)
            data = block[:n]
            if chunked:
                data = b'%x\r\n' % n + data + b'\r\n'
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += n
        else:
            if chunked:
                try:
                    sock.sendall(b'0\r\n\r\n')
                except (BrokenPipeError, ConnectionResetError):
                    pass
        return read_response(sock)
    finally:
        sock.close()


with Site(serve=False) as s:
    with c.section('setup'):
        cli_ok(c, s.cli('user', 'add', 'hwriter', '--email', 'h@example.org', '--role', 'author',
                        '--password-stdin', input='http password 123\n'), 'user add')
        cli_ok(c, s.cli('category', 'add', 'Things'), 'category add')
        r = s.cli('post', 'add', '--title', 'An HTTP Story', '--category', 'things', '--tags',
                  'web', '--status', 'published', input='Body of the **HTTP** story.\n')
        pid, url = id_url(cli_ok(c, r, 'post add'))
        site_title = s.cli('settings', 'get', 'title').stdout.strip()
        with open(os.path.join(s.dir, 'gazette.conf')) as f:
            conf_lines = [l.strip() for l in f if l.strip() and not l.startswith('#')]
        conf_line = max(conf_lines, key=len) if conf_lines else ''
        s.start()

    with c.section('basics'):
        st, h, b = s.get('/healthz')
        c.status(st, 200, 'GET /healthz')
        st, h, b = s.get('/')
        c.status(st, 200, 'GET /')
        c.ok(h.get('content-type', '').startswith('text/html'), 'GET /: content-type %r'
             % h.get('content-type'))
        c.ok('charset=utf-8' in h.get('content-type', '').lower().replace(' ', ''),
             'GET /: content-type has no charset=utf-8')
        st, h, b = s.get(url)
        c.status(st, 200, 'GET %s' % url)
        s.get('/access-log-probe-q7x/')
        logf = os.path.join(s.tmp, 'serve.log')

        def logged():
            with open(logf, errors='replace') as f:
                return 'access-log-probe-q7x' in f.read()
        c.ok(poll(logged, 5.0), 'no access log line for GET /access-log-probe-q7x/ on stderr')

    with c.section('conditional requests'):
        for path in ('/', url):
            st, h, b = s.get(path)
            etag, lm = h.get('etag'), h.get('last-modified')
            c.ok(etag and re.match(r'^(W/)?"[^"]+"$', etag), '%s: ETag %r' % (path, etag))
            c.ok(lm and lm.endswith('GMT'), '%s: Last-Modified %r' % (path, lm))
            if etag:
                st2, h2, b2 = s.get(path, headers={'If-None-Match': etag})
                c.status(st2, 304, 'GET %s with If-None-Match: %s' % (path, etag))
                c.eq(b2, b'', '304 body for %s' % path)
                c.eq(h2.get('etag'), etag, '304 ETag for %s' % path)
                st2, _, b2 = s.get(path, headers={'If-None-Match': '"something-else"'})
                c.status(st2, 200, 'GET %s with a stale If-None-Match' % path)
                c.eq(b2, b, 'body of GET %s with a stale If-None-Match' % path)
                st2, _, _ = s.get(path, headers={'If-None-Match': '"x", %s' % etag})
                c.status(st2, 304, 'GET %s with If-None-Match listing the ETag' % path)
            if lm:
                st2, _, b2 = s.get(path, headers={'If-Modified-Since': lm})
                c.status(st2, 304, 'GET %s with If-Modified-Since: %s' % (path, lm))
                c.eq(b2, b'', '304 body (If-Modified-Since) for %s' % path)
                st2, _, _ = s.get(path, headers={'If-Modified-Since':
                                                 'Sat, 01 Jan 2000 00:00:00 GMT'})
                c.status(st2, 200, 'GET %s with an old If-Modified-Since' % path)
                st2, _, _ = s.get(path, headers={'If-Modified-Since': 'garbage'})
                c.status(st2, 200, 'GET %s with an unparseable If-Modified-Since' % path)

    with c.section('HEAD'):
        st, h, b = s.get('/')
        st2, h2, _ = s.request('HEAD', '/')
        c.status(st2, 200, 'HEAD /')
        c.eq(h2.get('etag'), h.get('etag'), 'HEAD / ETag')
        c.eq(h2.get('content-type'), h.get('content-type'), 'HEAD / content-type')
        if 'content-length' in h2:
            c.eq(h2['content-length'], str(len(b)), 'HEAD / content-length vs GET body')
        sock = s.connect()
        try:
            sock.sendall(req('HEAD', '/'))
            data = b''
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        finally:
            sock.close()
        head, _, rest = data.partition(b'\r\n\r\n')
        c.ok(head.startswith(b'HTTP/1.1 200'), 'raw HEAD /: %r' % head[:40])
        c.eq(rest, b'', 'raw HEAD / sent a body')
        st, h, b = s.request('HEAD', '/no-such-thing/')
        c.status(st, 404, 'HEAD /no-such-thing/')

    with c.section('404 page'):
        st, h, b = s.get('/no-such-thing/')
        text = b.decode('utf-8', 'replace')
        c.status(st, 404, 'GET /no-such-thing/')
        c.ok(h.get('content-type', '').startswith('text/html'), '404 content-type %r'
             % h.get('content-type'))
        c.ok('<html' in text and site_title in text and 'stylesheet' in text,
             '404 is not a themed page (site title %r, stylesheet)' % site_title)
        st, h, b = s.get('/2026/01/no-such-article/')
        c.status(st, 404, 'GET /2026/01/no-such-article/')

    with c.section('405'):
        for method in ('DELETE', 'PUT', 'PATCH'):
            st, h, b = s.raw_request(req(method, '/'))
            c.status(st, 405, '%s /' % method)
            allow = [x.strip().upper() for x in h.get('allow', '').split(',')]
            c.ok('GET' in allow and 'HEAD' in allow, '%s /: Allow %r' % (method, h.get('allow')))
            c.ok(method not in allow, '%s /: Allow lists %s' % (method, method))
            still_serving(s, '%s /' % method)
        st, h, b = s.raw_request(req('DELETE', url))
        c.status(st, 405, 'DELETE %s' % url)

    with c.section('malformed requests -> 400'):
        st, h, b = s.raw_request(req('GET', '/%00/'))
        c.status(st, (400, 404), 'GET /%00/')
        still_serving(s, 'GET /%00/')
        for path in ('/%zz/', '/%ff/', '/?q=%ff', '/%c3%28/', '/%/', '/abc%2/', url + '?x=%fe%ff',
                     '/category/%ff/', '/?q=%zz'):
            st, h, b = s.raw_request(req('GET', path))
            c.status(st, 400, 'GET %s' % path)
            still_serving(s, 'GET %s' % path)
        st, h, b = s.raw_request(b'GET / HTTP/1.1\r\nConnection: close\r\n\r\n')
        c.status(st, 400, 'HTTP/1.1 request without Host')
        still_serving(s, 'no Host')
        st, h, b = s.raw_request(b'GARBAGE\r\n\r\n')
        c.ok(st is None or 400 <= st < 500, 'garbage request line -> %s' % st)
        still_serving(s, 'a garbage request line')
        st, h, b = s.raw_request(b'GET / HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n')
        c.ok(st is None or 400 <= st < 600, 'HTTP/9.9 -> %s' % st)
        still_serving(s, 'HTTP/9.9')

    with c.section('unknown method'):
        st, h, b = s.raw_request(req('FROBNICATE', '/'))
        c.status(st, (400, 405, 501), 'FROBNICATE /')
        still_serving(s, 'FROBNICATE /')

    with c.section('oversized URL, headers, body'):
        long_path = '/' + 'a' * 10000 + '/'
        st, h, b = s.raw_request(req('GET', long_path))
        c.status(st, range(400, 500), 'GET of a 10,000-byte URL')
        still_serving(s, 'a 10,000-byte URL')
        st, h, b = s.raw_request(req('GET', '/?q=' + 'b' * 100000))
        c.status(st, range(400, 500), 'GET of a 100 KB query string')
        still_serving(s, 'a 100 KB query string')

        many = ['X-Filler-%d: %s' % (i, 'v' * 1000) for i in range(100)]
        st, h, b = s.raw_request(req('GET', '/', headers=many))
        c.status(st, 431, 'GET / with 100 KB of headers')
        still_serving(s, '100 KB of headers')
        st, h, b = s.raw_request(req('GET', '/', headers=['Cookie: ' + 'c' * 64000]))
        c.status(st, 431, 'GET / with one 64 KB header')
        still_serving(s, 'one 64 KB header')

        big = 5 * 1024 * 1024
        head = req('POST', '/', headers=['Content-Type: application/x-www-form-urlencoded',
                                         'Content-Length: %d' % big])
        st, h, b = send_big_body(s, head, big)
        c.status(st, 413, 'POST / with a 5 MB body')
        still_serving(s, 'a 5 MB POST')
        head = req('POST', '/', headers=['Content-Type: application/x-www-form-urlencoded',
                                         'Transfer-Encoding: chunked'])
        st, h, b = send_big_body(s, head, big, chunked=True)
        c.status(st, 413, 'POST / with a 5 MB chunked body')
        still_serving(s, 'a 5 MB chunked POST')

    with c.section('SQL metacharacters and odd slugs -> 404'):
        for path in ("/tag/x'%20OR%201=1--/", "/category/x'%20OR%20'1'='1/",
                     '/author/x%22;DROP%20TABLE%20posts;--/', "/2026/01/a'%20UNION%20SELECT%201--/",
                     "/x'%20OR%201=1--/", '/tag/%25/', '/tag/_/', '/category/%2e%2e/',
                     '/tag/web%00/'):
            st, h, b = s.raw_request(req('GET', path))
            c.status(st, (400, 404), 'GET %s' % path)
            still_serving(s, 'GET %s' % path)
        st, _, _ = s.get(url)
        c.status(st, 200, 'the post is still there after the SQL probes')
        st, _, _ = s.get('/tag/web/')
        c.status(st, 200, 'GET /tag/web/')

    with c.section('page numbers'):
        for path in ('/page/99999999999999999999/', '/page/9223372036854775808/',
                     '/page/9223372036854775807/', '/page/2147483648/', '/page/-1/',
                     '/page/0/', '/page/00/', '/page/1e3/', '/page/%20/', '/page/2.5/',
                     '/category/things/page/0/', '/category/things/page/-5/',
                     '/category/things/page/99999999999999999999/', '/tag/web/page/0/',
                     '/page/2/'):
            st, h, b = s.raw_request(req('GET', path))
            c.status(st, 404, 'GET %s' % path)
            still_serving(s, 'GET %s' % path)

    with c.section('path traversal'):
        for path in ('/assets/../gazette.conf', '/assets/%2e%2e/gazette.conf',
                     '/assets/..%2fgazette.db', '/..%2f..%2f..%2fetc%2fpasswd',
                     '/assets/%2e%2e%2f%2e%2e%2fgazette.conf', '/gazette.db', '/gazette.conf',
                     '/assets/', '/assets/style.css/..'):
            st, h, b = s.raw_request(req('GET', path))
            c.ok(st is None or st >= 300, 'GET %s -> %s' % (path, st))
            c.ok(b'SQLite format' not in b and b'root:x:' not in b and
                 not (conf_line and conf_line.encode() in b), 'GET %s leaked a file' % path)
            still_serving(s, 'GET %s' % path)

    with c.section('keep-alive'):
        sock = s.connect()
        try:
            sock.sendall(req('GET', '/', close=False))
            st1, h1, b1 = read_response(sock)
            c.status(st1, 200, 'keep-alive: first GET /')
            c.ok('close' not in h1.get('connection', '').lower(),
                 'keep-alive: first response says Connection: %s' % h1.get('connection'))
            sock.sendall(req('GET', url, close=False))
            st2, h2, b2 = read_response(sock)
            c.status(st2, 200, 'keep-alive: second GET on the same connection')
            sock.sendall(req('GET', '/healthz', close=False))
            st3, h3, b3 = read_response(sock)
            c.status(st3, 200, 'keep-alive: third request on the same connection')
            # pipelined: two requests in one write
            sock.sendall(req('GET', '/', close=False) + req('GET', '/healthz', close=False))
            st4, _, _ = read_response(sock)
            st5, _, _ = read_response(sock)
            c.ok(st4 == 200 and st5 == 200, 'pipelined requests -> %s, %s' % (st4, st5))
        finally:
            sock.close()
        still_serving(s, 'keep-alive')

    with c.section('static assets'):
        st, h, b = s.page('/')
        css = [l.get('href') for l in b.links if 'stylesheet' in l.get('rel', '').split()]
        c.ok(css and css[0].startswith('/'), 'home: stylesheet link %r' % css)
        if css:
            href = css[0]
            c.ok(re.search(r'[0-9a-f]{6,}', href), 'stylesheet URL is not fingerprinted: %r'
                 % href)
            st, h, body = s.get(href)
            c.status(st, 200, 'GET %s' % href)
            c.ok(h.get('content-type', '').startswith('text/css'), '%s content-type %r'
                 % (href, h.get('content-type')))
            cc = h.get('cache-control', '')
            m = re.search(r'max-age=(\d+)', cc)
            c.ok(m and int(m.group(1)) >= 30 * 86400, '%s: Cache-Control %r (want a long max-age)'
                 % (href, cc))
            c.ok(len(body) > 500, '%s: only %d bytes' % (href, len(body)))
            etag = h.get('etag')
            if etag:
                st2, _, b2 = s.get(href, headers={'If-None-Match': etag})
                c.status(st2, 304, 'GET %s with If-None-Match' % href)
            st2, h2, b2 = s.request('HEAD', href)
            c.status(st2, 200, 'HEAD %s' % href)
            c.eq(b2, b'', 'HEAD %s body' % href)
            wrong = re.sub(r'[0-9a-f]{6,}', '0badf00d', href, count=1)
            st3, h3, _ = s.get(wrong)
            c.ok(st3 == 404 or (st3 in (200, 301, 302, 307) and
                                'immutable' not in h3.get('cache-control', '') and
                                not re.search(r'max-age=[1-9]\d{6,}', h3.get('cache-control', ''))),
                 'GET %s (wrong fingerprint) -> %s with Cache-Control %r; it must not be cached '
                 'for long' % (wrong, st3, h3.get('cache-control')))
        st, _, _ = s.get('/assets/no-such-file.css')
        c.status(st, 404, 'GET /assets/no-such-file.css')

    with c.section('still alive'):
        still_serving(s, 'everything')
        st, _, _ = s.get('/healthz')
        c.status(st, 200, 'GET /healthz at the end')

    c.finish(s)
