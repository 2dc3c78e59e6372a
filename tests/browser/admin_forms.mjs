// The admin web app's forms beyond the main walk-through (admin_e2e.mjs): an
// API error is shown next to the field it names and what was typed stays;
// a template imported from a .eml file; a campaign with a sending window and
// follow-up training, edited as a draft; an API key shown once; a webhook;
// a training assignment; a destructive action asks first. Screens are
// screenshotted and checked with axe-core at 1280 and 390 px.
// Context: base_url, email, password (an admin that needs no password change),
// group_name (an existing group), profile_name (an outbox profile), eml_path (a .eml file).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DESKTOP, PHONE, run, screenshot } from './lib/browser.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

run(async (browser, ctx) => {
  // Screenshots of an earlier run would mix with this one's.
  const dir = process.env.PHISHDRILL_ARTIFACTS;
  if (dir && existsSync(dir)) readdirSync(dir).filter((f) => f.endsWith('.png')).forEach((f) => rmSync(path.join(dir, f)));
  let page;
  try {
    return await scenario(browser, ctx, (p) => { page = p; });
  } catch (e) {
    if (page) await screenshot(page, 'failure').catch(() => {});
    throw e;
  }
});

async function scenario(browser, ctx, expose) {
  const started = Date.now();
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  expose(page);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) && !/img-src 'self' data:/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  const screens = [];
  const violations = {};
  async function check(name) {
    for (const [vp, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(80);
      await screenshot(page, `${String(screens.length + 1).padStart(2, '0')}-${name}-${vp}`);
      const v = await seriousViolations(page);
      if (v.length) violations[`${name}@${vp}`] = v;
    }
    await page.setViewportSize(DESKTOP);
    screens.push(name);
  }
  const nav = (label) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  const heading = (text) => page.getByRole('heading', { level: 1, name: text }).waitFor();

  await page.goto(ctx.base_url + '/templates/new'); // a deep link: login first, then the page
  await page.getByLabel('Email').fill(ctx.email);
  await page.getByLabel('Password').fill(ctx.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await heading('New email template');

  // A template imported from a .eml file, saved; then a second one with the
  // same name: 409 shown next to Name, and everything typed is kept.
  await page.getByLabel('Import from a .eml file').setInputFiles(ctx.eml_path);
  await page.getByText(/Imported “.*\.eml”/).waitFor();
  assert((await page.getByLabel('Subject').inputValue()) === 'Password expiry notice', 'the .eml subject was not imported');
  assert((await page.getByLabel('HTML body').inputValue()).includes('{{.URL}}'), 'links were not pointed at {{.URL}}');
  await page.getByLabel('Name', { exact: true }).fill('Imported expiry');
  await page.getByRole('button', { name: 'Create template' }).click();
  await page.getByText('Rendered by the server').waitFor();
  await nav('Email templates');
  await page.getByRole('link', { name: 'New template' }).click();
  await heading('New email template');
  await page.getByLabel('Name', { exact: true }).fill('Imported expiry');
  await page.getByLabel('Subject').fill('Kept subject');
  await page.getByLabel('HTML body').fill('<p>Kept body</p>');
  await page.getByRole('button', { name: 'Create template' }).click();
  const nameError = page.locator('.field-invalid').filter({ has: page.getByLabel('Name', { exact: true }) }).locator('.field-error');
  await nameError.waitFor();
  assert(/already exists/i.test(await nameError.innerText()), `no duplicate-name message next to Name: ${await nameError.innerText()}`);
  assert((await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')) === 'true', 'Name is not marked invalid');
  assert((await page.getByLabel('Subject').inputValue()) === 'Kept subject', 'the subject was lost after the error');
  assert((await page.getByLabel('HTML body').inputValue()) === '<p>Kept body</p>', 'the body was lost after the error');
  await check('template-duplicate-name');

  // A campaign with a sending window and follow-up training; edited as a draft.
  await nav('Campaigns');
  await page.getByRole('link', { name: 'New campaign' }).click();
  await heading('New campaign');
  await page.getByLabel('Campaign name').fill('Windowed campaign');
  await page.getByRole('checkbox', { name: /Imported expiry/ }).check();
  await page.getByRole('checkbox', { name: new RegExp(ctx.group_name) }).check();
  await page.getByLabel('Sending profile').selectOption({ label: `${ctx.profile_name} (outbox)` });
  await page.getByRole('checkbox', { name: 'Send only on certain days and hours' }).check();
  await page.getByLabel('From (HH:MM)').fill('09:00');
  await page.getByLabel('Until (HH:MM)').fill('17:00');
  const followUp = page.getByRole('checkbox', { name: 'Assign training to people who fall for it' });
  const hasTraining = await followUp.count() > 0;
  if (hasTraining) await followUp.check();
  await check('campaign-form-window');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await heading('Windowed campaign');
  const draftText = await page.locator('.summary-list').innerText();
  assert(/09:00–17:00/.test(draftText), `the draft does not show the window: ${draftText}`);
  if (hasTraining) assert(/Follow-up training/.test(draftText), `the draft does not show the follow-up: ${draftText}`);
  await page.getByRole('link', { name: 'Edit' }).click();
  await heading('Edit draft campaign');
  await page.getByLabel('Campaign name').fill('Windowed campaign (edited)');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await heading('Windowed campaign (edited)');
  await check('campaign-draft-window');
  // Deleting the draft asks first; cancelling keeps it.
  await page.getByRole('button', { name: 'Delete draft' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this draft?' });
  await dialog.waitFor();
  await check('confirm-delete');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await heading('Windowed campaign (edited)');

  // Settings: an API key is shown once; a webhook is added.
  await nav('Settings');
  await heading('Settings');
  await page.getByLabel('Key name').fill('ci-importer');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByTestId('new-api-key').innerText();
  assert(/^pd_/.test(key), `no API key shown: ${key}`);
  await page.getByRole('group', { name: 'Events' }).waitFor();
  await page.locator('form[aria-labelledby="new-hook-title"]').getByLabel('Name').fill('SIEM');
  await page.getByLabel('URL').fill('https://siem.example.test/hook');
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await page.getByText(/Webhook “SIEM” created/).waitFor();
  await check('settings-created');

  // Training: assign a module to the group (when the server has assignments).
  if (hasTraining) {
    await nav('Training');
    await page.getByRole('tab', { name: 'Assignments' }).click();
    const assign = page.getByRole('button', { name: 'Assign', exact: true });
    if (await assign.count()) {
      await page.locator('form[aria-labelledby="assign-title"]').getByRole('checkbox', { name: new RegExp(ctx.group_name) }).check();
      await assign.click();
      await page.getByText(/Assigned to \d+ (people|person)/).waitFor();
      await page.locator('table tbody tr').first().waitFor();
      await check('training-assigned');
    }
  }
  await context.close();
  return { screens, violations, problems, training: hasTraining, seconds: (Date.now() - started) / 1000 };
}
