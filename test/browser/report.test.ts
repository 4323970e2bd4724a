// report.html in a real Chromium: loads offline from file:// without errors or requests, renders its charts, prints, and runs no hostile string.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Handlebars from 'handlebars';
import type { Page } from 'playwright-core';
import { readActivations, renderHtml, timeline } from '../../src/render/html.js';
import type { Report } from '../../src/model/report.js';
import { browserUnavailable, launch, type Browser } from './chromium.js';
import { REPO, reportWithActivations, sampleReport, SAMPLES } from '../render-html/fixtures.js';
import { asDisplayed, CANARY, hostileTwins, MEGABYTE, payloads } from '../render-html/hostile.js';

const OUT = join(REPO, 'test-output', 'browser');
const unavailable = browserUnavailable();
const skip = unavailable && !process.env.CI ? `${unavailable}; skipped because CI is unset (in CI this fails)` : false;
if (skip) console.log(`# browser tests skipped: ${skip}`);

function writePage(name: string, html: string): string {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${name}.html`);
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

interface Observed { consoleErrors: string[]; pageErrors: string[]; requests: string[] }

/** Opens a page, records console errors, page errors and every request other than the page itself. */
async function open(browser: Browser, url: string, block: boolean): Promise<{ page: Page; seen: Observed }> {
  const page = await browser.context.newPage();
  const seen: Observed = { consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error') seen.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => seen.pageErrors.push(String(e)));
  page.on('request', (r) => { if (r.url() !== url) seen.requests.push(r.url()); });
  if (block) await page.route((u) => u.href !== url, (route) => route.abort());
  await page.goto(url, { waitUntil: 'load' });
  return { page, seen };
}

const CI_MISSING = !!unavailable && !!process.env.CI;

describe('report.html in Chromium', { skip }, () => {
  if (CI_MISSING) {
    it('Chromium is installed in CI', () => assert.fail(`${unavailable}: CI must install it (.ci/run)`));
    return;
  }
  let browser: Browser;
  const reports: Record<string, Report> = {};
  before(async () => {
    for (const s of SAMPLES) reports[s] = await sampleReport(s);
    reports.activations = await reportWithActivations();
    browser = await launch();
  });
  after(async () => { await browser?.close(); });

  for (const name of [...SAMPLES, 'activations']) {
    it(`${name}: loads from file:// offline with no console error and no request; charts complete; screenshot`, async () => {
      const r = reports[name]!;
      const url = writePage(name, renderHtml(r));
      const { page, seen } = await open(browser, url, true);
      assert.deepEqual(seen.consoleErrors, []);
      assert.deepEqual(seen.pageErrors, []);
      assert.deepEqual(seen.requests, []);

      assert.equal(await page.locator('svg.staircase g.step').count(), 5);
      assert.equal(await page.locator('svg.staircase rect.criterion').count(), r.maturity.criteria.length);
      for (const status of ['met', 'not_met', 'unknown'] as const) {
        assert.equal(await page.locator(`svg.staircase rect.criterion.c-${status}`).count(), r.maturity.criteria.filter((c) => c.status === status).length, status);
      }
      const box = await page.locator('svg.staircase').boundingBox();
      assert.ok(box && box.width > 600 && box.height > 150, `staircase drawn at ${JSON.stringify(box)}`);
      // The stylesheet applied (the hash in the CSP matches): an achieved step is filled green, not black.
      const fills = await page.locator('svg.staircase .step .step-body').evaluateAll((els) => els.map((e) => getComputedStyle(e).fill));
      assert.ok(fills.every((f) => f !== 'rgb(0, 0, 0)'), fills.join());
      const activations = Array.isArray(r.sections.activations) ? r.sections.activations.length : 0;
      assert.equal(await page.locator('svg.timeline g.lane').count(), activations);
      if (activations) {
        const lanes = timeline(readActivations(r.sections.activations, r.sections.reviews, { tickets: r.sections.tickets, approvals: r.sections.approvals }, r.sections.replay)!).lanes;
        const markers = lanes.reduce((n, l) => n + l.markers.length, 0);
        assert.ok(markers >= activations, 'at least the rotation or review of each activation is drawn');
        assert.equal(await page.locator('svg.timeline .tl-marker').count(), markers);
        const tl = await page.locator('svg.timeline').boundingBox();
        assert.ok(tl && tl.width > 600, JSON.stringify(tl));
      }
      assert.equal(await page.locator('section[id="frameworks"] section.framework').count(), r.frameworks.length);
      assert.equal(await page.locator('#evidence tbody tr').first().isVisible(), true);
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true, timeout: 180_000 });
      await page.close();
    });
  }

  it('print: one section per page, rows not cut, findings and hashes printed in full, navigation hidden', async () => {
    const url = writePage('print', renderHtml(reports['acme-bank']!));
    const { page } = await open(browser, url, true);
    await page.emulateMedia({ media: 'print' });
    const style = await page.evaluate(() => ({
      breaks: [...document.querySelectorAll('main > section')].map((s) => getComputedStyle(s).breakBefore),
      rows: getComputedStyle(document.querySelector('tbody tr')!).breakInside,
      nav: getComputedStyle(document.querySelector('nav')!).display,
      hashOverflow: [...document.querySelectorAll('code.hash')].every((c) => c.scrollWidth <= c.clientWidth + 1),
    }));
    assert.deepEqual(style.breaks.slice(1), Array(style.breaks.length - 1).fill('page'));
    assert.equal(style.rows, 'avoid');
    assert.equal(style.nav, 'none');
    assert.ok(style.hashOverflow, 'hashes wrap instead of being cut');
    const finding = page.locator('#checks details ul.findings').first();
    assert.ok(((await finding.boundingBox())?.height ?? 0) > 0, 'closed <details> content is printed');
    await page.pdf({ path: join(OUT, 'acme-bank-print.pdf'), format: 'A4' });
    await page.close();
  });

  it('text contrast meets WCAG AA (4.5:1) for every text element, badges and chart labels included', async () => {
    const url = writePage('contrast', renderHtml(reports.activations!));
    const { page } = await open(browser, url, true);
    // A string, not a function: the test is compiled with esbuild, whose helpers do not exist in the page.
    const low = (await page.evaluate(String.raw`(() => {
      const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]) => {
        const f = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const seen = new Set();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!n.textContent.trim() || seen.has(el) || el.closest('title, desc, .skip')) continue;
        seen.add(el);
        const style = getComputedStyle(el);
        const inSvg = el instanceof SVGElement;
        const fg = rgb(inSvg ? style.fill : style.color).slice(0, 3);
        const bg = inSvg ? [255, 255, 255] : background(el);
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        const ratio = (a + 0.05) / (b + 0.05);
        if (ratio < 4.5) out.push(el.tagName + '.' + el.getAttribute('class') + ': ' + ratio.toFixed(2) + ' "' + n.textContent.trim().slice(0, 30) + '"');
      }
      return out;
    })()`)) as string[];
    assert.deepEqual(low, []);
    await page.close();
  });

  it('readable with JavaScript off: the same sections and text', async () => {
    const url = writePage('no-js', renderHtml(reports.activations!));
    const off = await launch({ javaScriptEnabled: false });
    try {
      const page = await off.context.newPage();
      await page.goto(url);
      const headings = await page.locator('h2').allInnerTexts();
      assert.ok(headings.length >= 8, headings.join(' | '));
      const on = await browser.context.newPage();
      await on.goto(url);
      assert.deepEqual(await on.locator('h2').allInnerTexts(), headings);
      assert.equal(await page.locator('svg.timeline g.lane').count(), 3);
      await on.close();
    } finally {
      await off.close();
    }
  });

  describe('hostile strings', () => {
    let server: Server;
    let origin: string;
    const hits: string[] = [];
    let online: Browser;
    before(async () => {
      server = createServer((req, res) => { hits.push(req.url ?? ''); res.end(''); });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      // Online, so that a payload that loads something would really reach the loopback server.
      online = await launch({ offline: false });
    });
    after(async () => { await online?.close(); server?.close(); });

    async function load(name: string, html: string) {
      hits.length = 0;
      const url = writePage(name, html);
      const { page, seen } = await open(online, url, false);
      await page.waitForTimeout(1200); // SVG animations (onbegin) and autofocus handlers fire after load
      const pwned = await page.evaluate((g) => (globalThis as Record<string, unknown>)[g], CANARY.global);
      return { page, seen, pwned, hits: [...hits] };
    }

    const hostileHtml = () => renderHtml(hostileTwins(reports.activations!, payloads(origin)).hostile);

    it('no payload runs or loads anything, and every payload reads as text', async () => {
      const twins = hostileTwins(reports.activations!, payloads(origin));
      const html = renderHtml(twins.hostile);
      const { page, seen, pwned, hits: h } = await load('hostile', html);
      assert.equal(pwned, undefined, 'canary global set');
      assert.deepEqual(h, [], 'canary server reached');
      assert.deepEqual(seen.requests, []);
      assert.deepEqual(seen.pageErrors, []);
      const text = await page.evaluate(() => document.documentElement.textContent ?? '');
      // Values that reach text positions (statuses also reach class attributes, which is not text).
      const textOnly = html.replace(/<[^>]*>/g, '\u0001');
      const shown = twins.values.filter((v) => textOnly.includes(Handlebars.escapeExpression(asDisplayed(v))));
      assert.ok(shown.length > 300);
      for (const v of shown) assert.ok(text.includes(asDisplayed(v)), `not shown as text: ${v.slice(0, 80)}`);
      for (const p of payloads(origin)) assert.ok(shown.some((v) => v.startsWith(p)), `payload never reached the page: ${p.slice(0, 60)}`);
      assert.ok(text.includes(MEGABYTE));
      await page.screenshot({ path: join(OUT, 'hostile.png'), timeout: 180_000 });
      await page.close();
    });

    it('escaping alone holds: the same page without its CSP runs nothing either', async () => {
      const html = hostileHtml().replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
      assert.doesNotMatch(html, /Content-Security-Policy/);
      const { page, pwned, hits: h, seen } = await load('hostile-no-csp', html);
      assert.equal(pwned, undefined);
      assert.deepEqual(h, []);
      assert.deepEqual(seen.requests, []);
      await page.close();
    });

    it('control: the canary does fire when markup is injected raw into a page without CSP', async () => {
      const html = hostileHtml().replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
        .replace('<main id="main">', `<main id="main"><img src="x" onerror="window.${CANARY.global}=1"><img src="${origin}/raw">`);
      const { page, pwned, hits: h } = await load('control-raw', html);
      assert.equal(pwned, 1);
      assert.deepEqual(h, ['/raw']);
      await page.close();
    });

    it('control: with the CSP, raw injected script and loads are refused and reported', async () => {
      const html = hostileHtml().replace('<main id="main">', `<main id="main"><script>window.${CANARY.global}=1</script><img src="x" onerror="window.${CANARY.global}=1"><img src="${origin}/raw">`);
      const { page, pwned, hits: h, seen } = await load('control-csp', html);
      assert.equal(pwned, undefined);
      assert.deepEqual(h, []);
      assert.ok(seen.consoleErrors.some((e) => /Content Security Policy/.test(e)), seen.consoleErrors.join('\n'));
      await page.close();
    });
  });
});
