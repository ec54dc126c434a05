"""The media_dir setting (gazette.conf): the media library's folder, shared
by several nodes (issue 10).

Two site folders for one site, as two machines would have them: A (the
harness's) and B (made here: a copy of secret.key, a gazette.conf naming
the same database), each with `media_dir` naming one shared folder outside
both - A's relative to its site folder, B's absolute. An image uploaded on
A is served by B, one uploaded on B by A; deleting on B removes the files
A served; `import wordpress --media-dir` run on B's folder puts the
attachments there too, and A serves them. Nothing goes to either folder's
own media/. `serve` refuses to start, naming the folder, when media_dir
is missing or not a folder (or, when not running as root, not writable).

Runs on SQLite (B's gazette.conf names A's gazette.db by its absolute
path) and on PostgreSQL (the same URL)."""
import os
import re
import shutil
import subprocess

from harness import GAZETTE, PG, Checks, Site, cli_ok, poll, read_line
from nodes import As, Node, stop_checked
from test_admin import PASSWORDS, Browser
from test_media import png, upload

WXR = '''<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Old site</title><link>http://old.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>http://old.example.org</wp:base_blog_url>
<wp:author><wp:author_login>ed</wp:author_login><wp:author_email>ed@example.org</wp:author_email></wp:author>
<item><title>quay.png</title><link>http://old.example.org/?attachment_id=20</link>
<dc:creator>ed</dc:creator><wp:post_id>20</wp:post_id>
<wp:post_date_gmt>2019-04-02 09:00:00</wp:post_date_gmt>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>http://old.example.org/wp-content/uploads/2019/04/quay.png</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>2019/04/quay.png</wp:meta_value></wp:postmeta>
</item>
<item><title>The quay reopens</title><link>http://old.example.org/2019/04/quay-reopens/</link>
<dc:creator>ed</dc:creator>
<content:encoded><![CDATA[<img src="http://old.example.org/wp-content/uploads/2019/04/quay.png" alt="quay">]]></content:encoded>
<wp:post_id>10</wp:post_id><wp:post_date_gmt>2019-04-03 10:00:00</wp:post_date_gmt>
<wp:post_name>quay-reopens</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item>
</channel>
</rss>
'''


def files_under(root):
    out = []
    for d, _, fs in os.walk(root):
        out += [os.path.relpath(os.path.join(d, f), root) for f in fs]
    return sorted(out)


def serve_refused(c, site_dir, env, what, expect):
    """serve on site_dir must exit non-zero before listening, saying expect."""
    p = subprocess.Popen([GAZETTE, '--site', site_dir, 'serve', '--listen', '127.0.0.1:0'],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    line = read_line(p, 20.0)
    if line.startswith('Listening'):
        p.terminate()
    try:
        rc = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    err = p.stderr.read().decode('utf-8', 'replace')
    p.stdout.close()
    p.stderr.close()
    c.ok(not line.startswith('Listening'), '%s: serve did not start' % what)
    c.ok(rc not in (0, None), '%s: exit status %r' % (what, rc))
    c.ok(expect in err and 'media_dir' in err, '%s: says %r: %r' % (what, expect, err.strip()))


def uploaded_url(browser, location):
    """The /media/ URL of the upload a redirect names (from the library page)."""
    m = re.search(r'uploaded=(\d+)', location or '')
    if not m:
        return None, None
    body = browser.get(location)[2]
    sec = body[body.index('id="media-%s"' % m.group(1)):]
    url = re.search(r'<code>(/media/[^<]+)</code>', sec)
    return int(m.group(1)), url.group(1) if url else None


def main():
    c = Checks('test_media_dir')
    with Site(serve=False) as s:
        cli_ok(c, s.cli('user', 'add', 'ed', '--email', 'ed@example.org', '--role', 'editor',
                        '--password-stdin', input=PASSWORDS['ed'] + '\n'), 'user')
        shared = os.path.join(s.tmp, 'shared-media')
        with open(os.path.join(s.dir, 'gazette.conf'), 'a') as f:
            f.write('media_dir = ../shared-media\n')

        with c.section('serve refuses a missing or unusable media_dir'):
            serve_refused(c, s.dir, s.env, 'missing', '../shared-media: No such file')
            with open(shared, 'w') as f:
                f.write('a file, not a folder')
            serve_refused(c, s.dir, s.env, 'a file', 'not a folder')
            os.remove(shared)
            os.mkdir(shared)
            if os.geteuid() != 0:  # root writes anywhere: only checked as another user
                os.chmod(shared, 0o555)
                serve_refused(c, s.dir, s.env, 'read-only', 'cannot write')
                os.chmod(shared, 0o755)
            c.ok(not os.path.exists(os.path.join(s.dir, 'media')),
                 'a configured media_dir is never replaced by SITE/media')

        s.start()
        # B: another folder for the same site (same database, same key)
        b_dir = os.path.join(s.tmp, 'site-b')
        os.mkdir(b_dir)
        shutil.copy(os.path.join(s.dir, 'secret.key'), os.path.join(b_dir, 'secret.key'))
        with open(os.path.join(s.dir, 'gazette.conf')) as f:
            db = [l.split('=', 1)[1].strip() for l in f
                  if re.match(r'\s*database\s*=', l)][-1]
        if not PG:
            db = os.path.join(s.dir, db)
        with open(os.path.join(b_dir, 'gazette.conf'), 'w') as f:
            f.write('listen = 127.0.0.1:0\ndatabase = %s\nmedia_dir = %s/\n' % (db, shared))
        b = Node(s, site_dir=b_dir)
        try:
            ed = Browser(s)
            c.status(ed.signin('ed', PASSWORDS['ed'])[0], 303, 'sign in on A')
            image = png(900, 200)

            with c.section('uploaded on A, served by B'):
                st, h, _ = upload(ed, 'Quay Side.png', image, alt='The quay')
                c.status(st, 303, 'A: upload')
                mid, url = uploaded_url(ed, h.get('location'))
                c.ok(url, 'A: the upload\'s URL: %r' % url)
                url = url or '/media/missing.png'
                rel = url[len('/media/'):]
                c.ok(os.path.isfile(os.path.join(shared, rel)), 'the file is in the shared folder')
                c.ok(not os.path.exists(os.path.join(s.dir, 'media')), 'nothing in A\'s media/')
                c.ok(not os.path.exists(os.path.join(b_dir, 'media')), 'nothing in B\'s media/')
                st, h, body = b.get(url)
                c.status(st, 200, 'B: GET %s' % url)
                with open(os.path.join(shared, rel), 'rb') as f:
                    c.ok(body == f.read(), 'B: the same bytes')
                c.eq(h.get('content-type'), 'image/png', 'B: content type')
                stem = url.rsplit('.', 1)[0]
                for w in (320, 768):
                    c.status(b.get('%s-%dw.png' % (stem, w))[0], 200, 'B: the %d px copy' % w)

            with c.section('uploaded on B, served by A; deleted on B'):
                with As(s, b):
                    st, h, _ = upload(ed, 'harbour.png', png(400, 300))
                    c.status(st, 303, 'B: upload')
                    mid_b, url_b = uploaded_url(ed, h.get('location'))
                c.ok(url_b, 'B: the upload\'s URL: %r' % url_b)
                url_b = url_b or '/media/missing.png'
                st, _, body = s.get(url_b)
                c.status(st, 200, 'A: GET %s' % url_b)
                before = files_under(shared)
                with As(s, b):
                    st, _, _ = ed.post('/admin/media/%d/' % (mid or 0),
                                       {'csrf': ed.csrf(), 'do': 'delete'})
                c.status(st, 303, 'B: delete A\'s upload')
                gone = [f for f in before if f not in files_under(shared)]
                c.ok(gone and all(f.startswith(rel.rsplit('.', 1)[0]) for f in gone),
                     'its files left the shared folder: %r' % gone)
                c.ok(not os.path.exists(os.path.join(shared, rel)), 'the original is gone')
                c.ok(poll(lambda: s.get(url)[0] == 404, timeout=15), 'A: 404 for it now')
                c.status(s.get(url_b)[0], 200, 'A: B\'s upload still served')

            with c.section('import --media-dir on B\'s folder, served by A'):
                uploads = os.path.join(s.tmp, 'uploads')
                os.makedirs(os.path.join(uploads, '2019', '04'))
                with open(os.path.join(uploads, '2019', '04', 'quay.png'), 'wb') as f:
                    f.write(png(500, 250))
                wxr = os.path.join(s.tmp, 'old.xml')
                with open(wxr, 'w') as f:
                    f.write(WXR)
                before = files_under(shared)
                r = subprocess.run([GAZETTE, '--site', b_dir, 'import', 'wordpress', wxr,
                                    '--media-dir', uploads], capture_output=True, text=True,
                                   env=s.env, timeout=120)
                c.eq(r.returncode, 0, 'import on B (stderr %r)' % r.stderr[-400:])
                new = [f for f in files_under(shared) if f not in before]
                c.ok(any(re.match(r'\d{4}/\d{2}/quay-[0-9a-f]{8}\.png$', f) for f in new),
                     'the attachment went to the shared folder: %r' % new)
                c.ok(not os.path.exists(os.path.join(b_dir, 'media')), 'nothing in B\'s media/')
                for f in new:
                    c.status(s.get('/media/' + f)[0], 200, 'A: GET /media/%s' % f)
        finally:
            stop_checked(c, b)
        print('test_media_dir: %s' % ('PostgreSQL' if PG else 'SQLite'))
        c.finish(s)


if __name__ == '__main__':
    main()
