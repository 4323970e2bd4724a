// Regenerates docs/screenshots/ from the bundled samples and the activation fixture: node --import tsx test/browser/screenshots.ts

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderHtml } from '../../src/render/html.js';
import { browserUnavailable, launch } from './chromium.js';
import { REPO, reportWithActivations, sampleReport, SAMPLES } from '../render-html/fixtures.js';

const DOCS = join(REPO, 'docs', 'screenshots');
const WORK = join(REPO, 'test-output', 'screenshots');

async function main(): Promise<void> {
  const why = browserUnavailable();
  if (why) throw new Error(why);
  mkdirSync(DOCS, { recursive: true });
  mkdirSync(WORK, { recursive: true });
  const browser = await launch();
  try {
    const pages: [string, string, string | undefined][] = [];
    for (const s of SAMPLES) pages.push([s, renderHtml(await sampleReport(s)), undefined]);
    pages.push(['level5-process-evidence', renderHtml(await sampleReport('level5-aurora-sovereign')), '#process']);
    pages.push(['activation-timeline', renderHtml(await reportWithActivations()), '#activations']);
    for (const [name, html, element] of pages) {
      const file = join(WORK, `${name}.html`);
      writeFileSync(file, html);
      const page = await browser.context.newPage();
      await page.goto(pathToFileURL(file).href);
      const path = join(DOCS, `${name}.png`);
      // The first screen and a half: summary, staircase and the first maturity table — what a reader sees first.
      if (element) await page.locator(element).screenshot({ path });
      else await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1400 } });
      await page.close();
      console.log(`wrote ${path}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(String(e instanceof Error ? e.message : e));
  process.exitCode = 1;
});
