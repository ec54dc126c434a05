"""harness.py - start a real `gazette serve` on a loopback port for e2e tests.

Usage:
    from harness import Site, check
    with Site(demo=True) as s:          # temp site dir, init, serve on port 0
        st, hdrs, body = s.get('/')     # hdrs: dict with lower-case names
        s.cli('post', 'add', '--title', 'X', input='body')  # CompletedProcess
        s.raw(b'GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')  # raw bytes back

PostgreSQL: with GAZETTE_E2E_PG=1 every Site keeps its content in a
PostgreSQL database of its own (init --database URL; dropped on exit) on one
throw-away server: the one GAZETTE_E2E_PG_URL names (make e2e-pg starts it
for the whole run with tests/pg/pgtmp.sh), else one started for this file
(tests/pg/pgtmp.py). PG is True then. s.sql(query) reads the database under
test either way; tests about SQLite files themselves skip on PostgreSQL
(`if PG: ...`), saying so.

The binary is $GAZETTE (set by tests/e2e/run.sh). Each Site has its own
temporary directory, removed on exit. Server stderr goes to site_dir/serve.log
and is printed when a test fails. Nothing is mocked: real HTTP over TCP.

More helpers:
    s.start(env={...})       # server-only environment (e.g. GAZETTE_CLOCK_OFFSET)
    s.restart(env=...)       # SIGTERM, wait, start again; returns the exit code
    s.raw_request(bytes)     # (status, headers, body) of one response, or
                             # (None, {}, b'') when the server just closed
    read_response(sock)      # one response from a keep-alive/pipelined socket
    st, h, p = s.page(path)  # p: Page - links, <link rel>, breadcrumb, JSON-LD,
                             # article permalinks, script problems
    c = Checks('name')       # soft checks: c.ok/c.eq/c.status, c.section(...),
    c.finish(s)              # prints the count, exits 1 on any failure
"""
import html
import html.parser
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import weakref
from contextlib import contextmanager

GAZETTE = os.path.abspath(os.environ.get('GAZETTE', './gazette'))
PG = os.environ.get('GAZETTE_E2E_PG', '') not in ('', '0')
_pg_server = None   # PgTmp started by this process (no GAZETTE_E2E_PG_URL)
_pg_seq = [0]


def _psql():
    import glob
    for d in sorted(glob.glob('/usr/lib/postgresql/*/bin'), reverse=True):
        if os.path.exists(os.path.join(d, 'psql')):
            return os.path.join(d, 'psql')
    return 'psql'


def pg_server_url():
    """The server's URL (its maintenance database), starting one if needed."""
    global _pg_server
    url = os.environ.get('GAZETTE_E2E_PG_URL') or os.environ.get('GAZETTE_TEST_PG')
    if url:
        return url
    if _pg_server is None:
        import atexit
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'pg'))
        from pgtmp import PgTmp
        _pg_server = PgTmp().start()
        atexit.register(_pg_server.stop)
    return _pg_server.url


def psql(url, query):
    """Rows of query on url as lists of strings (None for NULL)."""
    r = subprocess.run([_psql(), '-X', '-q', '-At', '-F', '\x1f', '-R', '\x1d',
                        '-P', 'null=\x1e', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', query],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError('psql %r: %s' % (query, r.stderr.strip()))
    out = r.stdout[:-1] if r.stdout.endswith('\n') else r.stdout
    return [[None if v == '\x1e' else v for v in row.split('\x1f')]
            for row in out.split('\x1d') if row != ''] if out else []


def _pg_literal(v):
    if v is None:
        return 'NULL'
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


class _PgCursor:
    def __init__(self, rows):
        self.rows = rows

    def fetchall(self):
        return self.rows

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def __iter__(self):
        return iter(self.rows)


class PgConnection:
    """Enough of sqlite3.Connection for tests reading (or writing behind
    the server's back) a PostgreSQL site: execute(sql, params) with ?
    placeholders, each statement on its own (autocommit). Rows keep their
    types, as sqlite3 gives them (through row_to_json): integers, floats,
    text, None; booleans are True/False, which compare equal to 1/0."""

    def __init__(self, url):
        self.url = url

    def execute(self, sql, params=()):
        parts = sql.split('?')
        if len(parts) - 1 != len(params):
            raise AssertionError('%d placeholders, %d values: %s' % (len(parts) - 1,
                                                                     len(params), sql))
        text = parts[0] + ''.join(_pg_literal(v) + p for v, p in zip(params, parts[1:]))
        if not re.match(r'\s*(SELECT|WITH|VALUES)\b', text, re.I):
            psql(self.url, text)
            return _PgCursor([])
        rows = psql(self.url, 'SELECT row_to_json(r) FROM (%s) r' % text)
        return _PgCursor([tuple(v for _, v in json.loads(r[0], object_pairs_hook=list))
                          for r in rows])

    def commit(self):
        pass

    def close(self):
        pass


def pg_new_database():
    """A fresh database on the server for one site; returns its URL."""
    base = pg_server_url()
    _pg_seq[0] += 1
    name = 'e2e_%d_%d_%d' % (os.getpid(), _pg_seq[0], int(time.time() * 1000) % 100000)
    psql(base, 'CREATE DATABASE %s' % name)
    return base.rsplit('/', 1)[0] + '/' + name, name


def pg_drop_database(name):
    try:
        psql(pg_server_url(), 'DROP DATABASE IF EXISTS %s WITH (FORCE)' % name)
    except AssertionError as e:
        sys.stderr.write('harness: %s\n' % e)


def testdata(test, sub, *names):
    """The folder sub of the shared test material that holds every one of
    names: $GAZETTE_TESTDATA/sub, else ../shared/testdata/sub beside the
    repository (as in CI), else /work/shared/testdata/sub. Exits the test
    with a FAIL line naming where it looked when none has them."""
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cands = []
    if os.environ.get('GAZETTE_TESTDATA'):
        cands.append(os.path.join(os.environ['GAZETTE_TESTDATA'], sub))
    cands.append(os.path.join(repo, '..', 'shared', 'testdata', sub))
    cands.append(os.path.join('/work/shared/testdata', sub))
    for d in cands:
        if all(os.path.isfile(os.path.join(d, n)) for n in names):
            return os.path.abspath(d)
    print('FAIL %s: %s not found in %s' % (test, ', '.join(names), ', '.join(cands)))
    sys.exit(1)


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def poll(fn, timeout=10.0, interval=0.05):
    """Call fn until it returns a truthy value or the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            return v
        time.sleep(interval)


class Site:
    def __init__(self, demo=False, init=True, serve=True, env=None, conf_extra=''):
        self.demo = demo
        self.do_init = init
        self.do_serve = serve
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.conf_extra = conf_extra
        self.proc = None
        self.addr = None
        self.db_url = self.db_name = None

    # --- lifecycle ---------------------------------------------------------
    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix='gazette-e2e-')
        self.dir = os.path.join(self.tmp, 'site')
        if PG:
            self.db_url, self.db_name = pg_new_database()
        if self.do_init:
            args = ['init'] + (['--demo'] if self.demo else [])
            r = self.cli(*args)
            check(r.returncode == 0, 'init failed: %s' % r.stderr)
            if self.conf_extra:
                with open(os.path.join(self.dir, 'gazette.conf'), 'a') as f:
                    f.write(self.conf_extra)
        if self.do_serve:
            self.start()
        return self

    def __exit__(self, et, ev, tb):
        self.stop()
        problems = self.server_problems()
        if problems or (et is not None and et is not SystemExit) or getattr(self, 'print_log', False):
            self.dump_log()
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.db_name:
            pg_drop_database(self.db_name)
        if problems and et is None:
            raise AssertionError('gazette serve: ' + '; '.join(problems))
        if problems and et is SystemExit:
            sys.stderr.write('FAIL gazette serve: %s\n' % '; '.join(problems))
            raise SystemExit(1)
        return False

    def server_problems(self):
        """A serve that did not exit 0 on SIGTERM/SIGINT, or a sanitizer
        report in its log, fails the test file whatever the checks said."""
        out = ['exit status %s after %s' % (rc, sig) for rc, sig in getattr(self, 'bad_exits', [])]
        log = os.path.join(self.tmp, 'serve.log')
        if os.path.exists(log):
            with open(log, errors='replace') as f:
                text = f.read()
            for marker in ('ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:'):
                if marker in text:
                    out.append('sanitizer report (%s) in serve.log' % marker)
        return out

    def start(self, *extra, env=None, timeout=20.0):
        """Start `gazette serve`; env (optional) replaces self.env for the
        server only (e.g. a GAZETTE_CLOCK_OFFSET the CLI must not see).
        Waits at most `timeout` seconds for the `Listening on` line."""
        self.log = open(os.path.join(self.tmp, 'serve.log'), 'ab')
        self.proc = subprocess.Popen(
            [GAZETTE, '--site', self.dir, 'serve', '--listen', '127.0.0.1:0'] + list(extra),
            stdout=subprocess.PIPE, stderr=self.log, env=env if env is not None else self.env)
        line = read_line(self.proc, timeout)
        self.first_line = line
        if not line.startswith('Listening on http://'):
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            raise AssertionError('serve: unexpected first stdout line %r within %ss '
                                 '(not printed, not flushed, or serve failed; see serve.log)'
                                 % (line, timeout))
        hostport = line.strip()[len('Listening on http://'):].rstrip('/')
        host, port = hostport.rsplit(':', 1)
        self.host, self.port = host, int(port)
        self.url = 'http://%s:%d' % (self.host, self.port)

    def restart(self, *extra, env=None):
        """Stop (SIGTERM) and start again on a new port; returns the exit code."""
        rc = self.stop()
        self.start(*extra, env=env)
        return rc

    def dump_log(self):
        log = os.path.join(self.tmp, 'serve.log')
        if os.path.exists(log):
            sys.stderr.write('--- serve.log (last 8000 bytes) ---\n')
            with open(log, errors='replace') as f:
                sys.stderr.write(f.read()[-8000:])

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rc = self.proc.returncode if self.proc else None
        if rc not in (None, 0) and sig in (signal.SIGTERM, signal.SIGINT):
            self.bad_exits = getattr(self, 'bad_exits', []) + [(rc, sig.name)]
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        if getattr(self, 'log', None):
            self.log.close()
            self.log = None
        self.proc = None
        return rc

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    # --- clients -----------------------------------------------------------
    def cli(self, *args, input=None, site=True, timeout=60):
        """Run `gazette [--site DIR] ARGS`; on PostgreSQL an init (and only
        an init) also gets --database with this site's database."""
        pre = ['--site', self.dir] if site else []
        if self.db_url and args and args[0] == 'init':
            pre += ['--database', self.db_url]
        cmd = [GAZETTE] + pre + list(args)
        kw = {} if input is not None else {'stdin': subprocess.DEVNULL}
        return subprocess.run(cmd, input=input, capture_output=True, text=True,
                              env=self.env, timeout=timeout, **kw)

    def db(self):
        """A connection to the database under test, behind the server's back:
        sqlite3's, or on PostgreSQL a PgConnection (? placeholders too)."""
        if self.db_url:
            return PgConnection(self.db_url)
        import sqlite3
        return sqlite3.connect(os.path.join(self.dir, 'gazette.db'))

    def sql(self, query, params=()):
        """All rows of one statement (committed) on the database under test."""
        con = self.db()
        try:
            rows = con.execute(query, params).fetchall()
            con.commit()
            return rows
        finally:
            con.close()

    def settle(self, timeout=5):
        """Wait until the server has acted on every change in the database
        (/healthz reports how far it has followed the change log): no purge
        of an earlier change is still to come. True when it has."""
        last = self.sql('SELECT coalesce(max(id), 0) FROM changes')[0][0]

        def caught_up():
            st, h, b = self.get('/healthz')
            m = re.search(rb'change-log (\d+)', b)
            return m and int(m.group(1)) >= last
        return bool(poll(caught_up, timeout=timeout))

    def dump(self):
        """The whole database's content as text, to compare before and after
        something that must not change it (PostgreSQL: pg_dump's data,
        without sequence positions, which rolled-back inserts advance)."""
        if self.db_url:
            r = subprocess.run([os.path.join(os.path.dirname(_psql()), 'pg_dump'), '--data-only',
                                '--no-owner', '-d', self.db_url], capture_output=True, text=True,
                               timeout=60)
            if r.returncode != 0:
                raise AssertionError('pg_dump: %s' % r.stderr.strip())
            # (and without pg_dump's per-run \restrict key)
            return '\n'.join(l for l in r.stdout.splitlines()
                             if not l.startswith(('SELECT pg_catalog.setval', '\\restrict',
                                                  '\\unrestrict')))
        import sqlite3
        con = sqlite3.connect(os.path.join(self.dir, 'gazette.db'))
        try:
            return '\n'.join(con.iterdump())
        finally:
            con.close()

    def request(self, method, path, body=None, headers=None, source=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10,
                                          source_address=(source, 0) if source else None)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            return r.status, hdrs, data
        finally:
            conn.close()

    def get(self, path, headers=None, source=None):
        return self.request('GET', path, headers=headers, source=source)

    def text(self, path):
        st, h, b = self.get(path)
        return st, b.decode('utf-8', errors='replace')

    def raw(self, data, timeout=10, read_all=True):
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        try:
            s.sendall(data)
            chunks = []
            while True:
                try:
                    c = s.recv(65536)
                except socket.timeout:
                    break
                if not c:
                    break
                chunks.append(c)
                if not read_all:
                    break
            return b''.join(chunks)
        finally:
            s.close()

    # --- more clients (added for the e2e suites) ---------------------------
    def raw_request(self, data, head=False, timeout=10):
        """Send raw bytes, parse exactly one HTTP response (Content-Length or
        chunked; no need for the server to close). Returns (status, headers,
        body); status is None when the server closed without answering."""
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        try:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return read_response(s, head=head)
        finally:
            s.close()

    def connect(self, timeout=10):
        return socket.create_connection((self.host, self.port), timeout=timeout)

    def page(self, path, headers=None):
        """GET path; returns (status, headers, Page)."""
        st, h, b = self.get(path, headers=headers)
        return st, h, Page(b.decode('utf-8', errors='replace'))


def read_line(proc, timeout):
    """First line of proc.stdout, waiting at most timeout seconds ('' if none)."""
    fd = proc.stdout.fileno()
    buf = b''
    deadline = time.monotonic() + timeout
    while b'\n' not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], min(left, 0.5))
        if not r:
            if proc.poll() is not None and not buf:
                break
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        buf += chunk
    line = buf.split(b'\n', 1)[0] + (b'\n' if b'\n' in buf else b'')
    return line.decode('utf-8', errors='replace')


_bufs = weakref.WeakKeyDictionary()  # socket -> bytes received but not yet parsed


class _Reader:
    """A minimal buffered reader over a socket for http.client.HTTPResponse.
    The buffer outlives one response (a pipelined second response may already
    be in it) but holds no reference to the socket, so closing the socket
    really closes it (socket.makefile would keep the descriptor open)."""

    def __init__(self, sock):
        self.sock = sock
        if sock not in _bufs:
            _bufs[sock] = bytearray()
        self.buf = _bufs[sock]

    def _fill(self):
        d = self.sock.recv(65536)
        self.buf += d
        return bool(d)

    def _take(self, n):
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def readline(self, limit=-1):
        while True:
            i = self.buf.find(b'\n')
            if i >= 0 and (limit is None or limit < 0 or i < limit):
                return self._take(i + 1)
            if limit is not None and 0 <= limit <= len(self.buf):
                return self._take(limit)
            if not self._fill():
                return self._take(len(self.buf))

    def read(self, n=-1):
        if n is None or n < 0:
            while self._fill():
                pass
            return self._take(len(self.buf))
        while len(self.buf) < n and self._fill():
            pass
        return self._take(min(n, len(self.buf)))

    def readinto(self, b):
        d = self.read(len(b))
        b[:len(d)] = d
        return len(d)

    def close(self):
        pass

    def flush(self):
        pass


class _SockFile:
    def __init__(self, s):
        self.s = s

    def makefile(self, mode, *a, **k):
        return _Reader(self.s)


def read_response(sock, head=False):
    """Parse one HTTP response from a connected socket: (status, headers, body)
    or (None, {}, b'') when the connection closed or reset first. Call it once
    per request sent on a keep-alive socket; pipelined responses work."""
    r = http.client.HTTPResponse(_SockFile(sock), method='HEAD' if head else 'GET')
    try:
        r.begin()
        body = r.read()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
            http.client.IncompleteRead, socket.timeout):
        return None, {}, b''
    except http.client.HTTPException:
        return None, {}, b''
    hdrs = {}
    for k, v in r.getheaders():
        k = k.lower()
        hdrs[k] = hdrs[k] + ', ' + v if k in hdrs else v
    return r.status, hdrs, body


# --- HTML -------------------------------------------------------------------
ARTICLE_RE = re.compile(r'^/\d{4}/\d{2}/[a-z0-9][a-z0-9-]*/$')


class Page(html.parser.HTMLParser):
    """A parsed HTML page: links, head links, scripts, time elements, headings,
    the breadcrumb, the JSON-LD blocks and every attribute name seen."""

    VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta',
            'source', 'track', 'wbr'}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.html = text
        self.a = []          # dicts: href, rel, text, attrs
        self.links = []      # <link> attrs
        self.scripts = []    # (attrs, text)
        self.times = []      # datetime values
        self.h1 = []
        self.attr_names = set()
        self.attr_values = []
        self.crumbs = []     # breadcrumb items: {'text', 'href', 'current'}
        self.crumb_html = ''
        self._stack = []
        self._open_a = None
        self._script = None
        self._h1 = None
        self._crumb_depth = None
        self._crumb_start = None
        self._crumb_item = None
        try:
            self.feed(text)
            self.close()
        except Exception:  # a broken page still gets the regex-based checks
            pass
        if self._crumb_start is not None and not self.crumb_html:
            self.crumb_html = text[self._crumb_start:]

    # offsets of the current position in self.html
    def _offset(self):
        line, col = self.getpos()
        lines = self.html.split('\n')
        return sum(len(l) + 1 for l in lines[:line - 1]) + col

    def handle_starttag(self, tag, attrs):
        d = {k.lower(): (v if v is not None else '') for k, v in attrs}
        for k, v in d.items():
            self.attr_names.add(k)
            self.attr_values.append((tag, k, v))
        if tag not in self.VOID:
            self._stack.append(tag)
        in_crumb = self._crumb_depth is not None
        if not in_crumb and tag in ('nav', 'ol', 'ul', 'div') and (
                'breadcrumb' in d.get('aria-label', '').lower()
                or 'breadcrumb' in d.get('class', '').lower()):
            self._crumb_depth = len(self._stack)
            self._crumb_start = self._offset()
        if tag == 'a':
            self._open_a = {'href': d.get('href'), 'rel': d.get('rel', ''), 'text': '',
                            'attrs': d}
            self.a.append(self._open_a)
            if in_crumb:
                self._crumb_item = {'text': '', 'href': d.get('href'),
                                    'current': d.get('aria-current') == 'page'}
                self.crumbs.append(self._crumb_item)
        elif in_crumb and d.get('aria-current') == 'page':
            self._crumb_item = {'text': '', 'href': None, 'current': True}
            self.crumbs.append(self._crumb_item)
        if tag == 'link':
            self.links.append(d)
        elif tag == 'script':
            self._script = [d, '']
        elif tag == 'time' and 'datetime' in d:
            self.times.append(d['datetime'])
        elif tag == 'h1':
            self._h1 = ''

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == 'a':
            self._open_a = None
            if self._crumb_item is not None and self._crumb_item['href'] is not None:
                self._crumb_item = None
        elif tag == 'script' and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None
        elif tag == 'h1' and self._h1 is not None:
            self.h1.append(' '.join(self._h1.split()))
            self._h1 = None
        if tag in self._stack:
            while self._stack:
                t = self._stack.pop()
                if t == tag:
                    break
        if self._crumb_item is not None and self._crumb_item['href'] is None and tag != 'a':
            self._crumb_item = None
        if self._crumb_depth is not None and len(self._stack) < self._crumb_depth:
            self._crumb_depth = None
            end = self.html.find('>', self._offset()) + 1
            self.crumb_html = self.html[self._crumb_start:end]

    def handle_data(self, data):
        if self._open_a is not None:
            self._open_a['text'] += data
        if self._script is not None:
            self._script[1] += data
        if self._h1 is not None:
            self._h1 += data
        if self._crumb_item is not None:
            self._crumb_item['text'] += data

    # --- queries --------------------------------------------------------------
    def hrefs(self, prefix=''):
        return [x['href'] for x in self.a if x['href'] and x['href'].startswith(prefix)]

    def articles(self):
        """Article permalinks linked from the page, in order, without repeats."""
        out = []
        for h in self.hrefs('/'):
            if ARTICLE_RE.match(h) and h not in out:
                out.append(h)
        return out

    def head_link(self, rel):
        for l in self.links:
            if rel in l.get('rel', '').lower().split():
                return l.get('href')
        return None

    def body_link(self, rel):
        for x in self.a:
            if rel in x['rel'].lower().split():
                return x['href']
        return None

    def crumb_texts(self):
        return [' '.join(c['text'].split()) for c in self.crumbs]

    def crumb_line(self):
        """The breadcrumb's visible text, whitespace collapsed ('Home » News » T')."""
        t = re.sub(r'<[^>]*>', ' ', self.crumb_html)
        return ' '.join(html.unescape(t).split())

    def jsonld(self):
        """Parsed ld+json blocks (a block that does not parse gives an Exception)."""
        out = []
        for attrs, text in self.scripts:
            if attrs.get('type', '').lower() == 'application/ld+json':
                try:
                    out.append(json.loads(text))
                except Exception as e:
                    out.append(e)
        return out

    def ld_of_type(self, typ):
        found = []

        def walk(x):
            if isinstance(x, dict):
                t = x.get('@type')
                if t == typ or (isinstance(t, list) and typ in t):
                    found.append(x)
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
        for d in self.jsonld():
            if not isinstance(d, Exception):
                walk(d)
        return found

    def script_problems(self):
        """Inline/external scripts other than ld+json, on* handlers, javascript: URLs."""
        bad = []
        for attrs, text in self.scripts:
            if attrs.get('type', '').lower() != 'application/ld+json':
                bad.append('<script %s>%s' % (attrs, text[:60]))
        for tag, k, v in self.attr_values:
            if k.startswith('on'):
                bad.append('%s %s=%r' % (tag, k, v[:60]))
            if k in ('href', 'src', 'action', 'formaction') and \
                    v.strip().lower().startswith('javascript:'):
                bad.append('%s %s=%r' % (tag, k, v[:60]))
        return bad


# --- checks -----------------------------------------------------------------
class Checks:
    """Soft assertions: every check is counted, failures are printed as they
    happen, and finish() exits non-zero when any failed.

        c = Checks('test_pages')
        with c.section('home'):
            c.ok(st == 200, 'GET / -> 200, got %s' % st)
        c.finish()
    """

    def __init__(self, name):
        self.name = name
        self.n = 0
        self.failed = []
        self.where = ''

    def ok(self, cond, msg):
        self.n += 1
        if not cond:
            m = '%s: %s' % (self.where, msg) if self.where else msg
            self.failed.append(m)
            print('FAIL %s: %s' % (self.name, m), flush=True)
        return bool(cond)

    def eq(self, got, want, msg):
        return self.ok(got == want, '%s: expected %r, got %r' % (msg, want, got))

    def status(self, got, want, what):
        """want: an int, or a collection of acceptable statuses."""
        good = got in want if isinstance(want, (set, tuple, list, range)) else got == want
        return self.ok(good, '%s -> expected %s, got %s' % (
            what, want if not isinstance(want, range) else '%d-%d' % (want.start, want.stop - 1),
            got))

    @contextmanager
    def section(self, name):
        self.where = name
        try:
            yield
        except Exception as e:
            self.n += 1
            self.failed.append('%s: stopped by %s: %s' % (name, type(e).__name__, e))
            print('FAIL %s: %s: stopped by %s: %s' % (self.name, name, type(e).__name__, e),
                  flush=True)
            traceback.print_exc()
        finally:
            self.where = ''

    def finish(self, *sites):
        for s in sites:  # their serve.log is printed when the with block exits
            if self.failed:
                s.print_log = True
        print('%s: %d checks, %d failed' % (self.name, self.n, len(self.failed)), flush=True)
        sys.exit(1 if self.failed else 0)


def cli_ok(c, r, what):
    """Check a CLI CompletedProcess exited 0; returns its stdout."""
    c.ok(r.returncode == 0, '%s: exit %s, stderr %r' % (what, r.returncode, r.stderr.strip()[:300]))
    return r.stdout


def id_url(stdout):
    """Parse the `ID<TAB>URL` line of `post add`; (id, url) or (None, None)."""
    m = re.match(r'^(\d+)\t(\S+)\n?$', stdout)
    return (m.group(1), m.group(2)) if m else (None, None)
