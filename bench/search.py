#!/usr/bin/env python3
"""bench/search.py - `make bench-search`: search and "You may also like" on a
synthetic corpus (issue 4, "Benchmarks").

Steps (all timed with the wall clock, on this machine):
  1. a site (`gazette init --demo`: users, categories, tags);
  2. BENCH_CORPUS generated published articles (default 100,000; about
     BENCH_WORDS words each, from a fixed vocabulary with a Zipf-like
     spread and a few rare words per article, deterministic seed), written
     straight into the posts tables in one transaction - the corpus is the
     input, not what is measured;
  3. `gazette reindex` (the full-text index and the spelling index);
  4. `gazette related --rebuild` (every article's related list), and how
     often an article's first related one is about the same topic;
  5. the database size;
  6. `gazette serve` with the page cache off, and a fixed set of queries
     (single words, questions of several words, phrases, prefixes,
     exclusions, a typo that gets "did you mean") each asked BENCH_REPEAT
     times over HTTP on loopback, one at a time: latency p50 / p95 / max;
  7. the server's resident memory (VmRSS) after the queries;
  8. publishing one more article with `gazette post add` (its search
     index row and the related lists it changes are written before the
     command returns): the command's wall time, BENCH_PUBLISH times, and
     the same command saving a draft; the difference is publishing's own
     cost.
Prints a Markdown table for bench/RESULTS.md. The temporary site is removed
unless BENCH_KEEP=1.

Environment: BENCH_CORPUS=100000 BENCH_WORDS=500 BENCH_REPEAT=20
BENCH_PUBLISH=5 GAZETTE=./gazette BENCH_KEEP=0"""
import http.client
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

GAZETTE = os.environ.get('GAZETTE', './gazette')
N = int(os.environ.get('BENCH_CORPUS', '100000'))
WORDS = int(os.environ.get('BENCH_WORDS', '500'))
REPEAT = int(os.environ.get('BENCH_REPEAT', '20'))
PUBLISH = int(os.environ.get('BENCH_PUBLISH', '5'))
KEEP = os.environ.get('BENCH_KEEP', '0') == '1'

COMMON = ('the city council said on monday that its budget for the coming year would include '
          'new money for schools parks and public transport after residents asked for more '
          'buses on the northern routes mayor harbour district plan housing rent tenants '
          'landlord committee vote members report review project cost million funding tax '
          'fares ferry bridge station line service repairs water flood river bank storm winter '
          'summer market shop restaurant kitchen chef owner family business workers union '
          'strike wages contract agreement talks hospital nurses doctors clinic patients '
          'waiting school teachers students parents classes exam results library museum '
          'gallery exhibition artist theatre music festival season team coach match league '
          'players goal win loss stadium crowd fans police court judge trial officers board '
          'inquiry evidence witness statement election candidate campaign voters turnout '
          'ballot seat party opposition motion meeting hearing proposal approved rejected '
          'delayed expected announced confirmed warned argued agreed described estimated '
          'reported planned opened closed built moved changed reduced increased').split()
QUERIES = [
    ('word', 'ferry'), ('word', 'budget'), ('word', 'hospital'), ('word', 'lighthouse'),
    ('question', 'why was the ferry strike delayed'),
    ('question', 'what did the council decide about school funding'),
    ('question', 'housing rent tenants committee vote'),
    ('phrase', '"public transport"'), ('phrase', '"budget for the coming year"'),
    ('prefix', 'hospit*'), ('prefix', 'festiv* music'),
    ('exclusion', 'harbour -storm'),
    ('rare', 'zephyrine'), ('rare', 'quillback marmalade'),
    ('typo', 'hospitl fundng'),
]
RARE = ['zephyrine', 'quillback', 'marmalade', 'lighthouse', 'obelisk', 'tramway', 'saltmarsh',
        'cormorant', 'shipwright', 'boathouse', 'lantern', 'regatta']


def say(*a):
    print('bench:', *a, file=sys.stderr, flush=True)


def run(*args, input=None):
    t0 = time.perf_counter()
    r = subprocess.run([GAZETTE] + list(args), input=input, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit('bench: %s failed: %s' % (' '.join(args), r.stderr.strip()))
    return r.stdout, took


# A realistic spread of words: a vocabulary of VOCAB made-up words with a
# Zipf-like frequency (s = 1), TOPICS topics of 150 words each drawn from the
# middle of it, and the common English words above. An article is about one
# topic: its words are ~45% common, ~35% from its topic and ~20% from the
# whole vocabulary, so related articles exist and share rarer words, as on a
# real site (the corpus of 170 words used before had every word in every
# article).
VOCAB = 40000
TOPICS = 400
SYLLABLES = ('ba ri ton mel ka sor vin dal pe lu gro ste ham nor fi quen tra bel mos cor '
             'len da wes ter pol mar ith ga ron sel').split()
FUNCTION = ('the of and to a in is for on that with as at by from it was be this are an '
            'or has have its but not after their said more will which had were been who').split()


def vocabulary(rnd):
    seen, out = set(COMMON) | set(FUNCTION) | set(RARE), []
    while len(out) < VOCAB:
        w = ''.join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def cumulative(n, s=1.0):
    acc, out = 0.0, []
    for i in range(n):
        acc += 1.0 / (i + 1) ** s
        out.append(acc)
    return out


def corpus(site):
    rnd = random.Random(42)
    db = sqlite3.connect(os.path.join(site, 'gazette.db'))
    users = [r[0] for r in db.execute('SELECT id FROM users')]
    cats = [r[0] for r in db.execute('SELECT id FROM categories')]
    tags = [r[0] for r in db.execute('SELECT id FROM tags')]
    vocab = vocabulary(rnd)
    vcum = cumulative(len(vocab))
    common = FUNCTION + COMMON
    ccum = cumulative(len(common), 0.8)
    topics = [rnd.sample(vocab[200:20000], 150) for _ in range(TOPICS)]
    tcum = cumulative(150, 0.7)
    now = int(time.time())
    t0 = time.perf_counter()
    topic_of = {}
    db.execute('BEGIN')
    for i in range(N):
        t = rnd.randrange(TOPICS)
        nc, nt = int(WORDS * 0.45), int(WORDS * 0.35)
        words = (rnd.choices(common, cum_weights=ccum, k=nc) +
                 rnd.choices(topics[t], cum_weights=tcum, k=nt) +
                 rnd.choices(vocab, cum_weights=vcum, k=WORDS - nc - nt))
        rnd.shuffle(words)
        for _ in range(rnd.randint(0, 3)):
            words[rnd.randrange(WORDS)] = rnd.choice(RARE)
        paras = [' '.join(words[k:k + 60]).capitalize() + '.' for k in range(0, WORDS, 60)]
        md = '\n\n'.join(paras)
        html = ''.join('<p>%s</p>\n' % p for p in paras)
        title = ' '.join(rnd.choices(topics[t], cum_weights=tcum, k=rnd.randint(2, 4)) +
                         rnd.choices(COMMON, k=rnd.randint(1, 3))).capitalize()
        when = now - rnd.randint(3600, 3 * 365 * 86400)
        cat = cats[t % len(cats)] if rnd.random() < 0.7 else rnd.choice(cats)
        cur = db.execute(
            "INSERT INTO posts(type, status, slug, title, excerpt, author_id, category_id, "
            "published_at, created_at, updated_at, summary) VALUES "
            "('post', 'published', ?, ?, '', ?, ?, ?, ?, ?, ?)",
            ('bench-%d' % i, title, rnd.choice(users), cat, when, when, when, md[:300]))
        pid = cur.lastrowid
        topic_of[pid] = t
        db.execute('INSERT INTO post_bodies(post_id, body_md, body_html) VALUES (?, ?, ?)',
                   (pid, md, html))
        mine = [tags[(t + k) % len(tags)] for k in range(rnd.randint(0, 2))]
        for tg in set(mine + rnd.sample(tags, min(len(tags), rnd.randint(0, 1)))):
            db.execute('INSERT OR IGNORE INTO post_tags(post_id, tag_id) VALUES (?, ?)',
                       (pid, tg))
        if i and i % 20000 == 0:
            say('  %d articles written' % i)
    db.execute('COMMIT')
    db.close()
    return time.perf_counter() - t0, topic_of


def on_topic(site, topic_of):
    """Share of articles whose first related article is about the same
    topic (the generator's), over every article with a list."""
    db = sqlite3.connect(os.path.join(site, 'gazette.db'))
    same = total = 0
    for pid, rel in db.execute('SELECT post_id, related_id FROM related WHERE rank = 0'):
        if pid in topic_of and rel in topic_of:
            total += 1
            same += topic_of[pid] == topic_of[rel]
    db.close()
    return same, total


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    tmp = tempfile.mkdtemp(prefix='gazette-bench-search-')
    site = os.path.join(tmp, 'site')
    rows = []
    proc = None
    try:
        run('--site', site, 'init', '--demo')
        say('writing %d articles of %d words' % (N, WORDS))
        took, topic_of = corpus(site)
        rows.append(('corpus written (input, not measured work)', '%.1f s' % took))
        say('reindex')
        _, took = run('--site', site, 'reindex')
        rows.append(('`gazette reindex` (%d articles)' % N, '%.1f s' % took))
        say('related --rebuild')
        _, took = run('--site', site, 'related', '--rebuild')
        rows.append(('`gazette related --rebuild`', '%.1f s' % took))
        same, total = on_topic(site, topic_of)
        rows.append(('first related article on the same topic (of %d topics)' % TOPICS,
                     '%d of %d (%.1f%%)' % (same, total, 100.0 * same / max(total, 1))))
        run('--site', site, 'backup', os.path.join(tmp, 'size.db'))
        size = os.path.getsize(os.path.join(tmp, 'size.db'))
        rows.append(('database size (a backup copy)', '%.0f MB' % (size / 1e6)))

        with open(os.path.join(site, 'gazette.conf'), 'a') as f:
            f.write('\ncache_mb = 0\naccess_log = 0\n')
        proc = subprocess.Popen([GAZETTE, '--site', site, 'serve', '--listen', '127.0.0.1:0',
                                 '--threads', '1'], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline()
        m = re.match(r'Listening on http://([\d.]+):(\d+)/', line)
        if not m:
            sys.exit('bench: serve did not start: %r' % line)
        host, port = m.group(1), int(m.group(2))
        conn = http.client.HTTPConnection(host, port, timeout=60)
        lat, by_kind, totals = [], {}, {}
        import urllib.parse
        for _ in range(2):  # warm the page cache of the OS and SQLite
            for kind, q in QUERIES:
                conn.request('GET', '/search.json?q=' + urllib.parse.quote(q))
                conn.getresponse().read()
        for _ in range(REPEAT):
            for kind, q in QUERIES:
                t0 = time.perf_counter()
                conn.request('GET', '/search.json?q=' + urllib.parse.quote(q))
                r = conn.getresponse()
                body = r.read()
                ms = (time.perf_counter() - t0) * 1000
                if r.status != 200:
                    sys.exit('bench: %r -> %s' % (q, r.status))
                totals[q] = int(re.search(rb'"total":(\d+)', body).group(1))
                lat.append(ms)
                by_kind.setdefault(kind, []).append(ms)
        rows.append(('search latency, all %d queries x %d (p50 / p95 / max)' %
                     (len(QUERIES), REPEAT),
                     '%.1f / %.1f / %.1f ms' % (pct(lat, 50), pct(lat, 95), max(lat))))
        for kind, xs in by_kind.items():
            rows.append(('  %s queries (p50 / p95)' % kind,
                         '%.1f / %.1f ms' % (pct(xs, 50), pct(xs, 95))))
        with open('/proc/%d/status' % proc.pid) as f:
            rss = int(re.search(r'VmRSS:\s+(\d+)', f.read()).group(1))
        rows.append(('server RSS after the queries', '%.0f MB' % (rss / 1024)))

        # publishing: the whole command, and the same command saving a
        # draft (no index, no related lists) - the difference is what the
        # search index and "You may also like" cost
        pub, draft = [], []
        for i in range(PUBLISH):
            _, took = run('--site', site, 'post', 'add', '--title',
                          'Regatta returns to the harbour %d' % i, '--status', 'published',
                          '--tags', 'ferry', input='The regatta and the ferry festival return '
                          'to the harbour this summer, with music and boats.')
            pub.append(took * 1000)
            _, took = run('--site', site, 'post', 'add', '--title',
                          'Regatta draft %d' % i, '--status', 'draft', '--tags', 'ferry',
                          input='The regatta and the ferry festival return to the harbour '
                          'this summer, with music and boats.')
            draft.append(took * 1000)
        rows.append(('`post add --status published` at %d articles (whole command: '
                     'median / max of %d)' % (N, PUBLISH),
                     '%.0f / %.0f ms' % (statistics.median(pub), max(pub))))
        rows.append(('the same saving a draft (no index, no related lists)',
                     '%.0f / %.0f ms' % (statistics.median(draft), max(draft))))
        rows.append(('publishing\'s own cost: index + related lists (published - draft, '
                     'medians)', '%.0f ms' % (statistics.median(pub) - statistics.median(draft))))
    finally:
        if proc:
            proc.terminate()
            proc.wait()
        if KEEP:
            say('kept', tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print('| measure | value |\n| --- | --- |')
    for k, v in rows:
        print('| %s | %s |' % (k, v))
    print('\nresults per query (total found): ' +
          ', '.join('%s=%d' % (q, n) for q, n in totals.items()))


if __name__ == '__main__':
    main()
