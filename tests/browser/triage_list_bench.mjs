// Benchmark half of bench/reporting.py: opens the triage inbox in Chromium
// (/triage: the undecided clusters; /triage/reports: every report, newest
// first) and measures, from the start of the navigation, when the first page
// of rows is on screen. Cold (fresh browser context: the app's files are
// fetched and parsed) and warm (reloads, files cached), per screen.
// Context: base_url, email, password, runs.
import { DESKTOP, run } from './lib/browser.mjs';

const SCREENS = {
  clusters: { path: '/triage', table: 'clusters-table' },
  reports: { path: '/triage/reports', table: 'reports-table' },
};

async function measure(page, url, table) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction((t) => document.querySelectorAll(`[data-testid="${t}"] tbody tr`).length > 0,
    table, { timeout: 30000, polling: 'raf' });
  return page.evaluate((t) => ({
    visible_ms: performance.now(),
    rows: document.querySelectorAll(`[data-testid="${t}"] tbody tr`).length,
  }), table);
}

async function screen(browser, ctx, { path, table }) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
  const login = await context.request.post(`${ctx.base_url}/api/v1/session`, { data: { email: ctx.email, password: ctx.password } });
  if (!login.ok()) throw new Error(`login failed: ${login.status()} ${await login.text()}`);
  const page = await context.newPage();
  const url = ctx.base_url + path;
  const cold = await measure(page, url, table);
  const warm = [];
  for (let i = 0; i < (ctx.runs ?? 5); i++) warm.push((await measure(page, url, table)).visible_ms);
  await context.close();
  warm.sort((a, b) => a - b);
  return { cold_ms: cold.visible_ms, rows: cold.rows, warm_ms: warm, warm_median_ms: warm[Math.floor(warm.length / 2)] };
}

run(async (browser, ctx) => {
  const out = {};
  for (const [name, s] of Object.entries(SCREENS)) out[name] = await screen(browser, ctx, s);
  return out;
});
