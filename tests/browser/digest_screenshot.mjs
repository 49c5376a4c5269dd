// Renders a digest mail's HTML part the way a mail client's web view would: at a phone's width
// (390 px) and at the layout's width (600 px), in light and dark mode. Saves a PNG of each and prints
// one JSON array with what it measured; the Rust test (tests/api/browser.rs) asserts on it.
//
//   node digest_screenshot.mjs DIGEST_HTML_PATH OUT_DIR
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [htmlPath, outDir] = process.argv.slice(2);
if (!htmlPath || !outDir) {
  console.error('usage: node digest_screenshot.mjs DIGEST_HTML_PATH OUT_DIR');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = [];
try {
  for (const width of [390, 600]) {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        colorScheme: scheme,
        javaScriptEnabled: false,
      });
      const page = await context.newPage();
      // Mail clients load no images from the network by default; nothing here may need them.
      await page.route('http*://**', (route) => route.abort());
      await page.goto(pathToFileURL(htmlPath).href);
      const shot = join(outDir, `digest-${width}-${scheme}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      const measured = await page.evaluate(() => {
        const card = document.querySelector('.sb-card');
        const cs = getComputedStyle(card);
        const lead = getComputedStyle(card.querySelector('p'));
        return {
          scrollWidth: document.documentElement.scrollWidth,
          cardWidth: card.getBoundingClientRect().width,
          color: cs.color,
          background: cs.backgroundColor,
          leadColor: lead.color,
        };
      });
      results.push({ width, scheme, shot, ...measured });
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
