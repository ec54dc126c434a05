// parse-feed.js - parse an RSS or Atom document (a file named on the command
// line) with the npm rss-parser package and print what it understood as JSON:
// {title, link, items: [{title, link, id, content, summary, isoDate,
// categories, enclosure}]}. Exits 1 with the parser's message on any error.
'use strict';
const fs = require('fs');
const Parser = require('rss-parser');

const xml = fs.readFileSync(process.argv[2], 'utf8');
const parser = new Parser({customFields: {item: ['summary', 'dc:creator']}});
parser.parseString(xml).then((feed) => {
  const items = (feed.items || []).map((it) => ({
    title: it.title,
    link: it.link,
    id: it.guid || it.id,
    content: it['content:encoded'] || it.content,
    summary: it.summary,
    isoDate: it.isoDate,
    categories: it.categories,
    enclosure: it.enclosure,
    creator: it.creator || it['dc:creator'] || (it.author && it.author.name) || it.author,
  }));
  process.stdout.write(JSON.stringify({title: feed.title, link: feed.link, items}));
}).catch((err) => {
  process.stderr.write('rss-parser: ' + err.message + '\n');
  process.exit(1);
});
