// The admin web app's forms beyond the main walk-through (admin_e2e.mjs): an
// API error is shown next to the field it names and what was typed stays;
// a template imported from a .eml file; a campaign with a sending window and
// follow-up training, edited as a draft; an API key shown once; a webhook;
// a training assignment, a module imported from a tar, the training email settings; a destructive action asks first; the template editor's live
// preview (server-rendered as you type, errors next to the field); custom headers on a
// template and a profile; the launch confirmation's exact count of distinct people. Screens are
// screenshotted and checked with axe-core at 1280 and 390 px.
// Context: base_url, email, password (an admin that needs no password change),
// group_name and group2_name (existing groups sharing a person), audience (their distinct
// people), profile_name (an outbox profile), eml_path (a .eml file).
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
  await heading('Imported expiry');

  // Live preview: typing in the HTML editor re-renders the frame (server-side,
  // debounced); an unknown variable is shown next to the HTML field.
  const frameHtml = () => page.locator('iframe[title="Email preview"]').getAttribute('srcdoc');
  const html = page.getByLabel('HTML body');
  await html.fill('<p>Hello {{.FirstName}}, your password expires today.</p><p><a href="{{.URL}}">Keep my password</a></p>');
  await page.waitForFunction(() => /Hello Dana, your password/.test(document.querySelector('iframe[title="Email preview"]')?.getAttribute('srcdoc') ?? ''), null, { timeout: 5000 });
  await page.getByLabel('First name').fill('Robin');
  await page.waitForFunction(() => /Hello Robin,/.test(document.querySelector('iframe[title="Email preview"]')?.getAttribute('srcdoc') ?? ''), null, { timeout: 5000 });
  await html.fill('<p>Hello {{.FirstName}}, see {{.Nope}}</p>');
  const htmlError = page.locator('.field').filter({ has: html }).locator('.field-error');
  await htmlError.waitFor({ timeout: 5000 });
  assert(/unknown template expression.*Nope/i.test(await htmlError.innerText()), `no unknown-variable error next to HTML body: ${await htmlError.innerText()}`);
  assert((await html.getAttribute('aria-invalid')) === 'true', 'HTML body is not marked invalid');
  assert(/HTML body/.test(await page.getByTestId('preview-status').innerText()), 'the preview does not say which field is wrong');
  assert(/Hello Robin, your password/.test(await frameHtml()), 'the preview frame lost the last good rendering');
  await check('template-preview-error');
  await html.fill('<p>Hello {{.FirstName}}, your password expires today.</p><p><a href="{{.URL}}">Keep my password</a></p>');
  await htmlError.waitFor({ state: 'detached', timeout: 5000 });

  // Custom headers: a reserved name is refused next to that row's name; a good
  // one is saved and comes back after a reload.
  await page.getByRole('button', { name: 'Add a header' }).click();
  await page.getByLabel('Header 1 name').fill('X-Drill-Id');
  await page.getByLabel('Header 1 value').fill('expiry-{{.FirstName}}');
  await page.getByRole('button', { name: 'Add a header' }).click();
  await page.getByLabel('Header 2 name').fill('Subject');
  await page.getByLabel('Header 2 value').fill('Overridden');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const h2Error = page.locator('.field').filter({ has: page.getByLabel('Header 2 name') }).locator('.field-error');
  await h2Error.waitFor();
  assert(/set by Phishdrill/.test(await h2Error.innerText()), `no reserved-header error next to Header 2 name: ${await h2Error.innerText()}`);
  await check('template-header-error');
  await page.getByRole('button', { name: /Remove header 2/ }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Saved.', { exact: true }).waitFor();
  await page.reload();
  await heading('Imported expiry');
  assert((await page.getByLabel('Header 1 name').inputValue()) === 'X-Drill-Id', 'the template header name was not saved');
  assert((await page.getByLabel('Header 1 value').inputValue()) === 'expiry-{{.FirstName}}', 'the template header value was not saved');
  assert((await page.getByLabel('Header 2 name').count()) === 0, 'the removed header came back');

  // The same on a sending profile.
  await nav('Sending profiles');
  await page.getByRole('link', { name: ctx.profile_name }).click();
  await heading(ctx.profile_name);
  await page.getByRole('button', { name: 'Add a header' }).click();
  await page.getByLabel('Header 1 name').fill('X Bad');
  await page.getByLabel('Header 1 value').fill('yes');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const p1Error = page.locator('.field').filter({ has: page.getByLabel('Header 1 name') }).locator('.field-error');
  await p1Error.waitFor();
  await page.getByLabel('Header 1 name').fill('X-Awareness-Drill');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Saved.', { exact: true }).waitFor();
  await page.reload();
  await heading(ctx.profile_name);
  assert((await page.getByLabel('Header 1 name').inputValue()) === 'X-Awareness-Drill', 'the profile header was not saved');
  await check('profile-headers');
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
  await page.getByRole('checkbox', { name: new RegExp(ctx.group2_name) }).check();
  await page.getByLabel('Sending profile').selectOption({ label: `${ctx.profile_name} (outbox)` });
  await page.getByRole('checkbox', { name: 'Send only on certain days and hours' }).check();
  await page.getByLabel('From (HH:MM)').fill('09:00');
  await page.getByLabel('Until (HH:MM)').fill('17:00');
  const followUp = page.getByRole('checkbox', { name: 'Assign training to people who fall for it' });
  await followUp.check();
  await check('campaign-form-window');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await heading('Windowed campaign');
  const draftText = await page.locator('.summary-list').innerText();
  assert(/09:00–17:00/.test(draftText), `the draft does not show the window: ${draftText}`);
  assert(/Follow-up training/.test(draftText), `the draft does not show the follow-up: ${draftText}`);
  await page.getByRole('link', { name: 'Edit' }).click();
  await heading('Edit draft campaign');
  await page.getByLabel('Campaign name').fill('Windowed campaign (edited)');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await heading('Windowed campaign (edited)');
  // Two groups sharing a person: the server counts distinct people.
  await page.getByTestId('draft-audience').getByText(`${ctx.audience} people right now`).waitFor();
  await check('campaign-draft-window');
  await page.getByRole('button', { name: 'Launch…' }).click();
  const launch = page.getByRole('dialog', { name: /Launch/ });
  await launch.getByTestId('launch-summary').waitFor();
  const launchText = await launch.getByTestId('launch-summary').innerText();
  assert(launchText.startsWith(`${ctx.audience} people will receive`), `the launch confirmation does not show ${ctx.audience} people: ${launchText}`);
  assert(/09:00–17:00/.test(launchText), `the launch confirmation does not show the window: ${launchText}`);
  await check('campaign-launch-confirm');
  await launch.getByRole('button', { name: 'Cancel' }).click();
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

  // Training: assign a module to the group.
  await nav('Training');
  await page.getByRole('tab', { name: 'Assignments' }).click();
  const assign = page.getByRole('button', { name: 'Assign', exact: true });
  await page.locator('form[aria-labelledby="assign-title"]').getByRole('checkbox', { name: new RegExp(ctx.group_name) }).check();
  await assign.click();
  await page.getByText(/Assigned to \d+ (people|person)/).waitFor();
  await page.locator('table tbody tr').first().waitFor();
  await check('training-assigned');
  // No training relay was set when it was assigned: "Remind now" says why it can't.
  await page.getByRole('button', { name: /Remind now/ }).first().click();
  await page.getByRole('alert').filter({ hasText: /sends no email/ }).waitFor();
  // Importing a module from a tar of its folder: it joins the catalogue.
  await page.getByRole('tab', { name: 'Modules' }).click();
  await page.getByLabel('Module archive (.tar)').setInputFiles(ctx.module_tar_path);
  await page.getByText(/Imported “Imported ui-imported-module v1” \(version 1\)/).waitFor();
  await page.getByRole('heading', { name: 'Imported ui-imported-module v1' }).waitFor();
  await check('training-module-imported');
  // The same version again is refused with the server's reason.
  await page.getByLabel('Module archive (.tar)').setInputFiles(ctx.module_tar_path);
  await page.getByText(/already installed/).waitFor();
  // The training email settings: an out-of-range value is refused next to its
  // field and what was typed stays; a valid one is saved and comes back.
  await page.getByRole('tab', { name: 'Emails' }).click();
  const remind = page.getByLabel('Reminder before the due date (days)');
  await remind.fill('99');
  await page.getByLabel('Sending profile').selectOption({ label: ctx.profile_name });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('.field-invalid').filter({ hasText: 'between 0 and 60' }).waitFor();
  assert(await remind.inputValue() === '99', 'the typed value was lost after the error');
  await check('training-email-settings-error');
  await remind.fill('3');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();
  await page.reload();
  await page.getByRole('tab', { name: 'Emails' }).click();
  const kept = page.getByLabel('Reminder before the due date (days)');
  await kept.waitFor();
  assert(await kept.inputValue() === '3', 'the saved reminder setting did not come back');
  assert(await page.getByLabel('Sending profile').locator('option:checked').innerText() === ctx.profile_name,
    'the saved sending profile did not come back');
  await check('training-email-settings');
  await context.close();
  return { screens, violations, problems, seconds: (Date.now() - started) / 1000 };
}
