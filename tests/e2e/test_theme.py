"""serve --theme DIR replaces the built-in theme; a broken theme is refused
at start-up with the file and line at fault."""
import os
import shutil
import subprocess
import sys

from harness import GAZETTE, Site, check

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, '..', '..', 'themes', 'default')


def serve_fails(s, theme):
    r = subprocess.run([GAZETTE, '--site', s.dir, 'serve', '--listen', '127.0.0.1:0',
                        '--theme', theme], capture_output=True, text=True, timeout=30)
    return r


def main():
    with Site(demo=False, serve=False) as s:
        theme = os.path.join(s.tmp, 'mytheme')
        shutil.copytree(DEFAULT, theme)
        with open(os.path.join(theme, 'home.mustache'), 'a') as f:
            f.write('\n')
        # a marker in the layout, and a changed stylesheet
        lay = os.path.join(theme, 'layout.mustache')
        with open(lay) as f:
            text = f.read()
        check('</footer>' in text, 'layout has a footer')
        with open(lay, 'w') as f:
            f.write(text.replace('</footer>', '<p>custom-theme-marker</p></footer>', 1))
        with open(os.path.join(theme, 'assets', 'style.css'), 'a') as f:
            f.write('\n/* custom */\n')

        s.start('--theme', theme)
        st, body = s.text('/')
        check(st == 200, 'home with custom theme: %s' % st)
        check('custom-theme-marker' in body, 'custom layout used')
        st, h, b = s.get('/nope/')
        check(st == 404 and b'custom-theme-marker' in b, '404 page uses the custom theme')
        # the stylesheet URL is fingerprinted from the custom content
        import re
        m = re.search(r'href="(/assets/style\.[0-9a-f]+\.css)"', body)
        check(m, 'stylesheet link')
        st, h, b = s.get(m.group(1))
        check(st == 200 and b.endswith(b'/* custom */\n'), 'custom stylesheet served')
        s.stop()

        # broken template: an unclosed section names file and line
        with open(os.path.join(theme, 'page.mustache'), 'a') as f:
            f.write('\n{{#oops}}\n')
        r = serve_fails(s, theme)
        check(r.returncode != 0, 'broken theme refused')
        check('page' in r.stderr and 'oops' in r.stderr, 'error names the template: %r' % r.stderr)
        check('Listening' not in r.stdout, 'no Listening line for a broken theme')

        # missing required template
        os.remove(os.path.join(theme, 'page.mustache'))
        r = serve_fails(s, theme)
        check(r.returncode != 0 and 'page.mustache' in r.stderr,
              'missing template named: %r' % r.stderr)
        # not a folder
        r = serve_fails(s, os.path.join(s.tmp, 'no-such-theme'))
        check(r.returncode != 0 and 'no-such-theme' in r.stderr, 'missing folder: %r' % r.stderr)
    print('test_theme: ok')


if __name__ == '__main__':
    try:
        main()
    except AssertionError as e:
        print('FAIL test_theme: %s' % e)
        sys.exit(1)
