"""test_limits.py - the connection and request limits of gazette.conf.

per_ip_connections (one visitor cannot take every connection; another address
still gets served), idle_timeout (an idle connection is closed), the
whole-request deadline (a client trickling a byte at a time is cut off even
though every byte resets the idle timer), and max_body / max_header / max_url
(413 / 431 / 414). Clients bind other loopback addresses to act as different
visitors. Waits are polls with deadlines.
"""
import socket
import time

from harness import Checks, Site, poll, read_response

c = Checks('test_limits')


def closed_within(sock, timeout):
    """True when the server closes sock within timeout seconds (reading and
    discarding anything it sends first)."""
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


def status(s, path='/', source=None):
    try:
        return s.get(path, source=source)[0]
    except (OSError, Exception) as e:
        return repr(e)


def get_on(sock):
    sock.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
    return read_response(sock)[0]


with Site(conf_extra='\nper_ip_connections = 4\nidle_timeout = 30\n') as s:
    with c.section('per-IP connection limit'):
        socks = []
        try:
            for _ in range(10):
                sk = socket.socket()
                sk.settimeout(5)
                sk.bind(('127.0.0.1', 0))
                sk.connect((s.host, s.port))
                socks.append(sk)
            answered = 0
            for sk in socks:
                try:
                    if get_on(sk) == 200:
                        answered += 1
                except OSError:
                    pass
            c.ok(1 <= answered <= 4, '%d of 10 connections from one address were served, limit 4'
                 % answered)
            st = status(s, source='127.0.0.2')
            c.status(st, 200, 'GET / from 127.0.0.2 while 127.0.0.1 is at its limit')
        finally:
            for sk in socks:
                sk.close()
        c.ok(poll(lambda: status(s) == 200, 5.0),
             '127.0.0.1 is not served again after closing its connections')

with Site(conf_extra='\nidle_timeout = 1\nrequest_deadline = 30\n') as s:
    with c.section('idle timeout'):
        sk = s.connect()
        try:
            c.ok(closed_within(sk, 8.0), 'an idle connection is still open 8 s after connecting '
                 '(idle_timeout = 1)')
        finally:
            sk.close()
        sk = s.connect()
        try:
            c.status(get_on(sk), 200, 'keep-alive GET')
            c.ok(closed_within(sk, 8.0), 'an idle keep-alive connection is still open 8 s after '
                 'its response (idle_timeout = 1)')
        finally:
            sk.close()
        c.status(s.get('/')[0], 200, 'GET / after the idle timeouts')

with Site(conf_extra='\nidle_timeout = 10\nrequest_deadline = 2\n') as s:
    with c.section('whole-request deadline'):
        sk = s.connect()
        cut = False
        try:
            sk.sendall(b'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ')
            deadline = time.monotonic() + 12.0
            while time.monotonic() < deadline:
                try:
                    sk.sendall(b'a')
                except OSError:
                    cut = True
                    break
                if closed_within(sk, 0.5):
                    cut = True
                    break
        finally:
            sk.close()
        c.ok(cut, 'a client trickling one byte every 0.5 s is still connected after 12 s '
             '(request_deadline = 2, idle_timeout = 10)')
        c.status(s.get('/')[0], 200, 'GET / after the slow client')

with Site(conf_extra='\nmax_body = 1000\nmax_header = 2048\nmax_url = 256\n') as s:
    def raw(data):
        return s.raw_request(data)[0]

    with c.section('configured size limits'):
        body = b'a=' + b'x' * 2000
        st = raw(b'POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n'
                 b'Content-Type: application/x-www-form-urlencoded\r\n'
                 b'Content-Length: %d\r\n\r\n' % len(body) + body)
        c.status(st, 413, 'POST of 2,002 bytes with max_body = 1000')
        body = b'a=' + b'x' * 100
        st = raw(b'POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n'
                 b'Content-Type: application/x-www-form-urlencoded\r\n'
                 b'Content-Length: %d\r\n\r\n' % len(body) + body)
        c.ok(st is not None and st != 413, 'POST of 102 bytes with max_body = 1000 -> %s' % st)
        st = raw(b'GET /' + b'u' * 400 + b'/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        c.status(st, 414, 'GET of a 402-byte path with max_url = 256')
        st = raw(b'GET /' + b'u' * 100 + b'/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        c.status(st, 404, 'GET of a 102-byte path with max_url = 256')
        st = raw(b'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ' + b'h' * 4000 +
                 b'\r\n\r\n')
        c.status(st, 431, 'GET with a 4 KB header and max_header = 2048')
        st = raw(b'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Small: ' + b'h' * 500 +
                 b'\r\n\r\n')
        c.status(st, 200, 'GET with a 500-byte header and max_header = 2048')
        c.status(s.get('/')[0], 200, 'GET / at the end')

    c.finish(s)
