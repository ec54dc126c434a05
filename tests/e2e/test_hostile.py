"""test_hostile.py - hostile clients on loopback, bounded in time and size.

 - path traversal against /assets/ ('..', %2e%2e, double-encoded %252e,
   backslashes, NUL, overlong UTF-8): never anything but a theme asset, and
   never a file outside the theme's assets/ folder (a secret file is put
   next to it, in the theme folder and in the site folder);
 - conflicting Content-Length / Transfer-Encoding (request smuggling) and
   huge or endless heads: a 4xx or a closed connection, never a second
   request read out of a body, and the server stays up;
 - a few hundred slow (slowloris) connections from 127.0.0.2..127.0.0.31
   while a client on 127.0.0.1 still gets pages within a generous deadline;
   the whole-request deadline then closes every slow connection;
 - a connection flood from one address is held to per_ip_connections
   while another address is still served;
 - the server's resident memory (VmRSS) stays within a generous bound.
Every wait is a poll with a deadline; nothing depends on machine speed
beyond "served within DEADLINE seconds".
"""
import os
import shutil
import socket
import tempfile
import time

from harness import Checks, Site, poll, read_response

c = Checks('test_hostile')

SLOW_ADDRS = ['127.0.0.%d' % i for i in range(2, 32)]  # 30 addresses
SLOW_PER_ADDR = 10                                     # 300 slow connections
PER_IP = 16
DEADLINE = 5.0      # a normal page must come within this, whatever else happens
REQUEST_DEADLINE = 6
THEME_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'themes',
                         'default')
SECRET = b'TOP-SECRET-7f3a9c'


def rss_kb(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def req(method, path, extra=b'', body=b'', close=True):
    return (b'%s %s HTTP/1.1\r\nHost: localhost\r\n%s%s\r\n' %
            (method, path, b'Connection: close\r\n' if close else b'', extra)) + body


def timed_get(s, path='/', source=None):
    """(status, seconds) of one GET, or (repr(error), seconds)."""
    t0 = time.monotonic()
    try:
        st = s.request('GET', path, source=source)[0]
    except Exception as e:  # noqa: BLE001 - any failure is a finding
        st = repr(e)
    return st, time.monotonic() - t0


def served(s, what, source=None):
    st, dt = timed_get(s, source=source)
    c.ok(st == 200 and dt < DEADLINE, '%s: GET / -> %s in %.2f s (deadline %.0f s)' %
         (what, st, dt, DEADLINE))


def closed_within(sock, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, min(0.5, deadline - time.monotonic())))
        try:
            if sock.recv(65536) == b'':
                return True
        except socket.timeout:
            continue
        except OSError:
            return True
    return False


tmp_theme = None
try:
    tmp_theme = tempfile.mkdtemp(prefix='gazette-theme-')
    theme = os.path.join(tmp_theme, 'theme')
    shutil.copytree(THEME_SRC, theme)
    for p in (os.path.join(theme, 'secret.txt'), os.path.join(tmp_theme, 'secret.txt'),
              os.path.join(theme, 'assets', 'sub', 'secret.txt')):
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'wb') as f:
            f.write(SECRET)
    conf = ('\ntheme = %s\nper_ip_connections = %d\nmax_connections = 1000\n'
            'idle_timeout = 30\nrequest_deadline = %d\n' % (theme, PER_IP, REQUEST_DEADLINE))

    with Site(demo=True, conf_extra=conf) as s:
        pid = s.proc.pid
        s.get('/')
        rss0 = rss_kb(pid)
        with open(os.path.join(s.dir, 'gazette.conf'), 'rb') as f:
            conf_bytes = f.read()

        def leaked(body):
            return (SECRET in body or b'SQLite format' in body or b'root:x:' in body or
                    b'per_ip_connections' in body or conf_bytes[:40] in body)

        with c.section('path traversal against /assets/'):
            st, h, p = s.page('/')
            css = [l.get('href') for l in p.links if 'stylesheet' in l.get('rel', '')]
            c.ok(css and css[0].startswith('/assets/'), 'a stylesheet under /assets/: %s' % css)
            st, h, good = s.get(css[0])
            c.status(st, 200, 'GET %s' % css[0])
            name = css[0][len('/assets/'):]
            paths = []
            for up in ('..', '%2e%2e', '%2E%2E', '.%2e', '%252e%252e', '%25252e%25252e',
                       '..%5c..', '%5c..', '..%255c', '%c0%ae%c0%ae', '%e0%80%ae%e0%80%ae',
                       '..%00', '%2e%2e%00'):
                for target in ('secret.txt', '../secret.txt', 'gazette.conf',
                               '../site/gazette.conf', '../../../../etc/passwd', 'gazette.db'):
                    for sep in ('/', '%2f', '%252f', '\\', '%5c'):
                        paths.append('/assets/%s%s%s' % (up, sep, target.replace('/', sep)))
            paths += ['/assets/sub/secret.txt', '/assets/sub%2fsecret.txt',
                      '/assets/%2e/secret.txt', '/assets/./' + name, '/assets/' + name + '%00.txt',
                      '/assets/' + name + '/../../secret.txt', '/assets/' + name + '\\..\\..',
                      '/assets/..', '/assets/%2e%2e', '/assets/%252e%252e/', '/assets//etc/passwd',
                      '/assets/%00', '/assets/secret.txt', '/secret.txt', '/%2e%2e/secret.txt',
                      '/assets/' + '../' * 20 + 'etc/passwd', '/assets/\\\\server\\share']
            bad_status = []
            redirects = 0
            for path in paths:
                raw = req(b'GET', path.encode())
                st, h, b = s.raw_request(raw)
                if leaked(b):
                    c.ok(False, 'GET %s leaked a file (%s)' % (path, st))
                loc = h.get('location', '')
                if st == 301 and loc.startswith('/') and not loc.startswith('//'):
                    # the slash form of a page path: follow it, once
                    redirects += 1
                    st, h, b = s.raw_request(req(b'GET', loc.encode()))
                    if leaked(b):
                        c.ok(False, 'GET %s -> %s leaked a file (%s)' % (path, loc, st))
                    path = '%s -> %s' % (path, loc)
                if st is not None and st < 400 and b != good:
                    bad_status.append((path, st))
            # a NUL byte sent raw in the target
            for raw in (b'GET /assets/' + name.encode() + b'\x00/../../secret.txt HTTP/1.1\r\n'
                        b'Host: x\r\nConnection: close\r\n\r\n',
                        b'GET /assets/..\x00/secret.txt HTTP/1.1\r\nHost: x\r\n'
                        b'Connection: close\r\n\r\n'):
                st, h, b = s.raw_request(raw)
                c.ok(not leaked(b), 'a raw NUL in the target leaked a file (%s)' % st)
                if st is not None and st < 400 and b != good:
                    bad_status.append((raw[:40], st))
            c.eq(bad_status, [], 'traversal attempts answered with something but an error '
                 'or the real asset')
            c.ok(len(paths) > 300, '%d traversal paths tried' % len(paths))
            print('test_hostile: %d traversal paths, %d redirected to a slash form and followed'
                  % (len(paths), redirects), flush=True)
            served(s, 'after the traversal attempts')

        with c.section('conflicting Content-Length / Transfer-Encoding'):
            smuggled = b'GET /smuggled-7f3a/ HTTP/1.1\r\nHost: x\r\n\r\n'
            chunked_smuggle = b'0\r\n\r\n' + smuggled
            form = b'Content-Type: application/x-www-form-urlencoded\r\n'
            cases = [
                ('CL and TE', b'GET', b'Content-Length: %d\r\nTransfer-Encoding: chunked\r\n'
                 % len(chunked_smuggle), chunked_smuggle),
                ('TE and CL', b'GET', b'Transfer-Encoding: chunked\r\nContent-Length: 4\r\n',
                 chunked_smuggle),
                ('POST CL and TE', b'POST', form + b'Content-Length: 5\r\nTransfer-Encoding: '
                 b'chunked\r\n', chunked_smuggle),
                ('two Content-Lengths', b'GET', b'Content-Length: 0\r\nContent-Length: %d\r\n'
                 % len(smuggled), smuggled),
                ('same Content-Length twice', b'POST', form + b'Content-Length: 3\r\n'
                 b'Content-Length: 3\r\n', b'a=b'),
                ('Content-Length list', b'POST', form + b'Content-Length: 3, 3\r\n', b'a=b'),
                ('two Transfer-Encodings', b'GET', b'Transfer-Encoding: chunked\r\n'
                 b'Transfer-Encoding: identity\r\n', chunked_smuggle),
                ('Transfer-Encoding gzip, chunked', b'GET', b'Transfer-Encoding: gzip, chunked\r\n',
                 chunked_smuggle),
                ('Transfer-Encoding xchunked', b'GET', b'Transfer-Encoding: xchunked\r\n',
                 chunked_smuggle),
                ('space before the colon', b'GET', b'Transfer-Encoding : chunked\r\n',
                 chunked_smuggle),
                ('negative Content-Length', b'POST', form + b'Content-Length: -1\r\n', b''),
                ('Content-Length 1e3', b'POST', form + b'Content-Length: 1e3\r\n', b''),
                ('huge Content-Length', b'POST', form + b'Content-Length: '
                 b'99999999999999999999\r\n', b''),
                ('bad chunk size', b'POST', form + b'Transfer-Encoding: chunked\r\n',
                 b'zz\r\nab\r\n0\r\n\r\n'),
                ('huge chunk size', b'POST', form + b'Transfer-Encoding: chunked\r\n',
                 b'FFFFFFFFFFFFFFFFFF\r\nab\r\n0\r\n\r\n'),
            ]
            for what, method, hdrs, body in cases:
                sk = s.connect()
                try:
                    sk.sendall(req(method, b'/', hdrs, body, close=False))
                    st, h, b = read_response(sk)
                    c.ok(st is None or 400 <= st < 500, '%s -> %s, expected a 4xx or a close'
                         % (what, st))
                    if st is not None:
                        # nothing more may come: no second request read out of the body
                        sk.settimeout(3)
                        st2, h2, b2 = read_response(sk)
                        c.ok(st2 is None, '%s: a second response (%s) followed the %s'
                             % (what, st2, st))
                finally:
                    sk.close()
                c.ok(s.alive(), 'server alive after %s' % what)
            served(s, 'after the smuggling attempts')

        with c.section('huge and endless heads'):
            for what, raw in (
                    ('1 MB header', req(b'GET', b'/', b'X-Big: ' + b'a' * (1 << 20) + b'\r\n')),
                    ('10,000 headers', req(b'GET', b'/', b'X-A: b\r\n' * 10000)),
                    ('100 KB target', req(b'GET', b'/' + b'a' * 100000)),
                    ('1 MB request line', b'GET /' + b'a' * (1 << 20))):
                try:
                    st, h, b = s.raw_request(raw, timeout=10)
                except OSError as e:
                    st = None
                c.ok(st is None or 400 <= st < 500, '%s -> %s, expected a 4xx or a close'
                     % (what, st))
                c.ok(s.alive(), 'server alive after the %s' % what)
            # a head that never ends: 4 MB of header bytes without an empty line
            sk = s.connect()
            sent = 0
            try:
                sk.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n')
                chunk = b'X-Endless: ' + b'z' * 1000 + b'\r\n'
                while sent < (4 << 20):
                    sk.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass
            finally:
                try:
                    st, h, b = read_response(sk)
                except OSError:
                    st = None
                sk.close()
            c.ok(sent < (4 << 20) or st is None or 400 <= st < 500,
                 'an endless head: server read all %d bytes and answered %s' % (sent, st))
            served(s, 'after the huge heads')

        with c.section('slowloris from 30 addresses, a normal client on 127.0.0.1'):
            slow = []
            try:
                for addr in SLOW_ADDRS:
                    for _ in range(SLOW_PER_ADDR):
                        sk = socket.socket()
                        sk.settimeout(5)
                        sk.bind((addr, 0))
                        sk.connect((s.host, s.port))
                        sk.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n')
                        slow.append(sk)
                c.eq(len(slow), len(SLOW_ADDRS) * SLOW_PER_ADDR, 'slow connections opened')
                times = []
                worst = 0.0
                t_end = time.monotonic() + 4.0
                i = 0
                while time.monotonic() < t_end:
                    for sk in slow[i::4]:  # trickle a header byte on a quarter of them
                        try:
                            sk.sendall(b'X')
                        except OSError:
                            pass
                    i = (i + 1) % 4
                    st, dt = timed_get(s)
                    times.append(dt)
                    worst = max(worst, dt)
                    c.ok(st == 200 and dt < DEADLINE, 'under slowloris: GET / -> %s in %.2f s'
                         % (st, dt))
                c.ok(len(times) >= 3, 'only %d requests completed in 4 s under slowloris'
                     % len(times))
                st, dt = timed_get(s, '/healthz')
                c.ok(st == 200 and dt < DEADLINE, 'under slowloris: /healthz -> %s' % st)
                print('test_hostile: %d GETs under %d slow connections, worst %.3f s'
                      % (len(times), len(slow), worst), flush=True)
                # the whole-request deadline closes them, trickling or not
                t0 = time.monotonic()
                open_ = list(slow)
                while open_ and time.monotonic() - t0 < REQUEST_DEADLINE + 15:
                    still = []
                    for sk in open_:
                        sk.settimeout(0.01)
                        try:
                            if sk.recv(65536) == b'':
                                continue
                        except socket.timeout:
                            still.append(sk)
                            continue
                        except OSError:
                            continue
                    open_ = still
                    if open_:
                        time.sleep(0.2)
                c.eq(len(open_), 0, 'slow connections still open %d s after request_deadline'
                     % 15)
            finally:
                for sk in slow:
                    sk.close()
            served(s, 'after the slowloris')

        with c.section('connection flood from one address'):
            flood = []
            try:
                for _ in range(300):
                    sk = socket.socket()
                    sk.settimeout(5)
                    sk.bind(('127.0.0.40', 0))
                    try:
                        sk.connect((s.host, s.port))
                    except OSError:
                        sk.close()
                        continue
                    flood.append(sk)
                served(s, 'another address (127.0.0.1) during the flood')
                served(s, 'a third address (127.0.0.41) during the flood', source='127.0.0.41')
                answered = 0
                for sk in flood:
                    try:
                        sk.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
                        if read_response(sk)[0] == 200:
                            answered += 1
                    except OSError:
                        pass
                c.ok(1 <= answered <= PER_IP, '%d of %d flood connections from one address '
                     'were served; per_ip_connections = %d' % (answered, len(flood), PER_IP))
            finally:
                for sk in flood:
                    sk.close()
            c.ok(poll(lambda: timed_get(s, source='127.0.0.40')[0] == 200, 10.0),
                 'the flooding address is served again once its connections close')

        with c.section('memory stays bounded'):
            rss1 = rss_kb(pid)
            # ASan keeps freed memory in quarantine (256 MB by default)
            bound = (768 if 'ASAN_OPTIONS' in os.environ else 256) * 1024
            c.ok(rss1 - rss0 < bound, 'VmRSS grew from %d KB to %d KB (bound +%d KB)'
                 % (rss0, rss1, bound))
            print('test_hostile: VmRSS %d KB before, %d KB after' % (rss0, rss1), flush=True)
            c.ok(s.alive(), 'server alive at the end')
            served(s, 'at the end')
        c.finish(s)
finally:
    if tmp_theme:
        shutil.rmtree(tmp_theme, ignore_errors=True)
