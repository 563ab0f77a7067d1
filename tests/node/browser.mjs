// kigend's pages in a real browser: Debian's headless Chromium driven by
// playwright-core (tests/integration/061-web-browser.sh runs it against a
// kigend serving the sample report).
//
//   node browser.mjs --base URL --expect FILE --out DIR
//
// FILE is JSON written by the shell test: {exercise: {id, date, expr,
// sentence}, evil: {id, title}, rows, owner, owner_rows}.  With --slip
// ID (after a later report moved milestone ID) only the timeline as of
// --as-of is checked for that move's ghost and arrow.  Every check failing
// throws; the exit status is 0 only when all passed.  Screenshots go to DIR.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const opt = {};
for (let i = 2; i < process.argv.length; i += 2) opt[process.argv[i].slice(2)] = process.argv[i + 1];
const want = JSON.parse(readFileSync(opt.expect, 'utf8'));
mkdirSync(opt.out, { recursive: true });
const TIMEOUT = 60000; // a loaded machine, an ASan build: generous, never a bound

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  timeout: TIMEOUT,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];

// A page that records every console error, page error, failed request,
// error status and dialog (a <script> from a report would open one).
async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // ERR_ABORTED is the browser cancelling a load itself (the page moved on
  // before an icon arrived, as a loaded machine makes likely); a server
  // that drops a connection shows as another error.
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText;
    if (why !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('dialog', async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
  page.on('request', (r) => {
    if (!r.url().startsWith(opt.base)) problems.push(`request elsewhere: ${r.url()}`);
  });
  return page;
}

const rowCount = (page) => page.locator('svg.tl-bars g.row').count();

function check(name, fn) {
  return fn().then(() => console.log(`ok - ${name}`), (e) => {
    console.log(`not ok - ${name}: ${e.message}`);
    problems.push(`${name}: ${e.message}`);
  });
}

if (opt.slip) {
  const page = await newPage();
  await check('a moved window: its previous window as a ghost, an arrow to the new', async () => {
    await page.goto(`${opt.base}/?as_of=${opt['as-of']}`);
    const got = await page.evaluate((id) => {
      const a = document.querySelector(`svg.tl-bars a[data-id="${id}"]`);
      const ghost = a.querySelector('rect.ghost'), line = a.querySelector('line.slip');
      const bar = a.querySelector('rect:last-of-type');
      return {
        ghost: ghost && ghost.getBoundingClientRect().width,
        from: line && line.x1.baseVal.value, to: line && line.x2.baseVal.value,
        end: parseFloat(bar.getAttribute('x')) + parseFloat(bar.getAttribute('width')),
        marker: line && line.getAttribute('marker-end'),
      };
    }, opt.slip);
    assert.ok(got.ghost > 0, 'no ghost');
    assert.ok(got.to > got.from, `the arrow goes from ${got.from} to ${got.to}`);
    assert.ok(Math.abs(got.to - got.end) < 0.25, `the arrow ends at ${got.to}, the new deadline at ${got.end}`);
    assert.equal(got.marker, 'url(#arrow)');
    await page.locator('.tl-scroll').evaluate((el) => { el.scrollLeft = 0; });
    await page.screenshot({ path: join(opt.out, 'timeline-editions.png'), fullPage: true });
  });
  await browser.close();
  if (problems.length) {
    console.log(problems.join('\n'));
    process.exit(1);
  }
  process.exit(0);
}

const timelineUrl = `${opt.base}/?as_of=2008-11-24`;
let page = await newPage();

await check('the timeline loads, one row per measure', async () => {
  await page.goto(timelineUrl);
  await page.locator('svg.tl-bars').waitFor();
  assert.equal(await rowCount(page), want.rows);
  assert.equal(await page.locator('svg.tl-labels g.label').count(), want.rows);
  assert.match(await page.locator('.summary').innerText(), /as of 2008-11-24/);
});

await check('the exercise of 平成20年12月１日 is drawn at the x of its date', async () => {
  const got = await page.evaluate((id) => {
    const svg = document.querySelector('svg.tl-bars');
    const rect = svg.querySelector(`a[data-id="${id}"] > rect:last-of-type`);
    const day = (s) => Date.parse(s + 'T00:00:00Z') / 86400000;
    const from = day(svg.dataset.from), to = day(svg.dataset.to);
    const width = parseFloat(svg.dataset.width), x0 = parseFloat(svg.dataset.x0);
    const scale = width / (to - from + 1);
    const box = rect.getBoundingClientRect();
    // The day d covers [x0 + (d - from) * scale, + scale); a one-day bar
    // is centred on it (widened to stay visible).
    return {
      start: rect.parentNode.dataset.start,
      want: x0 + (day(rect.parentNode.dataset.start) - from + 0.5) * scale,
      attr: parseFloat(rect.getAttribute('x')) + parseFloat(rect.getAttribute('width')) / 2,
      screen: box.left + box.width / 2 - svg.getBoundingClientRect().left,
      width: box.width,
    };
  }, want.exercise.id);
  assert.equal(got.start, want.exercise.date);
  assert.ok(got.width >= 2, `the bar is ${got.width} px wide`);
  assert.ok(Math.abs(got.attr - got.want) < 0.1, `centred at x=${got.attr}, want ${got.want}`);
  assert.ok(Math.abs(got.screen - got.want) < 1, `on screen at ${got.screen}, want ${got.want}`);
});

await check('a screenshot of the timeline', async () => {
  await page.locator('.tl-scroll').evaluate((el) => { el.scrollLeft = 0; });
  await page.screenshot({ path: join(opt.out, 'timeline.png'), fullPage: true });
});

await check('filters narrow the rows (the script submits on change)', async () => {
  const before = await rowCount(page);
  await Promise.all([page.waitForURL(/owner=/), page.selectOption('select[name=owner]', want.owner)]);
  await page.locator('svg.tl-bars').waitFor();
  const after = await rowCount(page);
  assert.ok(after > 0 && after < before, `${after} rows, before ${before}`);
  assert.equal(after, want.owner_rows);
  // Empty fields stay out of the shared URL.
  assert.ok(!/[?&](q|kind|status|from|to)=(&|$)/.test(page.url()), page.url());
  const owners = await page.locator('svg.tl-bars a.ms').evaluateAll((as) => as.length);
  assert.ok(owners > 0);
});

await check('a bar leads to its milestone: sentence and history', async () => {
  await page.goto(timelineUrl);
  await Promise.all([page.waitForURL(/\/milestones\/\d+/),
    page.locator(`svg.tl-bars a[data-id="${want.exercise.id}"]`).click()]);
  assert.equal(await page.locator('blockquote.sentence').innerText(), want.exercise.sentence);
  assert.equal(await page.locator('blockquote.sentence mark').innerText(), want.exercise.expr);
  assert.ok(await page.locator('table.history tbody tr').count() >= 1);
  assert.match(await page.locator('h1').innerText(), /演習/);
  await page.screenshot({ path: join(opt.out, 'milestone.png'), fullPage: true });
});

await check('a title holding <script> stays text', async () => {
  await page.goto(`${opt.base}/milestones/${want.evil.id}`);
  assert.equal(await page.locator('h1').innerText(), want.evil.title);
  assert.equal(await page.locator('main script').count(), 0);
  await page.goto(timelineUrl);
  assert.equal(await page.locator('svg script').count(), 0);
});
await page.context().close();

await check('without JavaScript the form works too', async () => {
  page = await newPage({ javaScriptEnabled: false });
  await page.goto(timelineUrl);
  const before = await rowCount(page);
  await page.selectOption('select[name=owner]', want.owner);
  await Promise.all([page.waitForURL(/owner=/), page.click('form.filters button')]);
  assert.equal(await rowCount(page), want.owner_rows);
  assert.ok(want.owner_rows < before);
  await page.context().close();
});

await check('a phone in the dark: the bars scroll, the labels stay', async () => {
  page = await newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await page.goto(timelineUrl);
  const geo = await page.evaluate(() => {
    const box = document.querySelector('.tl-scroll');
    const labels = document.querySelector('svg.tl-labels');
    const before = labels.getBoundingClientRect().left;
    box.scrollLeft = 300;
    return {
      scrolls: box.scrollWidth > box.clientWidth,
      moved: labels.getBoundingClientRect().left - before,
      labels: labels.getBoundingClientRect().width,
      page: document.documentElement.scrollWidth <= window.innerWidth + 1,
      bg: getComputedStyle(document.body).backgroundColor,
    };
  });
  assert.ok(geo.scrolls, 'the timeline does not scroll');
  assert.equal(geo.moved, 0);
  assert.ok(geo.labels > 100, `labels ${geo.labels} px wide`);
  assert.ok(geo.page, 'the page itself is wider than the phone');
  assert.notEqual(geo.bg, 'rgb(255, 255, 255)');
  await page.screenshot({ path: join(opt.out, 'timeline-phone-dark.png'), fullPage: true });
  await page.context().close();
});

await browser.close();
if (problems.length) {
  console.log(problems.join('\n'));
  process.exit(1);
}
