"""test_shutdown.py - `serve` start-up line and clean shutdown.

The first stdout line is `Listening on http://ADDR:PORT/`, flushed, printed
once the socket is bound (so a request made right after it succeeds); SIGTERM
and SIGINT make serve exit 0 promptly, also with idle keep-alive and half-sent
requests open; a port already in use is an error, not a second server.
"""
import re
import signal
import socket
import subprocess
import time

from harness import GAZETTE, Checks, Site, read_line, read_response

c = Checks('test_shutdown')
PROMPT = 5.0  # seconds allowed for a clean exit of an idle server
PROMPT_BUSY = 10.0  # with a half-sent request open (a short drain is fine, not forever)


def wait_exit(proc, timeout):
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return proc.poll()


def refused(host, port):
    try:
        socket.create_connection((host, port), timeout=2).close()
        return False
    except OSError:
        return True


def stop_with(s, sig, what, prompt=PROMPT):
    proc = s.proc
    t0 = time.monotonic()
    proc.send_signal(sig)
    rc = wait_exit(proc, prompt)
    took = time.monotonic() - t0
    c.ok(rc is not None, '%s: serve still running %.0f s after %s' % (what, prompt, sig.name))
    c.eq(rc, 0, '%s: exit status after %s' % (what, sig.name))
    if rc is None:
        proc.kill()
        proc.wait()
    s.proc = None
    c.ok(refused(s.host, s.port), '%s: port %d still accepts connections after exit'
         % (what, s.port))
    return took


with Site(serve=False) as s:
    with c.section('Listening line'):
        s.start()
        m = re.match(r'^Listening on http://(127\.0\.0\.1):(\d+)/\n$', s.first_line)
        c.ok(m, 'first stdout line %r is not "Listening on http://127.0.0.1:PORT/"'
             % s.first_line)
        c.ok(m and 0 < int(m.group(2)) < 65536, 'port %r' % (m and m.group(2)))
        st, _, _ = s.get('/healthz')  # no retry: the socket must be bound already
        c.status(st, 200, 'GET /healthz right after the Listening line')
        st, _, _ = s.get('/')
        c.status(st, 200, 'GET / right after the Listening line')

    with c.section('SIGTERM'):
        stop_with(s, signal.SIGTERM, 'idle server')

    with c.section('SIGINT'):
        s.start()
        s.get('/')
        stop_with(s, signal.SIGINT, 'idle server')

    with c.section('SIGTERM with an idle keep-alive connection'):
        s.start()
        sock = s.connect()
        try:
            sock.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
            st, h, _ = read_response(sock)
            c.status(st, 200, 'keep-alive GET /')
            stop_with(s, signal.SIGTERM, 'open keep-alive connection')
        finally:
            sock.close()

    with c.section('SIGINT with a half-sent request'):
        s.start()
        sock = s.connect()
        try:
            sock.sendall(b'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ')
            stop_with(s, signal.SIGINT, 'half-sent request', PROMPT_BUSY)
        finally:
            sock.close()

    with c.section('port already in use'):
        s.start()
        p2 = subprocess.Popen([GAZETTE, '--site', s.dir, 'serve', '--listen',
                               '127.0.0.1:%d' % s.port], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        try:
            line = read_line(p2, 10)
            c.ok(not line.startswith('Listening'), 'a second serve on a port in use printed %r'
                 % line)
            rc = wait_exit(p2, 10)
            c.ok(rc is not None and rc != 0, 'a second serve on a port in use: exit %s' % rc)
            err = p2.stderr.read().decode('utf-8', 'replace') if rc is not None else ''
            c.ok(err.strip() != '', 'a second serve on a port in use gave no error message')
        finally:
            if p2.poll() is None:
                p2.kill()
            p2.wait()
            p2.stdout.close()
            p2.stderr.close()
        st, _, _ = s.get('/')
        c.status(st, 200, 'the first server still answers')
        stop_with(s, signal.SIGTERM, 'after the port clash')

    c.finish(s)
