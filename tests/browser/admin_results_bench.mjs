// Benchmark half of bench/results_page.py: opens a campaign's results page in
// Chromium and measures, from the start of the navigation, when the counters
// and the first page of recipients are on screen. Cold (fresh browser context:
// the app's files are fetched and parsed) and warm (reloads, files cached).
// Context: base_url, email, password, campaign_id, recipients, runs.
import { DESKTOP, run } from './lib/browser.mjs';

async function measure(page, url, recipients) {
  await page.goto(url, { waitUntil: 'commit' });
  const want = recipients.toLocaleString('en-US');
  await page.waitForFunction((w) => {
    const v = document.querySelector('[data-testid="count-recipients"] .stat-value');
    const rows = document.querySelectorAll('[data-testid="recipients-table"] tbody tr');
    return v && v.textContent.replace(/[^0-9]/g, '') === w.replace(/[^0-9]/g, '') && rows.length > 0;
  }, want, { timeout: 30000, polling: 'raf' });
  return page.evaluate(() => ({
    visible_ms: performance.now(),
    rows: document.querySelectorAll('[data-testid="recipients-table"] tbody tr').length,
    recipients: document.querySelector('[data-testid="count-recipients"] .stat-value').textContent,
  }));
}

run(async (browser, ctx) => {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
  const login = await context.request.post(`${ctx.base_url}/api/v1/session`, { data: { email: ctx.email, password: ctx.password } });
  if (!login.ok()) throw new Error(`login failed: ${login.status()} ${await login.text()}`);
  const page = await context.newPage();
  const url = `${ctx.base_url}/campaigns/${ctx.campaign_id}`;
  const cold = await measure(page, url, ctx.recipients);
  const warm = [];
  for (let i = 0; i < (ctx.runs ?? 5); i++) warm.push((await measure(page, url, ctx.recipients)).visible_ms);
  await context.close();
  warm.sort((a, b) => a - b);
  return { cold_ms: cold.visible_ms, rows: cold.rows, shown: cold.recipients, warm_ms: warm, warm_median_ms: warm[Math.floor(warm.length / 2)] };
});
