// Drives the manufacturer's workspace the way a quality engineer does every morning, with
// JavaScript off (every feature must work without it): signs in, reads the overview, opens a line,
// triages a report and answers the customer. Prints one JSON object with what it saw; the Rust test
// (tests/api/browser.rs) asserts on it, on the database and on the mail the customer received.
//
//   node workspace.mjs BASE_URL EMAIL PASSWORD WIDTH [SCREENSHOT_DIR]
import { chromium } from 'playwright-core';

const [base, email, password, widthArg, shots] = process.argv.slice(2);
if (!base || !email || !password || !widthArg) {
  console.error('usage: node workspace.mjs BASE_URL EMAIL PASSWORD WIDTH [SCREENSHOT_DIR]');
  process.exit(2);
}
const width = Number(widthArg);
const phone = width < 600;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { pages: {} };
try {
  const context = await browser.newContext({
    viewport: { width, height: phone ? 844 : 900 },
    deviceScaleFactor: phone ? 3 : 1,
    isMobile: phone,
    hasTouch: phone,
    locale: 'en-GB',
    javaScriptEnabled: false,
  });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const look = async (name) => {
    result.pages[name] = {
      url: new URL(page.url()).pathname,
      heading: (await page.textContent('h1'))?.trim(),
      // Nothing wider than the window: wide tables scroll inside their own region.
      scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth),
    };
    if (shots) await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
  };

  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  await look('overview');
  // The first Tab reaches the skip link: the keyboard gets past the navigation at once.
  await page.keyboard.press('Tab');
  result.firstTab = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  result.overviewText = await page.textContent('main');

  const lineLink = page.locator('main a[href^="/dashboard/lines/"]').first();
  result.lineName = (await lineLink.textContent())?.trim();
  await Promise.all([page.waitForNavigation(), lineLink.click()]);
  await look('line');
  result.charts = await page.$$eval('svg[role=img]', (svgs) => svgs.map((s) => ({
    title: s.querySelector('title')?.textContent ?? null,
    desc: s.querySelector('desc')?.textContent ?? null,
  })));

  await Promise.all([page.waitForNavigation(), page.click('nav.dash-nav a[href="/dashboard/reports"]')]);
  await look('inbox');
  const reportLink = page.locator('main table a[href^="/dashboard/reports/"]').first();
  await Promise.all([page.waitForNavigation(), reportLink.click()]);
  await look('report');
  result.reportId = new URL(page.url()).pathname.split('/').pop();

  await page.selectOption('#status', 'resolved');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/status"] button[type=submit]')]);
  result.statusAfterTriage = await page.$eval('#status', (s) => s.value);

  await page.fill('#message', 'Thank you: a new pan is on its way to you.');
  await page.selectOption('#reply-status', 'resolved');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/reply"] button[type=submit]')]);
  await look('replied');
  result.statusAfterReply = await page.$eval('#status', (s) => s.value);
  result.replyShown = (await page.textContent('main')).includes('a new pan is on its way');

  const cookies = await context.cookies();
  result.cookies = cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }));
  const origin = new URL(base).origin;
  result.foreignRequests = requests.filter((u) => !u.startsWith(origin));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
