"""'You may also like': related in content, not just by a shared tag; kept
current when articles are published, edited and unpublished."""
import sys

from harness import Site, check, poll

BODY = {
    'tram-a': ('Tram depot contract signed', 'tram',
               'The tram depot on Wharf Avenue will house forty trams. Tram drivers, tram '
               'engineers and the depot contractor signed the tram maintenance contract.'),
    'tram-b': ('New trams arrive at the depot', 'city',
               'The first new trams arrived at the tram depot. Tram engineers tested the trams '
               'overnight on Wharf Avenue before drivers begin tram training.'),
    'bakery': ('Bakery wins bread award', 'tram',
               'A family bakery won the regional bread award for its sourdough loaves and rye '
               'bread, baked overnight in a wood oven.'),
    'market': ('Market hall adds bread stalls', 'food',
               'The market hall added two bread stalls selling sourdough and rye loaves from '
               'local bakers.'),
}


def related_titles(s, url):
    """Titles in the "You may also like" section, in page order."""
    st, body = s.text(url)
    check(st == 200, 'GET %s -> %s' % (url, st))
    if 'You may also like' not in body:
        return []
    part = body.split('You may also like', 1)[1].split('</section>', 1)[0]
    titles = [v[0] for v in BODY.values()] + ['Trams return to the depot', 'Draft about trams']
    return sorted((t for t in titles if t in part), key=part.index)


def main():
    with Site() as s:
        urls = {}
        check(s.cli('user', 'add', 'ed', '--email', 'e@example.org', '--role', 'editor')
              .returncode == 0, 'user')
        for slug, (title, tag, body) in BODY.items():
            r = s.cli('post', 'add', '--title', title, '--slug', slug, '--tags', tag,
                      '--status', 'published', '--date', '2026-02-01T10:00:00Z', input=body)
            check(r.returncode == 0, r.stderr)
            urls[slug] = r.stdout.split('\t')[1].strip()

        # on topic beats a merely shared tag ('bakery' shares tag "tram" with tram-a)
        rel = related_titles(s, urls['tram-a'])
        check(rel[:1] == ['New trams arrive at the depot'], 'tram-a related: %r' % rel)
        rel = related_titles(s, urls['bakery'])
        check(rel[:1] == ['Market hall adds bread stalls'], 'bakery related: %r' % rel)
        st, body = s.text(urls['tram-a'])
        check('<h2 id="related-heading">You may also like</h2>' in body, 'section heading')

        # a newly published article appears under older ones
        r = s.cli('post', 'add', '--title', 'Trams return to the depot', '--tags', 'city',
                  '--status', 'published', '--date', '2026-02-02T10:00:00Z',
                  input='Trams return to the tram depot after tram engineers finish tram tests '
                        'on Wharf Avenue; tram drivers cheered.')
        check(r.returncode == 0, r.stderr)
        new_id, new_url = r.stdout.strip().split('\t')
        check(poll(lambda: 'Trams return to the depot' in related_titles(s, urls['tram-b']),
                   timeout=5), 'new article listed under an older one (cache purged too)')

        # unpublishing removes it from the lists it was on
        check(s.cli('post', 'unpublish', new_id).returncode == 0, 'unpublish')
        check(poll(lambda: 'Trams return to the depot' not in related_titles(s, urls['tram-b']),
                   timeout=5), 'unpublished article leaves related lists')

        # drafts never appear
        r = s.cli('post', 'add', '--title', 'Draft about trams', input='tram tram depot trams')
        check(r.returncode == 0, r.stderr)
        st, body = s.text(urls['tram-a'])
        check('Draft about trams' not in body, 'drafts are never related')

        # how many are shown is a setting (the store keeps more)
        check(s.cli('settings', 'set', 'related_count', '1').returncode == 0, 'related_count 1')
        check(poll(lambda: len(related_titles(s, urls['tram-a'])) == 1, timeout=5),
              'related_count 1 shows one: %r' % related_titles(s, urls['tram-a']))
        check(s.cli('settings', 'set', 'related_count', '0').returncode == 0, 'related_count 0')
        check(poll(lambda: 'You may also like' not in s.text(urls['tram-a'])[1], timeout=5),
              'related_count 0 hides the section')
        r = s.cli('settings', 'set', 'related_count', '9')
        check(r.returncode != 0 and 'related_count' in r.stderr, 'related_count 9 refused')
        check(s.cli('settings', 'set', 'related_count', '4').returncode == 0, 'related_count 4')

        r = s.cli('related', '--rebuild')
        check(r.returncode == 0 and 'rebuilt' in r.stdout, 'related --rebuild: %s' % r.stderr)
        # (polled: the server may not have acted on related_count 4 yet)
        check(poll(lambda: related_titles(s, urls['tram-a'])[:1] ==
                   ['New trams arrive at the depot'], timeout=5),
              'after rebuild: %r' % related_titles(s, urls['tram-a']))
    print('test_related: ok')


if __name__ == '__main__':
    try:
        main()
    except AssertionError as e:
        print('FAIL test_related: %s' % e)
        sys.exit(1)
