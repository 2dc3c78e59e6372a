// The triage inbox and the reporting mailboxes in the admin web app (issue #13):
// a reporting mailbox created through the form (an error next to its field
// first), tested (no IMAP server listens, so the test shows the failure and
// the field), edited with the stored password kept, polled, listed, and its
// deletion asked first; then reported messages: the clusters, one cluster,
// one report with its headers, findings, links (the one whose text shows
// another address is flagged), attachments, the sandboxed rendering and the
// original, a verdict on the report and on the whole cluster, the reports
// view with its filters and the indicator exports. Every screen is
// screenshotted and checked with axe-core at 1280 and 390 px.
//
// Context (PHISHDRILL_BROWSER_CONTEXT): base_url, email, password (an admin
// that needs no password change); optional imap_port (default 1993: nothing
// should listen there), phish_url, seeded.
//
// Reports: there is no API to create one, so the scenario reports messages
// itself through the report button, as the Outlook add-in does: the
// workspace's button token comes from GET /api/v1/reporting/button
// (manifest_url = {phish}/addin/{token}/manifest.xml), and each message is
// POSTed as message/rfc822 to {phish}/addin/{token}/report with the reporter
// in X-Phishdrill-Reporter (falling back to {phish_url}/report/message with
// X-Phishdrill-Button: {token}). The reporters are made known people first (a
// group through the API). With `seeded: true` (or PHISHDRILL_TRIAGE_SEEDED=1)
// the server already holds reports and nothing is posted. When neither works
// the report screens are skipped and the result says why ("reports").
import { DESKTOP, assert, runWithFailureShot, screenAuditor } from './lib/browser.mjs';

runWithFailureShot(scenario);

async function scenario(browser, ctx, expose) {
  const started = Date.now();
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  expose(page);
  const { check, screens, violations, problems } = screenAuditor(page);
  const nav = (label) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  const heading = (text) => page.getByRole('heading', { level: 1, name: text }).waitFor();
  const tag = Math.random().toString(36).slice(2, 8);
  // Nothing a reported message names may be fetched by the page (remote images, links).
  const base = new URL(ctx.base_url).origin;
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(base + '/') && !/^(data|blob|about|chrome-error):/.test(r.url())) outside.push(r.url()); });
  const finish = (extra) => {
    if (outside.length) problems.push(`requests to other hosts: ${[...new Set(outside)].slice(0, 5).join(', ')}`);
    return { screens, violations, problems, ...extra, seconds: (Date.now() - started) / 1000 };
  };
  const fieldError = (label) => page.locator('.field-invalid').filter({ has: page.getByLabel(label, { exact: true }) }).locator('.field-error');

  // A deep link: log in first, then the page.
  await page.goto(ctx.base_url + '/mailboxes/new');
  await page.getByLabel('Email').fill(ctx.email);
  await page.getByLabel('Password').fill(ctx.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await heading('New reporting mailbox');

  // ---------------------------------------------------------------- a mailbox
  // Nothing filled in: the server's refusal is shown next to Name.
  await page.getByRole('button', { name: 'Create mailbox' }).click();
  await fieldError('Name').waitFor();
  assert((await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')) === 'true', 'Name is not marked invalid');
  await check('mailbox-form-error');

  const name = `Phishing reports ${tag}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await page.getByLabel('Port', { exact: true }).fill(String(ctx.imap_port ?? 1993));
  await page.getByLabel('Username', { exact: true }).fill(`phishing-${tag}@example.test`);
  // The secret's label follows the sign-in method.
  await page.getByLabel('Sign-in method', { exact: true }).selectOption('xoauth2');
  await page.getByLabel('OAuth2 access token (XOAUTH2)', { exact: true }).waitFor();
  await page.getByLabel('Sign-in method', { exact: true }).selectOption('password');
  await page.getByLabel('Password', { exact: true }).fill('not-the-real-password');
  assert((await page.getByLabel('Password', { exact: true }).getAttribute('type')) === 'password', 'the secret is not a password input');
  await page.getByLabel('After a message is read', { exact: true }).selectOption('move');
  await page.getByLabel('Move to folder', { exact: true }).fill('Reported');
  await check('mailbox-form');
  await page.getByRole('button', { name: 'Create mailbox' }).click();
  await heading(name);
  assert(/\/mailboxes\/\d+$/.test(new URL(page.url()).pathname), `not on the new mailbox's page: ${page.url()}`);

  // Test connection: nothing listens there, so the answer is the error and the field it names.
  await page.getByRole('button', { name: 'Test connection' }).click();
  const testResult = page.getByTestId('mailbox-test-result');
  await testResult.getByText(/Connected\.|Could not connect\./).waitFor({ timeout: 30000 });
  const testText = await testResult.innerText();
  if (ctx.imap_port === undefined) assert(/Could not connect\./.test(testText), `a connection to a closed port succeeded: ${testText}`);
  await check('mailbox-test');

  // Editing keeps the stored password when the field is left empty.
  const secretHint = await page.locator('.field').filter({ has: page.getByLabel('Password', { exact: true }) }).locator('.hint').innerText();
  assert(/leave empty to keep the stored one/i.test(secretHint), `no "leave empty" hint on the stored password: ${secretHint}`);
  await page.getByLabel('Check every (seconds)', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await fieldError('Check every (seconds)').waitFor();
  await page.getByLabel('Check every (seconds)', { exact: true }).fill('120');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Saved.', { exact: true }).waitFor();
  await page.reload();
  await heading(name);
  assert((await page.getByLabel('Check every (seconds)', { exact: true }).inputValue()) === '120', 'the edited interval did not come back');
  assert((await page.getByLabel('Move to folder', { exact: true }).inputValue()) === 'Reported', 'the done folder did not come back');
  assert((await page.getByLabel('Password', { exact: true }).inputValue()) === '', 'the stored secret was sent back to the page');
  await page.getByRole('button', { name: 'Poll now' }).click();
  await page.getByText(/Polling now\./).waitFor();
  await check('mailbox-edit');

  await nav('Reporting mailboxes');
  await heading('Reporting mailboxes');
  await page.getByTestId('mailboxes-table').getByRole('link', { name }).waitFor();
  await check('mailboxes-list');
  // Deleting asks first; cancelling keeps it.
  await page.getByRole('link', { name }).click();
  await heading(name);
  await page.getByRole('button', { name: 'Delete mailbox' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this reporting mailbox?' });
  await dialog.waitFor();
  await check('mailbox-delete-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await heading(name);

  // ---------------------------------------------------------------- reports
  const seeding = await seedReports(page, ctx, tag);
  await nav('Triage');
  await heading('Triage');
  for (const [label, format] of [['Export indicators (CSV)', 'csv'], ['Export indicators (STIX 2.1)', 'stix']]) {
    const href = await page.getByRole('link', { name: label }).getAttribute('href');
    assert(href === `/api/v1/triage/indicators?format=${format}`, `${label} points at ${href}`);
  }
  if (seeding.skipped) {
    await page.getByRole('heading', { level: 2, name: 'Clusters' }).waitFor();
    await page.locator('.empty, [data-testid="clusters-table"]').first().waitFor();
    await check('triage-inbox');
    await context.close();
    return finish({ reports: `skipped: ${seeding.skipped}` });
  }

  // The inbox: undecided clusters first.
  const clusters = page.getByTestId('clusters-table');
  const subjectLink = clusters.getByRole('link', { name: seeding.subject, exact: true }).first();
  await subjectLink.waitFor();
  const row = clusters.locator('tr').filter({ has: page.getByRole('link', { name: seeding.subject, exact: true }) }).first();
  assert(/Undecided/.test(await row.innerText()), `the new cluster is not undecided: ${await row.innerText()}`);
  await check('triage-clusters');

  // One cluster: its summary and its reports.
  await subjectLink.click();
  await heading(seeding.subject);
  const clusterUrl = page.url();
  const summary = await page.getByTestId('cluster-summary').innerText();
  if (seeding.reporters) assert(summary.includes(String(seeding.reporters.length)), `the cluster does not count ${seeding.reporters.length} reports: ${summary}`);
  const reportLinks = page.getByTestId('cluster-reports-table').getByRole('link');
  await reportLinks.first().waitFor();
  if (seeding.reporters) assert((await reportLinks.count()) === seeding.reporters.length, `the cluster lists ${await reportLinks.count()} reports`);
  await check('triage-cluster');

  // One report: the evidence.
  await reportLinks.first().click();
  await heading(seeding.subject);
  const headers = await page.getByTestId('report-headers').innerText();
  for (const want of ['From', 'Reply-To', 'Return-Path', 'Message-ID', 'Authentication-Results']) {
    assert(headers.includes(want), `the headers do not show ${want}: ${headers}`);
  }
  if (seeding.posted) {
    assert(headers.includes('helpdesk@collect-creds.example'), `the Reply-To is not shown: ${headers}`);
    assert(/Not the From domain/.test(headers), `the Reply-To of another domain is not flagged: ${headers}`);
    assert(/spf=fail/.test(headers), `the raw Authentication-Results are not shown: ${headers}`);
    const links = page.getByTestId('links-table');
    const fake = links.locator('tr').filter({ hasText: 'collect-creds.example' }).filter({ hasText: 'login.microsoftonline.com' });
    await fake.first().waitFor();
    assert(/Mismatch/.test(await fake.first().innerText()), `the link showing another address is not flagged: ${await fake.first().innerText()}`);
    const att = await page.getByTestId('attachments-table').innerText();
    assert(att.includes('invoice.pdf.html') && /[0-9a-f]{64}/.test(att), `the attachment or its SHA-256 is missing: ${att}`);
  }
  const frame = page.locator('iframe[title^="The reported message"]');
  assert((await frame.getAttribute('sandbox')) === '', 'the rendering frame is not fully sandboxed');
  const src = await frame.getAttribute('src');
  assert(/^\/api\/v1\/triage\/reports\/\d+\/rendering$/.test(src), `the rendering frame loads ${src}`);
  const rendering = await page.request.get(ctx.base_url + src);
  assert(rendering.status() === 200 && /text\/html/.test(rendering.headers()['content-type'] ?? ''), `the rendering answered ${rendering.status()}`);
  assert(!/<script/i.test(await rendering.text()), 'the rendering carries a script');
  assert((rendering.headers()['x-frame-options'] ?? '').toUpperCase() !== 'DENY', 'the rendering forbids being framed (X-Frame-Options: DENY): the frame stays empty');
  // The frame shows the rendering (a refusal to be framed would show an error page instead).
  const shown = await (await frame.elementHandle()).contentFrame();
  await shown.waitForLoadState('load');
  assert(shown.url() === ctx.base_url + src, `the rendering frame shows ${shown.url()}, not the rendering`);
  if (seeding.posted) {
    const text = await page.frameLocator('iframe[title^="The reported message"]').locator('body').innerText();
    assert(/Your mailbox is full/.test(text), `the rendering does not show the message: ${text.slice(0, 200)}`);
  }
  await page.getByText(/Remote content is blocked/).waitFor();
  const original = page.getByRole('link', { name: 'Download original (.eml)' });
  assert(/\/api\/v1\/triage\/reports\/\d+\/original$/.test(await original.getAttribute('href')), 'no link to the original');
  const eml = await page.request.get(ctx.base_url + (await original.getAttribute('href')));
  assert(eml.status() === 200 && /attachment/.test(eml.headers()['content-disposition'] ?? ''), `the original is not a download: ${eml.status()}`);
  await check('triage-report');

  // A verdict on the report: none chosen is refused next to the choice; then Threat.
  const verdictForm = page.locator('form#verdict');
  if (!(await verdictForm.getByRole('radio', { checked: true }).count())) {
    await verdictForm.getByRole('button', { name: 'Save the verdict' }).click();
    await verdictForm.locator('.field-error').getByText('Choose clean, spam or threat.').waitFor();
  }
  await verdictForm.getByRole('radio', { name: /^Threat/ }).check();
  await verdictForm.getByLabel('Note (optional)').fill('Credential phishing, e2e');
  await verdictForm.getByRole('button', { name: 'Save the verdict' }).click();
  await verdictForm.getByText('Saved.', { exact: true }).waitFor();
  assert(/Threat/.test(await page.getByTestId('report-summary').innerText()), 'the report summary does not show the verdict');
  await check('triage-report-decided');

  // A verdict on the whole cluster.
  await page.goto(clusterUrl);
  await heading(seeding.subject);
  const clusterForm = page.locator('form#verdict');
  await clusterForm.getByRole('radio', { name: /^Threat/ }).check();
  await clusterForm.getByRole('button', { name: /^Set the verdict/ }).click();
  await clusterForm.getByText('Saved.', { exact: true }).waitFor();
  const table = page.getByTestId('cluster-reports-table');
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="cluster-reports-table"] tbody');
    return t && [...t.rows].every((r) => /Threat/.test(r.innerText));
  }, null, { timeout: 10000 });
  assert(!/Undecided/.test(await table.innerText()), 'a report of the cluster is still undecided');
  await check('triage-cluster-decided');

  // Back in the inbox: the cluster left the undecided view; "Any" shows it as a threat.
  await nav('Triage');
  await heading('Triage');
  await page.locator('.empty, [data-testid="clusters-table"]').first().waitFor();
  if (seeding.posted) assert((await page.getByRole('link', { name: seeding.subject, exact: true }).count()) === 0, 'the decided cluster is still listed as undecided');
  await page.getByLabel('Verdict').selectOption('all');
  await page.getByTestId('clusters-table').getByRole('link', { name: seeding.subject, exact: true }).first().waitFor();
  assert(new URL(page.url()).searchParams.get('verdict') === 'all', 'the filter is not kept in the address');

  // The reports view with its filters.
  await page.getByRole('navigation', { name: 'Triage views' }).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { level: 2, name: 'Reports' }).waitFor();
  await page.getByLabel('Verdict').selectOption('threat');
  await page.getByTestId('reports-table').getByRole('link', { name: seeding.subject, exact: true }).first().waitFor();
  await check('triage-reports');

  if (seeding.posted) {
    const csv = await page.request.get(ctx.base_url + '/api/v1/triage/indicators?format=csv');
    assert(csv.status() === 200 && (await csv.text()).includes('collect-creds.example'), `the CSV indicators lack the threat's domain (${csv.status()})`);
    const stix = await page.request.get(ctx.base_url + '/api/v1/triage/indicators?format=stix');
    assert(stix.status() === 200 && (await stix.text()).includes('"indicator"'), `the STIX bundle has no indicator (${stix.status()})`);
  }
  await context.close();
  return finish({ reports: seeding.posted ? 'reported through the button' : 'seeded' });
}

// ---------------------------------------------------------------- seeding

function phishMessage(tag, reporter, subject) {
  return [
    'From: "IT Support" <it-support@micros0ft-help.example>',
    'Reply-To: Help Desk <helpdesk@collect-creds.example>',
    'Return-Path: <bounce@mailer.example>',
    `To: ${reporter}`,
    `Subject: ${subject}`,
    `Message-ID: <triage-${tag}@micros0ft-help.example>`,
    `Date: ${new Date(Date.now() - 3600e3).toUTCString().replace('GMT', '+0000')}`,
    'Authentication-Results: mx.example.test; spf=fail smtp.mailfrom=mailer.example; dkim=none; dmarc=fail header.from=micros0ft-help.example',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b-outer"',
    '',
    '--b-outer',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Your mailbox is full. Sign in within 24 hours to keep your messages.</p>',
    '<p><a href="https://collect-creds.example/login">https://login.microsoftonline.com/</a></p>',
    '<p><a href="https://collect-creds.example/help"><img src="https://tracker.collect-creds.example/p.gif" alt="Help"></a></p>',
    '<script>document.title = "ran"</script>',
    '--b-outer',
    'Content-Type: text/html; name="invoice.pdf.html"',
    'Content-Disposition: attachment; filename="invoice.pdf.html"',
    '',
    '<p>Open me</p>',
    '--b-outer--',
    '',
  ].join('\r\n');
}

// Reports one message from each of three known people through the report
// button. Returns {subject, reporters, posted: true}, {subject} for a seeded
// server, or {skipped: reason}.
async function seedReports(page, ctx, tag) {
  const api = (p) => ctx.base_url + '/api/v1' + p;
  if (ctx.seeded || process.env.PHISHDRILL_TRIAGE_SEEDED === '1') {
    const first = await (await page.request.get(api('/triage/clusters?limit=1'))).json();
    assert(first.items?.length, 'the server was said to be seeded but has no cluster');
    // Work on an undecided one when there is one.
    const open = await (await page.request.get(api('/triage/clusters?verdict=none&limit=1'))).json();
    return { subject: (open.items?.[0] ?? first.items[0]).subject || '(no subject)' };
  }
  const button = await page.request.get(api('/reporting/button'));
  if (!button.ok()) return { skipped: `GET /api/v1/reporting/button answered ${button.status()}` };
  const manifestUrl = (await button.json()).manifest_url;
  const token = /\/addin\/([^/]+)\/manifest\.xml$/.exec(new URL(manifestUrl).pathname)?.[1];
  if (!token) return { skipped: `no button token in ${manifestUrl}` };
  const me = await (await page.request.get(api('/me'))).json();
  const reporters = [1, 2, 3].map((i) => `reporter${i}-${tag}@example.test`);
  const group = await page.request.post(api('/groups'), {
    headers: { 'X-CSRF-Token': me.csrf_token },
    data: { name: `Triage reporters ${tag}`, targets: reporters.map((email, i) => ({ email, first_name: `Reporter${i + 1}` })) },
  });
  assert(group.status() === 201, `could not create the reporters' group: ${group.status()} ${await group.text()}`);
  const subject = `Your mailbox is full (${tag})`;
  const endpoints = [new URL('report', manifestUrl).toString(), (ctx.phish_url ?? new URL(manifestUrl).origin) + '/report/message'];
  let endpoint = null;
  for (const reporter of reporters) {
    const body = phishMessage(tag, reporter, subject);
    const headers = { 'Content-Type': 'message/rfc822', 'X-Phishdrill-Reporter': reporter, 'X-Phishdrill-Button': token };
    let res = null;
    for (const url of endpoint ? [endpoint] : endpoints) {
      res = await fetch(url, { method: 'POST', headers, body });
      if (res.status !== 404 && res.status !== 405) { endpoint = url; break; }
    }
    if (!endpoint) return { skipped: `the report button endpoint is missing (${endpoints.join(', ')} answered ${res?.status})` };
    assert(res.status >= 200 && res.status < 300, `reporting through ${endpoint} answered ${res.status}: ${await res.text()}`);
  }
  // Reports may be filed a moment later.
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const page1 = await (await page.request.get(api('/triage/clusters?verdict=none&limit=50'))).json();
    const found = page1.items?.find((c) => c.subject === subject);
    if (found && found.report_count >= reporters.length) return { subject, reporters, posted: true };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the reported messages did not become a cluster of ${reporters.length} within 20 s (subject ${subject})`);
}
