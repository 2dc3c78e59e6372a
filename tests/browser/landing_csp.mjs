// Landing pages under their Content-Security-Policy, in Chromium: a page's own
// scripts do not run, its forms and submit buttons post back to Phishdrill,
// and a page whose scripts an admin allowed still cannot send what is typed to
// another site with fetch, sendBeacon, XMLHttpRequest or a form (an image URL
// still can: the documented remaining risk). Phishdrill's own beacon script
// runs under the page's nonce and reports a person who used the page.
// Context: {blocked_url, allowed_url, exfil_origin, desktop_ua}.
import { assert, newContext, run } from './lib/browser.mjs';

async function blockedPage(browser, ctx) {
  const context = await newContext(browser, { userAgent: ctx.desktop_ua });
  const page = await context.newPage();
  const response = await page.goto(ctx.blocked_url);
  assert(response.status() === 200, `landing page answered ${response.status()}`);
  const ran = await page.evaluate(() => ({ script: window.__ran === true, handler: window.__handler === true }));
  await page.locator('input[name="pw"]').fill('typed-secret');
  // Phishdrill's own script (under the nonce) posts its beacon once the page
  // was visible a second and a person used it.
  const beacon = page.waitForRequest((r) => new URL(r.url()).pathname === '/v', { timeout: 10000 });
  await page.mouse.move(40, 40);
  await page.mouse.move(90, 70);
  const beaconMethod = (await beacon).method();
  await Promise.all([page.waitForNavigation(), page.locator('#go').click()]);
  const after = page.url();
  await context.close();
  return { ran, after, beaconMethod };
}

async function allowedPage(browser, ctx) {
  const context = await newContext(browser, { userAgent: ctx.desktop_ua });
  const page = await context.newPage();
  await page.goto(ctx.allowed_url);
  await page.waitForFunction(() => window.__attempted === true, null, { timeout: 10000 });
  // A script (here run through DevTools, the same policy applies) points the
  // form elsewhere and submits it: form-action 'self' stops the navigation.
  const before = page.url();
  await page.evaluate((exfil) => {
    const form = document.getElementById('f');
    form.action = exfil + '/form';
    form.submit();
  }, ctx.exfil_origin);
  await page.waitForFunction(() => window.__violated.includes('form-action'), null, { timeout: 10000 });
  const violated = await page.evaluate(() => window.__violated);
  const after = page.url();
  await context.close();
  return { before, after, violated };
}

await run(async (browser, ctx) => ({
  blocked: await blockedPage(browser, ctx),
  allowed: await allowedPage(browser, ctx),
}));
