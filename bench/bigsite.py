#!/usr/bin/env python3
"""bench/bigsite.py - fill a fresh benchmark site (after `gazette init --demo`)
with N published articles written straight into its database, for
bench/run.sh's memory run at 100,000 articles (BENCH_BIG_ARTICLES), its
BENCH_BULK=1 sites, and bench/nodes.sh's SQLite and PostgreSQL sites.

    python3 bench/bigsite.py [--pg URL] [--now SECONDS] SITE-DIR N [WORDS]

The articles are the input, not what is measured: `gazette post add` per
article would take hours at this size (it recomputes related lists), so
they go in with one transaction, like bench/search.py's corpus. Each has a
title, a unique slug, ~WORDS words of Markdown with its HTML (paragraphs, a
sub-heading, emphasis, a link) on one of 400 topics (see TOPICS), a
category, an author, 0-3 tags and a date
within three years before --now (default: the current time); deterministic
(fixed seed): the same N, WORDS and --now on two sites made by the same
`init --demo` give the same articles with the same ids. No search index or
related lists are built (`gazette reindex` and `gazette related --rebuild`
do that). Prints the article paths (/YYYY/MM/slug/, the default permalink,
dates in UTC) on stdout.

--pg URL writes into that PostgreSQL database (a site made with `gazette
--database URL init --demo`; SITE-DIR is then not read) through psql's
COPY, as no Python driver is assumed."""
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

WORDS = ('the city council said on monday that its budget for the coming year would include '
         'new money for schools parks and public transport after residents asked for more '
         'buses on the northern routes mayor harbour district plan housing rent tenants '
         'landlord committee vote members report review project cost million funding tax '
         'fares ferry bridge station line service repairs water flood river bank storm winter '
         'summer market shop restaurant kitchen chef owner family business workers union '
         'strike wages contract agreement talks hospital nurses doctors clinic patients '
         'school teachers students parents classes exam results library museum gallery '
         'exhibition artist theatre music festival season team coach match league players '
         'goal win stadium crowd fans police court judge trial officers board inquiry '
         'evidence witness election candidate campaign voters ballot opposition meeting '
         'hearing proposal approved rejected delayed announced confirmed warned').split()

# Stories come in topics, as news does: each topic has a few names of its
# own (a place, a firm, a person), about one word in twelve of its articles.
# Without them every word would be in most articles, and the "You may also
# like" lists (which skip words in more than a tenth of the site) would be
# empty for many articles; with them an article's list is its topic's.
SYLLABLES = ('bar', 'ell', 'ery', 'mor', 'ton', 'vik', 'ash', 'lin', 'dal', 'quo', 'ren',
             'sta', 'wyn', 'oxe', 'pel', 'har', 'gor', 'tis', 'fen', 'ulm', 'kes', 'nor')
TOPICS = 400
TOPIC_NAMES = 4


def topic_names():
    rnd = random.Random(7)
    seen, topics = set(), []
    while len(topics) < TOPICS:
        names = []
        while len(names) < TOPIC_NAMES:
            name = ''.join(rnd.choice(SYLLABLES) for _ in range(3))
            if name not in seen:
                seen.add(name)
                names.append(name)
        topics.append(names)
    return topics


POST_COLS = ('id', 'type', 'status', 'slug', 'title', 'excerpt', 'author_id', 'category_id',
             'published_at', 'created_at', 'updated_at', 'summary')


def articles(n, words, now, first_id, users, cats, tags):
    """Yield (post row, body_md, body_html, tag ids) for N articles."""
    rnd = random.Random(42)
    topics = topic_names()
    for i in range(n):
        names = rnd.choice(topics)
        w = rnd.choices(WORDS, k=words)
        for k in range(rnd.randrange(12), words, 12):
            w[k] = rnd.choice(names)
        paras = [' '.join(w[k:k + 70]).capitalize() + '.' for k in range(0, words, 70)]
        paras[1] = paras[1].replace(' ', ' *', 1).replace(' ', '* ', 2)
        md = '\n\n'.join(paras[:3] + ['## ' + ' '.join(w[:4]).capitalize()] + paras[3:])
        md += '\n\nSee [the report](https://example.org/r/%d/).' % i
        html_paras = ['<p>%s</p>' % p.replace('*', '') for p in paras]
        html = '\n'.join(html_paras[:3] + ['<h2>%s</h2>' % ' '.join(w[:4]).capitalize()] +
                         html_paras[3:])
        html += '\n<p>See <a href="https://example.org/r/%d/">the report</a>.</p>\n' % i
        title = ' '.join([rnd.choice(names)] + rnd.choices(WORDS, k=rnd.randint(4, 8))).capitalize()
        slug = '%s-%d' % ('-'.join(title.lower().split()[:5]), i)
        when = now - rnd.randint(86400, 3 * 365 * 86400)
        row = (first_id + i, 'post', 'published', slug, title, '', rnd.choice(users),
               rnd.choice(cats), when, when, when, paras[0][:280])
        post_tags = rnd.sample(tags, min(len(tags), rnd.randint(0, 3)))
        yield row, md, html, post_tags


def path(row):
    return time.strftime('/%Y/%m/', time.gmtime(row[8])) + row[3] + '/\n'


def to_sqlite(site, n, words, now):
    db = sqlite3.connect(os.path.join(site, 'gazette.db'))
    # ORDER BY: the same lists (hence the same random picks) as from PostgreSQL
    users = [r[0] for r in db.execute('SELECT id FROM users ORDER BY id')]
    cats = [r[0] for r in db.execute('SELECT id FROM categories ORDER BY id')]
    tags = [r[0] for r in db.execute('SELECT id FROM tags ORDER BY id')]
    first = db.execute('SELECT coalesce(max(id), 0) + 1 FROM posts').fetchone()[0]
    db.execute('BEGIN')
    for row, md, html, post_tags in articles(n, words, now, first, users, cats, tags):
        db.execute('INSERT INTO posts(%s) VALUES (%s)' % (', '.join(POST_COLS),
                                                          ', '.join('?' * len(POST_COLS))), row)
        db.execute('INSERT INTO post_bodies(post_id, body_md, body_html) VALUES (?, ?, ?)',
                   (row[0], md, html))
        for t in post_tags:
            db.execute('INSERT OR IGNORE INTO post_tags(post_id, tag_id) VALUES (?, ?)',
                       (row[0], t))
        sys.stdout.write(path(row))
    db.execute('COMMIT')
    db.close()


def psql(url, sql, stdin=None):
    cmd = ['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url]
    if sql is not None:
        cmd += ['-c', sql]
    if stdin is not None:  # a script: its output is not wanted (our stdout is the paths)
        subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, check=True)
        return ''
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def copy_field(v):
    """A value in COPY's text format."""
    return (str(v).replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n')
            .replace('\r', '\\r'))


def to_pg(url, n, words, now):
    ids = lambda table: [int(x) for x in psql(url, 'SELECT id FROM %s ORDER BY id' % table).split()]
    users, cats, tags = ids('users'), ids('categories'), ids('tags')
    first = int(psql(url, 'SELECT coalesce(max(id), 0) + 1 FROM posts').strip())
    # posts first (the others reference them), bodies spooled to a file
    with tempfile.TemporaryFile('w+', encoding='utf-8') as script, \
            tempfile.TemporaryFile('w+', encoding='utf-8') as bodies:
        script.write('BEGIN;\nCOPY posts(%s) FROM STDIN;\n' % ', '.join(POST_COLS))
        tag_rows = []
        for row, md, html, post_tags in articles(n, words, now, first, users, cats, tags):
            script.write('\t'.join(copy_field(v) for v in row) + '\n')
            bodies.write('%d\t%s\t%s\n' % (row[0], copy_field(md), copy_field(html)))
            tag_rows += ['%d\t%d\n' % (row[0], t) for t in post_tags]
            sys.stdout.write(path(row))
        script.write('\\.\nCOPY post_bodies(post_id, body_md, body_html) FROM STDIN;\n')
        bodies.seek(0)
        for line in bodies:
            script.write(line)
        script.write('\\.\nCOPY post_tags(post_id, tag_id) FROM STDIN;\n')
        script.writelines(tag_rows)
        script.write("\\.\nSELECT setval(pg_get_serial_sequence('posts', 'id'), max(id)) "
                     "FROM posts;\nCOMMIT;\nANALYZE;\n")
        script.seek(0)
        psql(url, None, stdin=script)


def main():
    args, url, now = sys.argv[1:], None, int(time.time())
    while args and args[0].startswith('--'):
        if args[0] == '--pg' and len(args) > 1:
            url = args[1]
        elif args[0] == '--now' and len(args) > 1:
            now = int(args[1])
        else:
            sys.exit('usage: bigsite.py [--pg URL] [--now SECONDS] SITE-DIR N [WORDS]')
        args = args[2:]
    if len(args) not in (2, 3):
        sys.exit('usage: bigsite.py [--pg URL] [--now SECONDS] SITE-DIR N [WORDS]')
    site, n = args[0], int(args[1])
    words = int(args[2]) if len(args) > 2 else 600
    if url:
        to_pg(url, n, words, now)
    else:
        to_sqlite(site, n, words, now)


if __name__ == '__main__':
    main()
