// End-to-end walk through the admin web app (issue 6), driven in Debian's
// Chromium: log in and change the forced password, import a CSV (first with a
// bad row, to see the row errors), create a template, a landing page and an
// SMTP sending profile (a real SMTP sink on loopback), launch a campaign, follow
// one recipient's link from the message the sink received, and watch the
// results page update without a reload. Every screen is screenshotted and
// checked with axe-core at 1280 px and at 390 px.
//
// Context (from tests/integration/test_admin_ui.py): base_url, phish_url,
// desktop_ua (a person's browser), email, password, new_password, smtp_port, sink_dir, group_name, csv_bad, csv_good,
// people (number of rows in csv_good).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, assert, runWithFailureShot, screenAuditor } from './lib/browser.mjs';

// The rid of the first message the sink stored (raw MIME; undo quoted-printable).
function ridFromSink(dir, deadlineMs) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    for (const f of files.sort()) {
      const rec = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
      let raw = Buffer.from(rec.data_b64, 'base64').toString('latin1');
      if (!/Subject: Action needed/i.test(raw)) continue; // skip the profile's test message
      raw = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      const m = raw.match(/[?&]rid=([A-Za-z0-9_-]+)/);
      if (m) return { rid: m[1], to: rec.rcpt_tos[0], header: /^X-Awareness-Drill: yes\r?$/m.test(raw) };
    }
    if (Date.now() > until) throw new Error(`no campaign message in ${dir}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

runWithFailureShot(scenario);

async function scenario(browser, ctx, expose) {
  const started = Date.now();
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  expose(page);
  const audit = screenAuditor(page);
  const { screens, violations, problems } = audit;
  const timings = [];

  // Screenshot and axe at desktop width, then the same at phone width.
  async function check(name) {
    // Settle (bounded: a preview's CSP-blocked image can keep the network from idling).
    await page.waitForLoadState('networkidle', { timeout: 1500 }).catch(() => {});
    await audit.check(name);
    timings.push([name, Math.round((Date.now() - started) / 100) / 10]);
  }
  const nav = (label) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  const heading = (text) => page.getByRole('heading', { level: 1, name: text }).waitFor();

  // 1. Login and the forced password change.
  await page.goto(ctx.base_url + '/');
  await heading('Log in');
  await check('login');
  await page.getByLabel('Email').fill(ctx.email);
  await page.getByLabel('Password').fill('wrong password!');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('The email or password is wrong.').waitFor();
  assert(await page.getByLabel('Email').inputValue() === ctx.email, 'login form lost the email after an error');
  await page.getByLabel('Password').fill(ctx.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await heading('Choose a new password');
  await check('change-password');
  await page.getByLabel('Current password').fill(ctx.password);
  await page.getByLabel('New password', { exact: true }).fill(ctx.new_password);
  await page.getByLabel('New password again').fill(ctx.new_password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await heading('Dashboard');
  await check('dashboard-empty');

  // 2. Targets: a CSV with a bad row shows the row errors; the fixed one imports.
  await nav('Targets & groups');
  await heading('Targets & groups');
  await page.getByLabel('New group name').fill(ctx.group_name);
  await page.getByLabel('CSV contents').fill(ctx.csv_bad);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('csv-row-errors').waitFor();
  const rowErrors = await page.getByTestId('csv-row-errors').locator('tbody tr').count();
  assert(rowErrors >= 1, 'no CSV row errors shown');
  assert(await page.getByLabel('New group name').inputValue() === ctx.group_name, 'group name lost after the error');
  await check('groups-csv-errors');
  await page.getByLabel('CSV contents').fill(ctx.csv_good);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText(`Imported ${ctx.people} people`).waitFor();
  // A file as Excel on Windows saves it (semicolons, Windows-1252) is sent as its bytes and
  // imports, with the adjustments listed.
  await page.getByLabel('New group name').fill('Excel export');
  await page.getByLabel('CSV file').setInputFiles({
    name: 'excel.csv', mimeType: 'application/vnd.ms-excel',
    buffer: Buffer.from(`Email;Vorname;Nachname\r\nexcel-${Date.now()}@example.test;J\xf6rg;M\xfcller\r\n`, 'latin1'),
  });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('csv-warnings').waitFor();
  const warned = await page.getByTestId('csv-warnings').innerText();
  assert(warned.includes('Windows-1252') && warned.includes('semicolons'), `warnings not shown: ${warned}`);
  await page.getByRole('link', { name: ctx.group_name }).click();
  await heading(ctx.group_name);
  await check('group-detail');

  // 3. An email template, previewed by the server.
  await nav('Email templates');
  await heading('Email templates');
  await check('templates-empty');
  await page.getByRole('link', { name: 'New template' }).click();
  await heading('New email template');
  await page.getByLabel('Name', { exact: true }).fill('Parcel held at depot');
  await page.getByLabel('Subject').fill('Action needed: your parcel, {{.FirstName}}');
  await page.getByLabel('From', { exact: true }).fill('Parcel Desk <desk@parcels.example.test>');
  await page.getByLabel('HTML body').fill('<p>Hi {{.FirstName}},</p><p>Your parcel is held. <a href="{{.URL}}">Reschedule delivery</a></p>{{.Tracker}}');
  await page.getByLabel('Plain-text body').fill('Hi {{.FirstName}}, reschedule: {{.URL}}');
  // The live preview renders the unsaved template on the server for the sample person.
  await page.waitForFunction(() => /Hi Dana,/.test(document.querySelector('iframe[title="Email preview"]')?.getAttribute('srcdoc') ?? ''), null, { timeout: 5000 });
  assert((await page.locator('iframe[title="Email preview"]').getAttribute('sandbox')) === '', 'the preview frame is not sandboxed');
  await page.getByRole('button', { name: 'Add a red flag' }).click();
  await page.getByLabel('Flag 1: text to highlight').fill('Action needed');
  await page.getByLabel('Flag 1: why it matters').fill('Urgency pushes you to act before you think.');
  await page.getByRole('button', { name: 'Create template' }).click();
  await page.getByText('Rendered by the server').waitFor();
  await page.getByTestId('preview-subject').getByText('Action needed: your parcel, Dana').waitFor();
  await check('template-editor');

  // 4. A landing page.
  await nav('Landing pages');
  await page.getByRole('link', { name: 'New landing page' }).click();
  await heading('New landing page');
  await page.getByLabel('Name', { exact: true }).fill('Depot sign-in');
  await page.getByLabel('HTML').fill('<html><body><h1>Parcel depot</h1><form method="post"><label>User <input name="username"></label><label>Password <input type="password" name="password"></label><button>Sign in</button></form></body></html>');
  await page.getByLabel('Field names').check();
  await page.getByRole('button', { name: 'Create landing page' }).click();
  await page.getByRole('heading', { level: 1, name: 'Depot sign-in' }).waitFor();
  await check('landing-page-editor');

  // 5. A sending profile pointing at the SMTP sink, and a test email.
  await nav('Sending profiles');
  await page.getByRole('link', { name: 'New sending profile' }).click();
  await heading('New sending profile');
  await page.getByLabel('Name', { exact: true }).fill('Loopback relay');
  await page.getByLabel('Host').fill('127.0.0.1');
  await page.getByLabel('Port').fill(String(ctx.smtp_port));
  await page.getByLabel('Encryption').selectOption('none');
  await page.getByLabel('From', { exact: true }).fill('Parcel Desk <desk@parcels.example.test>');
  await page.getByLabel('Messages per minute').fill('0');
  await page.getByRole('button', { name: 'Add a header' }).click();
  await page.getByLabel('Header 1 name').fill('X-Awareness-Drill');
  await page.getByLabel('Header 1 value').fill('yes');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.getByRole('heading', { level: 1, name: 'Loopback relay' }).waitFor();
  assert(await page.getByLabel('Header 1 name').inputValue() === 'X-Awareness-Drill', 'the profile header was not saved');
  await page.getByLabel('Send to').fill('it-check@example.test');
  await page.getByRole('button', { name: 'Send test email' }).click();
  await page.getByText('Sent.', { exact: true }).waitFor();
  await check('profile-editor');

  // 6. A campaign: the guided form, the draft, the launch confirmation.
  await nav('Campaigns');
  await heading('Campaigns');
  await page.getByRole('link', { name: 'New campaign' }).click();
  await heading('New campaign');
  await page.getByLabel('Campaign name').fill('December parcel test');
  await page.getByRole('checkbox', { name: /Parcel held at depot/ }).check();
  await page.getByLabel('Landing page').selectOption({ label: 'Depot sign-in' });
  await page.getByLabel('Sending profile').selectOption({ label: `Loopback relay (127.0.0.1:${ctx.smtp_port})` });
  await page.getByRole('checkbox', { name: new RegExp(ctx.group_name) }).check();
  await check('campaign-form');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await heading('December parcel test');
  await check('campaign-draft');
  await page.getByRole('button', { name: 'Launch…' }).click();
  const summary = page.getByTestId('launch-summary');
  await summary.waitFor();
  const summaryText = await summary.innerText();
  assert(summaryText.includes(`${ctx.people} people`), `launch confirmation does not show ${ctx.people} people: ${summaryText}`);
  assert(/Sending window/.test(summaryText), 'launch confirmation does not show the send window');
  await check('campaign-launch-confirm');
  await page.getByRole('button', { name: 'Launch campaign' }).click();

  // 7. Results: counters fill in as the sink accepts the messages.
  await page.getByTestId('counters').waitFor();
  await page.waitForFunction((n) => document.querySelector('[data-testid="count-sent"] .stat-value')?.textContent === String(n), ctx.people, { timeout: 30000 });
  await page.getByTestId('recipients-table').waitFor();
  await page.evaluate(() => { window.__noReload = 'still here'; });
  const clickedBefore = await page.locator('[data-testid="count-clicked"] .stat-value').textContent();
  // The timeline (GET /campaigns/{id}/timeline) plots cumulative people per stage.
  const legend = page.locator('section[aria-labelledby="chart-title"] .legend');
  await legend.getByText(`Sent: ${ctx.people}`).waitFor({ timeout: 15000 });
  await page.locator('section[aria-labelledby="chart-title"] canvas').first().waitFor();
  await check('campaign-results-sent');

  // 8. One person follows the link from the message the sink received (a
  // normal browser, not headless: its user agent must look human), and fills
  // in the landing page.
  const { rid, to, header } = ridFromSink(ctx.sink_dir, 20000);
  assert(header, "the campaign message lacks the sending profile's custom header");
  const victimCtx = await browser.newContext({ userAgent: ctx.desktop_ua, viewport: DESKTOP });
  const victim = await victimCtx.newPage();
  const landing = await victim.goto(`${ctx.phish_url}/?rid=${rid}`);
  assert(landing && landing.status() === 200, `landing page answered ${landing && landing.status()}`);
  await victim.getByRole('heading', { name: 'Parcel depot' }).waitFor();
  await victim.getByLabel('User').fill('someone');
  await victim.getByLabel('Password').fill('not-kept-anywhere');
  await Promise.all([victim.waitForLoadState('load'), victim.getByRole('button', { name: 'Sign in' }).click()]);
  // ...and, having learnt, reports the message with its report link.
  const report = await victim.request.get(`${ctx.phish_url}/report?rid=${rid}`, { headers: { 'User-Agent': ctx.desktop_ua } });
  assert(report.status() === 204, `report link answered ${report.status()}`);
  await victimCtx.close();

  // 9. The results page updates by itself (polling), without a reload.
  await page.waitForFunction(() => document.querySelector('[data-testid="count-clicked"] .stat-value')?.textContent === '1', null, { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="count-submitted"] .stat-value')?.textContent === '1', null, { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="count-reported"] .stat-value')?.textContent === '1', null, { timeout: 15000 });
  assert(await page.evaluate(() => window.__noReload) === 'still here', 'the results page reloaded');
  // ...and so does the timeline, with the same people as the counters.
  for (const stage of ['Opened: 1', 'Clicked: 1', 'Submitted: 1', 'Reported: 1']) await legend.getByText(stage).waitFor({ timeout: 10000 });
  assert(!/first .* events/.test(await page.locator('section[aria-labelledby="chart-title"]').innerText()), 'the old 10k-event note is still shown');
  // Search (server-side) for that person, then open their event timeline.
  await page.getByLabel('Search').fill(to.split('@')[0]);
  const row = page.getByTestId('recipients-table').locator('tbody tr', { hasText: to }).first();
  await row.waitFor();
  await row.getByRole('button', { name: /Timeline/ }).click();
  await page.locator('.timeline').getByText('Clicked the link').waitFor();
  await page.locator('.timeline .badge-human').first().waitFor();
  await check('campaign-results-clicked');
  // At 390 px each recipient is a card: no sideways scrolling, the Timeline button in view.
  await page.setViewportSize(PHONE);
  await page.getByLabel('Search').fill('');
  await page.getByTestId('recipients-table').locator('tbody tr', { hasText: 'No action' }).first().waitFor();
  const cards = await page.getByTestId('recipients-table').evaluate((t) => {
    const wrap = t.closest('.table-wrap');
    const row = t.querySelector('tbody tr:not(.timeline-row)');
    const btn = row.querySelector('button');
    const rb = row.getBoundingClientRect();
    const bb = btn.getBoundingClientRect();
    return { overflow: wrap.scrollWidth - wrap.clientWidth, display: getComputedStyle(row).display, inside: bb.right <= rb.right + 1 && bb.left >= rb.left - 1 };
  });
  assert(cards.overflow <= 1 && cards.display === 'grid' && cards.inside, `recipients are not cards at 390 px: ${JSON.stringify(cards)}`);
  await page.setViewportSize(DESKTOP);

  // CSV export of the recipients with their results (all of them: clear the search).
  await page.getByLabel('Search').fill('');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert(csv.includes(to), `the exported CSV does not list ${to}: ${csv.slice(0, 300)}`);

  // 10. The other screens, the lists with something in them.
  await nav('Campaigns');
  await heading('Campaigns');
  await page.getByRole('link', { name: 'December parcel test' }).waitFor();
  await check('campaigns-list');
  await nav('Email templates');
  await page.getByRole('link', { name: 'Parcel held at depot' }).waitFor();
  await check('templates-list');
  await nav('Dashboard');
  await heading('Dashboard');
  await page.locator('.stat-value').first().waitFor();
  // Phish-prone: people who clicked (those who then submitted included), of those sent.
  const prone = await page.getByTestId('phish-prone').innerText();
  assert(prone.includes(`${Math.round(100 / ctx.people)}%`) && prone.includes(`1 of ${ctx.people} people`), `dashboard phish-prone: ${prone}`);
  await check('dashboard');
  await nav('Training');
  await heading('Training');
  await page.locator('.module-card, .empty').first().waitFor();
  await check('training-modules');
  await page.getByRole('tab', { name: 'Assignments' }).click();
  await page.waitForTimeout(300);
  await check('training-assignments');
  await page.getByRole('tab', { name: 'Completion' }).click();
  await page.waitForTimeout(300);
  await check('training-completion');
  await nav('Settings');
  await heading('Settings');
  await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
  await page.waitForTimeout(200);
  await check('settings');
  await nav('Audit log');
  await heading('Audit log');
  await page.locator('table tbody tr').first().waitFor();
  await check('audit-log');

  // Keyboard: after a fresh load the skip link is the first stop and moves
  // focus to the content (and a deep link works after a reload).
  await page.reload();
  await heading('Audit log');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.textContent);
  assert(first === 'Skip to main content', `first Tab stop is ${first}`);
  await page.keyboard.press('Enter');
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert(focused === 'main', `the skip link moved focus to ${focused}`);

  await context.close();
  return {
    screens,
    violations,
    problems,
    clicked_before: clickedBefore,
    seconds: (Date.now() - started) / 1000,
    timings,
  };
}
