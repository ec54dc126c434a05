#!/usr/bin/env python3
"""bench/bigsite.py - fill a fresh benchmark site (after `gazette init --demo`)
with N published articles written straight into its database, for
bench/run.sh's memory run at 100,000 articles (BENCH_BIG_ARTICLES).

    python3 bench/bigsite.py SITE-DIR N [WORDS]

The articles are the input, not what is measured: `gazette post add` per
article would take hours at this size (it recomputes related lists), so
they go in with one transaction, like bench/search.py's corpus. Each has a
title, a unique slug, ~WORDS words of Markdown with its HTML (paragraphs, a
sub-heading, emphasis, a link), a category, an author, 0-3 tags and a date
within three years; deterministic (fixed seed). No search index or related
lists are built (not needed to serve article pages). Prints the article
paths (/YYYY/MM/slug/, the default permalink, dates in UTC) on stdout."""
import os
import random
import sqlite3
import sys
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


def main():
    site, n = sys.argv[1], int(sys.argv[2])
    words = int(sys.argv[3]) if len(sys.argv) > 3 else 600
    rnd = random.Random(42)
    db = sqlite3.connect(os.path.join(site, 'gazette.db'))
    users = [r[0] for r in db.execute('SELECT id FROM users')]
    cats = [r[0] for r in db.execute('SELECT id FROM categories')]
    tags = [r[0] for r in db.execute('SELECT id FROM tags')]
    now = int(time.time())
    out = sys.stdout
    db.execute('BEGIN')
    for i in range(n):
        w = rnd.choices(WORDS, k=words)
        paras = [' '.join(w[k:k + 70]).capitalize() + '.' for k in range(0, words, 70)]
        paras[1] = paras[1].replace(' ', ' *', 1).replace(' ', '* ', 2)
        md = '\n\n'.join(paras[:3] + ['## ' + ' '.join(w[:4]).capitalize()] + paras[3:])
        md += '\n\nSee [the report](https://example.org/r/%d/).' % i
        html_paras = ['<p>%s</p>' % p.replace('*', '') for p in paras]
        html = '\n'.join(html_paras[:3] + ['<h2>%s</h2>' % ' '.join(w[:4]).capitalize()] +
                         html_paras[3:])
        html += '\n<p>See <a href="https://example.org/r/%d/">the report</a>.</p>\n' % i
        title = ' '.join(rnd.choices(WORDS, k=rnd.randint(5, 9))).capitalize()
        slug = '%s-%d' % ('-'.join(title.lower().split()[:5]), i)
        when = now - rnd.randint(86400, 3 * 365 * 86400)
        cur = db.execute(
            "INSERT INTO posts(type, status, slug, title, excerpt, author_id, category_id, "
            "published_at, created_at, updated_at, summary) VALUES "
            "('post', 'published', ?, ?, '', ?, ?, ?, ?, ?, ?)",
            (slug, title, rnd.choice(users), rnd.choice(cats), when, when, when,
             paras[0][:280]))
        db.execute('INSERT INTO post_bodies(post_id, body_md, body_html) VALUES (?, ?, ?)',
                   (cur.lastrowid, md, html))
        for t in rnd.sample(tags, min(len(tags), rnd.randint(0, 3))):
            db.execute('INSERT OR IGNORE INTO post_tags(post_id, tag_id) VALUES (?, ?)',
                       (cur.lastrowid, t))
        out.write(time.strftime('/%Y/%m/', time.gmtime(when)) + slug + '/\n')
    db.execute('COMMIT')
    db.close()


if __name__ == '__main__':
    main()
