#!/usr/bin/env python3
"""bench/import.py - `gazette import wordpress` on a generated export (issue
7, "Tests and benchmark": a 100,000-post WXR, time and peak memory).

Steps (wall clock, on this machine):
  1. a WXR 1.2 file of BENCH_POSTS published posts (tests/e2e/wxrgen.py: a
     fixed seed, BENCH_PARAS paragraphs of made-up words each, two comments
     each, 20 categories, 50 tags), plus BENCH_ATTACHMENTS attachment items
     whose files (small PNGs, made here) are in an uploads folder given as
     --media-dir, each used in one post's body and as its featured image;
     generating it is not measured;
  2. `gazette import wordpress FILE --dry-run` into a fresh site: both
     passes (checking, then reading, converting and sanitizing every item)
     without any write - the reading cost;
  3. `gazette import wordpress FILE` into the same fresh site: the real
     import (every write: posts with their search index rows and related
     lists, comments, redirects, media files and variants);
  4. the same import again: the re-run that finds everything unchanged;
each with its wall time, items per second and peak resident memory (the
child's VmHWM, sampled every 10 ms; ru_maxrss of the children as a check).
What is left of step 3 after step 2 is the cost of the writes. Prints a
Markdown table; the temporary folder is removed unless BENCH_KEEP=1.

Environment: BENCH_POSTS=1000 (about 20 s here; the issue's figure is
100000: about 25 minutes, see bench/RESULTS.md) BENCH_PARAS=6
BENCH_ATTACHMENTS=0 BENCH_DRY_ONLY=0 (1: only the dry run - reading,
checking, converting and sanitizing the whole file, the part whose memory
must stay bounded) GAZETTE=./gazette BENCH_KEEP=0"""
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'e2e'))
from wxrgen import generate  # noqa: E402

GAZETTE = os.path.abspath(os.environ.get('GAZETTE', './gazette'))
N = int(os.environ.get('BENCH_POSTS', '1000'))
PARAS = int(os.environ.get('BENCH_PARAS', '6'))
ATT = int(os.environ.get('BENCH_ATTACHMENTS', '0'))
KEEP = os.environ.get('BENCH_KEEP', '0') == '1'
DRY_ONLY = os.environ.get('BENCH_DRY_ONLY', '0') == '1'


def png(path, w, h, seed):
    row = bytes([0]) + bytes((x * 7 + seed) % 256 for x in range(w) for _ in range(3))
    chunk = lambda t, d: (struct.pack('>I', len(d)) + t + d +
                          struct.pack('>I', zlib.crc32(t + d) & 0xffffffff))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(row * h)) + chunk(b'IEND', b''))


def add_attachments(path, uploads, n):
    """Append n attachment items (files in uploads/2015/01/) and point the
    first n posts' bodies and featured images at them."""
    os.makedirs(os.path.join(uploads, '2015', '01'), exist_ok=True)
    for i in range(n):
        png(os.path.join(uploads, '2015', '01', 'img%d.png' % i), 800, 60, i)
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for i in range(n):  # post i+1 shows image i and features it
        marker = '<wp:post_id>%d</wp:post_id>' % (i + 1)
        text = text.replace(marker, marker + '<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>'
                            '<wp:meta_value>%d</wp:meta_value></wp:postmeta>' % (10 ** 7 + i), 1)
        text = text.replace('<title>Story %d ' % (i + 1), '<title>Story %d ' % (i + 1), 1)
    items = ''.join(
        '<item><title>img%d</title><wp:post_id>%d</wp:post_id><wp:post_type>attachment'
        '</wp:post_type><wp:status>inherit</wp:status><wp:post_date_gmt>2015-01-02 00:00:00'
        '</wp:post_date_gmt><wp:attachment_url>http://gen.example/wp-content/uploads/2015/01/'
        'img%d.png</wp:attachment_url></item>\n' % (i, 10 ** 7 + i, i) for i in range(n))
    text = text.replace('</channel>', items + '</channel>', 1)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def run(site, args):
    """(exit, seconds, peak RSS KiB, stdout) of one gazette command."""
    t0 = time.monotonic()
    p = subprocess.Popen([GAZETTE, '--site', site] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    peak = 0
    out = []
    import threading
    th = threading.Thread(target=lambda: out.append(p.stdout.read()))
    th.start()
    while p.poll() is None:
        try:
            with open('/proc/%d/status' % p.pid) as f:
                for line in f:
                    if line.startswith('VmHWM:'):
                        peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.01)
    th.join()
    return p.returncode, time.monotonic() - t0, peak, out[0] if out else ''


def main():
    tmp = tempfile.mkdtemp(prefix='gazette-bench-import-')
    try:
        wxr = os.path.join(tmp, 'export.xml')
        uploads = os.path.join(tmp, 'uploads')
        t0 = time.monotonic()
        generate(wxr, N, paras=PARAS)
        if ATT:
            add_attachments(wxr, uploads, min(ATT, N))
        size = os.path.getsize(wxr)
        print('generated %s posts, %d attachments: %.1f MB in %.1f s' % (
            format(N, ','), ATT, size / 1e6, time.monotonic() - t0), flush=True)
        site = os.path.join(tmp, 'site')
        r = subprocess.run([GAZETTE, '--site', site, 'init'], capture_output=True, text=True)
        if r.returncode:
            sys.exit('init failed: %s' % r.stderr)
        extra = ['--media-dir', uploads] if ATT else []
        items = N + ATT
        rows = []
        runs = (('dry run (read, convert, sanitize; no writes)', ['--dry-run']),
                ('import', []), ('re-run (all unchanged)', []))
        for name, args in runs[:1] if DRY_ONLY else runs:
            rc, secs, peak, out = run(site, ['import', 'wordpress', wxr] + args + extra)
            if rc:
                sys.exit('%s: exit %d\n%s' % (name, rc, out))
            rows.append((name, secs, peak))
            print('%s: %.1f s, %.0f items/s, peak RSS %.1f MiB' % (
                name, secs, items / secs, peak / 1024), flush=True)
            for line in out.splitlines():
                if line.split('\t')[0] in ('posts', 'comments', 'media'):
                    print('  ' + line.replace('\t', '  '))
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        db = os.path.getsize(os.path.join(site, 'gazette.db'))
        print()
        print('| %s posts (%s comments, %d attachments), %.1f MB WXR | wall time | items/s | '
              'peak RSS |' % (format(N, ','), format(2 * N, ','), ATT, size / 1e6))
        print('| --- | ---: | ---: | ---: |')
        for name, secs, peak in rows:
            print('| %s | %.1f s | %.0f | %.1f MiB |' % (name, secs, items / secs, peak / 1024))
        print()
        if len(rows) > 1:
            print('writes (import - dry run): %.1f s; database %.1f MB' % (
                rows[1][1] - rows[0][1], db / 1e6))
        print('max ru_maxrss of the children: %.1f MiB' % (children / 1024))
    finally:
        if KEEP:
            print('kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
