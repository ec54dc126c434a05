#!/usr/bin/env node
// Browser tests of the back office and the comment form: a real `gazette
// serve` on a loopback port with a temporary site, driven in Debian's
// Chromium (/usr/bin/chromium) by playwright-core. Nothing is mocked.
//
//   node tests/browser/run.js [SCENARIO...]     (names below; default: all)
//   GAZETTE=path/to/gazette  (default ./gazette, relative to the current folder)
//   BROWSER_SCREENSHOTS=DIR  (default tests/browser/screenshots/)
//
// Each scenario runs in its own browser contexts, with a deadline; every
// wait is a playwright wait or a poll with a deadline, never a fixed sleep.
// Console errors, page errors and CSP violations fail the scenario. On a
// failure, a screenshot of each of its pages is saved and the folder printed;
// the exit code is then 1. The server and the browser are always stopped.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { chromium } = require('playwright-core');

const GAZETTE = path.resolve(process.env.GAZETTE || './gazette');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve(process.env.BROWSER_SCREENSHOTS || path.join(__dirname, 'screenshots'));
const SCENARIO_MS = 45000;   // whole scenario
const ACTION_MS = 10000;     // one click, fill, navigation or wait
const EDITOR = { login: 'ed', email: 'ed@example.org', name: 'Edna Editor', password: 'editor password 2' };

// --- helpers -------------------------------------------------------------

class Failure extends Error {}

function check(cond, msg) {
  if (!cond) throw new Failure(msg);
}

const tick = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Poll fn() until it returns a truthy value; fail with `what` after the deadline.
async function eventually(what, fn, timeoutMs = ACTION_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Failure(`timed out after ${timeoutMs} ms: ${what}` +
                        (last ? ` (last error: ${last.message.split('\n')[0]})` : ''));
    }
    await tick(100);
  }
}

// --- the site and the server ----------------------------------------------

class Site {
  constructor() {
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-browser-'));
    this.dir = path.join(this.tmp, 'site');
    this.proc = null;
    this.url = null;
  }

  cli(args, input) {
    const r = spawnSync(GAZETTE, ['--site', this.dir, ...args], {
      input: input === undefined ? '' : input, encoding: 'utf8', timeout: 60000,
    });
    if (r.error) throw r.error;
    if (r.status !== 0) {
      throw new Error(`gazette ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
    }
    return r.stdout;
  }

  // `serve --listen 127.0.0.1:0`; the port comes from its first stdout line.
  start(timeoutMs = 20000) {
    const log = fs.openSync(path.join(this.tmp, 'serve.log'), 'a');
    this.proc = spawn(GAZETTE, ['--site', this.dir, 'serve', '--listen', '127.0.0.1:0'],
                      { stdio: ['ignore', 'pipe', log] });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, sig) => resolve({ code, sig })));
    return new Promise((resolve, reject) => {
      let buf = '';
      const fail = (msg) => { clearTimeout(timer); reject(new Error(msg + ' (see serve.log)')); };
      const timer = setTimeout(() => fail(`serve: no "Listening on" line within ${timeoutMs} ms`), timeoutMs);
      this.proc.stdout.on('data', (d) => {
        if (this.url) return;
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const m = /^Listening on (http:\/\/[^/\s]+)\/$/.exec(buf.slice(0, nl));
        if (!m) return fail(`serve: unexpected first line ${JSON.stringify(buf.slice(0, nl))}`);
        clearTimeout(timer);
        this.url = m[1];
        resolve(this.url);
      });
      this.proc.once('exit', (code) => { if (!this.url) fail(`serve exited (${code}) before listening`); });
    });
  }

  // SIGTERM, wait, SIGKILL after 20 s. Returns the problems seen: an exit
  // other than 0, or a sanitizer report in serve.log.
  async stop() {
    const problems = [];
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      const t = setTimeout(() => this.proc.kill('SIGKILL'), 20000);
      const { code, sig } = await this.exited;
      clearTimeout(t);
      if (code !== 0) problems.push(`serve exited with ${code === null ? sig : code} after SIGTERM`);
    }
    this.proc = null;
    for (const marker of ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:']) {
      if (this.log().includes(marker)) problems.push(`sanitizer report (${marker}) in serve.log`);
    }
    return problems;
  }

  log() {
    try {
      return fs.readFileSync(path.join(this.tmp, 'serve.log'), 'utf8');
    } catch {
      return '';
    }
  }

  remove() {
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

// --- per-scenario browser state ---------------------------------------------

// A scenario's contexts and pages, and every console error, page error and
// CSP violation any of them reported.
class Run {
  constructor(browser, site, name) {
    this.browser = browser;
    this.site = site;
    this.name = name;
    this.contexts = [];
    this.pages = [];
    this.problems = [];
    this.expected = [];   // [RegExp] console errors this scenario causes on purpose
  }

  async context() {
    const ctx = await this.browser.newContext({ baseURL: this.site.url, viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(ACTION_MS);
    ctx.setDefaultNavigationTimeout(ACTION_MS);
    ctx.on('page', (p) => this.watch(p));
    this.contexts.push(ctx);
    return ctx;
  }

  async page(ctx) {
    return (ctx || await this.context()).newPage();
  }

  watch(page) {
    this.pages.push(page);
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      const where = msg.location() && msg.location().url ? msg.location().url : page.url();
      // Chromium asks for /favicon.ico by itself; the site has none (a 404
      // after the trailing-slash 301), which is no fault of the page.
      if (/^\/favicon\.ico\/?$/.test(new URL(where, 'http://x/').pathname)) return;
      const i = this.expected.findIndex((re) => re.test(text));
      if (i >= 0) {
        this.expected.splice(i, 1);   // each expectation covers one message
        return;
      }
      this.problems.push(`console error on ${where}: ${text}`);
    });
    page.on('pageerror', (err) => this.problems.push(`page error on ${page.url()}: ${err.message}`));
  }

  // A console error the next step causes on purpose (e.g. the 403 of a wrong
  // password: Chromium logs every 4xx document).
  expectConsoleError(re) {
    this.expected.push(re);
  }

  checkClean() {
    check(this.problems.length === 0, 'the pages reported:\n    ' + this.problems.join('\n    '));
  }

  async screenshots() {
    const saved = [];
    fs.mkdirSync(SHOTS, { recursive: true });
    let n = 0;
    for (const p of this.pages) {
      if (p.isClosed()) continue;
      const file = path.join(SHOTS, `${this.name}-${++n}.png`);
      try {
        await p.screenshot({ path: file, fullPage: true, timeout: 5000 });
        saved.push(`${file} (${p.url()})`);
      } catch (e) {
        saved.push(`${file}: not saved (${e.message.split('\n')[0]})`);
      }
    }
    return saved;
  }

  async close() {
    for (const c of this.contexts) await c.close().catch(() => {});
  }
}

// --- steps shared by the scenarios --------------------------------------------

async function signIn(run, page, who = EDITOR) {
  await page.goto('/admin/');
  await page.waitForURL(/\/admin\/signin\//);
  await page.getByLabel('Username or email').fill(who.login);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/');
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}

async function adminPage(run) {
  const page = await run.page();
  await signIn(run, page);
  return page;
}

// Fill the editor's title and text (typing the text, so input events fire).
async function writePost(page, title, body) {
  await page.getByLabel('Title', { exact: true }).fill(title);
  const text = page.locator('#body');
  await text.fill('');
  await text.pressSequentially(body);
}

// A published article made with the CLI; returns its id and URL.
function cliArticle(site, title, body) {
  const out = site.cli(['post', 'add', '--title', title, '--status', 'published', '--author', EDITOR.login], body);
  const m = /^(\d+)\t(\S+)\n$/.exec(out);
  check(m, `post add printed ${JSON.stringify(out)}`);
  return { id: Number(m[1]), url: m[2] };
}

async function statusInEditor(page) {
  return (await page.locator('h1 .status').textContent()).trim();
}

// The public page at url, reloaded until pred(page) holds.
async function publicPage(page, url, what, pred) {
  await eventually(what, async () => {
    const r = await page.goto(url);
    return r && r.status() === 200 && await pred(page);
  });
}

// --- the scenarios -------------------------------------------------------------

const SCENARIOS = {};

// (1) Sign in through the form; a wrong password shows the message.
SCENARIOS.signin = async (run) => {
  const page = await run.page();
  const r = await page.goto('/admin/');
  await page.waitForURL(/\/admin\/signin\/\?next=%2Fadmin%2F$/);
  check(r.status() === 200, `/admin/ ends on the sign-in page with 200, got ${r.status()}`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();

  await page.getByLabel('Username or email').fill(EDITOR.login);
  await page.getByLabel('Password').fill('not the password');
  run.expectConsoleError(/status of 403/);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  check((await alert.textContent()).includes('Wrong username or password.'),
        `the wrong password message, got ${JSON.stringify(await alert.textContent())}`);
  check(await page.getByLabel('Username or email').inputValue() === EDITOR.login, 'the login is kept');
  check(await page.getByLabel('Password').inputValue() === '', 'the password is not');
  const cookies = await page.context().cookies();
  check(!cookies.some((c) => c.name === 'gz_session'), 'no session cookie after a wrong password');

  await page.getByLabel('Password').fill(EDITOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/');
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  const bar = page.locator('header.bar');
  check((await bar.textContent()).includes(EDITOR.name), 'the signed-in user is named in the bar');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  const session = (await page.context().cookies()).find((c) => c.name === 'gz_session');
  check(session && session.httpOnly && session.path === '/admin/', `an HttpOnly session cookie on /admin/: ${JSON.stringify(session)}`);

  // Signing out ends it: the dashboard asks to sign in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You have signed out.').waitFor();
  await page.goto('/admin/');
  await page.waitForURL(/\/admin\/signin\//);
};

// (2) Write with the live preview, publish, see it on the public site.
SCENARIOS.write = async (run) => {
  const page = await adminPage(run);
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Posts' }).click();
  await page.getByRole('link', { name: 'New post' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/posts/new/');
  // The script is there: the no-JavaScript Preview button is hidden.
  await page.getByRole('button', { name: 'Preview', exact: true }).waitFor({ state: 'hidden' });

  const title = 'Harbour lights return';
  await writePost(page, title, 'The lights are **back** on the pier — café open.\n\n- red\n- green');
  const preview = page.locator('#preview');
  await preview.locator('strong', { hasText: 'back' }).waitFor();
  await preview.getByText('on the pier — café open.').waitFor();   // UTF-8 both ways
  await preview.locator('li', { hasText: 'green' }).waitFor();
  // Typing more updates it again, still without submitting the form.
  await page.locator('#body').press('Control+End');
  await page.locator('#body').pressSequentially('\n\n## Timetable\n\nFrom _dusk_.');
  await preview.locator('h2', { hasText: 'Timetable' }).waitFor();
  await preview.locator('em', { hasText: 'dusk' }).waitFor();
  check(new URL(page.url()).pathname === '/admin/posts/new/', `still on the new-post form: ${page.url()}`);
  check(await page.getByLabel('Title', { exact: true }).inputValue() === title, 'the title is kept');

  await page.getByRole('button', { name: 'Publish' }).click();
  await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=1$/);
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  check(await statusInEditor(page) === 'published', `status "published", got "${await statusInEditor(page)}"`);

  // The article on the public site, in a visitor's context.
  const href = await page.getByRole('link', { name: 'View on the site' }).getAttribute('href');
  check(/^\/\d{4}\/\d{2}\/harbour-lights-return\/$/.test(href), `the article's URL: ${href}`);
  const visitor = await run.page();
  await publicPage(visitor, href, 'the article on the public site',
                   (p) => p.getByRole('heading', { name: title, level: 1 }).isVisible());
  await visitor.locator('strong', { hasText: 'back' }).waitFor();
  await visitor.getByText('on the pier — café open.').waitFor();
  await visitor.getByRole('heading', { name: 'Timetable' }).waitFor();
  await publicPage(visitor, '/', 'its title on the home page',
                   (p) => p.getByRole('link', { name: title }).isVisible());
  await visitor.getByRole('link', { name: title }).click();
  await visitor.waitForURL((u) => u.pathname === href);
};

// (3) A future date and Publish schedule the post; it is not on the site.
SCENARIOS.schedule = async (run) => {
  const other = cliArticle(run.site, 'Tide tables for June', 'High water at noon.');
  const page = await adminPage(run);
  await page.goto('/admin/posts/new/');
  const title = 'Regatta of the next century';
  await writePost(page, title, 'Boats, *eventually*.');
  await page.getByLabel(/^Date/).fill('2099-06-01T10:00');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=1$/);
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  check(await statusInEditor(page) === 'scheduled', `status "scheduled", got "${await statusInEditor(page)}"`);
  check(await page.getByLabel(/^Date/).inputValue() === '2099-06-01T10:00', 'the date is kept');

  await page.goto('/admin/posts/?status=scheduled');
  await page.getByRole('link', { name: title }).waitFor();

  const visitor = await run.page();
  // The home page lists what is published (another article, as a control)
  // but not the scheduled post.
  await publicPage(visitor, '/', 'a published article on the home page',
                   (p) => p.locator(`a[href="${other.url}"]`).first().isVisible());
  check(await visitor.getByText(title).count() === 0, 'the scheduled post is not on the home page');
  run.expectConsoleError(/status of 404/);
  const r2 = await visitor.goto('/2099/06/regatta-of-the-next-century/');
  check(r2.status() === 404, `its future URL is 404 before its time, got ${r2.status()}`);
};

// (4) A reader's comment is held; an editor approves it; it shows.
SCENARIOS.moderate = async (run) => {
  const art = cliArticle(run.site, 'Ferry timetable changes', 'New times from Monday.');
  const reader = await run.page();   // its own context: no admin cookie
  await reader.goto(art.url);
  await reader.getByRole('heading', { name: 'Leave a Comment' }).waitFor();
  const said = 'Will the early ferry still run on Sundays?';
  await reader.getByLabel(/^Comment/).fill(said);
  await reader.getByLabel(/^Name/).fill('Morwenna Reader');
  await reader.getByLabel(/^Email/).fill('morwenna@example.org');
  await reader.getByRole('button', { name: 'Post Comment' }).click();
  await reader.getByText('Your comment is awaiting moderation.').waitFor();
  await reader.getByText(said).waitFor();   // shown to its writer only, as held

  // Anyone else does not see it yet.
  const visitor = await run.page();
  await visitor.goto(art.url);
  await visitor.getByRole('heading', { name: 'Leave a Comment' }).waitFor();
  check(await visitor.getByText(said).count() === 0, 'a held comment is not public');

  const page = await adminPage(run);
  const nav = page.getByRole('navigation', { name: 'Back office' });
  const link = nav.getByRole('link', { name: /^Comments/ });
  check((await link.textContent()).replace(/\s+/g, ' ').includes('Comments 1'),
        `the Comments link counts 1 awaiting: ${JSON.stringify(await link.textContent())}`);
  await link.click();
  await page.waitForURL((u) => u.pathname === '/admin/comments/');
  const row = page.locator('tbody tr').filter({ hasText: said });
  await row.waitFor();
  check((await row.locator('.status').textContent()).trim() === 'pending', 'listed as pending');
  await row.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('status').filter({ hasText: /approve/ }).waitFor();

  await publicPage(visitor, art.url, 'the approved comment on the public article',
                   (p) => p.locator('.comment-list .comment').filter({ hasText: said }).isVisible());
  const c = visitor.locator('.comment-list .comment').filter({ hasText: said });
  check(/^comment-\d+$/.test(await c.getAttribute('id')), 'the comment has its #comment-ID anchor');
  check((await c.locator('.comment-author').textContent()).includes('Morwenna Reader'), 'with its author');
  check(await visitor.getByText('morwenna@example.org').count() === 0, 'the email is never shown');
};

// (5) Edit, see the difference between revisions, restore the first.
SCENARIOS.revisions = async (run) => {
  const first = 'The market opens at nine.\nStalls line the quay.';
  const art = cliArticle(run.site, 'Saturday market', first + '\n');
  const page = await adminPage(run);
  await page.goto(`/admin/posts/${art.id}/`);
  const body = page.locator('#body');
  check((await body.inputValue()).trim() === first, 'the editor shows the text');
  await body.fill('The market opens at ten.\nStalls line the quay.');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  check((await body.inputValue()).startsWith('The market opens at ten.'), 'the new text saved');

  await page.getByRole('link', { name: 'Revisions' }).click();
  await page.waitForURL((u) => u.pathname === `/admin/posts/${art.id}/revisions/`);
  await page.getByRole('heading', { name: /Revisions of/ }).waitFor();
  const radios = page.getByRole('radio', { name: /^compare from revision/ });
  check(await radios.count() === 2, `two revisions listed, got ${await radios.count()}`);
  // Compare the oldest (last row) with the newest (first row).
  await radios.last().check();
  await page.getByRole('radio', { name: /^compare to revision/ }).first().check();
  await page.getByRole('button', { name: 'Compare' }).click();
  const diff = page.locator('pre.diff');
  await diff.locator('.del', { hasText: 'The market opens at nine.' }).waitFor();
  await diff.locator('.add', { hasText: 'The market opens at ten.' }).waitFor();
  check(await diff.locator('.del').count() === 1 && await diff.locator('.add').count() === 1,
        'exactly one line removed and one added');
  const restore = page.getByRole('button', { name: /^Restore revision \d+$/ });
  const oldest = await radios.last().getAttribute('value');
  check((await restore.textContent()).trim() === `Restore revision ${oldest}`, 'the restore button names the oldest revision');
  await restore.click();
  await page.waitForURL(new RegExp(`/admin/posts/${art.id}/\\?saved=1$`));
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await eventually('the first text back in the editor',
                   async () => (await body.inputValue()).trim() === first);
  await page.locator('#preview p', { hasText: 'The market opens at nine.' }).first().waitFor();

  const visitor = await run.page();
  await publicPage(visitor, art.url, 'the restored text on the public page',
                   async (p) => (await p.getByText('The market opens at nine.').count()) === 1 &&
                                (await p.getByText('The market opens at ten.').count()) === 0);
};


// A PNG of width x height in two colours, made here (no image library).
function makePng(width, height) {
  const crcTable = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = x < width / 2 ? 200 : 20;
      row[2 + x * 3] = 80;
      row[3 + x * 3] = y % 2 ? 160 : 40;
    }
    rows.push(row);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
                        chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

// (6) Upload an image in the media library and see its resized variants.
SCENARIOS.upload = async (run) => {
  const page = await adminPage(run);
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Media' }).click();
  await page.getByRole('heading', { name: 'Media', level: 1 }).waitFor();
  await page.locator('input[type=file][name=file]').setInputFiles(
    { name: 'harbour-wall.png', mimeType: 'image/png', buffer: makePng(1500, 40) });
  await page.locator('form.upload-form').getByLabel('Alt text').fill('The harbour wall at dusk');
  await page.getByRole('button', { name: 'Upload' }).click();
  const item = page.locator('section.media-item').first();
  await item.waitFor();
  const sizes = (await item.locator('p', { hasText: 'Sizes:' }).textContent()).replace(/\s+/g, ' ').trim();
  check(sizes === 'Sizes: 320w 768w 1280w 1500w (original)', `variants listed: ${sizes}`);
  check((await item.locator('img').getAttribute('alt')) === 'The harbour wall at dusk', 'alt text kept');
  const links = item.locator('p', { hasText: 'Sizes:' }).getByRole('link');
  for (let i = 0; i < await links.count(); i++) {
    const href = await links.nth(i).getAttribute('href');
    const r = await page.request.get(href);
    check(r.status() === 200 && r.headers()['content-type'] === 'image/png', `${href}: ${r.status()}`);
    const buf = await r.body();
    const want = [320, 768, 1280, 1500][i];
    check(buf.readUInt32BE(16) === want, `${href} is ${buf.readUInt32BE(16)} wide, want ${want}`);
    check(/max-age=31536000/.test(r.headers()['cache-control'] || ''), `${href} cached for a year`);
  }
};

// (7) Phone width: the back office and the public pages fit 360 px with no
// sideways scrolling.
SCENARIOS.narrow = async (run) => {
  const art = cliArticle(run.site, 'A long headline about the harbour wall and its repairs',
                         'Text of the article, long enough to wrap on a phone.');
  const page = await adminPage(run);
  await page.setViewportSize({ width: 360, height: 740 });
  const paths = ['/admin/', '/admin/posts/', `/admin/posts/${art.id}/`, '/admin/comments/',
                 '/admin/media/', '/admin/categories/', '/admin/tags/', '/', art.url,
                 '/search?q=harbour'];
  for (const p of paths) {
    const r = await page.goto(p);
    check(r && r.status() === 200, `${p}: ${r && r.status()}`);
    const [sw, iw] = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
    check(sw <= iw, `${p} is ${sw} px wide in a ${iw} px window`);
  }
};

// (8) The navigation menu: a stored menu with a group of long items shows in
// the header; at 360 px the group opens (no JavaScript: <details>) in the
// flow, with no sideways scrolling; on a wide screen it drops down over the
// page. The default menu is put back after.
SCENARIOS.menu = async (run) => {
  const site = run.site;
  try {
    site.cli(['menu', 'clear']);
    site.cli(['menu', 'add', 'Elsewhere on the web', '--url', 'https://example.org/']);
    const group = site.cli(['menu', 'add', 'Sections and special reports', '--url', '/']).trim();
    for (const label of ['Harbour and waterfront development reports', 'Council', 'Schools and universities'])
      site.cli(['menu', 'add', label, '--url', '/search?q=x', '--parent', group]);
    for (const label of ['Opinion', 'Sport', 'Culture and the arts', 'Weather'])
      site.cli(['menu', 'add', label, '--url', '/']);
    const page = await adminPage(run);
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 740 });
      const r = await page.goto('/');
      check(r && r.status() === 200, `/: ${r && r.status()}`);
      const sub = page.locator('.site-nav .sub-nav a', { hasText: 'Harbour and waterfront' });
      check(!(await sub.isVisible()), `${width} px: the group starts closed`);
      await page.locator('.site-nav summary', { hasText: 'Sections and special reports' }).click();
      await eventually(`${width} px: the group opens`, async () => sub.isVisible());
      const [sw, iw] = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
      check(sw <= iw, `${width} px: the page is ${sw} px wide with the menu open`);
      const box = await sub.boundingBox();
      check(box && box.x >= 0 && box.x + box.width <= iw, `${width} px: the open item fits: ${JSON.stringify(box)}`);
    }
  } finally {
    site.cli(['menu', 'clear']);
  }
};

// --- the runner ---------------------------------------------------------------

async function runScenario(browser, site, name) {
  const run = new Run(browser, site, name);
  const t0 = Date.now();
  let timer;
  try {
    await Promise.race([
      SCENARIOS[name](run),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Failure(`scenario deadline of ${SCENARIO_MS} ms passed`)), SCENARIO_MS);
      }),
    ]);
    run.checkClean();
    console.log(`ok   browser ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return true;
  } catch (e) {
    const msg = e instanceof Failure ? e.message : (e.stack || String(e));
    console.log(`FAIL browser ${name}: ${msg}`);
    if (run.problems.length && !msg.includes('the pages reported')) {
      console.log('  the pages also reported:\n    ' + run.problems.join('\n    '));
    }
    const shots = await run.screenshots();
    if (shots.length) console.log('  screenshots:\n    ' + shots.join('\n    '));
    return false;
  } finally {
    clearTimeout(timer);
    await run.close();
  }
}

async function main() {
  const wanted = process.argv.slice(2);
  for (const w of wanted) {
    if (!SCENARIOS[w]) {
      console.error(`browser: no scenario "${w}" (there are: ${Object.keys(SCENARIOS).join(', ')})`);
      return 2;
    }
  }
  const names = wanted.length ? wanted : Object.keys(SCENARIOS);
  for (const f of [GAZETTE, CHROMIUM]) {
    if (!fs.existsSync(f)) {
      console.error(`browser: ${f} is missing (make gazette; make deps installs chromium)`);
      return 1;
    }
  }
  fs.rmSync(SHOTS, { recursive: true, force: true });   // only this run's screenshots

  const site = new Site();
  let browser = null;
  let passed = 0;
  let failed = 0;
  const stopAll = async () => {
    if (browser) await browser.close().catch(() => {});
    browser = null;
    return site.stop();
  };
  const onSignal = () => { stopAll().finally(() => { site.remove(); process.exit(130); }); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    site.cli(['init']);
    site.cli(['user', 'add', EDITOR.login, '--email', EDITOR.email, '--role', 'editor',
              '--name', EDITOR.name, '--password-stdin'], EDITOR.password + '\n');
    site.cli(['settings', 'set', 'comments_min_seconds', '0']);
    await site.start();
    // Playwright gives each launch a fresh profile (--user-data-dir) in the
    // temporary folder; point that at ours so it goes with the site.
    process.env.TMPDIR = site.tmp;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    for (const name of names) {
      if (await runScenario(browser, site, name)) passed++;
      else failed++;
    }
  } catch (e) {
    console.log(`FAIL browser setup: ${e.stack || e}`);
    failed++;
  }
  const problems = await stopAll();
  for (const p of problems) {
    console.log(`FAIL browser: ${p}`);
    failed++;
  }
  if (failed) {
    process.stdout.write('--- serve.log (last 8000 bytes) ---\n' + site.log().slice(-8000) + '\n');
    if (fs.existsSync(SHOTS)) console.log(`browser: screenshots in ${SHOTS}`);
  }
  site.remove();
  console.log(`browser: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
