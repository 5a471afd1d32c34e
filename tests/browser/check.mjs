// Loads a kzcheck HTML report in headless Chromium and prints, as one JSON
// object, what the page shows: the cards, the direction of the article
// text, what the filters hide, errors, dialogs, requests and scripts.
//
//   node tests/browser/check.mjs REPORT.html EXPECTED_CARDS SCREENSHOT.png
//
// Exit code 0 when the page could be checked (the JSON says what was
// found; `problems` lists what is wrong), 2 when the browser could not run.
// KZCHECK_CHROMIUM overrides the browser (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [htmlPath, expectedArg, shotPath] = process.argv.slice(2);
if (!htmlPath || expectedArg === undefined || !shotPath) {
  console.error('usage: node check.mjs REPORT.html EXPECTED_CARDS SCREENSHOT.png');
  process.exit(2);
}
const expected = Number(expectedArg);
const executablePath = process.env.KZCHECK_CHROMIUM || '/usr/bin/chromium';
const url = pathToFileURL(resolve(htmlPath)).href;

const out = {
  url,
  expectedCards: expected,
  consoleErrors: [],
  pageErrors: [],
  dialogs: [],
  requests: [],
  problems: [],
};

let browser;
try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
} catch (e) {
  console.log(JSON.stringify({ launchError: String(e && e.message ? e.message : e) }));
  process.exit(2);
}

try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') out.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => out.pageErrors.push(String(e && e.message ? e.message : e)));
  page.on('dialog', async (d) => {
    out.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('request', (r) => {
    const u = r.url();
    if (u !== url && !u.startsWith(url + '#') && !u.startsWith('data:')) out.requests.push(u);
  });

  await page.goto(url, { waitUntil: 'load' });

  Object.assign(
    out,
    await page.evaluate(() => {
      const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const dirOf = (sel) => [...document.querySelectorAll(sel)].map((e) => getComputedStyle(e).direction);
      const cards = [...document.querySelectorAll('article.card')];
      const onAttrs = [...document.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${el.tagName}[${a.name}]`),
      );
      const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      const broken = [...document.querySelectorAll('a[href^="#"]')]
        .map((a) => a.getAttribute('href').slice(1))
        .filter((id) => id && !document.getElementById(id));
      return {
        lang: document.documentElement.lang,
        dir: getComputedStyle(document.documentElement).direction,
        csp: csp ? csp.content : null,
        cards: cards.length,
        visibleCards: cards.filter(visible).length,
        severities: cards.map((c) => c.dataset.severity),
        kinds: cards.map((c) => c.dataset.kind),
        articleTexts: document.querySelectorAll('.article-text').length,
        articleTextDirections: dirOf('.article-text'),
        snippetDirections: dirOf('.snippet'),
        evidence: document.querySelectorAll('.ev').length,
        marks: document.querySelectorAll('.article-text mark[id]').length,
        brokenLinks: [...new Set(broken)],
        duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i),
        scripts: document.scripts.length,
        iframes: document.querySelectorAll('iframe, object, embed').length,
        images: [...document.querySelectorAll('img')].map((i) => i.getAttribute('src')),
        javascriptLinks: [...document.querySelectorAll('[href]')].filter((a) =>
          /^\s*javascript:/i.test(a.getAttribute('href')),
        ).length,
        onAttributes: onAttrs,
        svg: document.querySelectorAll('#graph svg[role="img"]').length,
        hostileTextShown: document.body.innerText.includes('<script>alert(1)</script>'),
        hostileImgShown: document.body.innerText.includes('<img src=x onerror=alert(1)>'),
        hostileLinkShown: document.body.innerText.includes('<a href="javascript:alert(1)">'),
      };
    }),
  );

  // The filters: uncheck a severity, then a kind, and count what is left.
  const visibleCards = () =>
    page.evaluate(() => [...document.querySelectorAll('article.card')].filter((c) => c.getClientRects().length > 0).length);
  const filters = {};
  for (const [name, id] of [
    ['info', '#fs-info'],
    ['error', '#fs-error'],
    ['agreement', '#fk-agreement'],
  ]) {
    const box = page.locator(id);
    if ((await box.count()) === 0) {
      out.problems.push(`no filter ${id}`);
      continue;
    }
    await page.locator(`label[for="${id.slice(1)}"]`).click();
    const hidden = await visibleCards();
    await page.locator(`label[for="${id.slice(1)}"]`).click();
    filters[name] = { visibleWhenUnchecked: hidden, visibleAfter: await visibleCards() };
  }
  out.filters = filters;

  // An evidence link jumps to its words in the full text.
  const link = page.locator('.ev a.loc').first();
  if ((await link.count()) > 0) {
    const href = await link.getAttribute('href');
    await link.click();
    out.jump = await page.evaluate((h) => {
      const t = document.getElementById(h.slice(1));
      if (!t) return { href: h, found: false };
      const r = t.getBoundingClientRect();
      return {
        href: h,
        found: true,
        hash: location.hash,
        tag: t.tagName.toLowerCase(),
        inArticleText: !!t.closest('.article-text, .front-matter'),
        inViewport: r.bottom > 0 && r.top < innerHeight,
        text: t.textContent,
      };
    }, href);
  }

  // Print media: the filters are hidden, the cards are all laid out.
  await page.emulateMedia({ media: 'print' });
  out.print = await page.evaluate(() => ({
    filtersHidden: getComputedStyle(document.querySelector('.filters')).display === 'none',
    navHidden: getComputedStyle(document.querySelector('nav.top')).display === 'none',
    cardBreakInside: getComputedStyle(document.querySelector('article.card') || document.body).breakInside,
  }));
  await page.emulateMedia({ media: 'screen' });

  // The screenshot: the filters and the first cards.
  await page.evaluate(() => {
    history.replaceState(null, '', location.pathname);
    const f = document.getElementById('findings');
    window.scrollTo(0, f ? f.getBoundingClientRect().top + window.scrollY - 56 : 0);
  });
  await page.screenshot({ path: shotPath, fullPage: false });
  out.screenshot = shotPath;

  // What is wrong, in words.
  const p = out.problems;
  if (out.cards !== expected) p.push(`${out.cards} cards, expected ${expected}`);
  if (out.visibleCards !== out.cards) p.push(`${out.visibleCards} of ${out.cards} cards visible`);
  if (out.articleTextDirections.some((d) => d !== 'rtl')) p.push(`article text not rtl: ${out.articleTextDirections}`);
  if (out.snippetDirections.some((d) => d !== 'rtl')) p.push(`snippet not rtl: ${out.snippetDirections}`);
  if (out.consoleErrors.length) p.push(`console: ${out.consoleErrors.join(' | ')}`);
  if (out.pageErrors.length) p.push(`page errors: ${out.pageErrors.join(' | ')}`);
  if (out.dialogs.length) p.push(`dialogs: ${out.dialogs.join(' | ')}`);
  if (out.requests.length) p.push(`requests: ${out.requests.join(' | ')}`);
  if (out.scripts) p.push(`${out.scripts} script elements`);
  if (out.iframes) p.push(`${out.iframes} frames`);
  if (out.images.length) p.push(`images: ${out.images.join(' ')}`);
  if (out.javascriptLinks) p.push(`${out.javascriptLinks} javascript: links`);
  if (out.onAttributes.length) p.push(`event attributes: ${out.onAttributes.join(' ')}`);
  if (out.brokenLinks.length) p.push(`links to nothing: ${out.brokenLinks.join(' ')}`);
  if (out.duplicateIds.length) p.push(`duplicate ids: ${out.duplicateIds.join(' ')}`);
  if (!out.csp || /script-src/.test(out.csp) || !/default-src 'none'/.test(out.csp)) p.push(`CSP: ${out.csp}`);
  const count = (pred) => out.cards - [...out.severities.keys()].filter((i) => pred(i)).length;
  const expectHidden = {
    info: count((i) => out.severities[i] === 'info'),
    error: count((i) => out.severities[i] === 'error'),
    agreement: count((i) => out.kinds[i] === 'agreement'),
  };
  for (const [name, f] of Object.entries(out.filters)) {
    if (f.visibleWhenUnchecked !== expectHidden[name])
      p.push(`filter ${name}: ${f.visibleWhenUnchecked} cards visible, expected ${expectHidden[name]}`);
    if (f.visibleAfter !== out.cards) p.push(`filter ${name}: ${f.visibleAfter} visible after checking it again`);
  }
  if (out.cards > 0 && !(out.jump && out.jump.found && out.jump.inArticleText && out.jump.inViewport && out.jump.tag === 'mark'))
    p.push(`evidence link: ${JSON.stringify(out.jump)}`);
  if (!out.print.filtersHidden || !out.print.navHidden) p.push(`print: ${JSON.stringify(out.print)}`);
  if (out.cards > 0 && !['avoid', 'avoid-page'].includes(out.print.cardBreakInside))
    p.push(`print: cards may split (${out.print.cardBreakInside})`);
  if (out.svg !== 1) p.push(`${out.svg} graph pictures`);
} catch (e) {
  out.problems.push(`check failed: ${e && e.stack ? e.stack : e}`);
} finally {
  await browser.close().catch(() => {});
}
out.ok = out.problems.length === 0;
console.log(JSON.stringify(out, null, 1));
