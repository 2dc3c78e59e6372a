// Shared set-up for the browser scenarios: starts Debian's Chromium headless
// through playwright-core, runs axe-core in a page, and reports a scenario's
// result as one JSON object on stdout (read by tests/integration/browser_support.py).
// Scenarios get their context (URLs, tokens, credentials) as JSON in the
// PHISHDRILL_BROWSER_CONTEXT environment variable.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export function context() {
  return JSON.parse(process.env.PHISHDRILL_BROWSER_CONTEXT ?? '{}');
}

// Chromium is started the way this machine needs it: no sandbox as root, no
// background networking (the network is closed), a fresh profile each time.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// A browser context for a scenario, desktop-sized unless `options` say else.
// Pages keep their own Content-Security-Policy.
export async function newContext(browser, options = {}) {
  return browser.newContext({ viewport: DESKTOP, ...options });
}

// Runs axe-core on the current page and returns the serious and critical
// violations as plain objects (rule id, impact, help, the failing targets).
// axe-core is evaluated through the DevTools protocol rather than added as a
// <script>, so pages under a strict CSP (no inline scripts) can be checked as
// they are served.
export async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
}

// Photographs the page as `${name}-desktop` and `${name}-phone` (1280 and
// 390 px), checks it with axe-core at both widths, and measures whether
// anything makes it scroll sideways. Returns {violations: {desktop|phone:
// [...]}, sideways: {desktop|phone: pixels}} with only the widths that failed.
export async function checkAtBothWidths(page, name) {
  const result = { violations: {}, sideways: {} };
  for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(80);
    await screenshot(page, `${name}-${label}`);
    const violations = await seriousViolations(page);
    if (violations.length) result.violations[label] = violations;
    const wide = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (wide > 1) result.sideways[label] = wide;
  }
  await page.setViewportSize(DESKTOP);
  return result;
}

// Saves a full-page screenshot under the artifacts directory and returns its path.
export async function screenshot(page, name) {
  const dir = process.env.PHISHDRILL_ARTIFACTS ?? path.resolve('artifacts');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Runs a scenario and prints its result; any exception becomes
// {"error": "..."} with a non-zero exit so the pytest side shows it.
export async function run(scenario) {
  const browser = await launch();
  try {
    const result = await scenario(browser, context());
    process.stdout.write(JSON.stringify(result ?? {}) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: String(err?.stack ?? err) }) + '\n');
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// Runs a scenario(browser, context, expose) that calls expose(page) with its
// page: this run's screenshots replace an earlier run's, and a failure leaves
// a screenshot of the page as it was ("failure.png").
export function runWithFailureShot(scenario) {
  return run(async (browser, ctx) => {
    const dir = process.env.PHISHDRILL_ARTIFACTS;
    if (dir && existsSync(dir)) {
      readdirSync(dir).filter((f) => f.endsWith('.png')).forEach((f) => rmSync(path.join(dir, f)));
    }
    let page;
    try {
      return await scenario(browser, ctx, (p) => { page = p; });
    } catch (e) {
      if (page) await screenshot(page, 'failure').catch(() => {});
      throw e;
    }
  });
}

// Collects what must not happen on an admin page: script errors and console
// errors other than the expected ones (HTTP error statuses a flow provokes on
// purpose, and the CSP blocking an email preview's remote image), axe-core
// violations and sideways scrolling. check(name) photographs and audits the
// page at both widths as "NN-name".
export function screenAuditor(page) {
  const audit = { screens: [], violations: {}, problems: [] };
  const expected = [/^Failed to load resource: the server responded with a status of 4\d\d/, /img-src 'self' data:/];
  page.on('pageerror', (e) => audit.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.some((re) => re.test(m.text()))) {
      audit.problems.push(`console: ${m.text()}`);
    }
  });
  audit.check = async (name) => {
    const result = await checkAtBothWidths(page, `${String(audit.screens.length + 1).padStart(2, '0')}-${name}`);
    for (const [vp, v] of Object.entries(result.violations)) audit.violations[`${name}@${vp}`] = v;
    for (const [vp, wide] of Object.entries(result.sideways)) {
      audit.problems.push(`${name}@${vp}: the page scrolls sideways by ${wide}px`);
    }
    audit.screens.push(name);
  };
  return audit;
}
