"""The media library over real HTTP: multipart uploads of PNG (made here
with zlib), JPEG, WebP and GIF (made from it with the `vips` command, from
libvips-tools); the type comes from the bytes (a renamed .exe and a text
file named x.jpg are refused with 415); truncated PNG/JPEG files are
refused with 400 and nothing is stored; an upload over max_upload is 413;
CSRF and roles; resized variants of the right widths, metadata (an EXIF
block) stripped; /media/ serves only recorded files, with long cache
headers and nosniff; alt text shows in the article's <img alt>; the
featured image in the article, listings, og:image and the feed; deleting is
refused while a post uses the image, and removes the files after."""
import os
import re
import struct
import subprocess
import tempfile
import zlib

from harness import Checks, Site, cli_ok, id_url
from test_admin import PASSWORDS, Browser, field

MAX_UPLOAD = 2 * 1024 * 1024


def png(w, h):
    rows = []
    for y in range(h):
        rows.append(b'\x00' + bytes(v for x in range(w)
                                    for v in ((x * 7 + y * 3) % 256, (x * y) % 256, (y * 5) % 256)))

    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(b''.join(rows))) + chunk(b'IEND', b''))


def convert(data, ext):
    """The PNG bytes converted by the vips command to .jpg/.webp/.gif."""
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, 'in.png'), os.path.join(d, 'out.' + ext)
        with open(src, 'wb') as f:
            f.write(data)
        subprocess.run(['vips', 'copy', src, dst], check=True, capture_output=True)
        with open(dst, 'rb') as f:
            return f.read()


def with_exif(jpeg):
    """A JPEG with an APP1 Exif block (a valid empty TIFF IFD) carrying a
    recognisable marker, as a camera's GPS data would be."""
    tiff = b'II*\x00\x08\x00\x00\x00' + b'\x00\x00' + b'\x00\x00\x00\x00' + b'GPSSECRET-51.5N'
    app1 = b'Exif\x00\x00' + tiff
    return jpeg[:2] + b'\xff\xe1' + struct.pack('>H', len(app1) + 2) + app1 + jpeg[2:]


def dims(data):
    """(width, height) of PNG, JPEG, GIF or WebP bytes."""
    if data[:8] == b'\x89PNG\r\n\x1a\n':
        return struct.unpack('>II', data[16:24])
    if data[:6] in (b'GIF87a', b'GIF89a'):
        return struct.unpack('<HH', data[6:10])
    if data[:4] == b'RIFF' and data[8:12] == b'WEBP':
        kind = data[12:16]
        if kind == b'VP8X':
            w = int.from_bytes(data[24:27], 'little') + 1
            h = int.from_bytes(data[27:30], 'little') + 1
            return w, h
        if kind == b'VP8 ':
            w, h = struct.unpack('<HH', data[26:30])
            return w & 0x3fff, h & 0x3fff
        if kind == b'VP8L':
            b = int.from_bytes(data[21:25], 'little')
            return (b & 0x3fff) + 1, ((b >> 14) & 0x3fff) + 1
    if data[:2] == b'\xff\xd8':
        i = 2
        while i + 4 <= len(data):
            if data[i] != 0xff:
                i += 1
                continue
            m = data[i + 1]
            if m in (0xd8, 0x01) or 0xd0 <= m <= 0xd7:
                i += 2
                continue
            ln = struct.unpack('>H', data[i + 2:i + 4])[0]
            if m in (0xc0, 0xc1, 0xc2):
                h, w = struct.unpack('>HH', data[i + 5:i + 9])
                return w, h
            i += 2 + ln
    return None


def multipart(fields, files):
    """files: [(field, filename, content_type, bytes)] -> (body, content type)."""
    boundary = '----gazette-test-7d3f1a'
    out = []
    for k, v in fields.items():
        out.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                    % (boundary, k, v)).encode())
    for name, filename, ctype, data in files:
        out.append(('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                    'Content-Type: %s\r\n\r\n' % (boundary, name, filename, ctype)).encode())
        out.append(data + b'\r\n')
    out.append(('--%s--\r\n' % boundary).encode())
    return b''.join(out), 'multipart/form-data; boundary=' + boundary


def upload(b, filename, data, ctype='application/octet-stream', csrf=True, alt=None,
           truncate_body=None):
    fields = {}
    if csrf:
        fields['csrf'] = b.csrf('/admin/media/')
    if alt is not None:
        fields['alt'] = alt
    body, ct = multipart(fields, [('file', filename, ctype, data)])
    if truncate_body:
        body = body[:truncate_body]
    headers = {'Content-Type': ct, 'Cookie': 'gz_session=' + b.cookie}
    st, h, resp = b.s.request('POST', '/admin/media/', body=body, headers=headers)
    return st, h, resp.decode('utf-8', 'replace')


def media_files(s):
    root = os.path.join(s.dir, 'media')
    out = []
    for d, _, fs in os.walk(root):
        out += [os.path.relpath(os.path.join(d, f), root) for f in fs]
    return sorted(out)


def newest_id(body):
    m = re.search(r'id="media-(\d+)"', body)
    return int(m.group(1)) if m else None


def main():
    c = Checks('test_media')
    with Site(conf_extra='max_upload = %d\n' % MAX_UPLOAD) as s:
        for login, role in [('boss', 'admin'), ('ed', 'editor'), ('au', 'author'),
                            ('co', 'contributor')]:
            cli_ok(c, s.cli('user', 'add', login, '--email', '%s@example.org' % login,
                            '--role', role, '--password-stdin',
                            input=PASSWORDS[login] + '\n'), 'user add ' + login)
        au = Browser(s)
        au.signin('au', PASSWORDS['au'])
        ed = Browser(s)
        ed.signin('ed', PASSWORDS['ed'])
        co = Browser(s)
        co.signin('co', PASSWORDS['co'])
        base = png(1400, 300)
        ids = {}

        with c.section('the library page'):
            st, h, body = au.get('/admin/media/')
            c.status(st, 200, 'GET /admin/media/')
            c.ok('enctype="multipart/form-data"' in body, 'upload form is multipart')
            c.ok('No images yet.' in body, 'empty library')
            st, h, _ = Browser(s).get('/admin/media/')
            c.status(st, 303, 'signed out: to the sign-in page')

        with c.section('uploads of each type'):
            samples = [('png', 'Harbour View.PNG', base, 'image/png'),
                       ('jpg', 'harbour.jpg', with_exif(convert(base, 'jpg')), 'image/jpeg'),
                       ('webp', 'harbour.webp', convert(base, 'webp'), 'image/webp'),
                       ('gif', 'harbour.gif', convert(base, 'gif'), 'image/gif')]
            for ext, name, data, mime in samples:
                c.eq(dims(data), (1400, 300), '%s sample size' % ext)
                st, h, body = upload(au, name, data, alt='Alt of %s' % ext)
                c.status(st, 303, 'upload %s' % name)
                m = re.search(r'uploaded=(\d+)', h.get('location', ''))
                c.ok(m, 'redirect names the upload: %r' % h.get('location'))
                if not m:
                    continue
                ids[ext] = int(m.group(1))
                st, _, body = au.get(h['location'])
                c.ok('Uploaded.' in body, 'notice after upload')
                sec = body[body.index('id="media-%s"' % m.group(1)):]
                sec = sec[:sec.index('</section>')]
                url = re.search(r'<code>(/media/[^<]+)</code>', sec).group(1)
                c.ok(re.match(r'^/media/\d{4}/\d{2}/[a-z0-9-]+-[0-9a-f]{8}\.%s$' % ext, url),
                     'stored name slug-hash.ext: %s' % url)
                if ext == 'png':
                    c.ok('/harbour-view-' in url, 'slug of the file name: %s' % url)
                st, hh, orig = s.get(url)
                c.status(st, 200, 'GET original %s' % ext)
                c.eq(hh.get('content-type'), mime, 'original content type %s' % ext)
                c.eq(hh.get('cache-control'), 'public, max-age=31536000, immutable',
                     'original cache-control %s' % ext)
                c.eq(hh.get('x-content-type-options'), 'nosniff', 'nosniff %s' % ext)
                c.eq(dims(orig), (1400, 300), 'original keeps its size %s' % ext)
                if ext == 'jpg':
                    c.ok(b'GPSSECRET' not in orig and b'Exif' not in orig,
                         'EXIF stripped from the stored JPEG')
                stem = url.rsplit('.', 1)[0]
                vext = 'png' if ext == 'gif' else ext
                vmime = 'image/png' if ext == 'gif' else mime
                for w in (320, 768, 1280):
                    vurl = '%s-%dw.%s' % (stem, w, vext)
                    c.ok(vurl in sec, 'variant %s listed' % vurl)
                    st, vh, vb = s.get(vurl)
                    c.status(st, 200, 'GET variant %s' % vurl)
                    c.eq(vh.get('content-type'), vmime, 'variant type %s' % vurl)
                    c.eq(vh.get('cache-control'), 'public, max-age=31536000, immutable',
                         'variant cache-control')
                    c.eq(dims(vb), (w, round(300 * w / 1400)), 'variant size %s' % vurl)
                st, _, _ = s.get('%s-1400w.%s' % (stem, vext))
                c.status(st, 404, 'no variant at the original width (never upscaled)')
            files = media_files(s)
            c.eq(len(files), 16, 'four originals and twelve variants on disk: %r' % files)

        with c.section('small images get no variants'):
            st, h, _ = upload(au, 'small.png', png(300, 200))
            c.status(st, 303, 'upload 300 px wide')
            st, _, body = au.get('/admin/media/')
            sid = newest_id(body)
            sec = body[body.index('id="media-%d"' % sid):]
            sec = sec[:sec.index('</section>')]
            c.ok('300w (original)' in sec and '-320w' not in sec,
                 'no variant wider than the original')
            ids['small'] = sid

        with c.section('refused uploads'):
            before = media_files(s)
            st, _, body = upload(au, 'setup.jpg', b'MZ\x90\x00' + b'\x00' * 4000, 'image/jpeg')
            c.status(st, 415, 'a renamed .exe with an image name and type')
            c.ok('not a JPEG, PNG, GIF or WebP image' in body, '415 says why')
            st, _, body = upload(au, 'x.jpg', b'just some text, honest\n' * 20, 'image/jpeg')
            c.status(st, 415, 'a text file named x.jpg')
            st, _, body = upload(au, 'cut.png', base[:len(base) // 2], 'image/png')
            c.status(st, 400, 'a truncated PNG')
            c.ok('was not stored' in body, 'truncated PNG: the message says so')
            jpg = convert(base, 'jpg')
            st, _, body = upload(au, 'cut.jpg', jpg[:len(jpg) // 2], 'image/jpeg')
            c.status(st, 400, 'a truncated JPEG')
            st, _, body = upload(au, 'empty.png', b'', 'image/png')
            c.status(st, 400, 'an empty file')
            st, _, body = upload(au, 'h.png', base, 'image/png', truncate_body=5000)
            c.status(st, 400, 'a multipart body cut off before its end')
            body, ct = multipart({'csrf': au.csrf()}, [('file', 'big.png', 'image/png',
                                                        b'\x89PNG\r\n\x1a\n' + b'x' * MAX_UPLOAD)])
            head = ('POST /admin/media/ HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: %s\r\n'
                    'Cookie: gz_session=%s\r\n' % (s.host, s.port, ct, au.cookie))
            resp = s.raw((head + 'Content-Length: %d\r\n\r\n' % len(body)).encode())
            c.ok(resp.startswith(b'HTTP/1.1 413'), 'an upload over max_upload (Content-Length): %r'
                 % resp[:40])
            chunked = b''.join(b'%x\r\n%s\r\n' % (len(body[i:i + 65536]), body[i:i + 65536])
                               for i in range(0, len(body), 65536)) + b'0\r\n\r\n'
            resp = s.raw((head + 'Transfer-Encoding: chunked\r\n\r\n').encode() + chunked)
            c.ok(resp.startswith(b'HTTP/1.1 413'), 'an upload over max_upload (chunked): %r'
                 % resp[:40])
            st, _, _ = upload(au, 'ok.png', png(50, 50), 'image/png')
            c.status(st, 303, 'still serving uploads after a 413')
            before = media_files(s)
            st, _, _ = upload(au, 'h.png', base, 'image/png', csrf=False)
            c.status(st, 403, 'no CSRF token')
            c.eq(media_files(s), before, 'nothing stored by refused uploads')
            st, _, body = au.get('/admin/media/')
            c.eq(body.count('class="panel media-item"'), 6, 'the library lists six images')
            st, _, _ = au.post('/admin/media/', {'csrf': au.csrf(), 'x': '1'})
            c.status(st, 400, 'a urlencoded POST without a file')

        with c.section('/media/ serves only recorded files'):
            for p in ['/media/../gazette.db', '/media/%2e%2e/gazette.db', '/media/gazette.db',
                      '/media/2020/01/none.png', '/media/' + media_files(s)[0] + '.bak']:
                st, _, _ = s.get(p)
                c.status(st, (400, 404), 'GET %s' % p)
            with open(os.path.join(s.dir, 'media', 'stray.png'), 'wb') as f:
                f.write(base)
            st, _, _ = s.get('/media/stray.png')
            c.status(st, 404, 'a file on disk the library does not record')

        with c.section('roles and alt text'):
            pid = ids['png']
            st, _, _ = co.post('/admin/media/%d/' % pid, {'csrf': co.csrf(), 'do': 'alt',
                                                          'alt': 'mine now'})
            c.status(st, 403, "a contributor cannot change another's upload")
            st, h, _ = upload(co, 'co.png', png(200, 100))
            c.status(st, 303, 'a contributor may upload')
            coid = int(re.search(r'uploaded=(\d+)', h['location']).group(1))
            st, _, _ = co.post('/admin/media/%d/' % coid, {'csrf': co.csrf(), 'do': 'alt',
                                                           'alt': 'Own picture'})
            c.status(st, 303, 'a contributor edits the alt text of their own')
            st, _, _ = ed.post('/admin/media/%d/' % pid, {'csrf': ed.csrf(), 'do': 'alt',
                                                          'alt': 'The harbour at "dawn" <b>'})
            c.status(st, 303, "an editor edits anyone's alt text")
            st, _, _ = au.post('/admin/media/%d/' % pid, {'do': 'alt', 'alt': 'x'})
            c.status(st, 403, 'alt without CSRF')
            st, _, _ = ed.post('/admin/media/%d/' % pid, {'csrf': ed.csrf(), 'do': 'alt',
                                                          'alt': 'two\nlines'})
            c.status(st, 400, 'alt text with a newline')
            st, _, _ = ed.post('/admin/media/%d/' % coid, {'csrf': ed.csrf(), 'do': 'delete'})
            c.status(st, 303, "an editor deletes anyone's unused upload")

        with c.section('featured image'):
            pid = ids['png']
            r = s.cli('post', 'add', '--title', 'Harbour story', '--status', 'published',
                      '--author', 'au', '--date', '2026-01-10T09:00:00Z', input='Body text.')
            post_id, url = id_url(cli_ok(c, r, 'post add'))
            st, _, body = au.get('/admin/posts/%s/' % post_id)
            c.ok('name="featured_media"' in body, 'the editor has a featured image field')
            f = {'csrf': field(body, 'csrf'), 'title': 'Harbour story', 'body': 'Body text.',
                 'excerpt': '', 'category': '', 'tags': '', 'slug': 'harbour-story',
                 'date': '2026-01-10T09:00', 'comments_open': 'on',
                 'featured_media': str(pid), 'do': 'save'}
            st, h, _ = au.post('/admin/posts/%s/' % post_id, f)
            c.status(st, 303, 'save with a featured image')
            st, _, body = au.get('/admin/posts/%s/' % post_id)
            c.ok(re.search(r'<option value="%d" selected>' % pid, body), 'kept in the editor')
            st, page = s.text(url)
            img = re.search(r'<figure class="post-image"><img [^>]*>', page)
            c.ok(img, 'the article shows the featured image')
            tag = img.group(0) if img else ''
            c.ok('alt="The harbour at &quot;dawn&quot; &lt;b&gt;"' in tag,
                 'alt text (escaped) in <img alt>: %s' % tag)
            c.ok(re.search(r'srcset="/media/\S+-320w\.png 320w, /media/\S+-768w\.png 768w, '
                           r'/media/\S+-1280w\.png 1280w, /media/\S+\.png 1400w"', tag),
                 'srcset with every width: %s' % tag)
            c.ok('width="1400" height="300"' in tag and 'loading="lazy"' in tag and
                 'sizes="' in tag, 'width, height, sizes, lazy')
            c.ok(re.search(r'<meta property="og:image" content="http://[^"]+/media/[^"]+\.png"',
                           page), 'og:image is the featured image')
            st, home = s.text('/')
            c.ok('class="summary-image"' in home and '-320w.png 320w' in home,
                 'the listing shows it with srcset')
            r = s.cli('post', 'add', '--title', 'Harbour story, part two', '--status',
                      'published', '--author', 'au', '--date', '2026-01-11T09:00:00Z',
                      input='Body text about the harbour story.')
            _, url2 = id_url(cli_ok(c, r, 'post add'))
            st, page2 = s.text(url2)
            rel = page2.split('You may also like', 1)[-1].split('</section>', 1)[0]
            c.ok('Harbour story' in rel and
                 re.search(r'<img class="related-image" src="/media/[^"]+\.png" '
                           r'srcset="[^"]*-320w\.png 320w[^"]*"[^>]* alt=""', rel),
                 'the related list shows its featured image: %s' % rel[:400])
            st, feed = s.text('/feed/')
            c.ok(re.search(r'<enclosure url="http://[^"]+/media/[^"]+\.png"[^>]*type="image/png"',
                           feed), 'feed enclosure is the featured image')
            # alt text edits reach the (cached) page
            st, _, _ = ed.post('/admin/media/%d/' % pid, {'csrf': ed.csrf(), 'do': 'alt',
                                                          'alt': 'Boats at dawn'})
            c.status(st, 303, 'alt edit')
            st, page = s.text(url)
            c.ok('alt="Boats at dawn"' in page, 'the new alt text shows on the article')

        with c.section('delete refused while used'):
            pid = ids['png']
            path_files = [f for f in media_files(s) if 'harbour-view-' in f]
            c.eq(len(path_files), 4, 'original and three variants on disk')
            st, _, body = au.post('/admin/media/%d/' % pid, {'csrf': au.csrf(), 'do': 'delete'})
            c.status(st, 409, 'delete of a featured image')
            c.ok('Not deleted' in body and 'Harbour story' in body, 'names the post')
            c.eq(len([f for f in media_files(s) if 'harbour-view-' in f]), 4, 'files kept')
            # used in a body by its variant URL
            jid = ids['jpg']
            st, _, lib = au.get('/admin/media/')
            sec = lib[lib.index('id="media-%d"' % jid):]
            jurl = re.search(r'<code>(/media/[^<]+)</code>', sec).group(1)
            r = s.cli('post', 'add', '--title', 'Body user', '--status', 'draft', '--author',
                      'au', input='![x](%s-320w.jpg)' % jurl.rsplit('.', 1)[0])
            cli_ok(c, r, 'post with the image in its body')
            st, _, body = au.post('/admin/media/%d/' % jid, {'csrf': au.csrf(), 'do': 'delete'})
            c.status(st, 409, 'delete of an image a body uses')
            c.ok('Body user' in body, 'names the post using it in its text')
            # free it, then delete
            st, _, body = au.get('/admin/posts/%s/' % post_id)
            f['csrf'] = field(body, 'csrf')
            f['featured_media'] = '0'
            st, _, _ = au.post('/admin/posts/%s/' % post_id, f)
            c.status(st, 303, 'remove the featured image')
            st, page = s.text(url)
            c.ok('post-image' not in page, 'the article no longer shows it')
            st, _, _ = co.post('/admin/media/%d/' % pid, {'csrf': co.csrf(), 'do': 'delete'})
            c.status(st, 403, "a contributor cannot delete another's upload")
            st, h, _ = au.post('/admin/media/%d/' % pid, {'csrf': au.csrf(), 'do': 'delete'})
            c.status(st, 303, 'delete once unused')
            c.eq([f for f in media_files(s) if 'harbour-view-' in f], [], 'files gone')
            st, _, _ = s.get('/media/' + path_files[0])
            c.status(st, 404, 'URL gone')
            st, _, _ = au.post('/admin/media/%d/' % pid, {'csrf': au.csrf(), 'do': 'delete'})
            c.status(st, 404, 'delete again')
        c.finish(s)


if __name__ == '__main__':
    main()
