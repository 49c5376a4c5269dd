// Drives the public feedback page the way a customer on a phone does: a 390 px wide viewport, no
// login, a photo from the camera roll. Prints one JSON object with what it saw; the Rust test
// (tests/api/browser.rs) asserts on it and on the stored report.
//
//   node submit_feedback.mjs SCAN_URL PHOTO_PATH        (JavaScript off, as the page must work)
//   JS=1 node submit_feedback.mjs SCAN_URL PHOTO_PATH   (JavaScript on: photos are shrunk first)
import { chromium } from 'playwright-core';

const [scanUrl, photo] = process.argv.slice(2);
if (!scanUrl || !photo) {
  console.error('usage: node submit_feedback.mjs SCAN_URL PHOTO_PATH');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = {};
try {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: 'ru-RU',
    javaScriptEnabled: process.env.JS === '1',
  });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const response = await page.goto(scanUrl);
  result.status = response.status();
  result.lang = await page.getAttribute('html', 'lang');
  result.title = await page.title();
  // Nothing wider than the phone: no horizontal scrolling.
  result.scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth).catch(() => null);

  await page.getByLabel('Есть дефект или что-то сломалось').check();
  await page.selectOption('#category', 'handle');
  await page.getByLabel('2 — плохо').check();
  await page.fill('#comment', 'Ручка сильно нагревается');
  await page.setInputFiles('#photo', photo);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  result.finalUrl = page.url();
  result.heading = await page.textContent('h1');
  result.cookies = (await context.cookies()).length;
  const origin = new URL(scanUrl).origin;
  result.foreignRequests = requests.filter((u) => !u.startsWith(origin));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
