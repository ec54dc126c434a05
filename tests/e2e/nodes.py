"""nodes.py - more `gazette serve` processes on one site's database, for the
several-nodes tests (test_nodes*.py).

    from nodes import Node
    b = Node(s)                       # another serve on s's site folder
    b = Node(s, site_dir=other_dir)   # ... or on another folder (same database)
    st, h, body = b.get('/')
    b.settle()                        # True once it has purged for every change
    b.log_text()                      # what it wrote on stderr so far
    rc = b.stop()                     # SIGTERM; its exit status
    stop_checked(c, b)                # the same, as checks (exit 0, no sanitizer report)

Each node logs to s.tmp/serve-NAME.log; dump_logs() prints them when a test
failed."""
import contextlib
import os
import subprocess
import sys

from harness import GAZETTE, read_line


class Node:
    """Another `serve` process on the same database as Site s."""

    def __init__(self, site, name='b', site_dir=None, env=None):
        self.site = site
        self.name = name
        self.dir = site_dir or site.dir
        self.log_path = os.path.join(site.tmp, 'serve-%s.log' % name)
        self.log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(
            [GAZETTE, '--site', self.dir, 'serve', '--listen', '127.0.0.1:0'],
            stdout=subprocess.PIPE, stderr=self.log, env=env or site.env)
        line = read_line(self.proc, 20.0)
        if not line.startswith('Listening on http://'):
            self.stop()
            raise AssertionError('node %s did not start: %r\n%s' % (name, line, self.log_text()))
        self.host, port = line.strip()[len('Listening on http://'):].rstrip('/').rsplit(':', 1)
        self.port = int(port)

    @contextlib.contextmanager
    def _pointed(self):
        # the harness's client (the Site's), pointed at this node meanwhile
        host, port = self.site.host, self.site.port
        self.site.host, self.site.port = self.host, self.port
        try:
            yield self.site
        finally:
            self.site.host, self.site.port = host, port

    def request(self, method, path, body=None, headers=None, source=None):
        with self._pointed() as site:
            return site.request(method, path, body=body, headers=headers, source=source)

    def get(self, path, headers=None, source=None):
        return self.request('GET', path, headers=headers, source=source)

    def settle(self, timeout=5):
        """Site.settle, asked of this node: it has acted on every change."""
        with self._pointed() as site:
            return site.settle(timeout=timeout)

    def log_text(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        rc = None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                rc = self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
        else:
            rc = self.proc.returncode
        self.proc.stdout.close()
        if not self.log.closed:
            self.log.close()
        return rc


class As:
    """A client of the harness's kind (Browser, ...) made to talk to node n:
    with As(s, n): browser.get(...) goes to n instead of s's server."""

    def __init__(self, site, node):
        self.site, self.node = site, node

    def __enter__(self):
        self.saved = self.site.host, self.site.port
        if self.node is not None:
            self.site.host, self.site.port = self.node.host, self.node.port
        return self

    def __exit__(self, *exc):
        self.site.host, self.site.port = self.saved
        return False


SANITIZER_MARKERS = ('ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:')


def stop_checked(c, node):
    """Stop node (SIGTERM): a check that it exited 0 and that its log has no
    sanitizer report (the harness checks serve.log only), and its log on
    stderr when anything in the test failed."""
    if node is None:
        return
    rc = node.stop()
    c.eq(rc, 0, 'node %s exit status after SIGTERM' % node.name)
    text = node.log_text()
    found = [m for m in SANITIZER_MARKERS if m in text]
    c.ok(not found, 'node %s: sanitizer report in its log: %r' % (node.name, found))
    if c.failed:
        dump_logs(node)


def dump_logs(*nodes, limit=6000):
    for n in nodes:
        if n is None:
            continue
        try:
            text = n.log_text()
        except OSError:
            continue
        sys.stderr.write('--- serve-%s.log ---\n%s' % (n.name, text[-limit:]))
