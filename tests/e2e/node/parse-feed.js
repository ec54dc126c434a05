// parse-feed.js - parse RSS or Atom documents (files named on the command
// line) with the npm rss-parser package and print what it understood as one
// JSON object, file name -> {title, link, items: [{title, link, id, content,
// summary, isoDate, categories, enclosure, creator}]}, or -> {error}.
// Exits 1 when any file failed to parse.
'use strict';
const fs = require('fs');
const Parser = require('rss-parser');

const parser = new Parser({customFields: {item: ['summary', 'dc:creator']}});

function parseOne(file) {
  return parser.parseString(fs.readFileSync(file, 'utf8')).then((feed) => {
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
  return {title: feed.title, link: feed.link, items};
  }).catch((err) => ({error: String(err && err.message)}));
}

(async () => {
  const out = {};
  let failed = false;
  for (const file of process.argv.slice(2)) {
    out[file] = await parseOne(file);
    if (out[file].error) failed = true;
  }
  process.stdout.write(JSON.stringify(out));
  process.exitCode = failed ? 1 : 0; // not exit(): it would cut a piped stdout short
})();
