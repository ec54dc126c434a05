"""wxrgen.py - write a synthetic WordPress export (WXR 1.2) of n posts, each
with `paras` paragraphs of made-up words and two comments, then
`attachments` attachment items as large, for the import's memory and speed
checks (test_import.py). Deterministic for a seed.

    python3 wxrgen.py N FILE [PARAS]
"""
import random
import sys


def generate(path, n, seed=1, paras=6, para_words=80, attachments=0):
    rnd = random.Random(seed)
    syll = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'dor', 'pi', 'nu', 'zar', 'ech', 'os',
            'li', 'mar', 'qui']
    vocab = [''.join(rnd.choice(syll) for _ in range(3)) for _ in range(20000)]
    with open(path, 'w', encoding='utf-8') as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">\n<channel>'
                  '<title>Generated</title><link>http://gen.example</link>'
                  '<wp:wxr_version>1.2</wp:wxr_version>'
                  '<wp:base_blog_url>http://gen.example</wp:base_blog_url>\n'
                  '<wp:author><wp:author_login>writer</wp:author_login>'
                  '<wp:author_email>w@gen.example</wp:author_email></wp:author>\n')
        for c in range(20):
            out.write('<wp:category><wp:category_nicename>cat%d</wp:category_nicename>'
                      '<wp:category_parent></wp:category_parent><wp:cat_name>Cat %d</wp:cat_name>'
                      '</wp:category>\n' % (c, c))
        cid = 1
        for i in range(1, n + 1):
            body = '\n\n'.join(' '.join(rnd.choice(vocab) for _ in range(para_words))
                               for _ in range(paras))
            out.write('<item><title>Story %d %s</title><link>http://gen.example/%d/story-%d/</link>'
                      '<dc:creator>writer</dc:creator>'
                      '<content:encoded><![CDATA[%s]]></content:encoded>'
                      '<excerpt:encoded><![CDATA[]]></excerpt:encoded>'
                      '<wp:post_id>%d</wp:post_id>'
                      '<wp:post_date_gmt>2015-%02d-%02d 10:00:00</wp:post_date_gmt>'
                      '<wp:post_name>story-%d</wp:post_name><wp:status>publish</wp:status>'
                      '<wp:post_type>post</wp:post_type><wp:comment_status>open</wp:comment_status>'
                      '<category domain="category" nicename="cat%d">Cat</category>'
                      '<category domain="post_tag" nicename="t%d">T%d</category>\n'
                      % (i, rnd.choice(vocab), i, i, body, i, 1 + i % 12, 1 + i % 28, i, i % 20,
                         i % 50, i % 50))
            for _ in range(2):
                out.write('<wp:comment><wp:comment_id>%d</wp:comment_id>'
                          '<wp:comment_author>R</wp:comment_author>'
                          '<wp:comment_author_email>r@x.example</wp:comment_author_email>'
                          '<wp:comment_date_gmt>2015-01-01 00:00:00</wp:comment_date_gmt>'
                          '<wp:comment_content>Nice one %d</wp:comment_content>'
                          '<wp:comment_approved>1</wp:comment_approved>'
                          '<wp:comment_parent>0</wp:comment_parent></wp:comment>\n' % (cid, cid))
                cid += 1
            out.write('</item>\n')
        for i in range(n + 1, n + attachments + 1):
            # big items the importer reads through and skips (media comes later)
            body = '\n\n'.join(' '.join(rnd.choice(vocab) for _ in range(para_words))
                               for _ in range(paras))
            out.write('<item><title>file %d</title><content:encoded><![CDATA[%s]]>'
                      '</content:encoded><wp:post_id>%d</wp:post_id>'
                      '<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>'
                      '<wp:attachment_url>http://gen.example/f%d.jpg</wp:attachment_url></item>\n'
                      % (i, body, i, i))
        out.write('</channel></rss>\n')


if __name__ == '__main__':
    generate(sys.argv[2], int(sys.argv[1]), paras=int(sys.argv[3]) if len(sys.argv) > 3 else 6)
